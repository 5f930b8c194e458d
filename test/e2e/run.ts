/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- tool code: drives the n8n app from the command line */
/**
 * `npm run test:e2e [-- --n8n <version>|newest] [--install-only]`: the package inside the real n8n
 * app, doing what a user does, on any n8n from the minimum supported on (n8nVersions.ts; default:
 * the newest pinned line).
 *
 *   1. That n8n and the Node its line needs, from a cache outside the repo (installed on first
 *      use, one folder per version; a version npm cannot install here is named, with why, first).
 *      `--install-only` stops here (for installing the next version of a matrix while one runs).
 *   2. `npm run build`, `npm pack`, and the tarball installed into a throwaway
 *      `$N8N_USER_FOLDER/.n8n/nodes` the way n8n's community-package installer does.
 *   3. The local UCPaaS sandbox, in this process, on loopback.
 *   4. `n8n import:credentials`, `n8n import:workflow`, then `n8n execute` per workflow in
 *      ./workflows, checked against the printed run and what the sandbox received.
 *   5. `n8n start`: owner setup and login over REST, the credential Test, the node and
 *      credential type lists and the icon; the UCPaaS Trigger workflow activated over REST,
 *      a second sandbox pushing a call's events to its production URL, the executions read back.
 * One line per check, a one-line summary, exit code 1 on any failure. Nothing is left running
 * and the user folder is removed, on success, failure and Ctrl-C.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { startSandbox, type Sandbox } from '../../sandbox';
import { expectEqual, expectTrue } from './assertions';
import { writeCredentialImport } from './credentials';
import { expectNoOutboundAttempts, expectNoTokenIn, processesInside } from './hygieneChecks';
import { gigabytes } from './n8nInstall';
import { ensureN8nApp, installFigures, type N8nApp } from './n8nApp';
import type { CliRun } from './n8nInstance';
import { NEWEST_PINNED, NEWEST_REQUEST, profileFor, unsupportedReason } from './n8nVersions';
import { cacheRoot } from './nodeRuntime';
import { buildAndPack, installedDependencies, installLikeN8n } from './packageInstall';
import { Suite } from './suite';
import { runServerChecks, serverCheckNames } from './serverChecks';
import { throwawayInstance } from './throwawayInstance';
import { runScenarios, scenarioCheckNames, SCENARIOS } from './workflowChecks';

const REPO = path.resolve(__dirname, '..', '..');
const WORKFLOWS = path.join(__dirname, 'workflows');
/** Every fixture: the `n8n execute` scenarios and the trigger workflow the server checks activate. */
const WORKFLOW_FILES = readdirSync(WORKFLOWS).filter((file) => file.endsWith('.json'));

const suite = new Suite('e2e', { stopping: 'stopping n8n and the sandbox, removing the user folder', stopChildren: 'first' });
const { cleanups } = suite;
const cleanUp = () => cleanups.run();

const loggedSuccess = (cli: CliRun, text: string) => cli.logs.some((l) => l.message === text);
/** What n8n said last, for a command that failed: its log messages, or its stderr. */
const lastLines = (cli: CliRun) => (cli.logs.length ? cli.logs.map((l) => l.message) : cli.stderr.trim().split('\n')).slice(-3).join(' | ').slice(0, 600);

const USAGE = `usage: npm run test:e2e [-- --n8n <version>|${NEWEST_REQUEST}] [--install-only]  (default: n8n ${NEWEST_PINNED})`;

/** The command line, or the sentence that says what is wrong with it. */
function options(): { request: string; installOnly: boolean } | string {
	let values: { n8n?: string; 'install-only'?: boolean };
	try {
		({ values } = parseArgs({ options: { n8n: { type: 'string' }, 'install-only': { type: 'boolean' } }, strict: true }));
	} catch (error) {
		return `${error instanceof Error ? error.message : String(error)}\n${USAGE}`;
	}
	const request = values.n8n ?? NEWEST_PINNED;
	const reason = request === NEWEST_REQUEST ? undefined : unsupportedReason(request);
	if (reason) return `${reason}\n${USAGE}`;
	return { request, installOnly: values['install-only'] ?? false };
}

async function main(): Promise<number> {
	const list = suite.checks;
	const given = options();
	if (typeof given === 'string') {
		console.log(`e2e: ${given}`);
		return 2;
	}
	const { request, installOnly } = given;
	const asked = request === NEWEST_REQUEST ? 'the newest n8n that installs from the registry' : `n8n ${request}`;
	console.log(`e2e: n8n-nodes-ucpaas inside ${asked} (cache ${cacheRoot()})`);

	let app: N8nApp | undefined;
	await list.check(`setup: ${asked} and the Node its line needs, installed and complete`, async () => {
		app = await ensureN8nApp(request);
	});
	// The names of the checks that could not run, as they would have been on the line asked for.
	const planned = () => ['package', 'import', ...scenarioCheckNames(), ...serverCheckNames(profileFor(request === NEWEST_REQUEST ? NEWEST_PINNED : request))];
	if (!app) return suite.finish(installOnly ? [] : planned());

	const { runtime, profile } = app;
	const figures = installFigures(app);
	const skipped = (app.notInstallable ?? []).map((r) => `; newer n8n ${r.version} not installable: ${r.reason}`).join('');
	const versionNote = ` (n8n ${app.version} on Node ${runtime.version}${skipped})`;
	list.note(
		`n8n ${app.version} (${profile.line}) on Node ${runtime.version}: ${figures.installSeconds === undefined ? 'cold install not measured' : `cold install ${figures.installSeconds} s, ${gigabytes(figures.bytes)}`}; ` +
			`the editor starts a trigger with ${profile.activation.control}; default binary-data mode ${profile.binaryDataMode}`,
	);
	if (installOnly) return suite.finish([], '', versionNote);
	const sandbox: Sandbox = await startSandbox({ host: '127.0.0.1', port: 0, quiet: true });
	cleanups.push(() => sandbox.stop());
	const { instance, packDir } = await throwawayInstance(app, cleanups);
	list.note(`sandbox ${sandbox.url}; N8N_USER_FOLDER ${instance.userFolder}`);

	const installed = await list.check('package: npm run build + npm pack; the tarball installs into .n8n/nodes like n8n does (offline, no dependencies)', async () => {
		const pkg = await buildAndPack(REPO, packDir);
		const stray = pkg.files.filter((file) => !/^(dist\/|package\.json$|README\.md$|LICENSE)/.test(file));
		expectEqual(stray, [], 'files in the tarball outside dist/');
		const packageDir = await installLikeN8n(pkg, instance.nodesDir, runtime);
		expectEqual(installedDependencies(packageDir), [], 'modules npm installed beside the package (n8n-workflow must come from n8n)');
	});

	let imported = false;
	if (installed) {
		const credentials = await list.check('import: n8n import:credentials stores the UCPaaS API credential', async () => {
			const cli = await instance.cli(['import:credentials', '--input', writeCredentialImport(instance.userFolder, sandbox.url)]);
			expectEqual(cli.code, 0, `exit code (${lastLines(cli)})`);
			expectTrue(loggedSuccess(cli, 'Successfully imported 1 credential.'), 'n8n did not report "Successfully imported 1 credential."');
		});
		const workflows = await list.check(`import: n8n import:workflow --separate imports the ${WORKFLOW_FILES.length} workflows`, async () => {
			const missing = SCENARIOS.map((s) => s.file).filter((file) => !WORKFLOW_FILES.includes(file));
			expectEqual(missing, [], 'scenario fixtures missing from ./workflows');
			const cli = await instance.cli(['import:workflow', '--separate', '--input', WORKFLOWS]);
			expectEqual(cli.code, 0, `exit code (${lastLines(cli)})`);
			const expected = `Successfully imported ${WORKFLOW_FILES.length} workflows.`;
			expectTrue(loggedSuccess(cli, expected), `n8n did not report "${expected}"`);
			const warnings = cli.logs.filter((l) => l.level === 'warn' && l.message.includes('Skipped workflow')).map((l) => l.message);
			expectEqual(warnings, [], 'skipped workflows');
		});
		imported = credentials && workflows;
	} else {
		list.skip('import', 'the package did not install');
	}

	if (imported) await runScenarios(instance, sandbox, list);
	else for (const name of scenarioCheckNames()) list.skip(name, 'the imports failed');

	if (imported) await runServerChecks(instance, sandbox, list);
	else for (const name of serverCheckNames(profile)) list.skip(name, 'the imports failed');

	await list.check('secrets: the Auth Token appears in nothing n8n printed (CLI output and server log)', () => expectNoTokenIn(instance.transcript));
	await list.check('network: n8n sent nothing beyond loopback (every proxy points at a closed port; none was tried)', () => expectNoOutboundAttempts(instance.transcript));

	await list.check('cleanup: n8n and its task runners stopped, sandbox stopped, user folder removed', async () => {
		const folder = instance.userFolder;
		await cleanUp();
		expectEqual(processesInside(folder), [], 'processes left in the user folder');
		expectTrue(!existsSync(folder), `${folder} still exists`);
	});
	return suite.finish([], '', versionNote);
}

suite.run(main);
