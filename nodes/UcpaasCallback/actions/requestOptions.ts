import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { WireFormat } from '../../shared/mediaTypes';
import { batchingOption } from './batching';

/** Options every REST operation offers, shown inside its "Options" collection. */
export const requestOptionFields: INodeProperties[] = [
	{
		displayName: 'Body Format',
		name: 'format',
		type: 'options',
		options: [
			{ name: 'JSON', value: 'json' },
			{ name: 'XML', value: 'xml' },
		],
		default: 'json',
		description: 'Format of the request and reply bodies. Both carry the same call; XML is there for accounts and proxies that expect it.',
	},
	{
		displayName: 'Timeout (Milliseconds)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1000 },
		default: 15000,
		description: 'How long to wait for UCPaaS to answer one request, in milliseconds',
	},
	batchingOption,
];

export interface RequestSettings {
	format: WireFormat;
	timeoutMs: number;
}

/** Reads the item's whole Options collection at once: one expression pass instead of one per field. */
export function readOptions(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const options = this.getNodeParameter('options', itemIndex, {});
	return typeof options === 'object' && options !== null ? (options as IDataObject) : {};
}

export function readRequestSettings(this: IExecuteFunctions, itemIndex: number, options: IDataObject): RequestSettings {
	const format = String(options.format ?? 'json');
	const timeoutMs = Number(options.timeout ?? 15000);
	if (format !== 'json' && format !== 'xml') {
		throw new NodeOperationError(this.getNode(), `"Body Format" (format) must be json or xml; got "${format}"`, { itemIndex });
	}
	if (!Number.isFinite(timeoutMs) || timeoutMs < 1000) {
		throw new NodeOperationError(this.getNode(), '"Timeout (Milliseconds)" (timeout) must be at least 1000 milliseconds', { itemIndex });
	}
	return { format, timeoutMs };
}
