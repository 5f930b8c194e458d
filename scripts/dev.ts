/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- tool code: the command-line dev loop, never loaded by n8n */
/**
 * `npm run dev`: the package in the real n8n editor, rebuilt on every change, with no UCPaaS account.
 *
 *   1. Node 24 and the n8n app the real-parts suites use, from the cache (installed on first use).
 *   2. `npm run build` + `npm pack` of this working tree, installed into the kept user folder's
 *      `.n8n/nodes` the way n8n's community-package installer does.
 *   3. The local UCPaaS sandbox, `n8n start` with N8N_DEV_RELOAD (n8n's own hot reload of node
 *      packages, the one `n8n-node dev` uses), the owner account, and a UCPaaS credential
 *      pointing at the sandbox; then the editor URL and the login are printed.
 *   4. A change under nodes/, credentials/ or icons/ rebuilds, packs and installs again; n8n
 *      reloads the package by itself (or is restarted, when its hot reload fails).
 *   5. Ctrl-C stops the watcher, n8n with its task runner, and the sandbox, and checks that none
 *      of them is left. The user folder stays (workflows survive); --fresh starts a new one.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { DEFAULT_ACCOUNT, startSandbox, type Sandbox } from '../sandbox';
import { createCleanups } from '../test/e2e/cleanups';
import { processesInside } from '../test/e2e/hygieneChecks';
import { ensureN8nApp, N8N_VERSION } from '../test/e2e/n8nApp';
import { freePort, N8nInstance } from '../test/e2e/n8nInstance';
import { startN8nServer, type RunningServer } from '../test/e2e/n8nServer';
import { buildAndPack, installLikeN8n, type PackedPackage } from '../test/e2e/packageInstall';
import { killAllChildrenNow } from '../test/e2e/processes';
import { sleep } from '../test/e2e/waitFor';
import { DEV_CREDENTIAL_NAME, signInOwner, upsertSandboxCredential } from './dev/editorAccount';
import { N8nOutput } from './dev/n8nOutput';
import { syncPackage } from './dev/packageSync';
import { watchSources, WATCHED_FOLDERS } from './dev/sourceWatcher';
import { defaultUserFolder, openUserFolder, type DevState } from './dev/userFolder';

const REPO = path.resolve(__dirname, '..');
const PACKAGE_NAME = 'n8n-nodes-ucpaas';
const DEFAULT_N8N_PORT = 5678;
const DEFAULT_SANDBOX_PORT = 8377;

const USAGE = `Usage: npm run dev -- [options]
  --port <n>          the editor's port (default 5678, or a free one when 5678 is taken)
  --sandbox-port <n>  the UCPaaS sandbox's port (default 8377, or a free one when taken)
  --push-url <url>    where the sandbox pushes call events (e.g. a UCPaaS Callback Trigger's URL)
  --user-folder <dir> n8n's user folder (default ${defaultUserFolder(N8N_VERSION)})
  --fresh             delete the user folder first: new owner, no workflows, no credentials
  --help              show this text`;

interface Options {
	port?: number;
	sandboxPort?: number;
	pushUrl?: string;
	userFolder: string;
	fresh: boolean;
}

function parseOptions(): Options {
	const { values } = parseArgs({
		options: {
			port: { type: 'string' },
			'sandbox-port': { type: 'string' },
			'push-url': { type: 'string' },
			'user-folder': { type: 'string' },
			fresh: { type: 'boolean', default: false },
			help: { type: 'boolean', short: 'h', default: false },
		},
	});
	if (values.help) {
		console.log(USAGE);
		process.exit(0);
	}
	const port = (name: string, text: string | undefined) => {
		if (text === undefined) return undefined;
		if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 65535) throw new Error(`--${name} needs a port number, got "${text}"`);
		return Number(text);
	};
	return {
		port: port('port', values.port),
		sandboxPort: port('sandbox-port', values['sandbox-port']),
		pushUrl: values['push-url'],
		userFolder: path.resolve(values['user-folder'] ?? defaultUserFolder(N8N_VERSION)),
		fresh: values.fresh ?? false,
	};
}

function portIsFree(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const server = createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/** The port asked for (which must be free), else the usual one when free, else any free one. */
async function choosePort(asked: number | undefined, usual: number, what: string): Promise<number> {
	if (asked !== undefined) {
		if (!(await portIsFree(asked))) throw new Error(`${what} port ${asked} is taken`);
		return asked;
	}
	return (await portIsFree(usual)) ? usual : freePort();
}

/**
 * The suites' n8n environment, less what only a test wants: the host's time zone and proxies
 * come back (a user's workflows may reach the network), the log level is info (the hot reload
 * reports there), and the package is reloaded on change.
 */
function devEnv(): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = { N8N_DEV_RELOAD: 'true', N8N_LOG_LEVEL: 'info', N8N_VERIFIED_PACKAGES_ENABLED: 'false' };
	for (const name of ['TZ', 'GENERIC_TIMEZONE', 'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'all_proxy', 'no_proxy']) env[name] = process.env[name];
	return env;
}

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

class DevLoop {
	private server: RunningServer | undefined;
	private busy = false;
	private pending: string[] | undefined;
	stopping = false;
	private readonly output = new N8nOutput();
	private readonly livePackage: string;
	private readonly stagingNodes: string;
	/** Resolves once n8n's hot reload watches the installed package (false: it never did). */
	private hotReload: Promise<boolean> = Promise.resolve(false);

	constructor(
		private readonly instance: N8nInstance,
		private readonly state: DevState,
		private readonly sandbox: Sandbox,
		private readonly port: number,
		private readonly packDir: string,
	) {
		this.livePackage = path.join(instance.nodesDir, 'node_modules', PACKAGE_NAME);
		this.stagingNodes = path.join(instance.userFolder, '.n8n', 'dev-staging');
	}

	/** A burst of changes (or the first start): rebuild once, and once more if more came meanwhile. */
	async changed(files: string[]): Promise<void> {
		if (this.busy) {
			this.pending = [...(this.pending ?? []), ...files];
			return;
		}
		this.busy = true;
		try {
			let next: string[] | undefined = files;
			while (next && !this.stopping) {
				this.pending = undefined;
				await this.deploy(next);
				next = this.pending;
			}
		} finally {
			this.busy = false;
		}
	}

	private async deploy(files: string[]): Promise<void> {
		const started = Date.now();
		if (files.length) console.log(`\ndev: ${files.length === 1 ? files[0] : `${files.length} files (${files.slice(0, 3).join(', ')}${files.length > 3 ? ', …' : ''})`} changed: rebuilding`);
		let pkg: PackedPackage;
		try {
			// One tarball at a time: the last build's is replaced.
			rmSync(this.packDir, { recursive: true, force: true });
			mkdirSync(this.packDir, { recursive: true });
			pkg = await buildAndPack(REPO, this.packDir);
		} catch (error) {
			if (this.stopping) return;
			const now = this.running() ? 'n8n keeps the last good build' : 'n8n starts after the first good build';
			console.log(`dev: the build failed; ${now}. Fix the error and save again.\n${(error as Error).message}`);
			return;
		}
		if (this.stopping) return;
		if (!this.running()) {
			await this.start(pkg);
			return;
		}
		if (!(await this.hotReload)) {
			await this.restart(pkg, 'hot reload is off');
			return;
		}
		rmSync(this.stagingNodes, { recursive: true, force: true });
		const staged = await installLikeN8n(pkg, this.stagingNodes, this.instance.app.runtime);
		const reloaded = this.output.waitFor(new RegExp(`^Hot reload (triggered|failed) for ${PACKAGE_NAME}`), 15_000);
		const typesFile = path.join(this.instance.userFolder, '.cache', 'n8n', 'public', 'types', 'credentials.json');
		const typesBefore = existsSync(typesFile) ? statSync(typesFile).mtimeMs : 0;
		const changedFiles = syncPackage(staged, this.livePackage);
		rmSync(this.stagingNodes, { recursive: true, force: true });
		if (changedFiles.length === 0) {
			console.log(`dev: rebuilt in ${seconds(started)}; the package came out the same, nothing to reload`);
			return;
		}
		const triggered = await reloaded;
		// Done when n8n has written the type files the editor fetches (the reload's last step), or failed.
		let failed = triggered?.message.startsWith('Hot reload failed') ?? false;
		void this.output.waitFor(new RegExp(`^Hot reload failed for ${PACKAGE_NAME}`), 30_000).then((record) => (failed ||= record !== undefined));
		const typesWritten = () => existsSync(typesFile) && statSync(typesFile).mtimeMs > typesBefore;
		for (const deadline = Date.now() + 30_000; triggered && !failed && !typesWritten() && Date.now() < deadline; ) await sleep(250);
		if (triggered && !failed && typesWritten()) {
			// n8n pushes "nodeDescriptionUpdated" to open editors, which fetch the types again (an open
			// panel was seen to relabel itself); icons, though, are served with a day's max-age.
			const icons = changedFiles.some((file) => file.startsWith(path.join('dist', 'icons')));
			console.log(
				`dev: rebuilt and reloaded in ${seconds(started)} (${changedFiles.join(', ')}). The open editor shows the change by itself; if a page still shows the old one, reload it (F5).` +
					(icons ? ' Browsers keep n8n\'s icons for a day: a hard reload (Ctrl+Shift+R) shows a changed icon.' : ''),
			);
			return;
		}
		await this.restart(pkg, `its hot reload ${failed ? 'failed' : 'did not report'}`);
	}

	private async restart(pkg: PackedPackage, why: string): Promise<void> {
		console.log(`dev: restarting n8n (${why})`);
		await this.stopServer();
		await this.start(pkg);
	}

	/**
	 * n8n subscribes its hot reload watchers one package after the other, n8n-nodes-base's
	 * thousands of files first, and says nothing when done: on a busy machine a change made in
	 * the first minute after start-up went unseen. So a probe file is written into the installed
	 * package until n8n reports a reload of it.
	 */
	private async armHotReload(server: RunningServer): Promise<boolean> {
		const started = Date.now();
		const probe = path.join(this.livePackage, '.dev-reload-probe');
		try {
			while (Date.now() - started < 180_000 && this.server === server && this.running() && !this.stopping) {
				const seen = this.output.waitFor(new RegExp(`^Hot reload (triggered|failed) for ${PACKAGE_NAME}`), 5_000);
				writeFileSync(probe, `${Date.now()}\n`);
				const record = await seen;
				if (!record) continue;
				console.log(`dev: n8n's hot reload is on (${seconds(started)} after start-up): save a file under ${WATCHED_FOLDERS.map((f) => `${f}/`).join(', ')} to see the change`);
				return true;
			}
		} finally {
			rmSync(probe, { force: true });
		}
		if (this.server === server && !this.stopping) console.log("dev: n8n's hot reload did not start within 3 minutes; each change restarts n8n instead");
		return false;
	}

	private running(): boolean {
		const child = this.server?.child;
		return Boolean(child && child.exitCode === null && child.signalCode === null);
	}

	/** Installs the package afresh, starts n8n, signs the owner in and sets up the credential. */
	private async start(pkg: PackedPackage): Promise<void> {
		const started = Date.now();
		rmSync(this.livePackage, { recursive: true, force: true });
		await installLikeN8n(pkg, this.instance.nodesDir, this.instance.app.runtime);
		console.log(`dev: installed ${pkg.name} ${pkg.version} into ${this.instance.nodesDir}; starting n8n (20–90 s)`);
		const server = await startN8nServer(this.instance, { port: this.port, env: devEnv(), timeoutMs: 180_000 });
		this.server = server;
		this.output.follow(server.child);
		server.child.once('exit', (code, signal) => {
			if (this.server === server && !this.stopping) console.log(`dev: n8n exited (${code ?? signal}); the next change starts it again, or Ctrl-C to stop`);
		});
		const rest = await signInOwner(server.url, this.state.owner);
		const credential = await upsertSandboxCredential(rest, this.sandbox.url);
		const { owner } = this.state;
		console.log(`
dev: ready in ${seconds(started)}
  n8n editor   ${server.url}
  login        ${owner.email}  /  ${owner.password}
  sandbox      ${this.sandbox.url}  (account ${DEFAULT_ACCOUNT.accountSid}, app ${DEFAULT_ACCOUNT.appId}, Client ${DEFAULT_ACCOUNT.clientNumber}, mobile ${DEFAULT_ACCOUNT.mobile})
  credential   "${DEV_CREDENTIAL_NAME}" ${credential.created ? 'created' : 'reset'}: it points at the sandbox
  user folder  ${this.instance.userFolder}  (kept: workflows survive a restart; --fresh starts over)
  watching     ${WATCHED_FOLDERS.map((f) => `${f}/`).join(', ')}: a change rebuilds the package, and n8n reloads it
  Ctrl-C       stops n8n, its task runner, the sandbox and the watcher
`);
		this.hotReload = this.armHotReload(server);
	}

	async stopServer(): Promise<void> {
		const server = this.server;
		this.server = undefined;
		await server?.stop();
	}
}

async function main(): Promise<void> {
	let options: Options;
	try {
		options = parseOptions();
	} catch (error) {
		console.log(`${(error as Error).message}\n\n${USAGE}`);
		process.exit(2);
	}
	console.log(`dev: ${PACKAGE_NAME} in the n8n ${N8N_VERSION} editor, rebuilt from ${REPO} on every change`);
	if (process.env.UCPAAS_E2E_TARBALL) {
		console.log('dev: UCPAAS_E2E_TARBALL is ignored: npm run dev builds this working tree');
		delete process.env.UCPAAS_E2E_TARBALL;
	}
	const cleanups = createCleanups({ stopChildren: 'last' });
	let loop: DevLoop | undefined;
	let stopping = false;
	let stoppingSince = 0;
	/** Ctrl-C, SIGTERM, or a failure before n8n was up: everything stops, and is checked to be gone. */
	const stop = async (why: string, code: number) => {
		if (stopping) {
			// One Ctrl-C arrives up to three times (from the terminal, npm and tsx, which relay it):
			// only a second press, later, gives up on stopping n8n gracefully.
			if (Date.now() - stoppingSince < 2_000) return;
			console.log(`dev: ${why} again: killing every child process now`);
			killAllChildrenNow();
			process.exit(130);
		}
		stopping = true;
		stoppingSince = Date.now();
		if (loop) loop.stopping = true;
		console.log(`\ndev: ${why}: stopping the watcher, n8n and its task runner, and the sandbox`);
		await cleanups.run();
		const left = processesInside(options.userFolder);
		if (left.length) {
			console.log(`dev: processes still running in ${options.userFolder}: ${left.join(', ')}`);
			process.exit(1);
		}
		console.log(`dev: stopped; nothing left running. The user folder stays in ${options.userFolder}`);
		process.exit(code);
	};
	// A terminal or pipe that went away with the Ctrl-C must not end this process before n8n stopped.
	process.stdout.on('error', () => undefined);
	process.on('SIGINT', (signal) => void stop(signal, 0));
	process.on('SIGTERM', (signal) => void stop(signal, 0));
	// The terminal closed: Node's default would end this process and leave n8n running.
	process.on('SIGHUP', (signal) => void stop(signal, 0));
	process.once('exit', killAllChildrenNow);

	try {
		const app = await ensureN8nApp();
		const state = openUserFolder(options.userFolder, options.fresh);
		console.log(`dev: user folder ${state.userFolder} (${state.created ? 'new' : 'kept from an earlier run'})`);
		const instance = await N8nInstance.create(app, state);
		const port = await choosePort(options.port, DEFAULT_N8N_PORT, 'the editor');
		const sandboxPort = await choosePort(options.sandboxPort, DEFAULT_SANDBOX_PORT, 'the sandbox');
		const sandbox = await startSandbox({ host: '127.0.0.1', port: sandboxPort, quiet: true, pushUrl: options.pushUrl });
		cleanups.push(() => sandbox.stop());
		const packDir = mkdtempSync(path.join(tmpdir(), `${PACKAGE_NAME}-dev-`));
		cleanups.push(() => rmSync(packDir, { recursive: true, force: true }));
		const devLoop = new DevLoop(instance, state, sandbox, port, packDir);
		loop = devLoop;
		cleanups.push(() => devLoop.stopServer());
		const watcher = watchSources(REPO, (files) => void devLoop.changed(files).catch(report));
		cleanups.push(() => watcher.close());
		if (!stopping) await devLoop.changed([]);
	} catch (error) {
		// Ctrl-C during the start also ends here (its children are killed): that stop is under way.
		if (stopping) return;
		report(error);
		await stop('setup failed', 1);
	}
}

function report(error: unknown): void {
	console.log(`dev: ${error instanceof Error ? error.message : String(error)}`);
}

void main();
