/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tool code: drives a queue-mode n8n cluster and the sandbox over loopback */
/**
 * The checks of `npm run test:queue`, one function per phase. Each throws on the first thing that is
 * wrong (CheckList prints it) and returns what it measured for the figures.
 */
import { readFileSync } from 'node:fs';

import { DEFAULT_ACCOUNT, startSandbox, type PushEvent, type Sandbox } from '../../sandbox';
import { expectEqual, expectMatch, expectTrue } from '../e2e/assertions';
import type { N8nApp } from '../e2e/n8nApp';
import { calleeOf, callBacks } from '../e2e/sandboxRecords';
import { placeSignedCall } from '../e2e/signedCall';
import { sleep } from '../e2e/waitFor';
import type { N8nProcess } from './cluster';
import { executionData, executionsOf, flattedParser, maxExecutionId, processGroupMembers, UNFINISHED, waitForExecutions, type ExecutionRow } from './executions';
import type { Psql } from './infra';
import { countBy, fireRequests, percentile, requestsFor, type LoadResult, type LoadRun } from './load';
import { PLACE_PATH, PLACE_WORKFLOW_ID, TRIGGER_NODE, TRIGGER_WEBHOOK_ID, TRIGGER_WORKFLOW_ID } from './workflows';

export const EXACT_REPLY = '<?xml version="1.0" encoding="UTF-8"?><response><retcode>0</retcode></response>';
const EVENTS: PushEvent[] = ['callreq', 'callestablish', 'callhangup'];
const OTHER_ACCOUNT = 'f'.repeat(32);
export const PLACE_GAP_MS = 250;
/** How long the push sandbox waits for n8n's reply (the sandbox's default is 5 s; the platform's own is not documented). */
const PUSH_TIMEOUT_MS = 30_000;
const FOREIGN_CALL_ID = '0123456789abcdef0123456789abcdef';

export interface Cluster {
	app: N8nApp;
	psql: Psql;
	main: N8nProcess;
	webhook: N8nProcess;
	/** The workers running now, by name. */
	workers: Map<string, N8nProcess>;
	/** Every n8n process started, for the log checks. */
	all: N8nProcess[];
	apiSandbox: Sandbox;
	/** Where the API sandbox pushes between the phases that point it elsewhere (the plain receiver). */
	pushReceiverUrl: string;
	/** Starts a worker that replaces `old` (same user folder, new ports). */
	restartWorker(old: N8nProcess, name: string): Promise<N8nProcess>;
}

export const placeUrl = (cluster: Cluster) => `${cluster.webhook.url}/webhook/${PLACE_PATH}`;
export const triggerUrl = (cluster: Cluster) => `${cluster.webhook.url}/webhook/${TRIGGER_WEBHOOK_ID}/webhook`;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** A placed call's reply from Respond to Webhook: the node's item. */
function isPlaced(result: LoadResult): boolean {
	const json = result.json ?? {};
	return result.status === 200 && typeof json.callId === 'string' && /^[0-9a-f]{32}$/.test(json.callId) && json.to === result.callee && json.userData === result.id;
}

function describe(result: LoadResult): string {
	return `${result.id} → ${result.status} ${result.text.slice(0, 160)}`;
}

/** callBack requests the API sandbox received, per callee of `requests`. */
function callBacksPerCallee(sandbox: Sandbox, callees: string[]): Map<string, number> {
	const counts = new Map<string, number>(callees.map((callee) => [callee, 0]));
	for (const request of callBacks(sandbox, callees)) {
		const callee = calleeOf(request) ?? '';
		counts.set(callee, (counts.get(callee) ?? 0) + 1);
	}
	return counts;
}

/** Which worker's own log says it started each execution. */
function attribution(workers: N8nProcess[], ids: number[]): { byWorker: Record<string, number>; unattributed: number[]; twice: number[] } {
	const started = workers.map((worker) => ({ name: worker.name, ids: new Set(worker.startedExecutions()) }));
	const byWorker: Record<string, number> = Object.fromEntries(workers.map((w) => [w.name, 0]));
	const unattributed: number[] = [];
	const twice: number[] = [];
	for (const id of ids) {
		const owners = started.filter((s) => s.ids.has(id));
		if (owners.length === 0) unattributed.push(id);
		if (owners.length > 1) twice.push(id);
		for (const owner of owners) byWorker[owner.name]++;
	}
	return { byWorker, unattributed, twice };
}

const split = (byWorker: Record<string, number>) =>
	Object.entries(byWorker)
		.map(([name, n]) => `${name} ${n}`)
		.join(' / ');

export interface FanOutFigures {
	n: number;
	concurrency: number;
	wallMs: number;
	clientPerSecond: number;
	dbPerSecond: number;
	runP50: number;
	runP99: number;
	queueWaitP50: number;
	clientP50: number;
	clientP99: number;
	split: string;
}

function runTimes(rows: ExecutionRow[]): { run: number[]; wait: number[] } {
	const finished = rows.filter((row) => row.startedAt !== undefined && row.stoppedAt !== undefined);
	return {
		run: finished.map((row) => (row.stoppedAt as number) - (row.startedAt as number)),
		wait: finished.map((row) => (row.startedAt as number) - row.createdAt),
	};
}

/** Check 2: N webhook requests at the webhook process, each placing one call. */
export async function fanOut(cluster: Cluster, n: number, concurrency: number): Promise<FanOutFigures> {
	const since = await maxExecutionId(cluster.psql);
	const requests = requestsFor(1, 'fan', n);
	const run = await fireRequests(placeUrl(cluster), requests, concurrency, 120_000);
	const bad = run.results.filter((r) => !isPlaced(r));
	expectEqual(bad.slice(0, 5).map(describe), [], `replies that are not the placed call (${bad.length} of ${n}; statuses ${JSON.stringify(countBy(run.results, (r) => String(r.status)))})`);
	const callIds = new Set(run.results.map((r) => String(r.json?.callId)));
	expectEqual(callIds.size, n, 'distinct callIds in the replies');

	const perCallee = callBacksPerCallee(cluster.apiSandbox, requests.map((r) => r.callee));
	const notOnce = [...perCallee].filter(([, count]) => count !== 1);
	expectEqual(notOnce.slice(0, 10), [], `callees without exactly one callBack at the sandbox (${notOnce.length}: lost ${notOnce.filter(([, c]) => c === 0).length}, doubled ${notOnce.filter(([, c]) => c > 1).length})`);
	const sandboxCall = new Map(cluster.apiSandbox.calls.map((call) => [call.to, call.callId]));
	const mismatched = run.results.filter((r) => sandboxCall.get(r.callee) !== r.json?.callId);
	expectEqual(mismatched.slice(0, 5).map(describe), [], 'replies whose callId is not the call the sandbox placed for that callee');

	const rows = await waitForExecutions(cluster.psql, PLACE_WORKFLOW_ID, since, n, 60_000);
	expectEqual(countBy(rows, (r) => `${r.mode}/${r.status}`), { 'webhook/success': n }, 'executions of the workflow [mode/status]');
	const workers = [...cluster.workers.values()];
	const { byWorker, unattributed, twice } = attribution(workers, rows.map((r) => r.id));
	expectEqual({ unattributed: unattributed.slice(0, 10), twice: twice.slice(0, 10) }, { unattributed: [], twice: [] }, 'executions per worker log ("Worker started execution N")');
	const idle = Object.entries(byWorker).filter(([, count]) => count === 0);
	expectEqual(idle, [], `workers that ran none of the ${n} executions (split ${split(byWorker)})`);

	const { run: runMs, wait } = runTimes(rows);
	const firstCreated = Math.min(...rows.map((r) => r.createdAt));
	const lastStopped = Math.max(...rows.map((r) => r.stoppedAt ?? 0));
	const client = run.results.map((r) => r.ms);
	return {
		n,
		concurrency,
		wallMs: run.wallMs,
		clientPerSecond: n / (run.wallMs / 1000),
		dbPerSecond: n / ((lastStopped - firstCreated) / 1000),
		runP50: percentile(runMs, 50),
		runP99: percentile(runMs, 99),
		queueWaitP50: percentile(wait, 50),
		clientP50: percentile(client, 50),
		clientP99: percentile(client, 99),
		split: split(byWorker),
	};
}

export interface RetryFigures {
	n: number;
	refusedOnce: number;
	replyLost: number;
	/** callBack requests at the sandbox, and calls it placed, over the whole phase. */
	requests: number;
	calls: number;
	split: string;
}

/**
 * Retry On Fail on a worker (the place workflow's UCPaaS Callback has it on: 3 tries, 1 s apart):
 * some callees are refused once (104113), some calls are placed but their reply is lost. n8n retries
 * inside the worker that runs the execution, so the node's memory of the first try is there: a
 * refused call is placed on the retry, a placed one is never sent again, and nobody rings twice.
 */
export async function retryOnWorker(cluster: Cluster, n: number): Promise<RetryFigures> {
	const since = await maxExecutionId(cluster.psql);
	const requests = requestsFor(6, 'retry', n);
	const refused = requests.slice(0, Math.floor(n / 3));
	const lost = requests.slice(refused.length, refused.length + Math.floor(n / 6));
	const sandbox = cluster.apiSandbox;
	const before = { requests: callBacks(sandbox, requests.map((r) => r.callee)).length, calls: sandbox.calls.length };
	for (const { callee } of refused) sandbox.addFault({ match: { path: '/Calls/callBack', to: callee }, fault: { kind: 'respCode', code: '104113' }, times: 1 });
	for (const { callee } of lost) sandbox.addFault({ match: { path: '/Calls/callBack', to: callee }, fault: { kind: 'reset' }, processFirst: true, times: 1 });
	try {
		const run = await fireRequests(placeUrl(cluster), requests, 4, 120_000);
		const isLost = new Set(lost.map((r) => r.callee));
		const wrong = run.results.filter((r) => (isLost.has(r.callee) ? r.status !== 500 : !isPlaced(r)));
		expectEqual(wrong.slice(0, 5).map(describe), [], 'replies: a placed call for every callee but those whose reply was lost (HTTP 500: the execution failed)');

		const perCallee = callBacksPerCallee(sandbox, requests.map((r) => r.callee));
		const isRefused = new Set(refused.map((r) => r.callee));
		const expected = (callee: string) => (isRefused.has(callee) ? 2 : 1);
		const off = [...perCallee].filter(([callee, count]) => count !== expected(callee));
		expectEqual(off, [], 'callBack requests per callee (2 for a callee refused once, 1 for every other)');
		const calls = new Map<string, number>();
		for (const call of sandbox.calls) if (perCallee.has(call.to)) calls.set(call.to, (calls.get(call.to) ?? 0) + 1);
		const notOnce = requests.filter((r) => calls.get(r.callee) !== 1).map((r) => `${r.callee}: ${calls.get(r.callee) ?? 0}`);
		expectEqual(notOnce, [], 'callees not rung exactly once');

		const rows = await waitForExecutions(cluster.psql, PLACE_WORKFLOW_ID, since, n, 60_000);
		expectEqual(countBy(rows, (r) => `${r.mode}/${r.status}`), { 'webhook/success': n - lost.length, 'webhook/error': lost.length }, 'executions [mode/status]');
		const workers = [...cluster.workers.values()];
		const { byWorker, unattributed, twice } = attribution(workers, rows.map((r) => r.id));
		expectEqual({ unattributed, twice }, { unattributed: [], twice: [] }, 'every execution started by exactly one worker ("Worker started execution N")');
		const failedIds = rows.filter((r) => r.status === 'error').map((r) => r.id);
		const data = await executionData(cluster.psql, failedIds);
		for (const id of failedIds) {
			expectMatch(data.get(id) ?? '', /not sent again when n8n ran this node again/, `run data of failed execution ${id}`);
		}
		return {
			n,
			refusedOnce: refused.length,
			replyLost: lost.length,
			requests: callBacks(sandbox, requests.map((r) => r.callee)).length - before.requests,
			calls: sandbox.calls.length - before.calls,
			split: split(byWorker),
		};
	} finally {
		sandbox.clearFaults();
	}
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	return Promise.race([promise, sleep(ms).then(() => Promise.reject(new Error(`${what}: not within ${ms / 1000} s`)))]);
}

export interface TriggerFigures {
	calls: number;
	pushes: number;
	burstMs: number;
	split: string;
	runP50: number;
	runP99: number;
	/** n8n's reply time to the callreq pushes (the first push of each call). */
	callreqP50: number;
	callreqMax: number;
	/** CPU seconds the webhook process used during the burst. */
	webhookCpuSeconds: number;
}

interface TriggerItem {
	event?: string;
	callId?: string;
	userData?: string | null;
}

/** The trigger node's first item in a stored run (flatted IRunExecutionData). */
function triggerItemOf(run: unknown): TriggerItem | undefined {
	const data = run as { resultData?: { runData?: Record<string, Array<{ data?: { main?: Array<Array<{ json?: TriggerItem }>> } }>> } };
	return data.resultData?.runData?.[TRIGGER_NODE]?.[0]?.data?.main?.[0]?.[0]?.json;
}

/** Check 3: a burst of calls on a second sandbox, every event pushed to the webhook process. */
export async function triggerBurst(cluster: Cluster, calls: number): Promise<TriggerFigures> {
	const url = triggerUrl(cluster);
	const since = await maxExecutionId(cluster.psql);
	const sandbox = await startSandbox({
		host: '127.0.0.1',
		port: 0,
		quiet: true,
		pushUrl: url,
		pushTimeoutMs: PUSH_TIMEOUT_MS,
		call: { outcome: 'answered', talkSeconds: 42, hangupBy: 'callee', delays: { ringMs: 50, talkMs: 50 } },
	});
	try {
		const started = Date.now();
		// A CRM dialling: one call every PLACE_GAP_MS, each call's three events pushed as it goes.
		const cpuBefore = cpuSeconds(cluster.webhook.pid);
		const placedAt = new Map<string, number>();
		const callIds = await Promise.all(
			Array.from({ length: calls }, async (_, i) => {
				await sleep(i * PLACE_GAP_MS);
				const callId = await placeSignedCall(sandbox, { to: `139040${String(i).padStart(5, '0')}`, userData: `trig-${i}`, timeoutMs: 30_000 });
				placedAt.set(callId, Date.now());
				return callId;
			}),
		);
		await withTimeout(Promise.all(callIds.map((id) => sandbox.whenCallSettled(id))), 180_000, `the ${calls} calls' pushes`);
		const burstMs = Date.now() - started;
		const webhookCpu = cpuSeconds(cluster.webhook.pid) - cpuBefore;
		// A call's callreq goes out as its callBack is answered: its record time minus that is n8n's reply time.
		const callreqMs = sandbox.pushes.filter((p) => p.event === 'callreq').map((p) => p.at.getTime() - (placedAt.get(p.callId) ?? p.at.getTime()));
		const pushes = sandbox.pushes.map((p) => ({ event: p.event, status: p.status, reply: p.reply, error: p.error }));
		expectEqual(pushes.length, calls * EVENTS.length, 'pushes sent');
		const wrong = pushes.filter((p) => p.status !== 200 || p.reply !== EXACT_REPLY || p.error);
		expectEqual(wrong.slice(0, 5), [], `pushes not answered 200 with the exact XML reply (${wrong.length} of ${pushes.length}: ${JSON.stringify(countBy(wrong, (p) => String(p.status ?? p.error)))})`);

		const rows = await waitForExecutions(cluster.psql, TRIGGER_WORKFLOW_ID, since, calls * EVENTS.length, 120_000);
		expectEqual(countBy(rows, (r) => `${r.mode}/${r.status}`), { 'webhook/success': calls * EVENTS.length }, 'executions of the trigger workflow [mode/status]');
		const parse = flattedParser(cluster.app);
		const data = await executionData(cluster.psql, rows.map((r) => r.id));
		const seen = new Map<string, number>();
		for (const row of rows) {
			const text = data.get(row.id);
			expectTrue(text, `execution ${row.id} has no stored run data`);
			const item = triggerItemOf(parse(text));
			expectTrue(item?.event && item.callId, `execution ${row.id} has no item from "${TRIGGER_NODE}"`);
			const key = `${item.callId}/${item.event}`;
			seen.set(key, (seen.get(key) ?? 0) + 1);
		}
		const expected = callIds.flatMap((id) => EVENTS.map((event) => `${id}/${event}`));
		const missing = expected.filter((key) => !seen.has(key));
		const doubled = [...seen].filter(([, count]) => count > 1).map(([key]) => key);
		const stray = [...seen.keys()].filter((key) => !expected.includes(key));
		expectEqual({ missing: missing.slice(0, 5), doubled: doubled.slice(0, 5), stray: stray.slice(0, 5) }, { missing: [], doubled: [], stray: [] }, 'executions per (callId, event)');

		const { byWorker, unattributed } = attribution([...cluster.workers.values()], rows.map((r) => r.id));
		expectEqual(unattributed.slice(0, 10), [], `executions no worker log claims (split ${split(byWorker)}): they did not run on a worker`);
		const { run: runMs } = runTimes(rows);
		return {
			calls,
			pushes: pushes.length,
			burstMs,
			split: split(byWorker),
			runP50: percentile(runMs, 50),
			runP99: percentile(runMs, 99),
			callreqP50: percentile(callreqMs, 50),
			callreqMax: Math.max(...callreqMs),
			webhookCpuSeconds: webhookCpu,
		};
	} finally {
		await sandbox.stop();
	}
}

/** Check 3b: a push for another account is refused by the node on the webhook process. */
export async function foreignPush(cluster: Cluster): Promise<void> {
	const since = await maxExecutionId(cluster.psql);
	const body =
		`<?xml version="1.0" encoding="UTF-8"?><request><event>callhangup</event><callid>${FOREIGN_CALL_ID}</callid>` +
		`<accountid>${OTHER_ACCOUNT}</accountid><appid>${DEFAULT_ACCOUNT.appId}</appid><calltype>2</calltype><caller>${DEFAULT_ACCOUNT.clientNumber}</caller>` +
		'<called>13904999999</called><length>60</length><userData>queue-foreign</userData><reason>0</reason><subreason>1</subreason></request>';
	const response = await fetch(triggerUrl(cluster), { method: 'POST', headers: { 'content-type': 'text/xml;charset=utf-8' }, body, signal: AbortSignal.timeout(15_000) });
	const text = await response.text();
	expectEqual([response.status, text], [403, 'The push is for another account\n'], 'reply to a push for another account');
	// A refused push must not start a run: give one the time to show up, then look for its callid in every run since.
	await sleep(3_000);
	const rows = await executionsOf(cluster.psql, TRIGGER_WORKFLOW_ID, since);
	const data = await executionData(cluster.psql, rows.map((r) => r.id));
	const started = [...data].filter(([, text]) => text.includes(FOREIGN_CALL_ID)).map(([id]) => id);
	expectEqual(started, [], 'executions carrying the refused push');
}

/** Waits until `worker` has at least `count` executions of this phase running, per its own log. */
async function waitActive(worker: N8nProcess, since: number, count: number, timeoutMs: number): Promise<number[]> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const active = worker.activeExecutions(since);
		if (active.length >= count) return active;
		await sleep(100);
	}
	throw new Error(`${worker.name} never had ${count} executions running at once within ${timeoutMs / 1000} s (started ${worker.startedExecutions().filter((id) => id > since).length})`);
}

/** Waits until the process group `pgid` is empty; ms waited, or undefined if it is not. */
async function waitGroupEmpty(pgid: number, timeoutMs: number): Promise<number | undefined> {
	const started = Date.now();
	while (Date.now() - started < timeoutMs) {
		if (processGroupMembers(pgid).length === 0) return Date.now() - started;
		await sleep(200);
	}
	return undefined;
}

export interface CrashOutcome {
	n: number;
	victim: string;
	activeAtKill: number[];
	ok: number;
	failed: LoadResult[];
	/** Failed replies whose call the sandbox did place (the phone rang). */
	rang: LoadResult[];
	notPlaced: LoadResult[];
	failedRows: ExecutionRow[];
	killAt: number;
	replyAfterKill: [number, number];
	markedAfterKill: [number, number];
	runnerExit: string;
	replacement: N8nProcess;
	run: LoadRun;
	since: number;
}

const range = (values: number[]): [number, number] => [Math.min(...values), Math.max(...values)];

/**
 * Check 5: a worker SIGKILLed while its callBack requests wait at the sandbox (latency fault).
 * A replacement worker (same user folder) starts right after the kill, as an orchestrator would.
 */
export async function crashWorker(cluster: Cluster, victim: N8nProcess, n: number, latencyMs: number): Promise<CrashOutcome> {
	const since = await maxExecutionId(cluster.psql);
	const requests = requestsFor(3, 'kill', n);
	cluster.apiSandbox.addFault({ match: { path: '/Calls/callBack' }, fault: { kind: 'latency', ms: latencyMs } });
	let replacement: N8nProcess | undefined;
	try {
		const load = fireRequests(placeUrl(cluster), requests, 10, 300_000);
		await waitActive(victim, since, 3, 90_000);
		// Let the executions that just started reach the sandbox, which holds each for `latencyMs`.
		await sleep(Math.min(1_000, latencyMs / 3));
		const activeAtKill = victim.activeExecutions(since);
		const killAt = Date.now();
		victim.signal('SIGKILL');
		await victim.waitForExit(10_000);
		expectEqual(victim.child.signalCode, 'SIGKILL', `${victim.name} ended by`);
		cluster.workers.delete(victim.name);
		replacement = await cluster.restartWorker(victim, `${victim.name}-restarted`);
		const runnerGone = await waitGroupEmpty(victim.pid, 10_000);
		const runnerExit = runnerGone === undefined ? 'its task runner was still running 10 s after the kill (the test killed it)' : `its task runner exited by itself ${seconds(runnerGone)} after the kill`;
		await victim.stop(1_000);

		const run = await load;
		const ok = run.results.filter(isPlaced);
		const failed = run.results.filter((r) => !isPlaced(r));
		expectTrue(failed.length > 0, `no request failed although ${victim.name} was killed with executions ${activeAtKill.join(', ')} running`);
		expectEqual(countBy(failed, (r) => `${r.status} ${r.text.slice(0, 80)}`), { [`500 ${failed[0].text.slice(0, 80)}`]: failed.length }, 'replies of the requests that did not succeed (all HTTP 500, one body)');

		const rows = await waitForExecutions(cluster.psql, PLACE_WORKFLOW_ID, since, n, 120_000);
		const failedRows = rows.filter((r) => r.status !== 'success');
		expectEqual([rows.length - failedRows.length, failedRows.length], [ok.length, failed.length], 'executions [succeeded, failed] vs the replies [placed, HTTP 500]');
		const leftOver = rows.filter((r) => UNFINISHED.has(r.status));
		expectEqual(leftOver.map((r) => r.id), [], 'executions left unfinished');
		// No re-run: nothing the killed worker started was started again by another worker.
		const others = [...cluster.workers.values()];
		const victimStarted = new Set(victim.startedExecutions().filter((id) => id > since));
		const rerun = others.flatMap((w) => w.startedExecutions().filter((id) => victimStarted.has(id)).map((id) => `${id} on ${w.name}`));
		expectEqual(rerun, [], `executions of ${victim.name} started again elsewhere`);
		const strayFailures = failedRows.filter((r) => !victimStarted.has(r.id) && r.startedAt !== undefined);
		expectEqual(strayFailures.map((r) => r.id), [], `failed executions that ${victim.name} had not started`);

		// Nothing doubled: no callee got a second callBack; every success exactly one.
		const perCallee = callBacksPerCallee(cluster.apiSandbox, requests.map((r) => r.callee));
		const doubled = [...perCallee].filter(([, count]) => count > 1);
		expectEqual(doubled, [], 'callees with more than one callBack');
		const okNotOnce = ok.filter((r) => perCallee.get(r.callee) !== 1).map((r) => r.id);
		expectEqual(okNotOnce, [], 'successful requests without exactly one callBack');
		const rang = failed.filter((r) => perCallee.get(r.callee) === 1);
		const notPlaced = failed.filter((r) => perCallee.get(r.callee) === 0);
		expectTrue(rang.length > 0, `the kill caught no callBack at the sandbox (${failed.length} failed, none had reached it): the dangerous case was not exercised`);

		return {
			n,
			victim: victim.name,
			activeAtKill,
			ok: ok.length,
			failed,
			rang,
			notPlaced,
			failedRows,
			killAt,
			replyAfterKill: range(failed.map((r) => r.answeredAt - killAt)),
			markedAfterKill: range(failedRows.map((r) => (r.stoppedAt ?? NaN) - killAt)),
			runnerExit,
			replacement,
			run,
			since,
		};
	} finally {
		cluster.apiSandbox.clearFaults();
		if (replacement && !cluster.workers.has(replacement.name)) cluster.workers.set(replacement.name, replacement);
	}
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return (Number(fields[11]) + Number(fields[12])) / 100;
	} catch {
		return NaN;
	}
}

/** Check 5b: every failed execution can be matched to what UCPaaS did, by the request id in userData. */
export async function reconcile(cluster: Cluster, crash: CrashOutcome): Promise<string> {
	// 1. What n8n kept of each failed execution: the error, and (measured) nothing of the request.
	const data = await executionData(cluster.psql, crash.failedRows.map((r) => r.id));
	const parse = flattedParser(cluster.app);
	const requestIdOf = new Map<string, number>();
	const messages = new Set<string>();
	for (const row of crash.failedRows) {
		const text = data.get(row.id) ?? '';
		const run = parse(text) as { resultData?: { error?: { message?: string }; runData?: Record<string, unknown> } };
		const message = run.resultData?.error?.message ?? '';
		expectMatch(message, /failed to be processed too many times|stalled/, `error stored in failed execution ${row.id}`);
		messages.add(message);
		const ids = [...new Set([...text.matchAll(/"(kill-\d+)"/g)].map((m) => m[1]))];
		if (ids.length === 1) requestIdOf.set(ids[0], row.id);
	}
	const keeps = requestIdOf.size === 0 ? 'no request data (the request id is only on the caller\'s side)' : `the request id in ${requestIdOf.size} of ${crash.failedRows.length}`;
	const shown = `n8n shows ${crash.failedRows.length} executions "${[...messages].join('" / "').slice(0, 160)}", keeping ${keeps}`;
	// 2. For the calls that rang: the Call Ended push carries that request id as userData.
	const lines: string[] = [];
	for (const request of crash.rang) {
		const call = cluster.apiSandbox.calls.find((c) => c.to === request.callee);
		expectTrue(call, `no sandbox call for ${request.callee}`);
		expectEqual([call.userData, call.state, call.reason], [request.id, 'ended', 0], `the call to ${request.callee} [userData, state, reason]`);
		const hangup = cluster.apiSandbox.pushes.find((p) => p.callId === call.callId && p.event === 'callhangup');
		expectTrue(hangup, `no Call Ended push for call ${call.callId}`);
		expectEqual(hangup.status, 200, `Call Ended push for ${call.callId} delivered`);
		const field = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(hangup.body)?.[1];
		expectEqual({ userData: field('userData'), called: field('called'), callid: field('callid') }, { userData: request.id, called: request.callee, callid: call.callId }, 'Call Ended push fields');
		const execution = requestIdOf.get(request.id);
		lines.push(`${request.id} (HTTP 500${execution ? `, execution ${execution}` : ''}) ↔ Call Ended userData=${request.id} callid=${call.callId.slice(0, 8)}… length ${field('length')} s`);
	}
	// 3. For the requests that never reached UCPaaS: no call, no push, nothing to reconcile.
	for (const request of crash.notPlaced) {
		const pushed = cluster.apiSandbox.pushes.filter((p) => p.body.includes(`<userData>${request.id}</userData>`));
		expectEqual(pushed.length, 0, `pushes for ${request.id}, which never reached the sandbox`);
	}
	return `${shown}; ${lines.join('; ')}`;
}

export interface DrainOutcome {
	n: number;
	victim: string;
	activeAtSignal: number[];
	exitMs: number;
	exitCode: number | null;
	drainedByVictim: number;
	bySurvivors: number;
	waitingLine: string;
	runnerStopped: boolean;
}

/** Check 4: a worker stopped with SIGTERM while it runs executions: it drains them, nothing lost or doubled. */
export async function drainWorker(cluster: Cluster, victim: N8nProcess, n: number, latencyMs: number): Promise<DrainOutcome> {
	const since = await maxExecutionId(cluster.psql);
	const requests = requestsFor(4, 'term', n);
	cluster.apiSandbox.addFault({ match: { path: '/Calls/callBack' }, fault: { kind: 'latency', ms: latencyMs } });
	try {
		const load = fireRequests(placeUrl(cluster), requests, 10, 120_000);
		await waitActive(victim, since, 3, 90_000);
		const activeAtSignal = victim.activeExecutions(since);
		const signalAt = Date.now();
		victim.signal('SIGTERM');
		const exited = await victim.waitForExit(60_000);
		const exitMs = Date.now() - signalAt;
		expectTrue(exited, `${victim.name} did not exit within 60 s of SIGTERM:\n${victim.tail(5)}`);
		cluster.workers.delete(victim.name);
		const runnerStopped = (await waitGroupEmpty(victim.pid, 5_000)) !== undefined;
		await victim.stop(1_000);

		const run = await load;
		const bad = run.results.filter((r) => !isPlaced(r));
		expectEqual(bad.slice(0, 5).map(describe), [], `replies that are not the placed call (${bad.length} of ${n})`);
		const perCallee = callBacksPerCallee(cluster.apiSandbox, requests.map((r) => r.callee));
		const notOnce = [...perCallee].filter(([, count]) => count !== 1);
		expectEqual(notOnce, [], 'callees without exactly one callBack');
		const rows = await waitForExecutions(cluster.psql, PLACE_WORKFLOW_ID, since, n, 60_000);
		expectEqual(countBy(rows, (r) => r.status), { success: n }, 'executions [status]');

		const started = victim.startedExecutions().filter((id) => id > since);
		const finished = new Set(victim.finishedExecutions());
		expectEqual(started.filter((id) => !finished.has(id)), [], `executions ${victim.name} started and did not finish`);
		const waitingLine = /Waiting for \d+ active executions to finish[^"]*/.exec(victim.output())?.[0] ?? '';
		expectTrue(waitingLine !== '', `${victim.name} did not log "Waiting for N active executions to finish"`);
		expectEqual(victim.child.exitCode, 0, `${victim.name} exit code`);
		const survivors = [...cluster.workers.values()];
		const { byWorker } = attribution(survivors, rows.map((r) => r.id).filter((id) => !started.includes(id)));
		const bySurvivors = Object.values(byWorker).reduce((a, b) => a + b, 0);
		expectEqual(bySurvivors + started.length, n, `executions run by ${victim.name} (${started.length}) and the others (${split(byWorker)})`);
		return { n, victim: victim.name, activeAtSignal, exitMs, exitCode: victim.child.exitCode, drainedByVictim: started.length, bySurvivors, waitingLine, runnerStopped };
	} finally {
		cluster.apiSandbox.clearFaults();
	}
}
