/**
 * The values the repeat-call guard keeps in n8n's deduplication store, as pure functions.
 *
 * n8n's store ("items processed in previous executions", the one behind Remove Duplicates) keeps
 * a set of values per workflow or node, with no time attached and no way to read a value back. A
 * time window is therefore spelled into the values: the window is cut into `BUCKETS_PER_WINDOW`
 * buckets, and a call placed in bucket b holds the buckets b … b + BUCKETS_PER_WINDOW. A later
 * request asks only for its own bucket. So a callee is held for at least the window and at most
 * one bucket (a fifth of the window) longer, and each call costs BUCKETS_PER_WINDOW + 1 values.
 */

export const BUCKETS_PER_WINDOW = 5;

/** What identifies "the same call": the normalised callee number, or a key the user maps (a CRM lead id). */
export interface RepeatKey {
	kind: 'callee' | 'custom';
	value: string;
	/** Manual runs (Execute step) are kept apart from production so a test never holds back a real lead. */
	namespace: 'live' | 'manual';
}

export interface GuardValues {
	/** The value a request for this key at this moment looks for: present means held. */
	current: string;
	/** The values a placed call records: the current bucket and the ones after it, up to the window's end. */
	hold: string[];
}

/** The key's identity without the time: for messages and the process's memory of recent calls. */
export function keyIdentity(key: RepeatKey): string {
	// Versioned and prefixed, so our values never meet a Remove Duplicates node's in a shared workflow scope.
	return `ucpaas-repeat:v1|${key.namespace}|${key.kind}:${key.value}`;
}

export function bucketMs(windowMs: number): number {
	return windowMs / BUCKETS_PER_WINDOW;
}

/** The guard's values for `key` at `atMs` with a window of `windowMs` (the window is part of each value: a changed window starts afresh). */
export function guardValues(key: RepeatKey, windowMs: number, atMs: number): GuardValues {
	const size = bucketMs(windowMs);
	const bucket = Math.floor(atMs / size);
	const value = (b: number) => `${keyIdentity(key)}|w${windowMs}|${b}`;
	return { current: value(bucket), hold: Array.from({ length: BUCKETS_PER_WINDOW + 1 }, (_, offset) => value(bucket + offset)) };
}

/** The latest moment a call placed at `placedAtMs` still holds its key: the end of its last held bucket. */
export function heldUntil(windowMs: number, placedAtMs: number): number {
	const size = bucketMs(windowMs);
	return (Math.floor(placedAtMs / size) + BUCKETS_PER_WINDOW + 1) * size;
}

/** A fresh, unique value: a try writes it beside its reservations and looks for it again to learn whether its write survived. */
export function nonceValue(uuid: string): string {
	return `ucpaas-repeat:v1|nonce|${uuid}`;
}
