/**
 * `n8n start` with the package installed: the owner is set up and logs in through the REST API
 * like the editor, tests the imported credential (the editor's Test button), reads the type
 * lists the editor loads at start-up, then activates the UCPaaS Trigger workflow and feeds it a
 * call's pushes (./triggerChecks.ts).
 */
import { randomBytes } from 'node:crypto';

import { DEFAULT_ACCOUNT, type Sandbox } from '../../sandbox';
import { expectContains, expectEqual, expectMatch, expectTrue, type CheckList } from './assertions';
import { CREDENTIAL_ID, CREDENTIAL_NAME, CREDENTIAL_TYPE, sandboxCredentialData } from './credentials';
import type { N8nInstance } from './n8nInstance';
import { startN8nServer, type RunningServer } from './n8nServer';
import { N8nRestClient } from './restClient';
import type { N8nProfile } from './n8nVersions';
import { placeAndWaitCheckNames, runPlaceAndWaitChecks } from './placeAndWaitChecks';
import { repeatGuardCheckNames, runRepeatGuardChecks } from './repeatGuardChecks';
import { runTriggerChecks, triggerCheckNames } from './triggerChecks';

export const NODE_TYPE = 'n8n-nodes-ucpaas.ucpaasCallback';
/** Paired with NODE_TYPE by n8n's node creator: the trigger's type minus "Trigger". */
const TRIGGER_TYPE = 'n8n-nodes-ucpaas.ucpaasCallbackTrigger';

/** n8n-workflow's CREDENTIAL_BLANKING_VALUE: what the editor gets instead of a password field. */
const BLANKED = /^__n8n_BLANK_VALUE_[0-9a-f-]+$/;

/** A fresh password per run (n8n wants 8–64 characters with a digit and a capital). */
const OWNER = { email: 'owner@e2e.n8n-nodes-ucpaas.test', firstName: 'E2E', lastName: 'Owner', password: `E2e1-${randomBytes(12).toString('base64url')}` };

interface TypeEntry {
	name: string;
	hidden?: boolean;
	displayName?: string;
	iconUrl?: string | { light?: string; dark?: string };
}

interface TestResult {
	status?: string;
	message?: string;
}

const accountReads = (sandbox: Sandbox) => sandbox.requests.filter((r) => r.method === 'GET' && r.path === `/2014-06-30/Accounts/${DEFAULT_ACCOUNT.accountSid}`);

export const serverCheckNames = (profile: N8nProfile): string[] => [
	'server: n8n start is ready on loopback; owner set up and logged in through the REST API',
	'server: credential Test passes for the imported credential (token comes back blanked, one signed account read)',
	'server: credential Test with a wrong Auth Token fails with 101116',
	`server: /types/nodes.json lists ${NODE_TYPE} with its icon (the icon URL serves the SVG), and ${TRIGGER_TYPE} beside it, shown in the node creator`,
	`server: /types/credentials.json lists ${CREDENTIAL_TYPE} with its icon`,
	...triggerCheckNames(profile),
	...repeatGuardCheckNames(),
	...placeAndWaitCheckNames(),
];

async function fetchSvg(server: RunningServer, iconPath: string | undefined): Promise<void> {
	expectMatch(iconPath, /^icons\/n8n-nodes-ucpaas\/.+\.svg$/, 'icon URL');
	const response = await fetch(`${server.url}/${iconPath}`, { signal: AbortSignal.timeout(10_000) });
	expectEqual(response.status, 200, `GET /${iconPath}`);
	expectMatch(response.headers.get('content-type') ?? '', /^image\/svg\+xml/, 'icon Content-Type');
	expectMatch(await response.text(), /^<svg[\s>]/, 'icon body');
}

const lightIcon = (entry: TypeEntry | undefined) => (typeof entry?.iconUrl === 'string' ? entry.iconUrl : entry?.iconUrl?.light);

export async function runServerChecks(instance: N8nInstance, sandbox: Sandbox, checks: CheckList): Promise<void> {
	const names = serverCheckNames(instance.app.profile);
	const [ready, testOk, testBad, nodeTypes, credentialTypes] = names;
	let server: RunningServer | undefined;
	let client: N8nRestClient | undefined;
	try {
		const up = await checks.check(ready, async () => {
			server = await startN8nServer(instance);
			const rest = new N8nRestClient(server.url);
			const setup = await rest.request<{ data?: { email?: string } }>('POST', '/rest/owner/setup', OWNER);
			expectEqual(setup.status, 200, `POST /rest/owner/setup (${setup.text.slice(0, 200)})`);
			rest.forgetCookie();
			const login = await rest.request<{ data?: { email?: string } }>('POST', '/rest/login', { emailOrLdapLoginId: OWNER.email, password: OWNER.password });
			expectEqual(login.status, 200, `POST /rest/login (${login.text.slice(0, 200)})`);
			expectEqual(login.body.data?.email, OWNER.email, 'logged-in user');
			expectTrue(rest.hasAuthCookie, 'login set no n8n-auth cookie');
			client = rest;
		});
		const rest = client;
		const running = server;
		if (!up || !running || !rest) {
			for (const name of names.slice(1)) checks.skip(name, 'the server did not come up');
			return;
		}

		await checks.check(testOk, async () => {
			const stored = await rest.request<{ data?: { data?: Record<string, string>; type?: string } }>('GET', `/rest/credentials/${CREDENTIAL_ID}?includeData=true`);
			expectEqual(stored.status, 200, `GET /rest/credentials/${CREDENTIAL_ID}`);
			const data = stored.body.data?.data ?? {};
			expectEqual(stored.body.data?.type, CREDENTIAL_TYPE, 'credential type');
			expectMatch(data.authToken, BLANKED, 'authToken as the editor receives it');
			expectEqual(data.accountSid, DEFAULT_ACCOUNT.accountSid, 'accountSid');
			const before = accountReads(sandbox).length;
			const result = await rest.request<{ data?: TestResult }>('POST', '/rest/credentials/test', { credentials: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME, type: CREDENTIAL_TYPE, data } });
			expectEqual(result.status, 200, 'POST /rest/credentials/test');
			expectEqual(result.body.data?.status, 'OK', `test status (${result.body.data?.message ?? ''})`);
			const reads = accountReads(sandbox).slice(before);
			expectEqual(reads.map((r) => r.verdict), [{ respCode: '000000', ok: true }], 'the sandbox saw one signed GET of the account');
		});

		await checks.check(testBad, async () => {
			const data = sandboxCredentialData(sandbox.url, { authToken: 'f'.repeat(32) });
			const result = await rest.request<{ data?: TestResult }>('POST', '/rest/credentials/test', { credentials: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME, type: CREDENTIAL_TYPE, data } });
			expectEqual(result.status, 200, 'POST /rest/credentials/test');
			expectEqual(result.body.data?.status, 'Error', 'test status');
			expectContains(result.body.data?.message ?? '', '101116', 'test message');
		});

		await checks.check(nodeTypes, async () => {
			const anonymous = await fetch(`${running.url}/types/nodes.json`, { signal: AbortSignal.timeout(10_000) });
			const needsLogin = instance.app.profile.typeFilesNeedLogin;
			expectEqual(anonymous.status, needsLogin ? 401 : 200, `/types/nodes.json without the auth cookie (n8n ${instance.app.version} serves it ${needsLogin ? 'only behind the login' : 'to anyone'})`);
			const types = await rest.request<TypeEntry[]>('GET', '/types/nodes.json');
			expectEqual(types.status, 200, 'GET /types/nodes.json');
			const entry = types.body.find((t) => t.name === NODE_TYPE);
			expectTrue(entry, `${NODE_TYPE} is not among the ${types.body.length} node types`);
			expectEqual(entry.displayName, 'UCPaaS Callback', 'displayName');
			await fetchSvg(running, lightIcon(entry));
			const trigger = types.body.find((t) => t.name === TRIGGER_TYPE);
			expectEqual([trigger?.displayName, trigger?.hidden], ['UCPaaS Callback Trigger', undefined], `${TRIGGER_TYPE} displayName and hidden`);
			const ours = types.body.filter((t) => t.name.startsWith('n8n-nodes-ucpaas.')).map((t) => t.name).sort();
			// n8n adds a synthetic "…Tool" type for every usableAsTool node; nothing else of ours may be listed.
			expectEqual(ours.filter((name) => !name.endsWith('Tool')), [NODE_TYPE, TRIGGER_TYPE], 'the package\'s node types');
		});

		await checks.check(credentialTypes, async () => {
			const types = await rest.request<TypeEntry[]>('GET', '/types/credentials.json');
			expectEqual(types.status, 200, 'GET /types/credentials.json');
			const entry = types.body.find((t) => t.name === CREDENTIAL_TYPE);
			expectTrue(entry, `${CREDENTIAL_TYPE} is not among the ${types.body.length} credential types`);
			await fetchSvg(running, lightIcon(entry));
		});

		await runTriggerChecks(instance, running, rest, checks);
		await runRepeatGuardChecks(instance, running, rest, sandbox, checks);
		const restart = async () => {
			const port = Number(new URL(running.url).port);
			await server?.stop();
			server = undefined;
			server = await startN8nServer(instance, { port });
			return server;
		};
		await runPlaceAndWaitChecks(instance, running, rest, sandbox, checks, restart);
	} finally {
		await server?.stop();
	}
}
