import { createHash } from 'node:crypto';

import { DataDeduplicationService } from 'n8n-core';
import type {
	DeduplicationItemTypes,
	DeduplicationScope,
	ICheckProcessedContextData,
	ICheckProcessedOptions,
	IDataDeduplicator,
	IDeduplicationOutput,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

/**
 * A stand-in for the n8n app's deduplication store (its DeduplicationHelper over the
 * `processed_data` table), for the engine tests, where n8n-core runs without the app. It keeps
 * what matters to the repeat-call guard exactly as the app does (read from the app's sources,
 * the same from 1.85 to 2.41):
 * - one row per workflow and context (`n:<node id>` for node scope, '' for workflow scope);
 * - values kept as md5 hashes, appended, the oldest dropped beyond maxEntries;
 * - every call reads the whole row, changes it in memory and writes it back: not atomic. Two
 *   calls at once both read the old row, and the later write drops the earlier one's values.
 * `latencyMs` is the time between the read and the write, to make races as wide as a busy
 * database makes them.
 */
export class DeduplicationStoreDouble implements IDataDeduplicator {
	private readonly rows = new Map<string, string[]>();
	latencyMs = 0;
	/** Store calls made, for figures. */
	calls = 0;

	clear(): void {
		this.rows.clear();
		this.latencyMs = 0;
	}

	/** How many values a workflow's scope holds (for tests). */
	count(workflowId: string, context = ''): number {
		return this.rows.get(rowKey(workflowId, context))?.length ?? 0;
	}

	async checkProcessedAndRecord(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<IDeduplicationOutput> {
		const key = this.rowFor(scope, contextData);
		const before = await this.read(key);
		const result: IDeduplicationOutput = { new: [], processed: [] };
		const after = [...before];
		for (const item of items) {
			const hashed = hash(item);
			if (after.includes(hashed)) {
				result.processed.push(item);
			} else {
				result.new.push(item);
				after.push(hashed);
			}
		}
		const max = options.maxEntries ?? Number.MAX_SAFE_INTEGER;
		await this.write(key, after.length > max ? after.slice(after.length - max) : after);
		return result;
	}

	async removeProcessed(items: DeduplicationItemTypes[], scope: DeduplicationScope, contextData: ICheckProcessedContextData): Promise<void> {
		const key = this.rowFor(scope, contextData);
		const before = await this.read(key);
		const removed = new Set(items.map(hash));
		await this.write(
			key,
			before.filter((value) => !removed.has(value)),
		);
	}

	async clearAllProcessedItems(scope: DeduplicationScope, contextData: ICheckProcessedContextData): Promise<void> {
		this.rows.delete(this.rowFor(scope, contextData));
	}

	async getProcessedDataCount(scope: DeduplicationScope, contextData: ICheckProcessedContextData): Promise<number> {
		return this.rows.get(this.rowFor(scope, contextData))?.length ?? 0;
	}

	async checkProcessedItemsAndRecord(): Promise<never> {
		throw new Error('not used by this package');
	}

	private rowFor(scope: DeduplicationScope, contextData: ICheckProcessedContextData): string {
		// As the app: it refuses a workflow without an id.
		if (!contextData.workflow.id) throw new Error('The workflow has no id');
		const context = scope === 'node' ? `n:${contextData.node?.id ?? ''}` : '';
		return rowKey(contextData.workflow.id, context);
	}

	private async read(key: string): Promise<string[]> {
		this.calls += 1;
		const row = [...(this.rows.get(key) ?? [])];
		if (this.latencyMs > 0) await sleep(this.latencyMs);
		return row;
	}

	private async write(key: string, values: string[]): Promise<void> {
		this.rows.set(key, values);
	}
}

function rowKey(workflowId: string, context: string): string {
	return JSON.stringify([workflowId, context]);
}

function hash(value: DeduplicationItemTypes): string {
	return createHash('md5').update(value.toString()).digest('base64');
}

let installed: DeduplicationStoreDouble | undefined;

/** The store every engine run of this test file uses: n8n-core takes one, once. */
export async function deduplicationStore(): Promise<DeduplicationStoreDouble> {
	if (!installed) {
		installed = new DeduplicationStoreDouble();
		await DataDeduplicationService.init(installed);
	}
	return installed;
}
