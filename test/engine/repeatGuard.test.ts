/**
 * Never ring anyone twice, across executions: the repeat-call guard keeps its reservations in
 * n8n's deduplication store (here n8n-core's own DataDeduplicationService over a stand-in for the
 * app's non-atomic store), so a second execution for the same callee is skipped, whatever started
 * it. Counted where it matters, at the sandbox.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { DEFAULT_ACCOUNT, type Sandbox } from '../../sandbox';
import { deduplicationStore, type DeduplicationStoreDouble } from '../harness/deduplicationStore';
import { runAsAgentTool, runCallbackNode, type NodeRunOptions } from '../harness/engine';
import { sandboxCredentials } from '../harness/sandboxAccount';
import { calleesFrom, useSandbox } from '../harness/testSandbox';

let sandbox: Sandbox;
let store: DeduplicationStoreDouble;
useSandbox((started) => (sandbox = started));
beforeAll(async () => (store = await deduplicationStore()));
beforeEach(() => store.clear());
const freshCallee = calleesFrom(13700000000);

/** Place Callback as a new node saves it (version 2: the guard on by default), run as production runs (a webhook). */
function place(items: IDataObject[], parameters: INodeParameters = {}, extra: Partial<NodeRunOptions> = {}) {
	const { options, ...rest } = parameters;
	return runCallbackNode({
		parameters: { operation: 'placeCall', fromClient: DEFAULT_ACCOUNT.clientNumber, to: '={{ $json.to }}', ...rest, options: { ...(options as INodeParameters | undefined) } },
		credentials: sandboxCredentials(sandbox),
		items,
		typeVersion: 2,
		mode: 'webhook',
		...extra,
	});
}

const callBackTo = (callee: string) => sandbox.requests.filter((r) => r.path.endsWith('/Calls/callBack') && (JSON.parse(r.body) as { callback: { to: string } }).callback.to === callee);
/** Per callee: calls placed at the sandbox. */
const placed = (...callees: string[]) => callees.map((to) => sandbox.calls.filter((c) => c.to === to).length);
/** Waits until every call to `to` has ended: the sandbox, like UCPaaS, refuses a callee still in a call (104113). */
const ended = async (to: string) => {
	for (const call of sandbox.calls.filter((c) => c.to === to)) await sandbox.whenCallSettled(call.callId);
};
const refuseOnce = (to: string, code: string) => sandbox.addFault({ match: { path: '/Calls/callBack', to }, fault: { kind: 'respCode', code }, times: 1 });
const loseReplyOnce = (to: string) => sandbox.addFault({ match: { path: '/Calls/callBack', to }, fault: { kind: 'reset' }, processFirst: true, times: 1 });

describe('a second execution for the same callee within the window', () => {
	test('is skipped, as data saying why, when the earlier call was placed and its callId', async () => {
		const to = freshCallee();
		const first = await place([{ to }]);
		const second = await place([{ to }]);

		expect(placed(to)).toEqual([1]);
		expect(callBackTo(to)).toHaveLength(1);
		expect(first.output[0].json).toMatchObject({ to, skipped: false, callId: expect.any(String) });
		const skipped = second.output[0].json;
		expect(skipped).toMatchObject({
			skipped: true,
			reason: 'repeatCall',
			to,
			repeatWindowMinutes: 10,
			manualRun: false,
			earlierCall: { callId: first.output[0].json.callId, outcome: 'placed' },
		});
		expect(skipped.message).toMatch(new RegExp(`^Not called: ${to} was called at .+ \\(callId ${String(first.output[0].json.callId)}\\), within the 10-minute repeat window\\. It may be called again from `));
		const earlier = skipped.earlierCall as IDataObject;
		const placedAt = Date.parse(String(earlier.placedAt));
		// Held at least the window, at most a fifth longer.
		const retryAfter = Date.parse(String(skipped.retryAfter));
		expect(retryAfter - placedAt).toBeGreaterThanOrEqual(10 * 60_000);
		expect(retryAfter - placedAt).toBeLessThanOrEqual(12 * 60_000);
		expect(Date.parse(String(earlier.placedAfter))).toBeLessThanOrEqual(placedAt);
		expect(second.output[0].pairedItem).toEqual({ item: 0 });
		expect(second.error).toBeUndefined();
	});

	test('+86, spaces and dashes make no other person: one call', async () => {
		const to = freshCallee();
		await place([{ to }]);
		const second = await place([{ to: `+86 ${to.slice(0, 3)}-${to.slice(3, 7)}-${to.slice(7)}` }]);

		expect(placed(to)).toEqual([1]);
		expect(second.output[0].json).toMatchObject({ skipped: true, to });
	});

	test('after the window the callee is called again', async () => {
		const to = freshCallee();
		await place([{ to }], { repeatWindowMinutes: 0.1 });
		const held = await place([{ to }], { repeatWindowMinutes: 0.1 });
		expect(held.output[0].json.skipped).toBe(true);

		await ended(to);
		await sleep(Math.max(0, Date.parse(String(held.output[0].json.retryAfter)) - Date.now()) + 50);
		const later = await place([{ to }], { repeatWindowMinutes: 0.1 });
		expect(later.output[0].json).toMatchObject({ skipped: false, callId: expect.any(String) });
		expect(placed(to)).toEqual([2]);
	}, 20_000);

	test('a call the platform certainly refused (104113, callee busy) gives its reservation back: the next execution places it', async () => {
		const to = freshCallee();
		refuseOnce(to, '104113');
		const refused = await place([{ to }]);
		expect(refused.error?.message).toMatch(/^UCPaaS refused the request: 104113 /);
		const again = await place([{ to }]);

		expect(again.output[0].json).toMatchObject({ skipped: false, callId: expect.any(String) });
		expect([callBackTo(to).length, ...placed(to)]).toEqual([2, 1]);
	});

	test('a call that may have been placed (its reply was lost) keeps its hold, and the skipped item says so', async () => {
		const to = freshCallee();
		loseReplyOnce(to);
		const lost = await place([{ to }]);
		expect(lost.error?.description).toMatch(/may have reached UCPaaS/);
		const again = await place([{ to }]);

		expect([callBackTo(to).length, ...placed(to)]).toEqual([1, 1]);
		expect(again.output[0].json).toMatchObject({ skipped: true, earlierCall: { callId: null, outcome: 'mayHaveBeenPlaced' } });
		expect(again.output[0].json.message).toMatch(/may have been called at .+ \(the reply was lost\)/);
	});

	test('a v1 node (saved before the guard) calls again, as before, unless the guard is switched on', async () => {
		const to = freshCallee();
		await place([{ to }], {}, { typeVersion: 1 });
		await ended(to);
		const second = await place([{ to }], {}, { typeVersion: 1 });
		expect(placed(to)).toEqual([2]);
		expect(second.output[0].json.skipped).toBeUndefined();

		await ended(to);
		const guarded = await place([{ to }], { repeatGuard: true }, { typeVersion: 1 });
		const held = await place([{ to }], { repeatGuard: true }, { typeVersion: 1 });
		expect(guarded.output[0].json.skipped).toBe(false);
		expect(held.output[0].json.skipped).toBe(true);
		expect(placed(to)).toEqual([3]);
	});

	test('with the guard off (v2), every execution calls', async () => {
		const to = freshCallee();
		await place([{ to }], { repeatGuard: false });
		await ended(to);
		await place([{ to }], { repeatGuard: false });
		expect(placed(to)).toEqual([2]);
	});
});

describe('Retry in the Executions list (a new execution of the failed node, with all its items)', () => {
	test('rings only the callee that had not been placed; the error that stopped the run says so', async () => {
		const [a, b, c] = [freshCallee(), freshCallee(), freshCallee()];
		refuseOnce(c, '104113');
		const failed = await place([{ to: a }, { to: b }, { to: c }]);
		expect(failed.error?.description).toMatch(/Retry in the Executions list .* skips the calls placed and places only the items that were not/);

		const retried = await place([{ to: a }, { to: b }, { to: c }], {}, { mode: 'retry' });
		expect(retried.error).toBeUndefined();
		expect(retried.output.map((item) => [item.json.to, item.json.skipped])).toEqual([
			[a, true],
			[b, true],
			[c, false],
		]);
		expect(placed(a, b, c)).toEqual([1, 1, 1]);
	});

	test('items never sent because an earlier item stopped the run are given back too', async () => {
		const [a, b] = [freshCallee(), freshCallee()];
		refuseOnce(a, '104113');
		const failed = await place([{ to: a }, { to: b }]);
		expect(failed.error).toBeDefined();
		expect(callBackTo(b)).toHaveLength(0);

		const retried = await place([{ to: a }, { to: b }], {}, { mode: 'retry' });
		expect(retried.output.map((item) => item.json.skipped)).toEqual([false, false]);
		expect(placed(a, b)).toEqual([1, 1]);
	});
});

describe('what identifies "the same call"', () => {
	const byLead = { repeatKey: 'custom', repeatCustomKey: '={{ $json.leadId }}' };

	test('a repeat key (a CRM lead id): one call per lead, whatever number it gives', async () => {
		const [a, b, c] = [freshCallee(), freshCallee(), freshCallee()];
		const lead = `lead-${a}`;
		await place([{ to: a, leadId: lead }], byLead);
		const sameLead = await place([{ to: b, leadId: lead }], byLead);
		const otherLead = await place([{ to: c, leadId: `${lead}-other` }], byLead);

		expect(placed(a, b, c)).toEqual([1, 0, 1]);
		expect(sameLead.output[0].json).toMatchObject({ skipped: true, repeatKey: lead });
		expect(sameLead.output[0].json.message).toMatch(new RegExp(`^Not called: repeat key "${lead}" was called`));
		expect(otherLead.output[0].json.skipped).toBe(false);
	});

	test('an empty repeat key is refused before anything is sent, naming the item and the field', async () => {
		const to = freshCallee();
		const run = await place([{ to, leadId: 'x' }, { to: freshCallee(), leadId: '' }], byLead);
		expect(run.error?.message).toBe('Item 2: "Repeat Key" (repeatCustomKey) is empty: map a value that identifies the call, e.g. {{ $json.leadId }}, or set Same Call Means to Same Callee Number');
		expect(sandbox.requests).toHaveLength(0);
	});

	test('the same callee twice in one run: the first is placed, the second says which item holds it', async () => {
		const to = freshCallee();
		const run = await place([{ to }, { to }]);
		expect(placed(to)).toEqual([1]);
		expect(run.output[1].json).toMatchObject({ skipped: true, earlierCall: { item: 0 } });
		expect(run.output[1].json.message).toMatch(/Item 1 of this run asks for the same call/);
	});
});

describe('scopes and workflows', () => {
	test('whole workflow (default): another Place Callback node of the workflow is held too; This Node: it is not', async () => {
		const to = freshCallee();
		await place([{ to }], {}, { nodeName: 'Call lead' });
		const otherNode = await place([{ to }], {}, { nodeName: 'Call again' });
		expect(otherNode.output[0].json.skipped).toBe(true);

		const other = freshCallee();
		const nodeScope = { options: { repeatScope: 'node' } };
		await place([{ to: other }], nodeScope, { nodeName: 'Call lead' });
		await ended(other);
		const elsewhere = await place([{ to: other }], nodeScope, { nodeName: 'Call again' });
		const sameNode = await place([{ to: other }], nodeScope, { nodeName: 'Call lead' });
		expect([elsewhere.output[0].json.skipped, sameNode.output[0].json.skipped]).toEqual([false, true]);
		expect(placed(to, other)).toEqual([1, 2]);
	});

	test('another workflow calls the same callee: the guard is per workflow', async () => {
		const to = freshCallee();
		await place([{ to }], {}, { workflowId: 'workflow-a' });
		await ended(to);
		const other = await place([{ to }], {}, { workflowId: 'workflow-b' });
		expect(other.output[0].json.skipped).toBe(false);
		expect(placed(to)).toEqual([2]);
	});
});

describe('manual runs (Execute step in the editor)', () => {
	test('are guarded among themselves, apart from production, and a skipped one says how to call again now', async () => {
		const to = freshCallee();
		const manual = await place([{ to }], {}, { mode: 'manual' });
		await ended(to);
		const production = await place([{ to }], {}, { mode: 'webhook' });
		const manualAgain = await place([{ to }], {}, { mode: 'manual' });

		expect([manual, production].map((run) => run.output[0].json.skipped)).toEqual([false, false]);
		expect(manualAgain.output[0].json).toMatchObject({ skipped: true, manualRun: true });
		expect(manualAgain.output[0].json.message).toMatch(/repeat window of manual runs\. .* set Options > Manual Runs to Not Guarded/);
		expect(placed(to)).toEqual([2]);
	});

	test('Manual Runs: Not Guarded places every manual run', async () => {
		const to = freshCallee();
		const unguarded = { options: { manualRuns: 'unguarded' } };
		await place([{ to }], unguarded, { mode: 'manual' });
		await ended(to);
		const again = await place([{ to }], unguarded, { mode: 'manual' });
		expect(again.output[0].json.skipped).toBeUndefined();
		expect(placed(to)).toEqual([2]);
	});
});

describe('Skipped Items: Fail the Item', () => {
	test('stops the run with the explanation, and nothing is sent', async () => {
		const to = freshCallee();
		await place([{ to }]);
		const run = await place([{ to }], { options: { whenSkipped: 'error' } });
		expect(run.error?.message).toMatch(new RegExp(`^Item 1: not called: ${to} was called at `));
		expect(run.error?.description).toMatch(/^Nothing was sent for this item\./);
		expect(callBackTo(to)).toHaveLength(1);
	});

	test('with the error output, the skipped item goes there, saying no call was placed for it', async () => {
		const to = freshCallee();
		await place([{ to }]);
		await ended(to);
		const run = await place([{ to }], { options: { whenSkipped: 'error' } }, { onError: 'continueErrorOutput' });
		expect(run.errorOutput[0].json.message).toMatch(new RegExp(`^Item 1: not called: ${to} was called at `));
		expect(run.errorOutput[0].json.error).toMatchObject({ callMayHaveBeenPlaced: false });
		expect(placed(to)).toEqual([1]);
	});
});

describe('as an AI agent\'s tool', () => {
	test('the agent\'s second call to the same number within the window is not placed, and the agent reads why', async () => {
		const to = freshCallee();
		const run = await runAsAgentTool({
			parameters: { operation: 'placeCall', fromClient: DEFAULT_ACCOUNT.clientNumber, to: "={{ $fromAI('to', 'The number to call', 'string') }}", options: {} },
			calls: [{ to }, { to }],
			credentials: sandboxCredentials(sandbox),
			typeVersion: 2,
			mode: 'webhook',
		});
		expect(placed(to)).toEqual([1]);
		expect(run.results[0].result).toMatch(/"callId"/);
		expect(run.results[1].result).toMatch(new RegExp(`Not called: ${to} was called at .+ within the 10-minute repeat window`));
	});
});

describe('when the store fails', () => {
	test('nothing is sent, and the item says why', async () => {
		const to = freshCallee();
		// n8n's store refuses a workflow without an id; the node sends nothing rather than guess.
		const failing = jest.spyOn(store, 'checkProcessedAndRecord').mockRejectedValue(new Error('connection to the database lost'));
		try {
			const run = await place([{ to }]);
			expect(run.error?.message).toBe(`Item 1: not called: the repeat-call guard could not make sure ${to} was not called already`);
			expect(run.error?.description).toMatch(/^Nothing was sent for this item: n8n's deduplication store failed: connection to the database lost\./);
			expect(callBackTo(to)).toHaveLength(0);
		} finally {
			failing.mockRestore();
		}
	}, 20_000);
});

describe('calling hours', () => {
	/** HH:MM in `timeZone`, `minutes` from now. */
	const localTime = (timeZone: string, minutes: number) =>
		new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(Date.now() + minutes * 60_000));
	const hours = (timeZone: string, start: string, end: string) => ({ repeatGuard: false, callingHours: true, callingTimeZone: timeZone, callingStart: start, callingEnd: end });

	test.each(['Asia/Shanghai', 'America/New_York'])('outside them (in %s), nothing is sent and the item gives the next window start', async (timeZone) => {
		const to = freshCallee();
		const start = localTime(timeZone, 120);
		const run = await place([{ to }], hours(timeZone, start, localTime(timeZone, 180)));

		expect(callBackTo(to)).toHaveLength(0);
		const json = run.output[0].json;
		expect(json).toMatchObject({ skipped: true, reason: 'outsideCallingHours', to });
		expect(json.retryAfter).toBe(json.nextWindowStart);
		// Two hours from now, to the minute, written in the zone's own offset.
		const next = Date.parse(String(json.nextWindowStart));
		expect(Math.abs(next - (Date.now() + 120 * 60_000))).toBeLessThan(61_000);
		expect(String(json.nextWindowStart)).toMatch(new RegExp(`T${start}:00[+-]\\d\\d:\\d\\d$`));
		expect(json.message).toMatch(/^Not called: outside the calling hours \(/);
	});

	test('inside them the call is placed', async () => {
		const to = freshCallee();
		const run = await place([{ to }], hours('Asia/Shanghai', localTime('Asia/Shanghai', -5), localTime('Asia/Shanghai', 60)));
		expect(run.output[0].json).toMatchObject({ skipped: false, callId: expect.any(String) });
	});

	test('a bad time is refused before anything is sent, naming the field', async () => {
		const run = await place([{ to: freshCallee() }], hours('Asia/Shanghai', '9 am', '21:00'));
		expect(run.error?.message).toMatch(/^Item 1: "Calling Hours Start" \(callingStart\) /);
		expect(sandbox.requests).toHaveLength(0);
	});
});
