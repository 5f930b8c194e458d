/**
 * The calls this process placed lately, by repeat key: only to tell a skipped item which call
 * holds its key (callId, time). The guard itself never reads this: what holds a key is n8n's
 * database-backed store, shared by every process. A call placed by another worker, or before a
 * restart, is not here, and the skipped item then says only when it was placed, to the bucket.
 */

export interface RecentCall {
	callId: string | null;
	placedAt: number;
	outcome: 'placed' | 'mayHaveBeenPlaced';
}

/** Keys remembered at once; the oldest are forgotten first. */
export const RECENT_CALLS_MAX = 5_000;

export class RecentCalls {
	private readonly calls = new Map<string, RecentCall>();

	constructor(private readonly max = RECENT_CALLS_MAX) {}

	remember(identity: string, call: RecentCall): void {
		this.calls.delete(identity);
		this.calls.set(identity, call);
		for (const oldest of this.calls.keys()) {
			if (this.calls.size <= this.max) break;
			this.calls.delete(oldest);
		}
	}

	/** The call that holds `identity` now: placed no earlier than `notBefore` and not in the future. */
	recall(identity: string, notBefore: number, now: number): RecentCall | undefined {
		const call = this.calls.get(identity);
		return call && call.placedAt >= notBefore && call.placedAt <= now ? call : undefined;
	}
}

export const recentCalls = new RecentCalls();
