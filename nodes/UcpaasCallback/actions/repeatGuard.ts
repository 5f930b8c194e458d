import { randomUUID } from 'crypto';

import { sleep } from 'n8n-workflow';

import { nonceValue, type GuardValues } from '../../shared/repeatKeys';

/**
 * The repeat-call guard's reservations, kept in n8n's own deduplication store so that every n8n
 * process (main, workers, webhook processes) and every restart shares them.
 *
 * n8n's store is not atomic: each call reads the scope's one row, changes it in memory and writes
 * it back (n8n's DeduplicationHelper, the same from 1.85 to 2.41). Two calls at the same moment
 * both read "not there", and the later write drops the earlier one's values, whatever key they
 * were for. The guard makes its reservations hold all the same:
 * 1. within this process, every call to the store of one scope is serialised (`ScopeLocks`), so
 *    the process never races itself (a webhook delivered twice to one main process);
 * 2. across processes, a try writes its reservations together with a unique value (a nonce),
 *    waits `settleMs`, and looks for its nonce again. Found: its write stands, and any later
 *    reader sees its reservations. Missing: another process's write replaced it, so it asks again
 *    from the start (and then finds the other's reservation if both wanted the same callee).
 * What remains: a write that lands after the settle time even though it read before this try's
 *    write, i.e. one store call of n8n's taking longer than `settleMs` from its read to its write.
 */

/** The part of n8n's deduplication helpers the guard uses, bound to one scope. */
export interface GuardStore {
	checkAndRecord(values: string[]): Promise<{ new: string[]; processed: string[] }>;
	remove(values: string[]): Promise<void>;
}

export interface GuardTuning {
	/** How long a try waits between its write and its check that the write stands. */
	settleMs: number;
	/** Tries before the guard gives up (every try lost its write to another process's). */
	maxAttempts: number;
}

export const DEFAULT_TUNING: GuardTuning = { settleMs: 1_000, maxAttempts: 6 };

/** One item asking for a key. Items of one run with the same key: the first reserves, the others are held by it. */
export interface ReservationRequest {
	itemIndex: number;
	values: GuardValues;
}

export type ReservationOutcome =
	/** Reserved for this item: send it, then keep the reservation (placed, or maybe placed) or release it (certainly not placed). */
	| { kind: 'reserved' }
	/**
	 * Someone holds the key: an earlier execution's call, one under way elsewhere, or an earlier item
	 * of this run (`byItem`). `lastHeld` is the index in `values.hold` of the last value already
	 * recorded, which dates the earlier call to its bucket (repeatKeys.ts).
	 */
	| { kind: 'held'; byItem?: number; lastHeld?: number }
	/** The store could not be read or written, or every try lost its write: nothing may be sent. */
	| { kind: 'unconfirmed'; reason: string };

/** Serialises the store calls of one scope within this process. */
export class ScopeLocks {
	private readonly tails = new Map<string, Promise<unknown>>();

	async run<T>(scope: string, work: () => Promise<T>): Promise<T> {
		const before = this.tails.get(scope) ?? Promise.resolve();
		const result = before.then(work, work);
		const tail = result.then(
			() => undefined,
			() => undefined,
		);
		this.tails.set(scope, tail);
		try {
			return await result;
		} finally {
			if (this.tails.get(scope) === tail) this.tails.delete(scope);
		}
	}
}

export class RepeatGuard {
	constructor(
		private readonly locks = new ScopeLocks(),
		readonly tuning: GuardTuning = { ...DEFAULT_TUNING },
		private readonly newNonce: () => string = () => nonceValue(randomUUID()),
	) {}

	/** Reserves each request's key, all in one round of store calls. */
	async reserve(scope: string, store: GuardStore, requests: readonly ReservationRequest[]): Promise<Map<number, ReservationOutcome>> {
		const outcomes = new Map<number, ReservationOutcome>();
		// The first item with a key speaks for it; the run's later items with the same key are held by it.
		const leaders = new Map<string, ReservationRequest>();
		for (const request of requests) {
			const leader = leaders.get(request.values.current);
			if (leader) outcomes.set(request.itemIndex, { kind: 'held', byItem: leader.itemIndex });
			else leaders.set(request.values.current, request);
		}

		let pending = [...leaders.values()];
		for (let attempt = 1; attempt <= this.tuning.maxAttempts && pending.length > 0; attempt++) {
			const nonce = this.newNonce();
			const wanted = unique([...pending.flatMap((request) => request.values.hold), nonce]);
			let recorded: { new: string[]; processed: string[] };
			try {
				recorded = await this.locks.run(scope, () => store.checkAndRecord(wanted));
			} catch (error) {
				// Two processes writing a scope's first row at once: n8n inserts it for both, and the
				// second insert fails on the row's unique key. Nothing was written, so ask again.
				if (attempt < this.tuning.maxAttempts) {
					await sleep(Math.round(this.tuning.settleMs * 0.1 * Math.random()));
					continue;
				}
				return finish(outcomes, pending, storeFailure(error));
			}
			const fresh = new Set(recorded.new.map(String));
			const undo: string[] = [];
			const reserved: ReservationRequest[] = [];
			for (const request of pending) {
				if (fresh.has(request.values.current)) {
					reserved.push(request);
				} else {
					const present = request.values.hold.map((value) => !fresh.has(value));
					outcomes.set(request.itemIndex, { kind: 'held', lastHeld: present.lastIndexOf(true) });
					// This try also wrote the held key's later buckets: take back those that were not there before.
					undo.push(...request.values.hold.filter((value) => fresh.has(value)));
				}
			}

			await sleep(this.tuning.settleMs);
			let stands: boolean;
			try {
				const check = await this.locks.run(scope, () => store.checkAndRecord([nonce]));
				stands = check.processed.map(String).includes(nonce);
				await this.locks.run(scope, () => store.remove([nonce, ...undo]));
			} catch (error) {
				return finish(outcomes, reserved, storeFailure(error));
			}
			if (stands) {
				for (const request of reserved) outcomes.set(request.itemIndex, { kind: 'reserved' });
				pending = [];
			} else {
				// Another process wrote the row over this try's write. Held verdicts stand (they read
				// another's reservation); reservations are asked for again, with a little jitter.
				pending = reserved;
				await sleep(Math.round(this.tuning.settleMs * 0.1 * Math.random()));
			}
		}
		return finish(outcomes, pending, `each of its ${this.tuning.maxAttempts} tries to record the reservation was overwritten by another n8n process writing at the same moment`);
	}

	/** Gives keys back: their calls were certainly not placed (refused, or never sent). */
	async release(scope: string, store: GuardStore, values: readonly string[]): Promise<void> {
		if (values.length === 0) return;
		await this.locks.run(scope, () => store.remove(unique(values)));
	}
}

function finish(outcomes: Map<number, ReservationOutcome>, unresolved: readonly ReservationRequest[], reason: string): Map<number, ReservationOutcome> {
	for (const request of unresolved) outcomes.set(request.itemIndex, { kind: 'unconfirmed', reason });
	return outcomes;
}

function storeFailure(error: unknown): string {
	return `n8n's deduplication store failed: ${error instanceof Error ? error.message : String(error)}`;
}

function unique(values: readonly string[]): string[] {
	return [...new Set(values)];
}

/** The process's guard: its locks serialise every execution of this process on one scope. */
export const repeatGuard = new RepeatGuard();
