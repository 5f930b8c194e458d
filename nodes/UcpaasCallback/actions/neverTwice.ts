import type { IExecuteFunctions } from 'n8n-workflow';

import type { RequestEffect } from '../../shared/apiErrors';
import { RequestFailure } from '../transport/requestFailure';
import type { OperationResult } from './types';

/**
 * Never ring anyone twice: the memory of what earlier tries of the same node run did.
 *
 * n8n runs a node again within one execution in three ways, and each would repeat every request:
 * - Retry On Fail re-runs the node with all its items, same run index, in the same process (in
 *   queue mode: on the same worker);
 * - with On Error "continue", it also re-runs while the first output item is an error;
 * - a tool of an AI agent (or of the MCP Server Trigger) is retried with a new run index for every
 *   try and the same arguments.
 * So each try records here what it learnt about each item, and the next try of the same run asks
 * first: a call that was placed is returned as it was (same callId), one that may have been placed
 * fails again the same way without a request, and only one certainly not placed is sent again.
 *
 * The memory lives in this process only and nothing is persisted: a crashed worker forgets, and
 * n8n does not re-run a crashed worker's executions (its queue's maxStalledCount is 0). A new
 * execution (the workflow run again, an execution retried from the list, each MCP tool call) is a
 * new intention and places its calls again.
 */

/** How long a run's memory outlives its last try: well past n8n's longest retry schedule (5 tries, 5 s apart). */
export const MEMORY_LINGER_MS = 5 * 60_000;
/** Runs remembered at once; the oldest finished ones are forgotten first. Never a run still trying. */
export const MEMORY_MAX_RUNS = 2_000;

/** What an earlier try learnt about one item. */
export type Remembered = { kind: 'done'; result: OperationResult } | { kind: 'uncertain'; failure: RequestFailure };

/**
 * Which outcomes must be remembered for an operation whose own request has `effect`:
 * - placing a call: a placed call is never placed again, nor one that may have been placed;
 * - cancelling: a done cancel is not sent again (it would answer 100108 and fail the item), but an
 *   uncertain one is: cancelling again is harmless and is what the retry is for;
 * - reads and downloads change nothing, so they are simply done again.
 * A tool's placed call is not remembered: n8n retries a tool only after it failed, so the only
 * next call with the same arguments is one the agent chose to make.
 */
export function mustRemember(effect: RequestEffect, outcome: Remembered['kind'], tool: boolean): boolean {
	if (effect === 'placesCall') return outcome === 'uncertain' || !tool;
	if (effect === 'cancelsCall') return outcome === 'done' && !tool;
	return false;
}

/** What a failure says about the operation's own request: true when it may have taken effect. */
export function mayHaveTakenEffect(error: unknown, effect: RequestEffect): boolean {
	return error instanceof RequestFailure && error.facts.effect === effect && error.facts.mayHaveTakenEffect;
}

/** One node run as n8n numbers it: the tries of the same run share it, nothing else does. */
export interface RunIdentity {
	executionId: string;
	/** The node's id (its name when an old workflow has none). */
	node: string;
	/** Tool runs get a new run index per try, so they are one group per execution instead. */
	tool: boolean;
	runIndex: number;
}

/** The identity of the run `context` belongs to, or undefined when n8n gives no execution id (then nothing is remembered). */
export function runIdentityOf(context: IExecuteFunctions): RunIdentity | undefined {
	const executionId = context.getExecutionId();
	if (typeof executionId !== 'string' || executionId === '') return undefined;
	const node = context.getNode();
	// n8n runs a node as a tool under its derived type, named `<type>Tool`.
	const tool = node.type.endsWith('Tool');
	// Read through the data proxy, the public way: a node has no getRunIndex().
	const runIndex = tool ? 0 : Number(context.getWorkflowDataProxy(0).$runIndex ?? 0);
	return { executionId, node: node.id || node.name, tool, runIndex };
}

interface RunEntry {
	items: Map<string, Remembered>;
	/** Tries of this run under way: while any is, the run is never forgotten. */
	open: number;
	expiresAt: number;
}

export class NeverTwiceMemory {
	private readonly runs = new Map<string, RunEntry>();

	constructor(
		private readonly now: () => number = Date.now,
		private readonly lingerMs = MEMORY_LINGER_MS,
		private readonly maxRuns = MEMORY_MAX_RUNS,
	) {}

	/** Starts a try of the run; `close()` the ledger when the try ends, whatever the outcome. */
	open(identity: RunIdentity | undefined): TryLedger {
		if (!identity) return new TryLedger(undefined, identity, () => undefined);
		const key = JSON.stringify([identity.executionId, identity.node, identity.tool ? 'tool' : identity.runIndex]);
		this.forgetOld();
		let entry = this.runs.get(key);
		if (entry) this.runs.delete(key);
		entry ??= { items: new Map(), open: 0, expiresAt: 0 };
		// Re-inserted last: the map's order is the order of last use.
		this.runs.set(key, entry);
		entry.open += 1;
		const opened = entry;
		return new TryLedger(opened, identity, () => {
			opened.open -= 1;
			opened.expiresAt = this.now() + this.lingerMs;
		});
	}

	/** How many runs are remembered (for tests and figures). */
	get size(): number {
		return this.runs.size;
	}

	private forgetOld(): void {
		const now = this.now();
		for (const [key, entry] of this.runs) if (entry.open === 0 && entry.expiresAt <= now) this.runs.delete(key);
		for (const [key, entry] of this.runs) {
			if (this.runs.size < this.maxRuns) break;
			if (entry.open === 0) this.runs.delete(key);
		}
	}
}

/** One try's view of its run: what earlier tries learnt, per item, and what this try learns. */
export class TryLedger {
	constructor(
		private readonly entry: RunEntry | undefined,
		readonly identity: RunIdentity | undefined,
		private readonly onClose: () => void,
	) {}

	get tool(): boolean {
		return this.identity?.tool === true;
	}

	/**
	 * An item of a node run is its index. A tool call is its request: the tries of one call repeat
	 * the same arguments, and so the same normalised request.
	 */
	itemKey(itemIndex: number, prepared: unknown): string {
		return this.tool ? JSON.stringify(prepared) : String(itemIndex);
	}

	recall(key: string): Remembered | undefined {
		return this.entry?.items.get(key);
	}

	remember(key: string, remembered: Remembered): void {
		this.entry?.items.set(key, remembered);
	}

	close(): void {
		this.onClose();
	}
}

/** The process's memory: one per n8n process (main, worker or webhook), shared by every execution in it. */
export const neverTwice = new NeverTwiceMemory();
