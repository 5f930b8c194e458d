/**
 * Place Callback and Wait in queue mode: each lead POSTed on its own to the webhook process starts
 * an execution that a worker runs up to UCPaaS Callback's Place Callback and Wait, which places the
 * call and leaves the execution waiting. The API sandbox pushes the call's events to the Production
 * URL of the trigger workflow on the webhook process (the console's push address), and the
 * trigger's webhook() there forwards Call Ended to the waiting execution at n8n's resume address
 * (`<N8N_WEBHOOK_URL>/webhook-waiting/<id>?signature=…`, worked out from the trigger's own URL). The
 * process that receives that request runs the waiting node's webhook() and puts the rest of the run
 * on the queue, for whichever worker takes it.
 *
 * How the parts are told apart: a run that waits and is resumed is two Bull jobs of one execution.
 * Each worker logs "Worker started execution N (job M)", each process that enqueues logs
 * "Enqueued execution N (job M)", and Bull job ids only grow, so the later job of an execution is
 * the resumed part, and the process whose log enqueued it is the one that handled the resume.
 */
import { splitUserData } from '../../nodes/shared/waitTag';
import { waitingBaseFromTriggerUrl } from '../../nodes/UcpaasCallbackTrigger/waitingRuns';
import type { SimulatedCall } from '../../sandbox';
import { PushSender } from '../../sandbox/pushSender';
import { expectEqual, expectTrue } from '../e2e/assertions';
import { calleeOf, callBacks } from '../e2e/sandboxRecords';
import { sleep } from '../e2e/waitFor';
import type { N8nProcess } from './cluster';
import { executionData, executionsOf, flattedParser, maxExecutionId, waitForExecutions, type ExecutionRow } from './executions';
import type { Psql } from './infra';
import { countBy, percentile, requestsFor } from './load';
import { EXACT_REPLY, triggerUrl, type Cluster } from './phases';
import { TRIGGER_NODE, TRIGGER_WEBHOOK_ID, TRIGGER_WORKFLOW_ID, WAIT_NODE, WAIT_PATH, WAIT_WORKFLOW_ID } from './workflows';

export const waitUrl = (cluster: Cluster) => `${cluster.webhook.url}/webhook/${WAIT_PATH}`;

/** Calls that take seconds, as real ones do: the run is saved as waiting well before its Call Ended. */
const ANSWERED_CALL = { outcome: 'answered', talkSeconds: 30, delays: { ringMs: 2_500, talkMs: 1_500 } } as const;
const UNANSWERED_CALL = { outcome: 'noAnswer', delays: { ringMs: 4_000 } } as const;
const NO_ANSWER_REASON = 5;

export interface WaitFigures {
	executions: number;
	/** Executions seen with status `waiting` in Postgres, and with two worker jobs. */
	waited: number;
	/** Call Ended pushes the trigger forwarded and the waiting run took (`waitingRun.status` resumed). */
	resumes: number;
	outcomes: Record<string, number>;
	/** Which worker ran the part up to the wait, and which the resumed part. */
	placedOn: string;
	resumedOn: string;
	/** Executions whose resumed part ran on the other worker than their first part. */
	switchedWorker: number;
	/** Who enqueued the resumed parts (the process that handled the resume request). */
	resumeEnqueuedBy: string;
	waitingBase: string;
	/** From the Call Ended push leaving the sandbox to the execution's stoppedAt. */
	lagP50: number;
	lagMax: number;
	wallMs: number;
}

interface Item {
	json: Record<string, unknown>;
}
type RunData = Record<string, Array<{ data?: { main?: Array<Array<Item> | null> } }>>;

const runDataOf = (run: unknown): RunData => (run as { resultData?: { runData?: RunData } }).resultData?.runData ?? {};
/** The items a node put on its first output in its last run. */
const lastOutput = (runData: RunData, node: string): Array<Record<string, unknown>> => (runData[node]?.at(-1)?.data?.main?.[0] ?? []).map((item) => item.json);

/** When each push left the sandbox: PushSender.send is where a push is handed to the network. */
function recordPushDepartures(): { sentAt(callId: string, event: string): number | undefined; restore(): void } {
	const sent: Array<{ body: string; at: number }> = [];
	const original = PushSender.prototype.send;
	PushSender.prototype.send = function send(this: PushSender, url: string, body: string) {
		sent.push({ body, at: Date.now() });
		return original.call(this, url, body);
	};
	return {
		sentAt: (callId, event) => sent.find((s) => s.body.includes(`<event>${event}</event>`) && s.body.includes(`<callid>${callId}</callid>`))?.at,
		restore: () => {
			PushSender.prototype.send = original;
		},
	};
}

/** Every status each execution of the workflow was seen in, polled until stop(). */
function watchStatuses(psql: Psql, workflowId: string, since: number): { seen: Map<number, Set<string>>; stop(): Promise<void> } {
	const seen = new Map<number, Set<string>>();
	let stopped = false;
	const loop = (async () => {
		while (!stopped) {
			const rows = await executionsOf(psql, workflowId, since).catch((): ExecutionRow[] => []);
			for (const row of rows) seen.set(row.id, new Set([...(seen.get(row.id) ?? []), row.status]));
			await sleep(200);
		}
	})();
	return {
		seen,
		stop: async () => {
			stopped = true;
			await loop;
		},
	};
}

const split = (names: string[], workers: string[]) => workers.map((name) => `${name} ${names.filter((n) => n === name).length}`).join(' / ');

export async function placeAndWaitLeads(cluster: Cluster, leads: number): Promise<WaitFigures> {
	const sandbox = cluster.apiSandbox;
	const pushUrl = triggerUrl(cluster);
	// What the trigger works out from its Production URL (N8N_WEBHOOK_URL + webhook/<id>/webhook).
	const waitingBase = waitingBaseFromTriggerUrl(pushUrl, TRIGGER_WEBHOOK_ID) ?? '(none)';
	expectEqual(waitingBase, `${cluster.webhook.url}/webhook-waiting`, `the resume base the trigger works out from its Production URL ${pushUrl}`);

	const requests = requestsFor(9, 'wait', leads);
	const isAnswered = (callee: string) => requests.findIndex((r) => r.callee === callee) % 2 === 0;
	const callees = requests.map((r) => r.callee);
	const since = await maxExecutionId(cluster.psql);
	for (const { callee } of requests) sandbox.addFault({ match: { path: '/Calls/callBack', to: callee }, fault: { kind: 'outcome', call: isAnswered(callee) ? ANSWERED_CALL : UNANSWERED_CALL }, times: 1 });
	const departures = recordPushDepartures();
	const statuses = watchStatuses(cluster.psql, WAIT_WORKFLOW_ID, since);
	sandbox.setPushUrl(pushUrl);
	const started = Date.now();
	let rows: ExecutionRow[];
	let calls: SimulatedCall[];
	try {
		// Each lead its own POST, all at once: six executions waiting side by side.
		const replies = await Promise.all(
			requests.map(async ({ id, callee }) => {
				const response = await fetch(waitUrl(cluster), {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ leads: [{ phone: callee, leadId: id }] }),
					signal: AbortSignal.timeout(60_000),
				});
				return `${response.status} ${(await response.text()).slice(0, 80)}`;
			}),
		);
		expectEqual(countBy(replies, (r) => r), { '200 {"message":"Workflow was started"}': leads }, 'replies of the webhook process to the lead POSTs');
		rows = await waitForExecutions(cluster.psql, WAIT_WORKFLOW_ID, since, leads, 120_000);
		calls = sandbox.calls.filter((call) => callees.includes(call.to));
		await Promise.all(calls.map((call) => sandbox.whenCallSettled(call.callId)));
	} finally {
		await statuses.stop();
		sandbox.setPushUrl(cluster.pushReceiverUrl);
		departures.restore();
		sandbox.clearFaults();
	}
	const wallMs = Date.now() - started;

	expectEqual(countBy(rows, (r) => `${r.mode}/${r.status}`), { 'webhook/success': leads }, 'executions of the lead workflow [mode/status]');
	// Each callee called exactly once, counted at the sandbox.
	const perCallee = countBy(callBacks(sandbox, callees), (request) => calleeOf(request) ?? '');
	expectEqual(
		callees.filter((callee) => perCallee[callee] !== 1 || calls.filter((c) => c.to === callee).length !== 1).map((callee) => `${callee}: ${perCallee[callee] ?? 0} callBack`),
		[],
		'callees without exactly one callBack request and one call at the sandbox',
	);

	// Which execution each call belongs to: the resume reference in its User Data.
	const executionOf = new Map<string, number>();
	for (const request of requests) {
		const call = calls.find((c) => c.to === request.callee) as SimulatedCall;
		const { own, reference } = splitUserData(call.userData);
		expectEqual(own, request.id, `the lead's own User Data on the call to ${request.callee}`);
		expectTrue(reference?.resumeToken, `the call to ${request.callee} carries no resume reference with a token: ${call.userData ?? ''}`);
		executionOf.set(request.callee, Number(reference.executionId));
	}
	const ids = rows.map((r) => r.id);
	expectEqual([...new Set(executionOf.values())].sort((a, b) => a - b), ids, 'executions named by the calls\' resume references (one per lead)');

	// Every execution waited: seen as `waiting` in Postgres, and run as two jobs.
	const neverWaiting = ids.filter((id) => !statuses.seen.get(id)?.has('waiting'));
	expectEqual(neverWaiting, [], `executions never seen waiting (statuses seen: ${JSON.stringify(Object.fromEntries([...statuses.seen].map(([id, s]) => [id, [...s]])))})`);
	const workers = [...cluster.workers.values()];
	const jobsOf = (id: number) =>
		workers
			.flatMap((worker) => worker.startedJobs().filter((job) => job.executionId === id).map((job) => ({ ...job, worker: worker.name })))
			.sort((a, b) => a.jobId - b.jobId);
	const notTwoJobs = ids.filter((id) => new Set(jobsOf(id).map((j) => j.jobId)).size !== 2 || jobsOf(id).length !== 2).map((id) => `${id}: ${JSON.stringify(jobsOf(id))}`);
	expectEqual(notTwoJobs, [], 'executions not run as exactly two worker jobs (placed, then resumed)');
	const enqueuers = (jobId: number, executionId: number) =>
		[cluster.main, cluster.webhook].filter((p: N8nProcess) => p.enqueuedJobs().some((job) => job.jobId === jobId && job.executionId === executionId)).map((p) => p.name);
	const resumeEnqueuers = ids.map((id) => enqueuers(jobsOf(id)[1].jobId, id));
	expectEqual(
		ids.filter((_, i) => resumeEnqueuers[i].join() !== cluster.webhook.name).map((id, i) => `${id}: ${resumeEnqueuers[i].join() || 'nobody'}`),
		[],
		'resumed parts not enqueued by the webhook process alone (the process that handled the resume request)',
	);

	// The outcome per lead, and the branch it took.
	const parse = flattedParser(cluster.app);
	const data = await executionData(cluster.psql, ids);
	const outcomes: string[] = [];
	for (const request of requests) {
		const id = executionOf.get(request.callee) as number;
		const call = calls.find((c) => c.to === request.callee) as SimulatedCall;
		const text = data.get(id);
		expectTrue(text, `execution ${id} has no stored run data`);
		const runData = runDataOf(parse(text));
		const [outcome] = lastOutput(runData, WAIT_NODE);
		expectTrue(outcome, `execution ${id}: "${WAIT_NODE}" has no output`);
		const answered = isAnswered(request.callee);
		expectEqual(
			[outcome.outcome, outcome.answered, outcome.to, outcome.userData, outcome.callId, outcome.durationSeconds, (outcome.hangupReason as { code?: number } | null)?.code],
			answered ? ['answered', true, request.callee, request.id, call.callId, 30, 0] : ['notAnswered', false, request.callee, request.id, call.callId, 0, NO_ANSWER_REASON],
			`execution ${id} (${request.id}): [outcome, answered, to, userData, callId, durationSeconds, reason]`,
		);
		expectEqual([lastOutput(runData, 'Answered').length, lastOutput(runData, 'Not Answered').length], answered ? [1, 0] : [0, 1], `execution ${id}: items on [Answered, Not Answered]`);
		// n8n's own resume address for this run (on the worker) is the one the trigger worked out, with the token the call carried.
		const resumeUrl = new URL(String(lastOutput(runData, 'Leads')[0]?.resumeUrl));
		expectEqual(
			[`${resumeUrl.origin}${resumeUrl.pathname}`, resumeUrl.searchParams.get('signature')],
			[`${waitingBase}/${id}`, splitUserData(call.userData).reference?.resumeToken],
			`execution ${id}: n8n's $execution.resumeUrl [address, token] vs the trigger's base and the call's reference`,
		);
		outcomes.push(String(outcome.outcome));
	}

	// The trigger's side: every push answered exactly, each Call Ended forwarded and taken.
	const pushes = sandbox.pushes.filter((p) => calls.some((c) => c.callId === p.callId));
	const badPushes = pushes.filter((p) => p.url !== pushUrl || p.status !== 200 || p.reply !== EXACT_REPLY);
	expectEqual(badPushes.map((p) => `${p.event} ${p.callId}: ${p.status ?? p.error}`), [], 'pushes to the trigger not answered 200 with the exact XML reply');
	const answeredLeads = requests.filter((r) => isAnswered(r.callee)).length;
	const triggerRuns = answeredLeads * 3 + (leads - answeredLeads) * 2;
	expectEqual(pushes.length, triggerRuns, 'pushes sent (callreq, callestablish when answered, callhangup)');
	const triggerRows = await waitForExecutions(cluster.psql, TRIGGER_WORKFLOW_ID, since, triggerRuns, 60_000);
	const triggerData = await executionData(cluster.psql, triggerRows.map((r) => r.id));
	const forwards: Array<Record<string, unknown>> = [];
	for (const row of triggerRows) {
		const [item] = lastOutput(runDataOf(parse(triggerData.get(row.id) ?? '')), TRIGGER_NODE);
		expectTrue(item, `trigger execution ${row.id} has no item`);
		if (item.event !== 'callhangup') {
			expectEqual(item.waitingRun, undefined, `trigger execution ${row.id} (${String(item.event)}): waitingRun`);
			continue;
		}
		const request = requests.find((r) => calls.find((c) => c.to === r.callee)?.callId === item.callId);
		expectTrue(request, `trigger execution ${row.id}: a Call Ended of no lead's call (${String(item.callId)})`);
		const run = item.waitingRun as Record<string, unknown> | undefined;
		expectEqual(
			[item.userData, run?.executionId, run?.status, run?.httpCode],
			[request.id, String(executionOf.get(request.callee)), 'resumed', 200],
			`trigger execution ${row.id}: [userData, waitingRun.executionId, status, httpCode]`,
		);
		forwards.push(run as Record<string, unknown>);
	}
	expectEqual(forwards.length, leads, 'Call Ended pushes forwarded to a waiting run');

	// From the Call Ended push leaving the sandbox to the execution finishing.
	const lags = requests.map((request) => {
		const call = calls.find((c) => c.to === request.callee) as SimulatedCall;
		const sentAt = departures.sentAt(call.callId, 'callhangup');
		expectTrue(sentAt, `no Call Ended push left the sandbox for ${call.callId}`);
		const row = rows.find((r) => r.id === executionOf.get(request.callee));
		expectTrue(row?.stoppedAt, `execution ${String(executionOf.get(request.callee))} has no stoppedAt`);
		return row.stoppedAt - sentAt;
	});
	const names = workers.map((w) => w.name);
	const placedOn = ids.map((id) => jobsOf(id)[0].worker);
	const resumedOn = ids.map((id) => jobsOf(id)[1].worker);
	return {
		executions: ids.length,
		waited: ids.length - neverWaiting.length,
		resumes: forwards.length,
		outcomes: countBy(outcomes, (o) => o),
		placedOn: split(placedOn, names),
		resumedOn: split(resumedOn, names),
		switchedWorker: ids.filter((_, i) => placedOn[i] !== resumedOn[i]).length,
		resumeEnqueuedBy: Object.entries(countBy(resumeEnqueuers, (e) => e.join())).map(([name, n]) => `${name} ${n}`).join(' / '),
		waitingBase,
		lagP50: percentile(lags, 50),
		lagMax: Math.max(...lags),
		wallMs,
	};
}
