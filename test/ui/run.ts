/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- tool code: drives the n8n app and a browser from the command line */
/**
 * `npm run test:ui`: the package in the real n8n editor, in Debian's Chromium, as a user clicks it.
 *
 *   1. Debian's `chromium` and `fonts-wqy-microhei` (without a CJK font 云之讯 renders as boxes),
 *      installed with apt-get when missing; Node 24 and the pinned n8n app from the cache.
 *   2. `npm run build`, `npm pack`, the tarball installed into a throwaway `.n8n/nodes` the way
 *      n8n's community-package installer does; the local UCPaaS sandbox; `n8n start`.
 *   3. The owner is set up over REST and signs in through the /signin form; then ./steps.ts:
 *      node creator, the Callback panel, the credential modal, Execute step, a bad callee, the
 *      trigger panel, publishing and a pushed call, then Place Callback and Wait (its panel, a run
 *      waiting while the call rings, resumed by its Call Ended), each with a screenshot in
 *      artifacts/ui/.
 *   4. Checks over the whole session: page errors, where the browser went, the Auth Token.
 * One line per check, the plain summary line last, exit code 1 on any failure. The browser, n8n
 * and the sandboxes are stopped and the user folder removed, on success, failure and Ctrl-C.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { DEFAULT_ACCOUNT, startSandbox, type Sandbox } from '../../sandbox';
import { expectEqual, expectTrue } from '../e2e/assertions';
import { expectNoOutboundAttempts, expectNoTokenIn, processesInside } from '../e2e/hygieneChecks';
import { ensureN8nApp, N8N_VERSION, type N8nApp } from '../e2e/n8nApp';
import { startN8nServer, type RunningServer } from '../e2e/n8nServer';
import { cacheRoot } from '../e2e/nodeRuntime';
import { buildAndPack, installLikeN8n } from '../e2e/packageInstall';
import { Suite } from '../e2e/suite';
import { ensureDebianPackages } from '../e2e/systemPackages';
import { throwawayInstance } from '../e2e/throwawayInstance';
import { EditorBrowser } from './browser';
import { signIn } from './editor';
import { isKnownNoise, REGISTRY_LOOKUP, runUiSteps, UI_CHECKS, type UiSession } from './steps';

const REPO = path.resolve(__dirname, '..', '..');
const SHOTS = path.join(REPO, 'artifacts', 'ui');
const DEBIAN_PACKAGES = ['chromium', 'fonts-wqy-microhei'];

/** A fresh password per run (n8n wants 8–64 characters with a digit and a capital). */
const OWNER = { email: 'owner@ui.n8n-nodes-ucpaas.test', firstName: 'UI', lastName: 'Owner', password: `Ui1-${randomBytes(12).toString('base64url')}` };

const SETUP_CHECKS = [
	`setup: Debian's ${DEBIAN_PACKAGES.join(' and ')} are installed (apt-get on first use)`,
	`setup: Node 24 and n8n ${N8N_VERSION} installed and complete`,
	'setup: npm run build + npm pack; the tarball installs into .n8n/nodes like n8n does',
	'setup: n8n start is ready on loopback; Chromium signs the owner in through the /signin form',
];
const SESSION_CHECKS = [
	`browser: no page errors and no console errors in the whole session, apart from n8n's own npm-registry lookup for the package (${REGISTRY_LOOKUP}, refused by the closed proxy) and the editor's 401 from /rest/login before sign-in`,
	'network: the browser reached nothing beyond loopback (the registry lookup is the one request that tried, and it failed at the closed proxy); neither did n8n',
	'secrets: the Auth Token appears in no page text, no reply the browser received, and nothing n8n printed',
	'cleanup: browser, n8n and its task runners, the sandbox stopped; user folder removed',
];

const suite = new Suite('ui', { stopping: 'stopping the browser, n8n and the sandbox, removing the user folder' });
const { cleanups } = suite;
const cleanUp = () => cleanups.run();

async function main(): Promise<number> {
	const list = suite.checks;
	console.log(`ui: n8n-nodes-ucpaas in the n8n ${N8N_VERSION} editor, in Debian's Chromium (cache ${cacheRoot()}, screenshots ${path.relative(REPO, SHOTS)}/)`);
	const [systemCheck, appCheck, packageCheck, serverCheck] = SETUP_CHECKS;

	const system = await list.check(systemCheck, async () => {
		await ensureDebianPackages(DEBIAN_PACKAGES);
		expectTrue(existsSync('/usr/bin/chromium'), '/usr/bin/chromium is missing after the install');
	});
	let app: N8nApp | undefined;
	await list.check(appCheck, async () => {
		app = await ensureN8nApp();
	});
	if (!system || !app) return finish([packageCheck, serverCheck, ...UI_CHECKS, ...SESSION_CHECKS]);

	const sandbox: Sandbox = await startSandbox({ host: '127.0.0.1', port: 0, quiet: true });
	cleanups.push(() => sandbox.stop());
	const { instance, packDir } = await throwawayInstance(app, cleanups);
	// The node creator asks n8n for the verified community nodes it could install, and n8n fetches
	// that list from api.n8n.io (modules/community-packages, getCommunityNodeTypes): off here, like
	// templates and telemetry, so that "n8n sent nothing beyond loopback" stays a real check.
	const baseEnv = instance.env.bind(instance);
	instance.env = (extra = {}) => baseEnv({ N8N_VERIFIED_PACKAGES_ENABLED: 'false', ...extra });
	list.note(`sandbox ${sandbox.url}; N8N_USER_FOLDER ${instance.userFolder}`);
	const runtime = app.runtime;

	const installed = await list.check(packageCheck, async () => {
		const pkg = await buildAndPack(REPO, packDir);
		await installLikeN8n(pkg, instance.nodesDir, runtime);
	});
	if (!installed) return finish([serverCheck, ...UI_CHECKS, ...SESSION_CHECKS]);

	rmSync(SHOTS, { recursive: true, force: true });
	let editor: EditorBrowser | undefined;
	let server: RunningServer | undefined;
	const up = await list.check(serverCheck, async () => {
		server = await startN8nServer(instance);
		cleanups.push(() => server?.stop());
		const setup = await fetch(`${server.url}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(OWNER),
			signal: AbortSignal.timeout(30_000),
		});
		expectEqual(setup.status, 200, 'POST /rest/owner/setup');
		editor = await EditorBrowser.launch(SHOTS);
		const browser = editor;
		cleanups.push(() => browser.close());
		await signIn(editor.page, server.url, OWNER.email, OWNER.password);
	});
	if (!up || !editor || !server) return finish([...UI_CHECKS, ...SESSION_CHECKS]);
	list.note(`n8n ${server.url}; screenshots in ${SHOTS}`);

	const session: UiSession = { editor, n8nUrl: server.url, sandbox, instance, checks: list, pageTexts: [] };
	await runUiSteps(session);

	const [pageErrors, network, secrets, cleanup] = SESSION_CHECKS;
	const browser = editor;
	const noise = browser.events.filter(isKnownNoise);
	const registryNoise = noise.filter((e) => e.url === REGISTRY_LOOKUP).length;
	list.note(`filtered as n8n's own: ${registryNoise} registry-lookup events, ${noise.length - registryNoise} others (the 401 before sign-in, requests cut short by navigation)`);
	await list.check(pageErrors, () => {
		const unexpected = browser.events.filter((e) => !isKnownNoise(e)).map((e) => `[step ${e.step}] ${e.kind}: ${e.text} (${e.url})`);
		expectEqual(unexpected, [], 'page errors, console errors and failed requests');
	});
	// n8n's output is collected when it stops: stop it before the checks that read it, and keep it
	// beside the screenshots for whoever looks at a failure.
	await server.stop();
	writeFileSync(path.join(SHOTS, 'n8n-server.log'), instance.transcript.join('\n'));
	await list.check(network, () => {
		const n8nOrigin = new URL(session.n8nUrl).origin;
		const beyond = browser.requests.filter((r) => !/^(data|blob|about):/.test(r.url) && new URL(r.url).origin !== n8nOrigin);
		expectEqual([...new Set(beyond.map((r) => r.url))].filter((url) => url !== REGISTRY_LOOKUP), [], 'requests beyond n8n');
		const failed = new Set(browser.events.filter((e) => e.kind === 'requestfailed').map((e) => e.url));
		const lookups = beyond.filter((r) => r.url === REGISTRY_LOOKUP);
		expectTrue(failed.has(REGISTRY_LOOKUP) || lookups.length === 0, 'the registry lookup did not fail at the closed proxy');
		expectNoOutboundAttempts(instance.transcript);
	});

	await list.check(secrets, async () => {
		await browser.settled();
		const token = DEFAULT_ACCOUNT.authToken;
		expectTrue(session.pageTexts.length >= 8, `only ${session.pageTexts.length} page texts were collected`);
		expectEqual(session.pageTexts.filter((text) => text.includes(token)).length, 0, 'page texts containing the Auth Token');
		expectTrue(browser.replies.length > 0, 'no replies were collected');
		expectEqual(browser.replies.filter((r) => r.text.includes(token)).map((r) => r.url), [], 'replies to the browser containing the Auth Token');
		expectNoTokenIn(instance.transcript);
	});

	await list.check(cleanup, async () => {
		const folder = instance.userFolder;
		await cleanUp();
		expectEqual(processesInside(folder), [], 'processes left in the user folder');
		expectTrue(!existsSync(folder), `${folder} still exists`);
		expectTrue(!browser.browser.isConnected(), 'the browser is still running');
	});
	return finish();
}

const finish = (skipped: string[] = []) => suite.finish(skipped, 'setup failed', `; screenshots in ${path.relative(REPO, SHOTS)}/`);

suite.run(main);
