import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { RequestEffect } from '../../shared/apiErrors';
import { InvalidFieldError } from '../../shared/validation';
import { RequestFailure } from '../transport/requestFailure';

export type NodeFailure = NodeApiError | NodeOperationError;

/**
 * How messages name an item: counted from 1, as n8n's own panels count items ("1 item"). The
 * error's `itemIndex` context stays n8n's zero-based index.
 */
export function itemLabel(itemIndex: number): string {
	return `Item ${itemIndex + 1}`;
}

/** A RequestFailure as n8n's error for its item. Only plain fields go in: never a request, whose URL and headers carry a live signature. */
function apiError(context: IExecuteFunctions, failure: RequestFailure, itemIndex: number): NodeApiError {
	const { respCode, httpCode } = failure.facts;
	const errorResponse: JsonObject = { message: failure.message, ...(respCode ? { respCode } : {}), ...(httpCode ? { httpCode } : {}) };
	const error = new NodeApiError(context.getNode(), errorResponse, { message: failure.message, description: failure.description, httpCode, itemIndex });
	if (respCode) error.context.respCode = respCode;
	return error;
}

/**
 * Turns whatever an item's work threw into n8n's error for that item. A failure shared by several
 * items (one caller lookup serving many) is made anew per item, so each names its own index.
 */
export function errorForItem(context: IExecuteFunctions, error: unknown, itemIndex: number): NodeFailure {
	if (error instanceof RequestFailure) return apiError(context, error, itemIndex);
	if (error instanceof InvalidFieldError) {
		return new NodeOperationError(context.getNode(), `${itemLabel(itemIndex)}: ${error.message}`, {
			itemIndex,
			description: 'Nothing was sent for this item: correct the value (or the expression that produces it) and send it again.',
		});
	}
	if (error instanceof NodeApiError) {
		if (error.context.itemIndex === itemIndex) return error;
		const copy = new NodeApiError(context.getNode(), { message: error.message } as JsonObject, {
			message: error.message,
			description: error.description ?? undefined,
			httpCode: error.httpCode ?? undefined,
			itemIndex,
		});
		copy.context.respCode = error.context.respCode;
		return copy;
	}
	if (error instanceof NodeOperationError) {
		if (error.context.itemIndex === itemIndex) return error;
		return new NodeOperationError(context.getNode(), error.message, { itemIndex, description: error.description ?? undefined });
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(context.getNode(), message, { itemIndex });
}

/**
 * A failed item for the error output ("continue (using error output)"), saying as data what may
 * have happened, so an IF node can route it without reading text:
 * `{ message, error: { message, description, respCode, httpCode?, callMayHaveBeenPlaced | mayHaveBeenCancelled } }`.
 * n8n routes an item to the error output only when its JSON holds nothing but `error` and
 * `message` (n8n 1.x–2.0 accept no other key), and then adds the input item's fields; an item
 * with an `error` property is cut down to `{ error: message }` instead. So the facts live inside
 * `error`, an object as in n8n's HTTP Request node, and `message` carries the text for people.
 */
export function errorItem(failure: NodeFailure, effect: RequestEffect, mayHaveTakenEffect: boolean, itemIndex: number): INodeExecutionData {
	const respCode = failure instanceof NodeApiError ? failure.context.respCode : undefined;
	const error: IDataObject = {
		message: failure.message,
		description: failure.description ?? null,
		respCode: typeof respCode === 'string' ? respCode : null,
		...(failure instanceof NodeApiError && failure.httpCode ? { httpCode: failure.httpCode } : {}),
	};
	if (effect === 'placesCall') error.callMayHaveBeenPlaced = mayHaveTakenEffect;
	if (effect === 'cancelsCall') error.mayHaveBeenCancelled = mayHaveTakenEffect;
	return { json: { message: failure.message, error }, pairedItem: { item: itemIndex } };
}
