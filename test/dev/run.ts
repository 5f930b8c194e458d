/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- tool code: runs npm run dev and checks it from outside, as a user would */
/**
 * `npm run test:dev`: `npm run dev` does what it says, checked from outside like a user:
 *   1. it runs in a copy of this working tree (the check edits a source file there, never here),
 *      on a new user folder and free ports;
 *   2. the login it prints signs in over REST; the node types are listed; the credential it made
 *      passes its Test against the sandbox it printed, which saw the signed request;
 *   3. an edit to the node's description is rebuilt and hot-reloaded by the same n8n process,
 *      which then serves the new description;
 *   4. Ctrl-C (SIGINT to its process group, as a terminal sends it) ends it with 0 and leaves no
 *      process and no open port; started again on the same folder, it keeps the owner, the
 *      credential and a saved workflow.
 * One line per check, the plain summary line last, exit code 1 on any failure.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { DEFAULT_ACCOUNT } from '../../sandbox';
import { DEV_CREDENTIAL_NAME } from '../../scripts/dev/editorAccount';
import { expectContains, expectEqual, expectTrue } from '../e2e/assertions';
import { CREDENTIAL_TYPE } from '../e2e/credentials';
import { ensureN8nApp, N8N_VERSION } from '../e2e/n8nApp';
import { freePort } from '../e2e/n8nInstance';
import { N8nRestClient } from '../e2e/restClient';
import { Suite } from '../e2e/suite';
import { DevCommand } from './devCommand';
import { stillRunning, type ProcessEntry } from './processTree';
import { copyWorkingTree } from './treeCopy';

const REPO = path.resolve(__dirname, '..', '..');
const NODE_SOURCE = path.join('nodes', 'UcpaasCallback', 'UcpaasCallback.node.ts');
const NODE_TYPE = 'n8n-nodes-ucpaas.ucpaasCallback';
const TRIGGER_TYPE = 'n8n-nodes-ucpaas.ucpaasCallbackTrigger';
/** The node's own description line: a plain string literal, two tabs in. */
const DESCRIPTION_LINE = /^(\t\tdescription: ')([^'\n]*)(',?)$/m;

const CHECKS = [
	'setup: a copy of the working tree to edit (tracked and untracked files, node_modules linked); Node 24 and the n8n app installed',
	'start: npm run dev on a new user folder builds the copy and prints the editor URL, the login and the sandbox URL',
	'editor: the printed login signs in over REST; /types/nodes.json lists UCPaaS Callback and UCPaaS Callback Trigger',
	`credential: "${DEV_CREDENTIAL_NAME}" exists; its Test passes, and the printed sandbox saw one signed account read`,
	"reload: an edit to the node's description in nodes/ is rebuilt and hot-reloaded by the same n8n process, which then serves the new description",
	'stop: Ctrl-C (SIGINT to its process group) stops npm run dev ("stopped; nothing left running"); none of its processes (npm, tsx, n8n, the task runner) is left; the editor and sandbox ports are closed',
	'restart: npm run dev again on the same user folder keeps the owner, the credential and a workflow saved before; Ctrl-C stops it clean again',
	'secrets: the Auth Token appears nowhere in what npm run dev printed',
];

const suite = new Suite('dev', { stopping: 'stopping npm run dev, removing the copy and the user folder' });
const { cleanups } = suite;

interface Banner {
	url: string;
	email: string;
	password: string;
	sandboxUrl: string;
}

/** The lines a user reads once the editor is up (scripts/dev.ts prints them). */
async function readBanner(dev: DevCommand, from: number): Promise<Banner> {
	const ready = await dev.waitFor(/dev: ready in [\d.]+ s\n([\s\S]*?Ctrl-C[^\n]*\n)/, 300_000, from);
	const block = ready[1];
	const url = /n8n editor\s+(http:\/\/\S+)/.exec(block)?.[1];
	const login = /login\s+(\S+@\S+)\s+\/\s+(\S+)/.exec(block);
	const sandboxUrl = /sandbox\s+(http:\/\/\S+)/.exec(block)?.[1];
	expectTrue(url && login && sandboxUrl, `the banner lacks the editor URL, the login or the sandbox URL:\n${block}`);
	return { url, email: login[1], password: login[2], sandboxUrl };
}

async function signIn(banner: Banner): Promise<N8nRestClient> {
	const rest = new N8nRestClient(banner.url);
	const login = await rest.request('POST', '/rest/login', { emailOrLdapLoginId: banner.email, password: banner.password });
	expectEqual(login.status, 200, `POST /rest/login as ${banner.email}`);
	return rest;
}

interface TypeEntry {
	name: string;
	description?: string;
}

async function nodeTypes(rest: N8nRestClient): Promise<TypeEntry[]> {
	const types = await rest.request<TypeEntry[]>('GET', '/types/nodes.json');
	expectEqual(types.status, 200, 'GET /types/nodes.json');
	return types.body;
}

async function devCredential(rest: N8nRestClient): Promise<{ id: string; name: string; type: string }> {
	const list = await rest.request<{ data?: Array<{ id: string; name: string; type: string }> }>('GET', '/rest/credentials');
	expectEqual(list.status, 200, 'GET /rest/credentials');
	const found = (list.body.data ?? []).filter((c) => c.name === DEV_CREDENTIAL_NAME && c.type === CREDENTIAL_TYPE);
	expectEqual(found.length, 1, `credentials named "${DEV_CREDENTIAL_NAME}"`);
	return found[0];
}

const n8nProcesses = (dev: DevCommand) => dev.processes().filter((p) => /n8n\/bin\/n8n start/.test(p.command));

function portOpen(url: string): Promise<boolean> {
	const { hostname, port } = new URL(url);
	return new Promise((resolve) => {
		const socket = connect(Number(port), hostname);
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

/** Ctrl-C, then: exit code 0, "nothing left running" printed, no process left, both ports closed. */
async function interruptAndCheck(dev: DevCommand, banner: Banner): Promise<void> {
	const started: ProcessEntry[] = dev.processes();
	expectTrue(started.some((p) => /task-runner/.test(p.command)), `no task runner among the processes npm run dev started: ${started.map((p) => p.command.slice(0, 80)).join(' | ')}`);
	const from = dev.output.length;
	expectTrue(await dev.interrupt(90_000), 'npm run dev was still running 90 s after Ctrl-C');
	// npm ends itself by the signal it relayed, as after any Ctrl-C; scripts/dev.ts says how it ended.
	expectTrue(dev.exitCode === 0 || dev.exitSignal === 'SIGINT', `npm run dev ended with ${dev.exitCode ?? dev.exitSignal} after Ctrl-C`);
	expectContains(dev.output.slice(from), 'dev: stopped; nothing left running', 'what npm run dev printed on Ctrl-C');
	expectEqual(
		stillRunning(started).map((p) => `${p.pid} ${p.command.slice(0, 100)}`),
		[],
		`processes left of the ${started.length} npm run dev started`,
	);
	expectEqual([await portOpen(banner.url), await portOpen(banner.sandboxUrl)], [false, false], 'editor and sandbox ports still open');
}

async function main(): Promise<number> {
	const list = suite.checks;
	const [setupCheck, startCheck, editorCheck, credentialCheck, reloadCheck, stopCheck, restartCheck, secretsCheck] = CHECKS;
	console.log(`dev: npm run dev, checked from outside (n8n ${N8N_VERSION})`);

	let copy = '';
	const userFolder = path.join(tmpdir(), `n8n-nodes-ucpaas-dev-check-user-${randomBytes(4).toString('hex')}`);
	cleanups.push(() => rmSync(userFolder, { recursive: true, force: true, maxRetries: 3 }));
	const ready = await list.check(setupCheck, async () => {
		copy = copyWorkingTree(REPO);
		cleanups.push(() => rmSync(copy, { recursive: true, force: true, maxRetries: 3 }));
		// Installed here, where its progress shows, rather than inside npm run dev's first start.
		await ensureN8nApp();
	});
	if (!ready) return suite.finish(CHECKS.slice(1));
	list.note(`copy ${copy}; user folder ${userFolder}`);

	const args = ['--port', String(await freePort()), '--sandbox-port', String(await freePort()), '--user-folder', userFolder];
	const dev = new DevCommand(copy, args);
	cleanups.push(() => dev.kill());
	const runs = [dev];
	let banner: Banner | undefined;
	await list.check(startCheck, async () => {
		banner = await readBanner(dev, 0);
		expectEqual(banner.url, `http://127.0.0.1:${args[1]}`, 'the editor URL (--port)');
		expectEqual(banner.sandboxUrl, `http://127.0.0.1:${args[3]}`, 'the sandbox URL (--sandbox-port)');
		expectContains(dev.output, `user folder ${userFolder} (new)`, 'what npm run dev printed');
	});
	if (!banner) return suite.finish(CHECKS.slice(2));
	const printed = banner;

	let rest: N8nRestClient | undefined;
	await list.check(editorCheck, async () => {
		rest = await signIn(printed);
		const names = (await nodeTypes(rest)).map((t) => t.name);
		for (const type of [NODE_TYPE, TRIGGER_TYPE]) expectTrue(names.includes(type), `${type} is not among the ${names.length} node types`);
	});

	let workflowId: string | undefined;
	await list.check(credentialCheck, async () => {
		expectTrue(rest, 'not signed in');
		const credential = await devCredential(rest);
		const stored = await rest.request<{ data?: { data?: Record<string, string> } }>('GET', `/rest/credentials/${credential.id}?includeData=true`);
		const data = stored.body.data?.data ?? {};
		expectEqual([data.accountSid, data.baseUrl], [DEFAULT_ACCOUNT.accountSid, printed.sandboxUrl], 'the credential\'s Account SID and Base URL');
		const before = await sandboxAccountReads(printed.sandboxUrl);
		const result = await rest.request<{ data?: { status?: string; message?: string } }>('POST', '/rest/credentials/test', { credentials: { ...credential, data } });
		expectEqual(result.body.data?.status, 'OK', `credential Test (${result.body.data?.message ?? result.text.slice(0, 200)})`);
		const reads = (await sandboxAccountReads(printed.sandboxUrl)).slice(before.length);
		expectEqual(reads, [{ respCode: '000000', ok: true }], 'account reads the sandbox answered for the Test');
		// Saved now, looked for after the restart.
		const workflow = await rest.request<{ data?: { id?: string } }>('POST', '/rest/workflows', {
			name: 'Kept across npm run dev restarts',
			nodes: [{ id: 'a6f1c0de-0000-4000-8000-000000000001', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }],
			connections: {},
		});
		expectEqual(workflow.status, 200, 'POST /rest/workflows');
		workflowId = workflow.body.data?.id;
	});

	await list.check(reloadCheck, async () => {
		expectTrue(rest, 'not signed in');
		const file = path.join(copy, NODE_SOURCE);
		const source = readFileSync(file, 'utf8');
		const line = DESCRIPTION_LINE.exec(source);
		expectTrue(line, `${NODE_SOURCE} has no line "\t\tdescription: '…'," any more: update DESCRIPTION_LINE in test/dev/run.ts`);
		const edited = `${line[2]} (edited by the dev check ${randomBytes(3).toString('hex')})`;
		await dev.waitFor(/dev: n8n's hot reload is on \(/, 240_000);
		const n8nBefore = n8nProcesses(dev).map((p) => `${p.pid}/${p.startTime}`);
		const from = dev.output.length;
		writeFileSync(file, source.replace(DESCRIPTION_LINE, `$1${edited}$3`));
		await dev.waitFor(/dev: rebuilt and reloaded in [\d.]+ s[^\n]*\n/, 180_000, from);
		const printedAfter = dev.output.slice(from);
		expectContains(printedAfter, `${NODE_SOURCE} changed: rebuilding`, 'what npm run dev printed after the edit');
		expectContains(printedAfter, 'The open editor shows the change by itself', 'what npm run dev tells the user');
		expectEqual(n8nProcesses(dev).map((p) => `${p.pid}/${p.startTime}`), n8nBefore, 'the n8n process (the same one: reloaded, not restarted)');
		const entry = (await nodeTypes(rest)).find((t) => t.name === NODE_TYPE);
		expectEqual(entry?.description, edited, `${NODE_TYPE} description served after the reload`);
	});

	const stopped = await list.check(stopCheck, () => interruptAndCheck(dev, printed));

	if (!stopped) list.skip(restartCheck, 'the first npm run dev did not stop clean');
	else
		await list.check(restartCheck, async () => {
			const again = new DevCommand(copy, args);
			cleanups.push(() => again.kill());
			runs.push(again);
			const second = await readBanner(again, 0);
			expectContains(again.output, `user folder ${userFolder} (kept from an earlier run)`, 'what npm run dev printed');
			expectEqual([second.email, second.password], [printed.email, printed.password], 'the login printed on the second run');
			const client = await signIn(second);
			await devCredential(client);
			expectTrue(workflowId, 'no workflow was saved before the restart');
			const workflow = await client.request<{ data?: { name?: string } }>('GET', `/rest/workflows/${workflowId}`);
			expectEqual([workflow.status, workflow.body.data?.name], [200, 'Kept across npm run dev restarts'], `GET /rest/workflows/${workflowId}`);
			expectContains(again.output, 'credential   "UCPaaS sandbox (npm run dev)" reset', 'what npm run dev printed about the credential');
			await interruptAndCheck(again, second);
		});

	await list.check(secretsCheck, () => {
		expectTrue(runs.every((run) => run.output.length > 0), 'a run printed nothing');
		expectEqual(runs.filter((run) => run.output.includes(DEFAULT_ACCOUNT.authToken)).length, 0, `runs (of ${runs.length}) whose output holds the Auth Token`);
	});
	return suite.finish();
}

async function sandboxAccountReads(sandboxUrl: string): Promise<Array<{ respCode: string; ok: boolean }>> {
	const response = await fetch(`${sandboxUrl}/__sandbox/requests`, { signal: AbortSignal.timeout(10_000) });
	const requests = (await response.json()) as Array<{ method: string; path: string; verdict: { respCode: string; ok: boolean } }>;
	return requests.filter((r) => r.method === 'GET' && r.path === `/2014-06-30/Accounts/${DEFAULT_ACCOUNT.accountSid}`).map((r) => r.verdict);
}

suite.run(main);
