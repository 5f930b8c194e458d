/**
 * Never ring anyone twice: whatever n8n does around the node within one execution (Retry On Fail,
 * the retry of a continue-on-fail run whose first item failed, a tool retried by an agent), one
 * item places at most one call. Counted where it matters, at the sandbox: the calls it placed and
 * the callBack requests it received, per callee.
 */
import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_ACCOUNT, startSandbox, type Sandbox } from '../../sandbox';
import { runAsAgentTool, runCallbackNode, type NodeRunOptions } from '../harness/engine';
import { sandboxCredentials } from '../harness/sandboxAccount';
import { calleesFrom, useSandbox } from '../harness/testSandbox';

let sandbox: Sandbox;
useSandbox((started) => (sandbox = started));
const freshCallee = calleesFrom(13500000000);

const RETRY = { maxTries: 3, waitBetweenTries: 0 };

function place(items: IDataObject[], extra: Partial<NodeRunOptions> = {}) {
	return runCallbackNode({
		parameters: { operation: 'placeCall', fromClient: DEFAULT_ACCOUNT.clientNumber, to: '={{ $json.to }}', options: {} },
		credentials: sandboxCredentials(sandbox),
		items,
		...extra,
	});
}

const callBackTo = (callee: string) => sandbox.requests.filter((r) => r.path.endsWith('/Calls/callBack') && (JSON.parse(r.body) as { callback: { to: string } }).callback.to === callee);
/** Per callee: [callBack requests received, calls placed]. */
const counts = (...callees: string[]) => callees.map((to) => [callBackTo(to).length, sandbox.calls.filter((c) => c.to === to).length]);
const placedCallId = (to: string) => sandbox.calls.find((c) => c.to === to)?.callId;

/** The platform refuses the next call to `to` with `code`: nothing is placed. */
const refuseOnce = (to: string, code: string) => sandbox.addFault({ match: { path: '/Calls/callBack', to }, fault: { kind: 'respCode', code }, times: 1 });
/** The platform places the next call to `to`, and its reply is lost on the way back. */
const loseReplyOnce = (to: string, fault: { kind: 'reset' } | { kind: 'status'; status: number } = { kind: 'reset' }) =>
	sandbox.addFault({ match: { path: '/Calls/callBack', to }, fault, processFirst: true, times: 1 });

describe('Retry On Fail (n8n runs the node again with all its items, same run index)', () => {
	test('a refused item is sent again and placed; the items placed before it are not placed again, and keep their callIds', async () => {
		const [a, b, c] = [freshCallee(), freshCallee(), freshCallee()];
		refuseOnce(b, '104113');
		const run = await place([{ to: a }, { to: b }, { to: c }], { retry: RETRY });

		expect(run.error).toBeUndefined();
		expect(counts(a, b, c)).toEqual([
			[1, 1],
			[2, 1],
			[1, 1],
		]);
		expect(run.output.map((item) => [item.json.to, item.json.callId, item.pairedItem])).toEqual([
			[a, placedCallId(a), { item: 0 }],
			[b, placedCallId(b), { item: 1 }],
			[c, placedCallId(c), { item: 2 }],
		]);
	});

	test.each([
		['a reset connection', { kind: 'reset' } as const, /^The connection to UCPaaS was closed before the reply was complete$/],
		['HTTP 502 from a proxy', { kind: 'status', status: 502 } as const, /^UCPaaS answered HTTP 502 instead of a result$/],
	])('a placed call whose reply was lost (%s) is never sent again; the run fails with that item\'s "may have been placed" error', async (_name, fault, message) => {
		const [a, d] = [freshCallee(), freshCallee()];
		loseReplyOnce(d, fault);
		const run = await place([{ to: a }, { to: d }], { retry: RETRY });

		expect(counts(a, d)).toEqual([
			[1, 1],
			[1, 1],
		]);
		expect(run.error?.message).toMatch(message);
		expect(run.error?.description).toMatch(/may have reached UCPaaS, and the phones may be ringing/);
		expect(run.error?.description).toMatch(/not sent again when n8n ran this node again/);
		// What already happened is listed, with the callId the first try got.
		expect(run.error?.description).toContain(`Item 1: callId ${placedCallId(a)} to ${a}`);
	});

	test('with a wait between tries, the memory still holds', async () => {
		const d = freshCallee();
		loseReplyOnce(d);
		const run = await place([{ to: d }], { retry: { maxTries: 2, waitBetweenTries: 300 } });
		expect(run.error?.message).toMatch(/^The connection to UCPaaS was closed/);
		expect(counts(d)).toEqual([[1, 1]]);
	});

	test('Items per Batch 3: items in flight together are each placed once, and nothing starts after the first uncertain item', async () => {
		const callees = Array.from({ length: 6 }, freshCallee);
		refuseOnce(callees[2], '104113');
		loseReplyOnce(callees[4]);
		const run = await place(
			callees.map((to) => ({ to })),
			{ retry: RETRY, parameters: { operation: 'placeCall', fromClient: DEFAULT_ACCOUNT.clientNumber, to: '={{ $json.to }}', options: { batching: { batch: { batchSize: 3 } } } } },
		);

		expect(counts(...callees)).toEqual([
			[1, 1],
			[1, 1],
			[2, 1],
			[1, 1],
			[1, 1],
			[0, 0],
		]);
		expect(run.error?.message).toMatch(/^The connection to UCPaaS was closed/);
		for (const index of [0, 1, 2, 3]) expect(run.error?.description).toContain(`Item ${index + 1}: callId ${placedCallId(callees[index])} to ${callees[index]}`);
	});
});

describe('continue (using error output) with Retry On Fail (n8n runs the node again while its first item is an error)', () => {
	test('the refused first item is sent again and placed; the second is not placed again', async () => {
		const [a, b] = [freshCallee(), freshCallee()];
		refuseOnce(a, '104113');
		const run = await place([{ to: a }, { to: b }], { retry: RETRY, onError: 'continueErrorOutput' });

		expect(counts(a, b)).toEqual([
			[2, 1],
			[1, 1],
		]);
		expect(run.errorOutput).toEqual([]);
		expect(run.output.map((item) => item.json.callId)).toEqual([placedCallId(a), placedCallId(b)]);
	});

	test('an uncertain first item stays on the error output, sent once, saying a call may have been placed', async () => {
		const [a, b] = [freshCallee(), freshCallee()];
		loseReplyOnce(a);
		const run = await place([{ to: a, lead: 'lead-a' }, { to: b, lead: 'lead-b' }], { retry: RETRY, onError: 'continueErrorOutput' });

		expect(counts(a, b)).toEqual([
			[1, 1],
			[1, 1],
		]);
		expect(run.output.map((item) => item.json.callId)).toEqual([placedCallId(b)]);
		expect(run.errorOutput).toHaveLength(1);
		const [failed] = run.errorOutput;
		expect(failed.pairedItem).toEqual({ item: 0 });
		expect(failed.json).toMatchObject({
			to: a,
			lead: 'lead-a',
			message: 'The connection to UCPaaS was closed before the reply was complete',
			error: { respCode: null, callMayHaveBeenPlaced: true, message: 'The connection to UCPaaS was closed before the reply was complete' },
		});
	});
});

describe('what a failed item says, as data (error output)', () => {
	test('refused by the platform: its respCode and callMayHaveBeenPlaced false; a bad value: no respCode, false; input fields kept', async () => {
		const [refused, fine] = [freshCallee(), freshCallee()];
		refuseOnce(refused, '100001');
		const run = await place([{ to: refused, lead: 1 }, { to: 'call me', lead: 2 }, { to: fine, lead: 3 }], { onError: 'continueErrorOutput' });

		expect(run.errorOutput.map((item) => [item.pairedItem, item.json.lead, (item.json.error as IDataObject).respCode, (item.json.error as IDataObject).callMayHaveBeenPlaced])).toEqual([
			[{ item: 0 }, 1, '100001', false],
			[{ item: 1 }, 2, null, false],
		]);
		const [first] = run.errorOutput;
		expect(first.json.message).toBe('UCPaaS refused the request: 100001 Insufficient balance');
		expect((first.json.error as IDataObject).description).toMatch(/^Top up the balance/);
		expect(run.output.map((item) => [item.json.to, item.pairedItem])).toEqual([[fine, { item: 2 }]]);
	});

	test('an internal platform error (100699) may have taken effect: true, and it is not sent again on a retry', async () => {
		const a = freshCallee();
		sandbox.addFault({ match: { path: '/Calls/callBack', to: a }, fault: { kind: 'respCode', code: '100699' }, processFirst: true, times: 1 });
		const run = await place([{ to: a }], { retry: RETRY, onError: 'continueErrorOutput' });
		expect(counts(a)).toEqual([[1, 1]]);
		expect(run.errorOutput[0].json.error).toMatchObject({ respCode: '100699', callMayHaveBeenPlaced: true });
	});
});

describe('what is a new intention, and places again', () => {
	test('a node in a loop places once per lap (each lap is a new run index), a retry within a lap does not', async () => {
		const laps = [freshCallee(), freshCallee(), freshCallee()];
		const base = Number(laps[0]);
		refuseOnce(laps[1], '104113');
		const run = await runCallbackNode({
			parameters: { operation: 'placeCall', fromClient: DEFAULT_ACCOUNT.clientNumber, to: `={{ String(${base} + $runIndex) }}`, options: {} },
			credentials: sandboxCredentials(sandbox),
			items: [{}],
			loop: 3,
			retry: RETRY,
		});

		expect(counts(...laps)).toEqual([
			[1, 1],
			[2, 1],
			[1, 1],
		]);
		expect(run.runs.map((lap) => lap.data?.main[0]?.[0]?.json.callId)).toEqual(laps.map(placedCallId));
	});

	test('two executions of the same workflow place twice: each is a new intention', async () => {
		const a = freshCallee();
		const first = await place([{ to: a }], { retry: RETRY });
		await sandbox.whenCallSettled(first.output[0].json.callId as string);
		const second = await place([{ to: a }], { retry: RETRY });

		expect(counts(a)).toEqual([[2, 2]]);
		expect(second.output[0].json.callId).not.toBe(first.output[0].json.callId);
	});
});

describe('Cancel Callback with Retry On Fail', () => {
	test('a cancel that went through is not sent again when a later item makes n8n retry; the refused one is sent on every try', async () => {
		const ringing = await startSandbox({ quiet: true, call: { delays: { ringMs: 60_000, talkMs: 50 } } });
		try {
			const placed = await runCallbackNode({
				parameters: { operation: 'placeCall', fromClient: DEFAULT_ACCOUNT.clientNumber, to: '={{ $json.to }}', options: {} },
				credentials: sandboxCredentials(ringing),
				items: [{ to: freshCallee() }, { to: freshCallee() }],
			});
			const [a, b] = placed.output.map((item) => item.json.callId as string);
			ringing.clearRequests();
			// B names an application the account does not have: refused (certainly not cancelled) on every try.
			const cancels = await runCallbackNode({
				parameters: { operation: 'cancelCall', callId: '={{ $json.callId }}', appId: '={{ $json.appId }}', options: {} },
				credentials: sandboxCredentials(ringing),
				items: [
					{ callId: a, appId: DEFAULT_ACCOUNT.appId },
					{ callId: b, appId: 'f'.repeat(32) },
				],
				retry: RETRY,
			});
			const cancelsOf = (callId: string) => ringing.requests.filter((r) => r.path.endsWith('/Calls/callCancel') && r.body.includes(callId));
			expect([cancelsOf(a).length, cancelsOf(b).length]).toEqual([1, 3]);
			expect(cancels.error?.message).toMatch(/^UCPaaS refused the request: 10210\d /);
			expect(cancels.error?.description).toContain(`Item 1: callId ${a} cancelled`);
			expect((await ringing.whenCallSettled(a)).reason).toBe(8);
		} finally {
			await ringing.stop();
		}
	});
});

describe('as an AI agent\'s tool (n8n gives every try a new run index and the same arguments)', () => {
	const toolParameters = { operation: 'placeCall', fromClient: DEFAULT_ACCOUNT.clientNumber, to: "={{ $fromAI('to', 'the callee phone number', 'string') }}", options: {} };

	test('a lost reply is not sent again by the tool\'s retries; the agent reads that the call may have been placed', async () => {
		const d = freshCallee();
		loseReplyOnce(d);
		const run = await runAsAgentTool({ parameters: toolParameters, calls: [{ to: d }], credentials: sandboxCredentials(sandbox), retry: RETRY });

		expect(counts(d)).toEqual([[1, 1]]);
		expect(run.toolRuns).toHaveLength(3);
		expect(run.results).toHaveLength(1);
		expect(run.results[0].thrown).toMatch(/The connection to UCPaaS was closed before the reply was complete/);
		expect(run.results[0].thrown).toMatch(/may have reached UCPaaS, and the phones may be ringing/);
	});

	test('without an execution id (the MCP Server Trigger runs its tools from the webhook, before n8n makes the execution), the tries of one call are still one call', async () => {
		const d = freshCallee();
		loseReplyOnce(d);
		const run = await runAsAgentTool({ parameters: toolParameters, calls: [{ to: d }], credentials: sandboxCredentials(sandbox), retry: RETRY, executionId: null });
		expect(counts(d)).toEqual([[1, 1]]);
		expect(run.results[0].thrown).toMatch(/not sent again when n8n ran this node again/);
	});

	test('a refused call is retried by the tool and placed once', async () => {
		const a = freshCallee();
		refuseOnce(a, '104113');
		const run = await runAsAgentTool({ parameters: toolParameters, calls: [{ to: a }], credentials: sandboxCredentials(sandbox), retry: RETRY });
		expect(counts(a)).toEqual([[2, 1]]);
		expect(JSON.parse(run.results[0].result ?? '[]')).toEqual([expect.objectContaining({ to: a, callId: placedCallId(a) })]);
	});

	test('an agent that deliberately calls the same number again after a placed call places it again', async () => {
		const a = freshCallee();
		// The sandbox's call lasts about 40 ms: the agent's second call comes after it ended.
		const run = await runAsAgentTool({ parameters: toolParameters, calls: [{ to: a }, { to: a }], credentials: sandboxCredentials(sandbox), retry: RETRY, pauseMs: 300 });
		expect(counts(a)).toEqual([[2, 2]]);
		const callIds = run.results.map((r) => (JSON.parse(r.result ?? '[]') as Array<{ callId?: string }>)[0]?.callId);
		expect(callIds).toEqual(sandbox.calls.filter((c) => c.to === a).map((c) => c.callId));
	});

	test('an agent that calls the same number again after a "may have been placed" answer makes a new tool call, which is sent: its own decision, against the advice it was given', async () => {
		const d = freshCallee();
		loseReplyOnce(d);
		const run = await runAsAgentTool({ parameters: toolParameters, calls: [{ to: d }, { to: d }], credentials: sandboxCredentials(sandbox), retry: RETRY, pauseMs: 300 });
		expect(run.results[0].thrown).toMatch(/Do not send it again until/);
		// The first call's retries sent nothing; the agent's second call was sent (and placed: the first call had ended).
		expect(counts(d)).toEqual([[2, 2]]);
	});
});
