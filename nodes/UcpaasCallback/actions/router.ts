import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { RequestFailure } from '../transport/requestFailure';
import { readBatching, sendInBatches } from './batching';
import { CallerDirectory } from './callerDirectory';
import { cancelCall } from './cancelCall.operation';
import { downloadRecording } from './downloadRecording.operation';
import { errorForItem, errorItem, itemLabel, type NodeFailure } from './itemErrors';
import { mayHaveTakenEffect, mustRemember, neverTwice, runIdentityOf } from './neverTwice';
import { placeCall } from './placeCall.operation';
import type { ExecutionSession, ItemGate, Operation, OperationResult } from './types';

// Place Callback and Wait places its call with Place Callback's own operation (placeCallAndWait.ts waits after it).
export const operations: Record<string, Operation<unknown>> = { placeCall, placeCallAndWait: placeCall, cancelCall, downloadRecording };

/** Said of an item the memory kept from being sent again (neverTwice.ts). */
const NOT_SENT_AGAIN =
	'This item was not sent again when n8n ran this node again (Retry On Fail, or an agent retrying its tool): its first try may already have placed the call.';

/**
 * Runs one operation over every input item:
 * 1. every item is read and checked first, so a bad item stops the run before anything is sent;
 * 2. the valid items are sent in batches (sequentially by default), each at most once, and at
 *    most once across the tries n8n makes of the same run (neverTwice.ts);
 * 3. output keeps input order and pairing whatever the concurrency; a failed item either
 *    becomes an error item (continue on fail) that says as data what may have happened, or stops
 *    the run with an error that lists what the earlier items already did, so nothing that
 *    happened is lost.
 */
export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = operations[operationName];
	if (!operation) throw new NodeOperationError(this.getNode(), `The operation "${operationName}" is not known`);
	const continueOnFail = this.continueOnFail();
	const batching = readBatching.call(this);

	const output: INodeExecutionData[] = new Array(items.length);
	const prepared = new Map<number, unknown>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			prepared.set(itemIndex, await operation.prepare.call(this, itemIndex));
		} catch (error) {
			const failure = errorForItem(this, error, itemIndex);
			if (!continueOnFail) throw failure;
			output[itemIndex] = errorItem(failure, operation.effect, false, itemIndex);
		}
	}

	const ledger = neverTwice.open(runIdentityOf(this));
	let gate: ItemGate | undefined;
	try {
		// Items an earlier try of this run already settled are answered by the memory, not the gate.
		const fresh = new Map([...prepared].filter(([itemIndex]) => ledger.recall(itemIndex) === undefined));
		gate = operation.gate && fresh.size > 0 ? await operation.gate.call(this, fresh) : undefined;
		const session: ExecutionSession = { callers: new CallerDirectory() };
		const done: Array<{ itemIndex: number; summary: string }> = [];
		let firstFailure: { itemIndex: number; error: NodeFailure } | undefined;
		const succeed = (itemIndex: number, result: OperationResult, summary = result.summary) => {
			output[itemIndex] = { json: result.json, ...(result.binary ? { binary: result.binary } : {}), pairedItem: { item: itemIndex } };
			done.push({ itemIndex, summary });
		};
		const skipped: Array<{ itemIndex: number; summary: string }> = [];
		const skip = (itemIndex: number, result: OperationResult) => {
			output[itemIndex] = { json: result.json, pairedItem: { item: itemIndex } };
			skipped.push({ itemIndex, summary: result.summary });
		};
		const fail = (itemIndex: number, cause: unknown) => {
			const failure = errorForItem(this, cause, itemIndex);
			if (continueOnFail) output[itemIndex] = errorItem(failure, operation.effect, mayHaveTakenEffect(cause, operation.effect), itemIndex);
			else if (!firstFailure || itemIndex < firstFailure.itemIndex) firstFailure = { itemIndex, error: failure };
		};
		const send = async (itemIndex: number) => {
			const earlier = ledger.recall(itemIndex);
			if (earlier?.kind === 'done') return succeed(itemIndex, earlier.result, `${earlier.result.summary} (by an earlier try)`);
			if (earlier?.kind === 'uncertain') return fail(itemIndex, notSentAgain(earlier.failure));
			const verdict = gate?.verdicts.get(itemIndex);
			if (verdict?.kind === 'skip') return skip(itemIndex, verdict.result);
			if (verdict?.kind === 'fail') return fail(itemIndex, verdict.error);
			try {
				const result = await operation.run.call(this, prepared.get(itemIndex), itemIndex, session);
				if (mustRemember(operation.effect, 'done')) ledger.remember(itemIndex, { kind: 'done', result });
				gate?.settled(itemIndex, { kind: 'done', result });
				succeed(itemIndex, result);
			} catch (error) {
				const uncertain = mayHaveTakenEffect(error, operation.effect);
				if (uncertain && mustRemember(operation.effect, 'uncertain')) {
					ledger.remember(itemIndex, { kind: 'uncertain', failure: error as RequestFailure });
				}
				gate?.settled(itemIndex, { kind: 'failed', mayHaveTakenEffect: uncertain });
				fail(itemIndex, error);
			}
		};
		await sendInBatches([...prepared.keys()], batching, send, () => firstFailure !== undefined);

		if (firstFailure) throw withReconciliation(firstFailure.error, operation, { done, skipped, acrossExecutions: gate?.acrossExecutions }, items.length);
		return [output.filter((item) => item !== undefined)];
	} finally {
		await gate?.close();
		ledger.close();
	}
}

/** The earlier try's failure, again, saying why nothing was sent this time. */
function notSentAgain(earlier: RequestFailure): RequestFailure {
	return new RequestFailure({ message: earlier.message, description: `${earlier.description} ${NOT_SENT_AGAIN}` }, earlier.facts);
}

/**
 * Adds to the error that stops the run what the other items already did. Said for both readers,
 * a workflow builder and an AI agent: what happened stays happened, and what a new execution
 * (the workflow run again, or Retry in the Executions list) does with it.
 */
function withReconciliation(
	error: NodeFailure,
	operation: Operation<unknown>,
	run: { done: ItemSummary[]; skipped: ItemSummary[]; acrossExecutions?: string },
	itemCount: number,
): NodeFailure {
	const list = (entries: ItemSummary[]) =>
		[...entries]
			.sort((a, b) => a.itemIndex - b.itemIndex)
			.map(({ itemIndex, summary }) => `${itemLabel(itemIndex)}: ${summary}`)
			.join('; ');
	const repeated = mustRemember(operation.effect, 'done')
		? `Retry On Fail does not repeat them; ${run.acrossExecutions ?? 'running the workflow again (a new execution) does.'}`
		: 'Running the node again repeats them, which changes nothing on the platform.';
	const reconciliation = run.done.length
		? `Already done in this run and not undone (${operation.doneLabel}): ${list(run.done)}. ${repeated}`
		: itemCount > 1 && run.skipped.length === 0
			? 'No other item of this run was sent.'
			: '';
	const skipped = run.skipped.length ? `Not sent (skipped): ${list(run.skipped)}.` : '';
	error.description = [error.description, reconciliation, skipped].filter(Boolean).join(' ');
	return error;
}

interface ItemSummary {
	itemIndex: number;
	summary: string;
}
