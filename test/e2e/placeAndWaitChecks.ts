/**
 * Place Callback and Wait inside the running app (`n8n start`): the lead workflow
 * "Lead Arrives (Webhook) → Leads → Each Lead (Loop Over Items) → Call and Wait → Answered? (IF)
 * → Answered / Not Answered → back to Each Lead" is started, three leads are POSTed, and the
 * sandbox (its console's push address set to the production URL of the trigger workflow that
 * triggerChecks.ts started) answers the first callee, leaves the second unanswered and loses every
 * push of the third. The trigger workflow forwards each Call Ended to the waiting execution at
 * n8n's own resume address (`/webhook-waiting/<id>`, with the resume token on lines that check
 * one); n8n's wait tracker ends the third wait after Max Wait (1 minute; it looks every 60 s).
 */
import { DEFAULT_ACCOUNT, type Sandbox } from '../../sandbox';
import { sealForward } from '../../nodes/shared/outcomeForward';
import { splitUserData } from '../../nodes/shared/waitTag';
import { expectEqual, expectTrue, type CheckList } from './assertions';
import type { N8nInstance } from './n8nInstance';
import type { RunningServer } from './n8nServer';
import type { N8nRestClient } from './restClient';
import type { RunItem, WorkflowRun } from './runData';
import { flattedParse, TRIGGER_WEBHOOK_ID } from './triggerChecks';
import { waitFor } from './waitFor';
import { activateWorkflow } from './workflowActivation';

/** Must match test/e2e/workflows/place-and-wait.json. */
const WORKFLOW_ID = 'e2eUcpaasWait01';
const FILE = 'place-and-wait.json';
const WEBHOOK_PATH = 'ucpaas-e2e-wait';
const WAIT_NODE = 'Call and Wait';
const [ANSWERED, UNANSWERED, SILENT, LATER] = ['13912340101', '13912340102', '13912340103', '13912340104'];
const LEADS = [
	{ phone: ANSWERED, leadId: 'lead-101' },
	{ phone: UNANSWERED, leadId: 'lead-102' },
	{ phone: SILENT, leadId: 'lead-103' },
	{ phone: LATER, leadId: 'lead-104' },
];

export const placeAndWaitCheckNames = (): string[] => [
	'wait: the lead workflow (Webhook → Loop Over Items → Place Callback and Wait → IF answered) is started and its webhook registered',
	'wait: four leads in one execution: it waits per call and resumes on each Call Ended the trigger workflow forwards; the answered lead takes the IF\'s true branch, the unanswered one the false branch, with reason 5',
	'wait: while the run waits, a forged resume is refused (no token, or a forward not signed with the account\'s token) and the run keeps waiting',
	'wait: n8n restarts while the run waits; the call whose pushes never come then continues as outcome timedOut (its callId, its lead\'s User Data) after Max Wait, and the next lead is called and resumed by its forwarded push on the restarted n8n',
];

interface ExecutionSummary {
	id: string;
	status?: string;
}

type NodeRuns = WorkflowRun['data']['resultData']['runData'][string];

/** Stops n8n and starts it again on the same port (same URLs, same database); the new process. */
export type RestartServer = () => Promise<RunningServer>;

export async function runPlaceAndWaitChecks(instance: N8nInstance, server: RunningServer, rest: N8nRestClient, sandbox: Sandbox, checks: CheckList, restart: RestartServer): Promise<void> {
	const [activates, resumes, forged, timesOut] = placeAndWaitCheckNames();
	const webhookUrl = `${server.url}/webhook/${WEBHOOK_PATH}`;
	const parse = flattedParse(instance);
	let workflowId = WORKFLOW_ID;

	const listExecutions = async (): Promise<ExecutionSummary[]> => {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const list = await rest.request<{ data?: { results?: ExecutionSummary[] } }>('GET', `/rest/executions?filter=${filter}&limit=20`);
		expectEqual(list.status, 200, `GET /rest/executions (${list.text.slice(0, 200)})`);
		return list.body.data?.results ?? [];
	};
	const detailOf = async (id: string) => {
		const detail = await rest.request<{ data?: { data?: string; status?: string } }>('GET', `/rest/executions/${id}`);
		expectEqual(detail.status, 200, `GET /rest/executions/${id}`);
		expectTrue(typeof detail.body.data?.data === 'string', `execution ${id} came without its run data`);
		return { status: detail.body.data.status, run: parse(detail.body.data.data) as WorkflowRun['data'] };
	};
	const items = (runs: NodeRuns | undefined): RunItem[] => (runs ?? []).flatMap((run) => run.data?.main?.[0] ?? []);

	const active = await checks.check(activates, async () => {
		workflowId = await activateWorkflow(instance, server, rest, { workflowId: WORKFLOW_ID, file: FILE, webhookUrl });
	});
	if (!active) {
		for (const name of [resumes, forged, timesOut]) checks.skip(name, 'the lead workflow did not start');
		return;
	}

	sandbox.addFault({ match: { to: UNANSWERED }, fault: { kind: 'outcome', call: { outcome: 'noAnswer' } } });
	sandbox.addFault({ match: { to: SILENT }, fault: { kind: 'outcome', call: { outcome: 'answered', pushesLost: true } } });
	// The console's push address: the trigger workflow triggerChecks.ts started.
	sandbox.setPushUrl(`${server.url}/webhook/${TRIGGER_WEBHOOK_ID}/webhook`);
	let executionId: string | undefined;
	try {
		const resumed = await checks.check(resumes, async () => {
			const known = new Set((await listExecutions()).map((e) => e.id));
			const response = await fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ leads: LEADS }), signal: AbortSignal.timeout(15_000) });
			expectEqual(response.status, 200, `POST ${webhookUrl}`);
			// Waiting for the third call: the first two ended with their pushes, the third has none.
			const waiting = await waitFor('the execution waiting for the third call', 60_000, async () => {
				const fresh = (await listExecutions()).filter((e) => !known.has(e.id));
				if (fresh.length !== 1 || fresh[0].status !== 'waiting') return undefined;
				const { run } = await detailOf(fresh[0].id);
				return (run.resultData.runData[WAIT_NODE] ?? []).length === 3 ? { id: fresh[0].id, run } : undefined;
			});
			executionId = waiting.id;
			const answered = items(waiting.run.resultData.runData.Answered).map((i) => i.json);
			const notAnswered = items(waiting.run.resultData.runData['Not Answered']).map((i) => i.json);
			expectEqual(
				answered.map((j) => [j.outcome, j.answered, j.to, j.userData, j.durationSeconds, (j.hangupReason as { code?: number } | null)?.code]),
				[['answered', true, ANSWERED, 'lead-101', 30, 0]],
				'[outcome, answered, to, userData, durationSeconds, reason] on the true branch',
			);
			expectEqual(
				notAnswered.map((j) => [j.outcome, j.answered, j.to, j.userData, (j.hangupReason as { code?: number } | null)?.code]),
				[['notAnswered', false, UNANSWERED, 'lead-102', 5]],
				'[outcome, answered, to, userData, reason] on the false branch',
			);
			expectEqual(LEADS.map((lead) => sandbox.calls.filter((c) => c.to === lead.phone).length), [1, 1, 1, 0], 'calls placed per lead at the sandbox');
			// From the Call Ended push leaving the sandbox to the resumed run's next node starting.
			const lags = [ANSWERED, UNANSWERED].map((phone, lap) => {
				const call = sandbox.calls.find((c) => c.to === phone)!;
				const push = sandbox.pushes.find((p) => p.callId === call.callId && p.event === 'callhangup');
				expectTrue(push, `no Call Ended push was sent for ${phone}`);
				const next = waiting.run.resultData.runData['Answered?']?.[lap] as { startTime?: number } | undefined;
				expectTrue(typeof next?.startTime === 'number', `the IF node did not run on lap ${lap + 1}`);
				return next.startTime - push.at.getTime();
			});
			checks.note(`execution ${waiting.id}: 3 waits so far, 2 resumed by forwarded pushes (answered, notAnswered); Call Ended push → resumed IF node: ${lags.map((ms) => `${ms} ms`).join(', ')}`);
		});

		await checks.check(forged, async () => {
			expectTrue(resumed && executionId, 'no execution is waiting');
			const silent = sandbox.calls.find((c) => c.to === SILENT)!;
			const { reference } = splitUserData(silent.userData);
			expectTrue(reference, `the third call's User Data carries no resume reference: ${silent.userData ?? ''}`);
			expectEqual(reference.executionId, executionId, 'the execution named in the third call\'s User Data');
			const base = `${server.url}/webhook-waiting/${executionId}`;
			const withToken = reference.resumeToken ? `${base}?signature=${reference.resumeToken}` : base;
			const push = { event: 'callhangup', callId: silent.callId, reason: { code: 0, text: 'Normal hang-up' }, durationSeconds: 600 };
			const forgedBody = sealForward({ executionId, sentAt: new Date().toISOString(), push: push as never }, { accountSid: DEFAULT_ACCOUNT.accountSid, authToken: 'f'.repeat(32) });
			const post = async (url: string) => {
				const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(forgedBody), signal: AbortSignal.timeout(15_000) });
				return response.status;
			};
			// Where n8n checks a resume token it refuses the bare address itself; where it does not, the node does.
			const bare = await post(base);
			expectEqual(bare, reference.resumeToken ? 401 : 403, `POST ${base.replace(server.url, '')} without the token, with a forged forward`);
			expectEqual(await post(withToken), 403, 'the resume address with its token and a forward not signed with the account\'s token');
			const { status } = await detailOf(executionId);
			expectEqual(status, 'waiting', 'the execution\'s status after the forged resumes');
			checks.note(`forged resumes: ${bare} without the token (${reference.resumeToken ? 'n8n\'s resume token' : 'the node\'s signature check'}), 403 with it`);
		});

		await checks.check(timesOut, async () => {
			expectTrue(executionId, 'no execution is waiting');
			const id = executionId;
			const restarted = await restart();
			expectEqual(restarted.url, server.url, 'the restarted n8n\'s URL');
			const done = await waitFor('the execution after Max Wait and the fourth lead', 180_000, async () => {
				const detail = await detailOf(id);
				return detail.status === 'success' ? detail.run : undefined;
			});
			const answered = items(done.resultData.runData.Answered).map((i) => i.json);
			const notAnswered = items(done.resultData.runData['Not Answered']).map((i) => i.json);
			const silent = sandbox.calls.find((c) => c.to === SILENT)!;
			expectEqual(
				notAnswered.map((j) => [j.outcome, j.answered, j.to, j.userData]),
				[
					['notAnswered', false, UNANSWERED, 'lead-102'],
					['timedOut', null, SILENT, 'lead-103'],
				],
				'[outcome, answered, to, userData] on the false branch',
			);
			expectEqual(notAnswered[1].callId, silent.callId, 'callId of the timed-out item');
			expectEqual(answered.map((j) => [j.outcome, j.to, j.userData]), [['answered', ANSWERED, 'lead-101'], ['answered', LATER, 'lead-104']], '[outcome, to, userData] on the true branch');
			expectEqual(LEADS.map((lead) => sandbox.calls.filter((c) => c.to === lead.phone).length), [1, 1, 1, 1], 'calls placed per lead at the sandbox');
			const continued = done.resultData.runData['Not Answered']?.at(-1) as { startTime?: number } | undefined;
			const waited = Math.round(((continued?.startTime ?? 0) - Date.parse(String(notAnswered[1].waitingSince))) / 1000);
			checks.note(`after the restart: timedOut ${waited} s after its wait began (Max Wait 1 min; n8n's wait tracker looks every 60 s); the fourth lead resumed by its forwarded push`);
		});
	} finally {
		sandbox.setPushUrl(undefined);
	}
}
