/**
 * The repeat-call guard inside the running app (`n8n start`), against n8n's own database-backed
 * deduplication store: the lead workflow "Lead Arrives (Webhook) → Leads → UCPaaS Callback (v2)"
 * is activated over REST, leads are POSTed to its production URL, a failed execution is retried
 * through n8n's own retry route (the Executions list's Retry: POST /rest/executions/:id/retry,
 * executions.controller.js; a new execution in mode `retry` of the failed node with its stored
 * input), and every call is counted where it rings: at the sandbox.
 */
import { DEFAULT_ACCOUNT, type Sandbox } from '../../sandbox';
import { expectEqual, expectTrue, type CheckList } from './assertions';
import type { N8nInstance } from './n8nInstance';
import type { RunningServer } from './n8nServer';
import type { N8nRestClient } from './restClient';
import type { RunItem, WorkflowRun } from './runData';
import { callBacks, calleeOf } from './sandboxRecords';
import { flattedParse } from './triggerChecks';
import { sleep, waitFor } from './waitFor';
import { activateWorkflow } from './workflowActivation';

/** Must match test/e2e/workflows/repeat-guard.json. */
const WORKFLOW_ID = 'e2eUcpaasGuard1';
const FILE = 'repeat-guard.json';
const WEBHOOK_PATH = 'ucpaas-e2e-leads';
const NODE = 'UCPaaS Callback';
/** Callees of these checks only (the scenarios use others: the sandbox refuses a callee still in a call). */
const TWICE = '13912340091';
const [RETRY_A, RETRY_B, RETRY_C] = ['13912340092', '13912340093', '13912340094'];
const WINDOW = '13912340095';
const SHORT_WINDOW_MINUTES = 0.1;

export const repeatGuardCheckNames = (): string[] => [
	'repeat guard: the lead workflow (Webhook → Leads → UCPaaS Callback v2, guard on by default) is started and its webhook registered',
	'repeat guard: the same lead POSTed twice at once (two executions) rings once; the other execution\'s item is skipped: true, reason repeatCall',
	'repeat guard: a failed execution (A, B placed, C refused 104113) retried through POST /rest/executions/:id/retry rings only C; A and B come out skipped',
	`repeat guard: after the window (${SHORT_WINDOW_MINUTES} min) the same lead rings again, not before`,
];

interface ExecutionSummary {
	id: string;
	status?: string;
	mode?: string;
	retryOf?: string | null;
}

/** Calls placed at the sandbox, per callee. */
const placed = (sandbox: Sandbox, ...callees: string[]) => callees.map((to) => sandbox.calls.filter((call) => call.to === to).length);
/** callBack requests the sandbox received, per callee. */
const asked = (sandbox: Sandbox, ...callees: string[]) => callees.map((to) => callBacks(sandbox).filter((r) => calleeOf(r) === to).length);

export async function runRepeatGuardChecks(instance: N8nInstance, server: RunningServer, rest: N8nRestClient, sandbox: Sandbox, checks: CheckList): Promise<void> {
	const [activates, twice, retried, windowEnds] = repeatGuardCheckNames();
	const webhookUrl = `${server.url}/webhook/${WEBHOOK_PATH}`;
	let workflowId = WORKFLOW_ID;
	const parse = flattedParse(instance);

	const listExecutions = async (): Promise<ExecutionSummary[]> => {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const list = await rest.request<{ data?: { results?: ExecutionSummary[] } }>('GET', `/rest/executions?filter=${filter}&limit=100`);
		expectEqual(list.status, 200, `GET /rest/executions (${list.text.slice(0, 200)})`);
		return list.body.data?.results ?? [];
	};
	/** The executions that came after `known`, once `count` of them have finished. */
	const newExecutions = async (known: Set<string>, count: number): Promise<ExecutionSummary[]> =>
		await waitFor(`${count} new finished execution(s) of ${workflowId}`, 30_000, async () => {
			const fresh = (await listExecutions()).filter((e) => !known.has(e.id));
			return fresh.length >= count && fresh.every((e) => !['new', 'running', 'waiting'].includes(e.status ?? '')) ? fresh : undefined;
		});
	const knownIds = async () => new Set((await listExecutions()).map((e) => e.id));
	const runOf = async (id: string): Promise<WorkflowRun['data']> => {
		const detail = await rest.request<{ data?: { data?: string } }>('GET', `/rest/executions/${id}`);
		expectEqual(detail.status, 200, `GET /rest/executions/${id}`);
		expectTrue(typeof detail.body.data?.data === 'string', `execution ${id} came without its run data`);
		return parse(detail.body.data.data) as WorkflowRun['data'];
	};
	const itemsOf = async (id: string): Promise<RunItem[]> => {
		const runs = (await runOf(id)).resultData.runData[NODE] ?? [];
		return runs[runs.length - 1]?.data?.main?.[0] ?? [];
	};
	const postLeads = async (leads: Array<{ phone: string; windowMinutes: number }>) => {
		const response = await fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ leads }), signal: AbortSignal.timeout(15_000) });
		expectEqual(response.status, 200, `POST ${webhookUrl}`);
	};

	const active = await checks.check(activates, async () => {
		workflowId = await activateWorkflow(instance, server, rest, { workflowId: WORKFLOW_ID, file: FILE, webhookUrl });
	});
	if (!active) {
		for (const name of [twice, retried, windowEnds]) checks.skip(name, 'the lead workflow did not start');
		return;
	}

	await checks.check(twice, async () => {
		const known = await knownIds();
		const lead = [{ phone: TWICE, windowMinutes: 10 }];
		await Promise.all([postLeads(lead), postLeads(lead)]);
		const runs = await newExecutions(known, 2);
		expectEqual(runs.map((e) => e.status), ['success', 'success'], 'status of the two executions');
		const items = (await Promise.all(runs.map(async (e) => (await itemsOf(e.id))[0]?.json ?? {}))).sort((a, b) => Number(a.skipped) - Number(b.skipped));
		expectEqual(
			items.map((json) => [json.to, json.skipped, json.reason ?? null]),
			[
				[TWICE, false, null],
				[TWICE, true, 'repeatCall'],
			],
			'[to, skipped, reason] of the two executions\' items',
		);
		expectEqual([...asked(sandbox, TWICE), ...placed(sandbox, TWICE)], [1, 1], '[callBack requests, calls placed] for the lead at the sandbox');
		checks.note(`two executions for ${TWICE}: ${asked(sandbox, TWICE)[0]} callBack request at the sandbox`);
	});

	await checks.check(retried, async () => {
		sandbox.addFault({ match: { path: '/Calls/callBack', to: RETRY_C }, fault: { kind: 'respCode', code: '104113' }, times: 1 });
		const known = await knownIds();
		await postLeads([RETRY_A, RETRY_B, RETRY_C].map((phone) => ({ phone, windowMinutes: 10 })));
		const [failed] = await newExecutions(known, 1);
		expectEqual(failed.status, 'error', 'status of the execution whose third call was refused');
		const stopped = await runOf(failed.id);
		const error = stopped.resultData.runData[NODE]?.[0]?.error;
		expectTrue(/Retry in the Executions list/.test(error?.description ?? ''), `the error that stopped the run does not say what Retry does: ${error?.description ?? ''}`);
		expectEqual(placed(sandbox, RETRY_A, RETRY_B, RETRY_C), [1, 1, 0], 'calls placed before the retry [A, B, C]');

		const afterFailure = await knownIds();
		const retry = await rest.request('POST', `/rest/executions/${failed.id}/retry`, { loadWorkflow: false });
		expectEqual(retry.status, 200, `POST /rest/executions/${failed.id}/retry (${retry.text.slice(0, 300)})`);
		const [again] = await newExecutions(afterFailure, 1);
		expectEqual([again.mode, again.status], ['retry', 'success'], '[mode, status] of the retried execution');
		const items = await itemsOf(again.id);
		expectEqual(
			items.map((item) => [item.json.to, item.json.skipped]),
			[
				[RETRY_A, true],
				[RETRY_B, true],
				[RETRY_C, false],
			],
			'[to, skipped] of the retried execution\'s items',
		);
		expectEqual(placed(sandbox, RETRY_A, RETRY_B, RETRY_C), [1, 1, 1], 'calls placed after the retry [A, B, C]');
		checks.note(`Executions-list Retry: calls placed A ${placed(sandbox, RETRY_A)[0]}, B ${placed(sandbox, RETRY_B)[0]}, C ${placed(sandbox, RETRY_C)[0]}`);
	});

	await checks.check(windowEnds, async () => {
		const lead = [{ phone: WINDOW, windowMinutes: SHORT_WINDOW_MINUTES }];
		let known = await knownIds();
		await postLeads(lead);
		await newExecutions(known, 1);
		known = await knownIds();
		await postLeads(lead);
		const [held] = await newExecutions(known, 1);
		const skipped = (await itemsOf(held.id))[0]?.json ?? {};
		expectEqual([skipped.skipped, skipped.reason], [true, 'repeatCall'], '[skipped, reason] within the window');
		const retryAfter = Date.parse(String(skipped.retryAfter));
		expectTrue(Number.isFinite(retryAfter), `retryAfter is not a date: ${String(skipped.retryAfter)}`);
		expectEqual(placed(sandbox, WINDOW), [1], 'calls placed within the window');

		await sleep(Math.max(0, retryAfter - Date.now()) + 200);
		known = await knownIds();
		await postLeads(lead);
		const [later] = await newExecutions(known, 1);
		const json = (await itemsOf(later.id))[0]?.json ?? {};
		expectEqual([json.skipped, json.to], [false, WINDOW], '[skipped, to] after the window');
		expectEqual(placed(sandbox, WINDOW), [2], 'calls placed after the window');
		expectEqual(DEFAULT_ACCOUNT.clientNumber, json.fromClient, 'the caller of the call placed after the window');
	});
}
