/* eslint-disable @n8n/community-nodes/no-restricted-globals -- tool code: runs in plain Node (sandbox server, tests, scripts), never inside n8n */
/**
 * Timers the sandbox can cancel all at once: stop() must leave nothing behind that keeps the
 * process (or jest) alive.
 */
export class Timers {
	private readonly pending = new Set<NodeJS.Timeout>();
	private stopped = false;

	/**
	 * Resolves after `ms`. After stop() it never resolves: whatever awaited it is abandoned,
	 * which is what a stopped platform does to calls in flight.
	 */
	delay(ms: number): Promise<void> {
		return new Promise((resolve) => {
			if (this.stopped) return;
			const timer = setTimeout(() => {
				this.pending.delete(timer);
				resolve();
			}, Math.max(0, ms));
			this.pending.add(timer);
		});
	}

	stop(): void {
		this.stopped = true;
		for (const timer of this.pending) clearTimeout(timer);
		this.pending.clear();
	}
}
