import { mustRemember, NeverTwiceMemory, type RunIdentity } from '../../nodes/UcpaasCallback/actions/neverTwice';

const run = (runIndex: number, executionId = 'exec-1', node = 'node-1'): RunIdentity => ({ kind: 'nodeRun', executionId, node, runIndex });
const done = (callId: string) => ({ kind: 'done' as const, result: { json: { callId }, summary: `callId ${callId}` } });

describe('NeverTwiceMemory', () => {
	let clock = 0;
	const now = () => clock;
	beforeEach(() => {
		clock = 1_000_000;
	});

	test('a later try of the same node run recalls what an earlier try remembered; another run index, execution or node does not', () => {
		const memory = new NeverTwiceMemory(now, 60_000, 100);
		const first = memory.open(run(0));
		first.remember(0, done('aaa'));
		first.close();

		const retry = memory.open(run(0));
		expect(retry.recall(0)).toEqual(done('aaa'));
		expect(retry.recall(1)).toBeUndefined();
		retry.close();
		for (const other of [run(1), run(0, 'exec-2'), run(0, 'exec-1', 'node-2')]) {
			const ledger = memory.open(other);
			expect(ledger.recall(0)).toBeUndefined();
			ledger.close();
		}
	});

	test('a tool call is its arguments object: every try of the call shares it, a new call with equal arguments does not', () => {
		const memory = new NeverTwiceMemory(now, 60_000, 100);
		const args = { to: '13900000001' };
		const first = memory.open({ kind: 'toolCall', call: args });
		first.remember(0, done('bbb'));
		first.close();
		expect(memory.open({ kind: 'toolCall', call: args }).recall(0)).toEqual(done('bbb'));
		expect(memory.open({ kind: 'toolCall', call: { to: '13900000001' } }).recall(0)).toBeUndefined();
		expect(memory.size).toBe(0);
	});

	test('a node run is forgotten only once its last try has been over for the linger time, never while a try is under way', () => {
		const memory = new NeverTwiceMemory(now, 60_000, 100);
		const long = memory.open(run(0));
		long.remember(0, done('ccc'));
		clock += 10 * 60_000;
		memory.open(run(9)).close();
		expect(long.recall(0)).toEqual(done('ccc'));
		long.close();

		clock += 59_999;
		const again = memory.open(run(0));
		expect(again.recall(0)).toEqual(done('ccc'));
		again.close();
		clock += 60_000;
		memory.open(run(9)).close();
		const late = memory.open(run(0));
		expect(late.recall(0)).toBeUndefined();
	});

	test('bounded: past the limit the oldest finished runs are forgotten first, a run still trying never', () => {
		const memory = new NeverTwiceMemory(now, 60_000, 3);
		const trying = memory.open(run(0));
		trying.remember(0, done('ddd'));
		for (let index = 1; index <= 10; index++) {
			const ledger = memory.open(run(index));
			ledger.remember(0, done(`r${index}`));
			ledger.close();
		}
		expect(memory.size).toBeLessThanOrEqual(3);
		expect(trying.recall(0)).toEqual(done('ddd'));
		const newest = memory.open(run(10));
		expect(newest.recall(0)).toEqual(done('r10'));
	});

	test('without an identity nothing is remembered, and nothing fails', () => {
		const memory = new NeverTwiceMemory(now, 60_000, 100);
		const ledger = memory.open(undefined);
		ledger.remember(0, done('eee'));
		expect(ledger.recall(0)).toBeUndefined();
		ledger.close();
		expect(memory.size).toBe(0);
	});
});

describe('mustRemember: which outcomes keep a request from being sent again', () => {
	test.each([
		['placesCall', 'done', true],
		['placesCall', 'uncertain', true],
		['cancelsCall', 'done', true],
		['cancelsCall', 'uncertain', false],
		['createsClient', 'uncertain', false],
		['none', 'done', false],
		['none', 'uncertain', false],
	] as const)('%s, %s → %s', (effect, outcome, expected) => {
		expect(mustRemember(effect, outcome)).toBe(expected);
	});
});
