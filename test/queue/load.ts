/**
 * Bounded-concurrency HTTP load: `concurrency` lanes take the next request as soon as their last
 * one answered. Every reply is kept (status, body, time), none is retried.
 */

export interface LoadRequest {
	/** The request id the workflow puts into userData. */
	id: string;
	callee: string;
}

export interface LoadResult extends LoadRequest {
	status: number | 'error';
	text: string;
	json?: Record<string, unknown>;
	/** When the request was sent and answered (epoch ms). */
	sentAt: number;
	answeredAt: number;
	ms: number;
}

export interface LoadRun {
	results: LoadResult[];
	startedAt: number;
	wallMs: number;
}

export async function fireRequests(url: string, requests: LoadRequest[], concurrency: number, timeoutMs: number): Promise<LoadRun> {
	const results: LoadResult[] = new Array<LoadResult>(requests.length);
	let next = 0;
	const startedAt = Date.now();
	const lane = async () => {
		for (;;) {
			const index = next++;
			if (index >= requests.length) return;
			const request = requests[index];
			const sentAt = Date.now();
			try {
				const response = await fetch(url, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ phone: request.callee, id: request.id }),
					signal: AbortSignal.timeout(timeoutMs),
				});
				const text = await response.text();
				let json: Record<string, unknown> | undefined;
				try {
					json = JSON.parse(text) as Record<string, unknown>;
				} catch {
					json = undefined;
				}
				const answeredAt = Date.now();
				results[index] = { ...request, status: response.status, text, json, sentAt, answeredAt, ms: answeredAt - sentAt };
			} catch (error) {
				const answeredAt = Date.now();
				const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
				results[index] = { ...request, status: 'error', text: cause, sentAt, answeredAt, ms: answeredAt - sentAt };
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, lane));
	return { results, startedAt, wallMs: Date.now() - startedAt };
}

/** Nearest-rank percentile of `values` (p in 0..100). */
export function percentile(values: number[], p: number): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
	return sorted[Math.min(sorted.length, rank) - 1];
}

/** Callees that the sandbox accepts (1[3-9] + 9 digits), distinct per phase and index. */
export function calleeFor(phase: number, index: number): string {
	return `1390${phase}${String(index).padStart(6, '0')}`;
}

export function requestsFor(phase: number, prefix: string, count: number): LoadRequest[] {
	return Array.from({ length: count }, (_, i) => ({ id: `${prefix}-${i}`, callee: calleeFor(phase, i) }));
}

export function countBy<T>(values: T[], key: (value: T) => string): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const value of values) counts[key(value)] = (counts[key(value)] ?? 0) + 1;
	return counts;
}
