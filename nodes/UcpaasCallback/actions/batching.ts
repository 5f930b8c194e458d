import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

/** The "Batching" option of every operation: how many requests may be in flight, and a pause. */
export const batchingOption: INodeProperties = {
	displayName: 'Batching',
	name: 'batching',
	placeholder: 'Add Batching',
	type: 'fixedCollection',
	typeOptions: { multipleValues: false },
	default: { batch: {} },
	options: [
		{
			displayName: 'Batching',
			name: 'batch',
			values: [
				{
					displayName: 'Items per Batch',
					name: 'batchSize',
					type: 'number',
					typeOptions: { minValue: 1, maxValue: 50 },
					default: 1,
					description: 'How many requests may be in flight at once. The default, 1, sends one request after the other: UCPaaS refuses a second call to a callee who is still in a call (104113) and accounts are rate-limited.',
				},
				{
					displayName: 'Batch Interval (Milliseconds)',
					name: 'batchInterval',
					type: 'number',
					typeOptions: { minValue: 0 },
					default: 0,
					description: 'Pause between two batches, in milliseconds. With a pause, each batch waits for all its replies before the pause starts.',
				},
			],
		},
	],
};

export interface Batching {
	batchSize: number;
	batchIntervalMs: number;
}

/** Batching is a property of the whole run, so it is read once, from the first item. */
export function readBatching(this: IExecuteFunctions): Batching {
	const batch = this.getNodeParameter('options.batching.batch', 0, {}) as { batchSize?: unknown; batchInterval?: unknown };
	const batchSize = Number(batch.batchSize ?? 1);
	const batchIntervalMs = Number(batch.batchInterval ?? 0);
	if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 50) {
		throw new NodeOperationError(this.getNode(), '"Items per Batch" (batchSize) must be a whole number from 1 to 50');
	}
	if (!Number.isFinite(batchIntervalMs) || batchIntervalMs < 0) {
		throw new NodeOperationError(this.getNode(), '"Batch Interval (Milliseconds)" (batchInterval) must be 0 or more milliseconds');
	}
	return { batchSize, batchIntervalMs };
}

/**
 * Sends the items of `queue`, at most `batchSize` at once, and starts nothing new once `stopped()`
 * says so (a failed item without Continue On Fail). `send` never throws: it records each outcome.
 * - Unpaced (no interval): a sliding window. Each slot takes the next item as soon as its reply is
 *   in, so one slow reply does not hold up the others, and the cap is real at every moment.
 * - Paced: a batch, all its replies, the pause, the next batch.
 */
export async function sendInBatches(queue: readonly number[], batching: Batching, send: (itemIndex: number) => Promise<void>, stopped: () => boolean): Promise<void> {
	const { batchSize, batchIntervalMs } = batching;
	if (batchIntervalMs > 0) {
		for (let start = 0; start < queue.length && !stopped(); start += batchSize) {
			if (start > 0) await sleep(batchIntervalMs);
			await Promise.all(queue.slice(start, start + batchSize).map(send));
		}
		return;
	}
	let next = 0;
	const slot = async () => {
		while (next < queue.length && !stopped()) await send(queue[next++]);
	};
	await Promise.all(Array.from({ length: Math.min(batchSize, queue.length) }, slot));
}
