import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CallerDirectory } from './callerDirectory';
import { cancelCall } from './cancelCall.operation';
import { downloadRecording } from './downloadRecording.operation';
import { errorForItem, itemLabel } from './itemErrors';
import { placeCall } from './placeCall.operation';
import { readBatching, sendInBatches } from './batching';
import type { ExecutionSession, Operation } from './types';

export const operations: Record<string, Operation<unknown>> = { placeCall, cancelCall, downloadRecording };

/**
 * Runs one operation over every input item:
 * 1. every item is read and checked first, so a bad item stops the run before anything is sent;
 * 2. the valid items are sent in batches (sequentially by default), each at most once;
 * 3. output keeps input order and pairing whatever the concurrency; a failed item either
 *    becomes an error item (continue on fail) or stops the run with an error that lists what
 *    the earlier items already did, so nothing that happened is lost.
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
			output[itemIndex] = errorItem(failure, itemIndex);
		}
	}

	const session: ExecutionSession = { callers: new CallerDirectory() };
	const done: Array<{ itemIndex: number; summary: string }> = [];
	let firstFailure: { itemIndex: number; error: ReturnType<typeof errorForItem> } | undefined;
	const send = async (itemIndex: number) => {
		try {
			const result = await operation.run.call(this, prepared.get(itemIndex), itemIndex, session);
			output[itemIndex] = { json: result.json, ...(result.binary ? { binary: result.binary } : {}), pairedItem: { item: itemIndex } };
			done.push({ itemIndex, summary: result.summary });
		} catch (error) {
			const failure = errorForItem(this, error, itemIndex);
			if (continueOnFail) {
				output[itemIndex] = errorItem(failure, itemIndex);
			} else if (!firstFailure || itemIndex < firstFailure.itemIndex) {
				firstFailure = { itemIndex, error: failure };
			}
		}
	};
	await sendInBatches([...prepared.keys()], batching, send, () => firstFailure !== undefined);

	if (firstFailure) {
		const { error } = firstFailure;
		const list = done
			.sort((a, b) => a.itemIndex - b.itemIndex)
			.map(({ itemIndex, summary }) => `${itemLabel(itemIndex)}: ${summary}`)
			.join('; ');
		// Said for both readers, a workflow builder and an AI agent: what already happened stays
		// happened, and repeating the node repeats it.
		const reconciliation = done.length
			? `Already done in this run and not undone (${operation.doneLabel}): ${list}. Running this node again (or Retry On Fail) repeats them.`
			: items.length > 1
				? 'No other item of this run was sent.'
				: '';
		error.description = [error.description, reconciliation].filter(Boolean).join(' ');
		throw error;
	}
	return [output.filter((item) => item !== undefined)];
}

/**
 * The shape n8n's engine routes to the error output: JSON holding nothing but `error`. The engine
 * then adds the input item's fields, so a retry branch still has the lead's phone number. (An
 * `error` property on the item would make the engine strip those fields again.)
 */
function errorItem(error: ReturnType<typeof errorForItem>, itemIndex: number): INodeExecutionData {
	return { json: { error: error.message }, pairedItem: { item: itemIndex } };
}

