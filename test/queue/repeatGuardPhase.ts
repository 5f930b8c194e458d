/**
 * The repeat-call guard in queue mode: every lead POSTed twice at the same moment, so the two
 * executions of a pair run at once, mostly on both workers, and each asks n8n's Postgres-backed
 * deduplication store for the same callee. Exactly one call per callee may ring.
 */
import { expectEqual, expectTrue } from '../e2e/assertions';
import { calleeOf, callBacks } from '../e2e/sandboxRecords';
import { placeUrl, type Cluster } from './phases';
import { executionData, maxExecutionId, waitForExecutions } from './executions';
import { countBy, fireRequests, requestsFor, type LoadResult } from './load';
import { GUARD_PATH, GUARD_WORKFLOW_ID } from './workflows';

export const guardUrl = (cluster: Cluster) => `${cluster.webhook.url}/webhook/${GUARD_PATH}`;

export interface GuardFigures {
	leads: number;
	requests: number;
	callBacks: number;
	calls: number;
	/** Pairs whose two executions ran on different workers. */
	splitPairs: number;
	/** The slower reply of each pair: the guard's settle wait is in it. */
	replyP50: number;
	/** The same pairs against the place workflow, whose node (version 1) has no guard: calls placed. */
	unguardedCalls: number;
}

const isSkipped = (result: LoadResult) => result.status === 200 && result.json?.skipped === true && result.json.reason === 'repeatCall' && result.json.to === result.callee;
const isPlaced = (result: LoadResult) => result.status === 200 && result.json?.skipped === false && typeof result.json.callId === 'string' && result.json.to === result.callee;

/** Each lead twice, side by side: both requests of a pair leave together. */
const pairsOf = (phase: number, leads: number) =>
	requestsFor(phase, 'pair', leads).flatMap((request) => [
		{ ...request, id: `${request.id}-a` },
		{ ...request, id: `${request.id}-b` },
	]);

export async function guardedPairs(cluster: Cluster, leads: number): Promise<GuardFigures> {
	const sandbox = cluster.apiSandbox;
	// The figure to compare with: the same load where no guard stands (Retry On Fail places a
	// second call refused as busy once the first has ended).
	const baseline = pairsOf(7, leads);
	await fireRequests(placeUrl(cluster), baseline, baseline.length, 120_000);
	const unguardedCalls = sandbox.calls.filter((call) => baseline.some((request) => request.callee === call.to)).length;

	const since = await maxExecutionId(cluster.psql);
	const requests = pairsOf(8, leads);
	const unique = requests.filter((_, index) => index % 2 === 0);
	const run = await fireRequests(guardUrl(cluster), requests, requests.length, 120_000);

	const byCallee = new Map<string, LoadResult[]>();
	for (const result of run.results) byCallee.set(result.callee, [...(byCallee.get(result.callee) ?? []), result]);
	const wrong = [...byCallee].filter(([, pair]) => pair.filter(isPlaced).length !== 1 || pair.filter(isSkipped).length !== 1);
	expectEqual(
		wrong.slice(0, 5).map(([callee, pair]) => `${callee}: ${pair.map((r) => `${r.status} ${r.text.slice(0, 120)}`).join(' | ')}`),
		[],
		`leads whose two replies are not one placed call and one skipped item (${wrong.length} of ${leads})`,
	);

	const callees = unique.map((r) => r.callee);
	const perCallee = countBy(callBacks(sandbox, callees), (request) => calleeOf(request) ?? '');
	const notOnce = callees.filter((callee) => perCallee[callee] !== 1).map((callee) => `${callee}: ${perCallee[callee] ?? 0}`);
	expectEqual(notOnce, [], 'callees without exactly one callBack request at the sandbox');
	const calls = sandbox.calls.filter((call) => callees.includes(call.to));
	expectEqual(calls.length, leads, 'calls placed at the sandbox');

	const rows = await waitForExecutions(cluster.psql, GUARD_WORKFLOW_ID, since, requests.length, 60_000);
	expectEqual(countBy(rows, (r) => `${r.mode}/${r.status}`), { 'webhook/success': requests.length }, 'executions [mode/status]');
	// Which worker ran each execution, and which lead it was for (its run data holds the phone).
	const workerOf = new Map<number, string>();
	for (const worker of cluster.workers.values()) for (const id of worker.startedExecutions()) workerOf.set(id, worker.name);
	const data = await executionData(cluster.psql, rows.map((r) => r.id));
	const workersByCallee = new Map<string, Set<string>>();
	for (const row of rows) {
		const callee = callees.find((c) => (data.get(row.id) ?? '').includes(c));
		expectTrue(callee, `execution ${row.id}: no lead's phone in its run data`);
		const worker = workerOf.get(row.id);
		expectTrue(worker, `execution ${row.id} was started by no worker's log`);
		workersByCallee.set(callee, new Set([...(workersByCallee.get(callee) ?? []), worker]));
	}
	const splitPairs = [...workersByCallee.values()].filter((workers) => workers.size === 2).length;
	expectTrue(splitPairs > 0, `no pair ran on both workers (${JSON.stringify(countBy(rows, (r) => workerOf.get(r.id) ?? '?'))}): the check proves nothing across processes`);

	const slower = [...byCallee.values()].map((pair) => Math.max(...pair.map((r) => r.ms))).sort((a, b) => a - b);
	return { leads, requests: requests.length, callBacks: callBacks(sandbox, callees).length, calls: calls.length, splitPairs, replyP50: slower[Math.floor(slower.length / 2)], unguardedCalls };
}
