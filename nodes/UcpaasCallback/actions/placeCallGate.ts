import type { DeduplicationScope, IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { checkCallingHours, describeCallingHours, isoInZone, type CallingHours } from '../../shared/callingHours';
import { bucketMs, BUCKETS_PER_WINDOW, guardValues, keyIdentity, type GuardValues } from '../../shared/repeatKeys';
import { itemLabel } from './itemErrors';
import { repeatGuard, type GuardStore, type ReservationOutcome } from './repeatGuard';
import type { RepeatGuardSettings, SkippedItems } from './repeatGuardParameters';
import { recentCalls } from './recentCalls';
import type { GateVerdict, ItemGate, OperationResult, SendOutcome } from './types';

/** What Place Callback's gate needs of a prepared item. */
export interface GatedCall {
	to: string;
	guard?: RepeatGuardSettings;
	hours?: CallingHours;
	skippedItems: SkippedItems;
}

/** Values kept per scope: far more than the calls of one window (each call keeps BUCKETS_PER_WINDOW + 1), and n8n drops the oldest first. */
const MAX_ENTRIES = 10_000;

/**
 * Whether this n8n gives nodes its database-backed deduplication store (every line from 1.85, this
 * package's minimum, to 2.41 does), and the workflow has the id the store's rows are kept by.
 */
export function guardStoreAvailable(context: IExecuteFunctions): boolean {
	const helpers = context.helpers as Partial<IExecuteFunctions['helpers']>;
	return typeof helpers.checkProcessedAndRecord === 'function' && typeof helpers.removeProcessed === 'function' && Boolean(context.getWorkflow().id);
}

function storeFor(context: IExecuteFunctions, scope: DeduplicationScope): GuardStore {
	const options = { mode: 'entries' as const, maxEntries: MAX_ENTRIES };
	return {
		checkAndRecord: async (values) => {
			const result = await context.helpers.checkProcessedAndRecord(values, scope, options);
			return { new: result.new.map(String), processed: result.processed.map(String) };
		},
		remove: async (values) => context.helpers.removeProcessed(values, scope, options),
	};
}

/** The in-process lock name of a scope: n8n keeps one row per workflow (and node, for node scope). */
function lockName(context: IExecuteFunctions, scope: DeduplicationScope): string {
	const node = context.getNode();
	return JSON.stringify([context.getWorkflow().id, scope, scope === 'node' ? node.id || node.name : '']);
}

interface Reservation {
	scope: DeduplicationScope;
	values: GuardValues;
	identity: string;
	settled?: SendOutcome;
}

/**
 * Place Callback's gate, for the items one node run would send:
 * 1. calling hours: an item outside them is not sent and says when the next window opens;
 * 2. the repeat-call guard: each remaining item's key is reserved in n8n's deduplication store
 *    (repeatGuard.ts) before anything is sent. A key held by an earlier call is skipped.
 * After the run, what was reserved for an item that was certainly not placed (refused by the
 * platform, or never sent because an earlier item stopped the run) is given back, so a Retry
 * places it; a placed call, or one that may have been, keeps its hold for the window.
 */
export async function openPlaceCallGate(this: IExecuteFunctions, items: ReadonlyMap<number, GatedCall>): Promise<ItemGate | undefined> {
	const gated = [...items].filter(([, call]) => call.guard || call.hours);
	if (gated.length === 0) return undefined;
	const now = Date.now();
	const verdicts = new Map<number, GateVerdict>();
	const reservations = new Map<number, Reservation>();
	const refuse = (itemIndex: number, call: GatedCall, skipped: SkippedData) => verdicts.set(itemIndex, skipVerdict(this, itemIndex, call, skipped));

	const toReserve: Array<{ itemIndex: number; call: GatedCall & { guard: RepeatGuardSettings } }> = [];
	for (const [itemIndex, call] of gated) {
		const hours = call.hours ? checkCallingHours(call.hours, now) : undefined;
		// Outside the hours nothing is reserved: the item will be asked for again when the window opens.
		if (call.hours && hours?.open === false) refuse(itemIndex, call, outsideHours(call.hours, hours.nextWindowStartMs));
		else if (call.guard) toReserve.push({ itemIndex, call: { ...call, guard: call.guard } });
	}

	const scopes = new Set(toReserve.map(({ call }) => call.guard.scope));
	for (const scope of scopes) {
		const requests = toReserve
			.filter(({ call }) => call.guard.scope === scope)
			.map(({ itemIndex, call }) => ({ itemIndex, call, values: guardValues(call.guard.key, call.guard.windowMs, now) }));
		const outcomes = await repeatGuard.reserve(lockName(this, scope), storeFor(this, scope), requests);
		for (const { itemIndex, call, values } of requests) {
			const outcome = outcomes.get(itemIndex) as ReservationOutcome;
			if (outcome.kind === 'reserved') {
				reservations.set(itemIndex, { scope, values, identity: keyIdentity(call.guard.key) });
				verdicts.set(itemIndex, { kind: 'send' });
			} else if (outcome.kind === 'held') {
				refuse(itemIndex, call, repeatCall(call.guard, now, outcome));
			} else {
				verdicts.set(
					itemIndex,
					failVerdict(this, itemIndex, `${itemLabel(itemIndex)}: not called: the repeat-call guard could not make sure ${call.to} was not called already`, [
						`Nothing was sent for this item: ${outcome.reason}.`,
						'Run it again in a moment, or switch off Repeat-Call Guard for this node.',
					]),
				);
			}
		}
	}

	return {
		verdicts,
		settled(itemIndex, outcome) {
			const reservation = reservations.get(itemIndex);
			if (!reservation) return;
			reservation.settled = outcome;
			if (outcome.kind === 'done') recentCalls.remember(reservation.identity, { callId: String(outcome.result.json.callId ?? ''), placedAt: Date.now(), outcome: 'placed' });
			else if (outcome.mayHaveTakenEffect) recentCalls.remember(reservation.identity, { callId: null, placedAt: Date.now(), outcome: 'mayHaveBeenPlaced' });
		},
		close: async () => {
			// Certainly not placed: refused by the platform, or never sent. Given back in one call per scope.
			const unplaced = [...reservations.values()].filter(({ settled }) => settled === undefined || (settled.kind === 'failed' && !settled.mayHaveTakenEffect));
			for (const scope of new Set(unplaced.map((reservation) => reservation.scope))) {
				const values = unplaced.filter((reservation) => reservation.scope === scope).flatMap((reservation) => reservation.values.hold);
				try {
					await repeatGuard.release(lockName(this, scope), storeFor(this, scope), values);
				} catch (error) {
					// Safe side: the callees stay held for the window although no call was placed.
					this.logger.warn(`UCPaaS repeat-call guard: could not give back ${unplaced.length} reservation(s) of calls that were not placed: ${error instanceof Error ? error.message : String(error)}`);
				}
			}
		},
		acrossExecutions: gated.some(([, call]) => call.guard)
			? 'nor does Retry in the Executions list or any new execution within the repeat-call window: the guard skips the calls placed and places only the items that were not.'
			: undefined,
	};
}

/** Why an item was not sent, as data for the next node and as a sentence for people. */
interface SkippedData {
	reason: 'repeatCall' | 'outsideCallingHours';
	message: string;
	retryAfter: string;
	facts: IDataObject;
}

function outsideHours(hours: CallingHours, nextStartMs: number): SkippedData {
	const nextWindowStart = isoInZone(nextStartMs, hours.timeZone);
	return {
		reason: 'outsideCallingHours',
		message: `Not called: outside the calling hours (${describeCallingHours(hours)}). The next window opens at ${nextWindowStart}.`,
		retryAfter: nextWindowStart,
		facts: { callingHours: describeCallingHours(hours), nextWindowStart },
	};
}

function repeatCall(guard: RepeatGuardSettings, now: number, outcome: ReservationOutcome & { kind: 'held' }): SkippedData {
	const minutes = guard.windowMs / 60_000;
	const who = guard.key.kind === 'callee' ? guard.key.value : `repeat key "${guard.key.value}"`;
	const manual = guard.key.namespace === 'manual';
	const size = bucketMs(guard.windowMs);
	const current = Math.floor(now / size);
	let earlierCall: IDataObject;
	let retryAfterMs: number;
	let when: string;
	if (outcome.byItem !== undefined) {
		earlierCall = { item: outcome.byItem, callId: null, placedAt: null, placedAfter: null, outcome: null };
		retryAfterMs = now + guard.windowMs;
		when = `${itemLabel(outcome.byItem)} of this run asks for the same call`;
	} else {
		// The earlier call's bucket: its last held bucket is lastHeld buckets after this one, and a call holds BUCKETS_PER_WINDOW after its own.
		const lastHeldBucket = current + Math.max(0, outcome.lastHeld ?? 0);
		const placedAfter = new Date((lastHeldBucket - BUCKETS_PER_WINDOW) * size).toISOString();
		retryAfterMs = (lastHeldBucket + 1) * size;
		const known = recentCalls.recall(keyIdentity(guard.key), retryAfterMs - guard.windowMs - size, now);
		earlierCall = {
			callId: known?.callId ?? null,
			placedAt: known ? new Date(known.placedAt).toISOString() : null,
			placedAfter,
			// Known only to the process that placed it; another worker's call shows as null.
			outcome: known?.outcome ?? null,
		};
		when = known
			? `${known.outcome === 'placed' ? `was called at ${new Date(known.placedAt).toISOString()} (callId ${known.callId})` : `may have been called at ${new Date(known.placedAt).toISOString()} (the reply was lost)`}`
			: `was called (or may have been: a lost reply counts) by this workflow after ${placedAfter}`;
	}
	const retryAfter = new Date(retryAfterMs).toISOString();
	const sentences = [
		`Not called: ${who} ${when}, within the ${minutes}-minute repeat window${manual ? ' of manual runs' : ''}.`,
		`It may be called again from ${retryAfter}.`,
		manual ? 'Manual runs are guarded apart from production: to call again now while testing, set Options > Manual Runs to Not Guarded.' : '',
	];
	return {
		reason: 'repeatCall',
		message: sentences.filter(Boolean).join(' '),
		retryAfter,
		facts: { repeatKey: guard.key.kind === 'custom' ? guard.key.value : null, repeatWindowMinutes: minutes, manualRun: manual, earlierCall },
	};
}

function skipVerdict(context: IExecuteFunctions, itemIndex: number, call: GatedCall, skipped: SkippedData): GateVerdict {
	if (call.skippedItems === 'error') {
		return failVerdict(context, itemIndex, `${itemLabel(itemIndex)}: ${skipped.message.replace(/^Not called: /, 'not called: ')}`, [
			'Nothing was sent for this item. Set Options > Skipped Items to Output as Data to route skipped items instead.',
		]);
	}
	const result: OperationResult = {
		json: { skipped: true, reason: skipped.reason, message: skipped.message, to: call.to, retryAfter: skipped.retryAfter, ...skipped.facts },
		summary: `${call.to} skipped (${skipped.reason === 'repeatCall' ? 'called within the repeat window' : 'outside calling hours'})`,
	};
	return { kind: 'skip', result };
}

function failVerdict(context: IExecuteFunctions, itemIndex: number, message: string, description: string[]): GateVerdict {
	return { kind: 'fail', error: new NodeOperationError(context.getNode(), message, { itemIndex, description: description.join(' ') }) };
}
