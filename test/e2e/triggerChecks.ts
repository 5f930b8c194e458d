/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tool code: drives the running n8n app and a sandbox over loopback */
/**
 * The UCPaaS Trigger inside the running app (`n8n start`): the imported workflow
 * "UCPaaS Trigger (callreq, callestablish, callhangup) → Log Call Event" is activated over REST,
 * a second sandbox pushes a real call's events to its production URL, and the executions n8n
 * stored are read back over REST.
 *
 * n8n 2.41 (sources under node_modules/n8n/dist):
 *   - Activation is "publishing" a version: POST /rest/workflows/:id/activate {versionId}
 *     (workflows/workflows.controller.js, @n8n/api-types ActivateWorkflowDto); on 1.x it is the
 *     Active toggle's PATCH (the request each line's editor sends is in n8nVersions.ts ACTIVATION).
 *     `n8n import:workflow` always imports inactive (`--activeState=fromJson` is refused outside
 *     queue mode) but writes a workflow_history row for the new versionId
 *     (services/import.service.js; so does 1.123.81's, not 2.0.3's: see triggerWorkflow), which is
 *     what activation asks for; GET /rest/workflows/:id gives the versionId.
 *   - With N8N_USE_WORKFLOW_PUBLICATION_SERVICE on (the default) the activation only records an
 *     outbox entry and the webhooks are registered afterwards (workflow.service.js
 *     _publishViaOutbox): the check waits until the path is registered. An OPTIONS request with an
 *     Origin header answers `Access-Control-Allow-Methods: OPTIONS, POST` once it is
 *     (webhooks/webhook-request-handler.js setupCorsHeaders), and starts nothing.
 *   - The production URL of a node with a `webhookId` is /webhook/<webhookId>/<path>
 *     (n8n-workflow getNodeWebhookPath); the trigger's webhook path is `webhook`.
 *   - GET /rest/executions?filter={"workflowId"} lists `{ results, count }`; GET /rest/executions/:id
 *     returns the run data as a `flatted` string (executions/execution.service.js findOne), read
 *     with the app's own copy of flatted.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

import { DEFAULT_ACCOUNT, startSandbox, type PushEvent, type PushRecord } from '../../sandbox';
import { expectEqual, expectMatch, expectTrue, type CheckList } from './assertions';
import type { N8nInstance } from './n8nInstance';
import type { N8nProfile } from './n8nVersions';
import type { RunningServer } from './n8nServer';
import type { N8nRestClient } from './restClient';
import type { RunItem, WorkflowRun } from './runData';
import { placeSignedCall } from './signedCall';
import { sleep, waitFor } from './waitFor';
import { activateWorkflow } from './workflowActivation';

/** Must match test/e2e/workflows/trigger-events.json. */
export const TRIGGER_WORKFLOW_ID = 'e2eUcpaasTrig01';
const TRIGGER_FILE = 'trigger-events.json';
export const TRIGGER_WEBHOOK_ID = '5b0e7c1e-2f43-4d8a-9c61-e2e0a0c9a501';
const TRIGGER_NODE = 'UCPaaS Callback Trigger';
const NEXT_NODE = 'Log Call Event';

const CALLEE = '13912340051';
const USER_DATA = 'e2e-crm-42';
const TALK_SECONDS = 42;
const OTHER_ACCOUNT = 'f'.repeat(32);
const EXACT_REPLY = '<?xml version="1.0" encoding="UTF-8"?><response><retcode>0</retcode></response>';
const EVENTS: PushEvent[] = ['callreq', 'callestablish', 'callhangup'];

/** Where the workflow the trigger checks start comes from, on this line (n8nVersions.ts importAssignsVersionId). */
const workflowSource = (profile: N8nProfile) =>
	profile.importAssignsVersionId ? 'imported by n8n import:workflow' : 'saved over REST as the editor saves an imported file (this line\'s import:workflow writes no version to start)';

export const triggerCheckNames = (profile: N8nProfile): string[] => [
	`trigger: the UCPaaS Trigger workflow (${workflowSource(profile)}) is started as the editor's ${profile.activation.control} does it (${profile.activation.route}) and /webhook/<webhookId>/webhook gets registered`,
	`trigger: a call placed on a second sandbox pushes callreq, callestablish, callhangup to the production URL; each answered HTTP 200, retcode 0, the exact reply`,
	`trigger: n8n stored one webhook execution per event, each with the trigger's item for that callId (userData ${USER_DATA}; callhangup ${TALK_SECONDS} s, reason 0 "Normal hang-up")`,
	'trigger: a push for another account gets 403 from the production URL and starts no execution',
];

interface ExecutionSummary {
	id: string;
	status?: string;
	mode?: string;
	workflowId?: string;
}

interface ExecutionDetail {
	id: string;
	status?: string;
	mode?: string;
	/** The run data (IRunExecutionData), flatted. */
	data?: string;
}

/** The app's own flatted (n8n stores and serves run data with it). */
export function flattedParse(instance: N8nInstance): (text: string) => unknown {
	const requireFromN8n = createRequire(path.join(instance.app.dir, 'node_modules', 'n8n', 'package.json'));
	return (requireFromN8n('flatted') as { parse(text: string): unknown }).parse;
}

/** The first item the trigger emitted in a stored run. */
function triggerItem(run: WorkflowRun['data'], executionId: string): RunItem {
	const item = run.resultData.runData[TRIGGER_NODE]?.[0]?.data?.main?.[0]?.[0];
	expectTrue(item, `execution ${executionId} has no item from "${TRIGGER_NODE}"`);
	return item;
}

function pushPost(url: string, body: string): Promise<Response> {
	return fetch(url, { method: 'POST', headers: { 'content-type': 'text/xml;charset=utf-8' }, body, signal: AbortSignal.timeout(10_000) });
}

export async function runTriggerChecks(instance: N8nInstance, server: RunningServer, rest: N8nRestClient, checks: CheckList): Promise<void> {
	const [activates, pushes, executions, foreign] = triggerCheckNames(instance.app.profile);
	const webhookUrl = `${server.url}/webhook/${TRIGGER_WEBHOOK_ID}/webhook`;
	let workflowId = TRIGGER_WORKFLOW_ID;
	const listExecutions = async (): Promise<ExecutionSummary[]> => {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const list = await rest.request<{ data?: { results?: ExecutionSummary[] } }>('GET', `/rest/executions?filter=${filter}&limit=50`);
		expectEqual(list.status, 200, `GET /rest/executions (${list.text.slice(0, 200)})`);
		return list.body.data?.results ?? [];
	};

	const active = await checks.check(activates, async () => {
		workflowId = await activateWorkflow(instance, server, rest, { workflowId: TRIGGER_WORKFLOW_ID, file: TRIGGER_FILE, webhookUrl });
	});
	if (!active) {
		for (const name of [pushes, executions, foreign]) checks.skip(name, 'the trigger workflow did not activate');
		return;
	}

	const sandbox = await startSandbox({
		host: '127.0.0.1',
		port: 0,
		quiet: true,
		pushUrl: webhookUrl,
		// n8n loads the workflow on the first push: more than the platform's patience is fine here.
		pushTimeoutMs: 15_000,
		call: { outcome: 'answered', talkSeconds: TALK_SECONDS, hangupBy: 'callee', delays: { ringMs: 50, talkMs: 50 } },
	});
	let callId: string | undefined;
	try {
		checks.note(`second sandbox ${sandbox.url} pushes to ${webhookUrl}`);
		const delivered = await checks.check(pushes, async () => {
			callId = await placeSignedCall(sandbox, { to: CALLEE, userData: USER_DATA });
			const call = await sandbox.whenCallSettled(callId);
			expectEqual([call.state, call.reason, call.length], ['ended', 0, TALK_SECONDS], 'the call [state, reason, length]');
			const records: PushRecord[] = sandbox.pushes.filter((p) => p.callId === callId);
			const seen = records.map((p) => ({ event: p.event, status: p.status, retcode: p.retcode, reply: p.reply, ...(p.error ? { error: p.error } : {}) }));
			expectEqual(seen, EVENTS.map((event) => ({ event, status: 200, retcode: '0', reply: EXACT_REPLY })), 'pushes and the replies the sandbox recorded');
		});

		const pushedCallId = delivered ? callId : undefined;
		if (!pushedCallId) checks.skip(executions, 'no call was pushed');
		else await checks.check(executions, async () => {
			const stored = await waitFor(`3 finished executions of ${workflowId}`, 20_000, async () => {
				const found = await listExecutions();
				return found.length >= EVENTS.length && found.every((e) => e.status !== 'running' && e.status !== 'new') ? found : undefined;
			});
			expectEqual(stored.map((e) => [e.mode, e.status]), EVENTS.map(() => ['webhook', 'success']), '[mode, status] of the executions');
			const parse = flattedParse(instance);
			const items = new Map<string, RunItem>();
			for (const summary of stored) {
				const detail = await rest.request<{ data?: ExecutionDetail }>('GET', `/rest/executions/${summary.id}`);
				expectEqual(detail.status, 200, `GET /rest/executions/${summary.id}`);
				expectTrue(typeof detail.body.data?.data === 'string', `execution ${summary.id} came without its flatted run data`);
				const run = parse(detail.body.data.data) as WorkflowRun['data'];
				const item = triggerItem(run, summary.id);
				const next = run.resultData.runData[NEXT_NODE]?.[0]?.data?.main?.[0] ?? [];
				expectEqual(next.map((i) => i.json.event), [item.json.event], `"${NEXT_NODE}" received the trigger's item (execution ${summary.id})`);
				items.set(String(item.json.event), item);
			}
			expectEqual([...items.keys()].sort(), [...EVENTS].sort(), 'events, one execution each');
			for (const event of EVENTS) {
				const { json } = items.get(event) as RunItem;
				const common = { event: json.event, callId: json.callId, caller: json.caller, callee: json.callee, accountId: json.accountId, appId: json.appId };
				expectEqual(common, { event, callId: pushedCallId, caller: DEFAULT_ACCOUNT.clientNumber, callee: CALLEE, accountId: DEFAULT_ACCOUNT.accountSid, appId: DEFAULT_ACCOUNT.appId }, `${event} item`);
				// The platform's callestablish carries no userData; callreq and callhangup do.
				expectEqual(json.userData, event === 'callestablish' ? null : USER_DATA, `${event} userData`);
			}
			const { json: hangup } = items.get('callhangup') as RunItem;
			expectEqual(
				{ durationSeconds: hangup.durationSeconds, reason: hangup.reason, subreason: hangup.subreason, callerNumber: hangup.callerNumber },
				{ durationSeconds: TALK_SECONDS, reason: { code: 0, text: 'Normal hang-up' }, subreason: { code: 2, text: 'Callee hung up' }, callerNumber: DEFAULT_ACCOUNT.mobile },
				'callhangup call record',
			);
			expectMatch(hangup.startTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/, 'callhangup startTime');
		});

		await checks.check(foreign, async () => {
			const before = (await listExecutions()).map((e) => e.id).sort();
			const body =
				'<?xml version="1.0" encoding="UTF-8"?><request><event>callhangup</event><callid>0123456789abcdef0123456789abcdef</callid>' +
				`<accountid>${OTHER_ACCOUNT}</accountid><appid>${DEFAULT_ACCOUNT.appId}</appid><calltype>2</calltype><caller>${DEFAULT_ACCOUNT.clientNumber}</caller>` +
				`<called>${CALLEE}</called><length>60</length><userData>e2e-foreign</userData><reason>0</reason><subreason>1</subreason></request>`;
			const response = await pushPost(webhookUrl, body);
			const text = await response.text();
			expectEqual([response.status, text], [403, 'The push is for another account\n'], 'reply to a push for another account');
			// A refused push must not start a run: give one the time to show up.
			await sleep(1_500);
			const after = (await listExecutions()).map((e) => e.id).sort();
			expectEqual(after, before, 'executions of the trigger workflow after the refused push');
		});
	} finally {
		await sandbox.stop();
	}
}
