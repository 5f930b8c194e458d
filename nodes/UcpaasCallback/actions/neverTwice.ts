import type { IExecuteFunctions } from 'n8n-workflow';

import type { RequestEffect } from '../../shared/apiErrors';
import { RequestFailure } from '../transport/requestFailure';
import type { OperationResult } from './types';

/**
 * Never ring anyone twice: the memory of what earlier tries of the same run did.
 *
 * n8n runs a node again in three ways, and each would repeat every request:
 * - Retry On Fail re-runs the node with all its items, same run index, in the same process (in
 *   queue mode: on the same worker);
 * - with On Error "continue", it also re-runs while the first output item is an error;
 * - a tool of an AI agent (or of the MCP Server Trigger) is retried, with a new run index for every
 *   try and the same arguments.
 * So each try records here what it learnt about each item, and the next try of the same run asks
 * first: a call that was placed is returned as it was (same callId), one that may have been placed
 * fails again the same way without a request, and only one certainly not placed is sent again.
 *
 * The memory lives in this process only and nothing is persisted: a crashed worker forgets, and
 * n8n does not re-run a crashed worker's executions (its queue's maxStalledCount is 0). A new
 * execution (the workflow run again, an execution retried from the list) and an agent's new tool
 * call are new intentions, and place their calls again.
 */

/** How long a run's memory outlives its last try: well past n8n's longest retry schedule (5 tries, 5 s apart). */
export const MEMORY_LINGER_MS = 5 * 60_000;
/** Node runs remembered at once; the oldest finished ones are forgotten first. Never a run still trying. */
export const MEMORY_MAX_RUNS = 2_000;

/** What an earlier try learnt about one item. */
export type Remembered = { kind: 'done'; result: OperationResult } | { kind: 'uncertain'; failure: RequestFailure };

/**
 * Which outcomes must be remembered for an operation whose own request has `effect`:
 * - placing a call: a placed call is never placed again, nor one that may have been placed;
 * - cancelling: a done cancel is not sent again (it would answer 100108 and fail the item), but an
 *   uncertain one is: cancelling again is harmless and is what the retry is for;
 * - reads and downloads change nothing, so they are simply done again.
 */
export function mustRemember(effect: RequestEffect, outcome: Remembered['kind']): boolean {
	if (effect === 'placesCall') return true;
	if (effect === 'cancelsCall') return outcome === 'done';
	return false;
}

/** What a failure says about the operation's own request: true when it may have taken effect. */
export function mayHaveTakenEffect(error: unknown, effect: RequestEffect): boolean {
	return error instanceof RequestFailure && error.facts.effect === effect && error.facts.mayHaveTakenEffect;
}

/**
 * What the tries of one run share, and nothing else does:
 * - a node run: n8n's execution id, the node and the run index (a loop's next lap is a new run);
 * - a tool call: the arguments object. n8n hands every try of one tool call the very same object
 *   (n8n-core makeHandleToolInvocation, unchanged from 1.x to 2.41), while an agent's next call,
 *   even with the same number, is parsed anew: the agent's own decision, and it is sent. A tool
 *   call made by the MCP Server Trigger runs before n8n gives it an execution id, so the id could
 *   not tell the tries apart anyway.
 */
export type RunIdentity = { kind: 'nodeRun'; executionId: string; node: string; runIndex: number } | { kind: 'toolCall'; call: object };

/** The identity of the run `context` belongs to, or undefined when n8n gives none (then nothing is remembered). */
export function runIdentityOf(context: IExecuteFunctions): RunIdentity | undefined {
	const node = context.getNode();
	// n8n runs a node as a tool under its derived type, named `<type>Tool`.
	if (node.type.endsWith('Tool')) {
		const call = context.getInputData()[0]?.json;
		return call && typeof call === 'object' ? { kind: 'toolCall', call } : undefined;
	}
	const executionId = context.getExecutionId();
	if (typeof executionId !== 'string' || executionId === '') return undefined;
	// Read through the data proxy, the public way: a node has no getRunIndex().
	const runIndex = Number(context.getWorkflowDataProxy(0).$runIndex ?? 0);
	return { kind: 'nodeRun', executionId, node: node.id || node.name, runIndex };
}

interface RunEntry {
	items: Map<number, Remembered>;
	/** Tries of this run under way: while any is, the run is never forgotten. */
	open: number;
	expiresAt: number;
}

export class NeverTwiceMemory {
	private readonly runs = new Map<string, RunEntry>();

	/** Forgotten with the arguments object, when n8n is done with the tool call. */
	private readonly toolCalls = new WeakMap<object, RunEntry>();

	constructor(
		private readonly now: () => number = Date.now,
		private readonly lingerMs = MEMORY_LINGER_MS,
		private readonly maxRuns = MEMORY_MAX_RUNS,
	) {}

	/** Starts a try of the run; `close()` the ledger when the try ends, whatever the outcome. */
	open(identity: RunIdentity | undefined): TryLedger {
		if (!identity) return new TryLedger(undefined, () => undefined);
		if (identity.kind === 'toolCall') {
			let entry = this.toolCalls.get(identity.call);
			if (!entry) {
				entry = { items: new Map(), open: 0, expiresAt: 0 };
				this.toolCalls.set(identity.call, entry);
			}
			return new TryLedger(entry, () => undefined);
		}
		const key = JSON.stringify([identity.executionId, identity.node, identity.runIndex]);
		this.forgetOld();
		let entry = this.runs.get(key);
		if (entry) this.runs.delete(key);
		entry ??= { items: new Map(), open: 0, expiresAt: 0 };
		// Re-inserted last: the map's order is the order of last use.
		this.runs.set(key, entry);
		entry.open += 1;
		const opened = entry;
		return new TryLedger(opened, () => {
			opened.open -= 1;
			opened.expiresAt = this.now() + this.lingerMs;
		});
	}

	/** How many node runs are remembered (for tests and figures; tool calls are not counted). */
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
		private readonly onClose: () => void,
	) {}

	recall(itemIndex: number): Remembered | undefined {
		return this.entry?.items.get(itemIndex);
	}

	remember(itemIndex: number, remembered: Remembered): void {
		this.entry?.items.set(itemIndex, remembered);
	}

	close(): void {
		this.onClose();
	}
}

/** The process's memory: one per n8n process (main, worker or webhook), shared by every execution in it. */
export const neverTwice = new NeverTwiceMemory();
