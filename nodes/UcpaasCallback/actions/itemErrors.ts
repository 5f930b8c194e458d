import type { IExecuteFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { InvalidFieldError } from '../../shared/validation';
import { CallerNotFoundError } from './callerDirectory';

type NodeFailure = NodeApiError | NodeOperationError;

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
			description: 'Turn on "Create Client If Missing", or create a Client for this mobile in the UCPaaS console. No call was placed for this item.',
			itemIndex,
		});
	}
	if (error instanceof InvalidFieldError) {
		return new NodeOperationError(context.getNode(), `Item ${itemIndex}: ${error.message}`, {
			itemIndex,
			description: 'Nothing was sent for this item. Fix the value (or the expression that produces it) and run again.',
		});
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(context.getNode(), message, { itemIndex });
}
