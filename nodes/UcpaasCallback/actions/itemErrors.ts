import type { IExecuteFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { InvalidFieldError } from '../../shared/validation';
import { CallerNotFoundError } from './callerDirectory';

type NodeFailure = NodeApiError | NodeOperationError;

/**
 * How messages name an item: counted from 1, as n8n's own panels count items ("1 item"). The
 * error's `itemIndex` context stays n8n's zero-based index.
 */
export function itemLabel(itemIndex: number): string {
	return `Item ${itemIndex + 1}`;
}

/**
 * Gives any failure the item it belongs to. A failure shared by several items (one caller lookup
 * serving many) is copied, so each item's error names its own index.
 */
export function errorForItem(context: IExecuteFunctions, error: unknown, itemIndex: number): NodeFailure {
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
	if (error instanceof CallerNotFoundError) {
		return new NodeApiError(context.getNode(), { message: error.message } as JsonObject, {
			message: error.message,
			description: 'No call was placed for this item. Turn on "Create Client If Missing", or create a Client for this mobile in the UCPaaS console.',
			itemIndex,
		});
	}
	if (error instanceof InvalidFieldError) {
		return new NodeOperationError(context.getNode(), `${itemLabel(itemIndex)}: ${error.message}`, {
			itemIndex,
			description: 'Nothing was sent for this item: correct the value (or the expression that produces it) and send it again.',
		});
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(context.getNode(), message, { itemIndex });
}
