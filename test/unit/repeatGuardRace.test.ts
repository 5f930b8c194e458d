/**
 * Two n8n processes (two workers) asking n8n's non-atomic deduplication store for the same callee
 * at the same moment: the guard's write-then-confirm protocol (repeatGuard.ts) lets exactly one of
 * them place the call. Each "process" is its own RepeatGuard with its own locks, as two workers
 * share nothing but the database.
 */
import { sleep } from 'n8n-workflow';

import { RepeatGuard, ScopeLocks, type GuardStore, type ReservationOutcome } from '../../nodes/UcpaasCallback/actions/repeatGuard';
import { guardValues, type RepeatKey } from '../../nodes/shared/repeatKeys';
import { DeduplicationStoreDouble } from '../harness/deduplicationStore';

const WINDOW_MS = 10 * 60_000;
const contextData = { workflow: { id: 'race-workflow', active: true } };
const options = { mode: 'entries' as const, maxEntries: 10_000 };

function storeOf(double: DeduplicationStoreDouble): GuardStore {
	return {
		checkAndRecord: async (values) => {
			const result = await double.checkProcessedAndRecord(values, 'workflow', contextData, options);
			return { new: result.new.map(String), processed: result.processed.map(String) };
		},
		remove: async (values) => double.removeProcessed(values, 'workflow', contextData),
	};
}

const callee = (value: string): RepeatKey => ({ kind: 'callee', value, namespace: 'live' });

/** Two workers ask for `keys` at the same moment, the second `staggerMs` later; returns each one's outcomes. */
async function race(double: DeduplicationStoreDouble, settleMs: number, keys: [RepeatKey, RepeatKey], staggerMs: number) {
	const workers = [0, 1].map(() => new RepeatGuard(new ScopeLocks(), { settleMs, maxAttempts: 6 }));
	const now = Date.now();
	const ask = (worker: RepeatGuard, key: RepeatKey) => worker.reserve('scope', storeOf(double), [{ itemIndex: 0, values: guardValues(key, WINDOW_MS, now) }]);
	const [first, second] = await Promise.all([ask(workers[0], keys[0]), sleep(staggerMs).then(async () => ask(workers[1], keys[1]))]);
	return [first.get(0), second.get(0)] as ReservationOutcome[];
}

const kinds = (outcomes: ReservationOutcome[]) => outcomes.map((outcome) => outcome.kind).sort();

describe('two workers, one callee, the same moment', () => {
	// A store whose read-to-write takes 50 ms, and a second worker 10 ms behind the first: the
	// second reads before the first writes, and writes after the first has checked its write.
	const STORE_LATENCY_MS = 50;
	const STAGGER_MS = 10;

	test.each([1, 5, 20, 40])('with the settle wait, exactly one reserves (second worker %i ms behind)', async (stagger) => {
		const double = new DeduplicationStoreDouble();
		double.latencyMs = STORE_LATENCY_MS;
		expect(kinds(await race(double, 200, [callee('13900000001'), callee('13900000001')], stagger))).toEqual(['held', 'reserved']);
	});

	test('without the settle wait, both would reserve: the wait is what makes the store safe', async () => {
		const double = new DeduplicationStoreDouble();
		double.latencyMs = STORE_LATENCY_MS;
		expect(kinds(await race(double, 0, [callee('13900000002'), callee('13900000002')], STAGGER_MS))).toEqual(['reserved', 'reserved']);
	});

	test('two different callees racing both reserve, and both reservations survive the overwrite', async () => {
		const double = new DeduplicationStoreDouble();
		double.latencyMs = STORE_LATENCY_MS;
		const [a, b] = [callee('13900000003'), callee('13900000004')];
		expect(kinds(await race(double, 200, [a, b], STAGGER_MS))).toEqual(['reserved', 'reserved']);
		// Both are held now: a later request for either is refused.
		const later = new RepeatGuard(new ScopeLocks(), { settleMs: 0, maxAttempts: 1 });
		for (const key of [a, b]) {
			const outcome = (await later.reserve('scope', storeOf(double), [{ itemIndex: 0, values: guardValues(key, WINDOW_MS, Date.now()) }])).get(0);
			expect(outcome?.kind).toBe('held');
		}
	});

	test('the confirmation values are taken back: a reservation costs its buckets and nothing more', async () => {
		const double = new DeduplicationStoreDouble();
		const guard = new RepeatGuard(new ScopeLocks(), { settleMs: 0, maxAttempts: 1 });
		await guard.reserve('scope', storeOf(double), [{ itemIndex: 0, values: guardValues(callee('13900000005'), WINDOW_MS, Date.now()) }]);
		expect(double.count('race-workflow')).toBe(guardValues(callee('x'), WINDOW_MS, 0).hold.length);
	});
});

describe('within one process', () => {
	test('twenty simultaneous executions for one callee: one reserves, and no settle wait is needed for that', async () => {
		const double = new DeduplicationStoreDouble();
		double.latencyMs = 5;
		const guard = new RepeatGuard(new ScopeLocks(), { settleMs: 0, maxAttempts: 6 });
		const now = Date.now();
		const outcomes = await Promise.all(
			Array.from({ length: 20 }, async () => (await guard.reserve('scope', storeOf(double), [{ itemIndex: 0, values: guardValues(callee('13900000006'), WINDOW_MS, now) }])).get(0)),
		);
		expect(outcomes.filter((outcome) => outcome?.kind === 'reserved')).toHaveLength(1);
	});
});
