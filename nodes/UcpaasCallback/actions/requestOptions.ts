import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { WireFormat } from '../../shared/mediaTypes';
import type { UcpaasAccount } from '../../shared/transport';
import { normaliseAppId, readText } from '../../shared/validation';

/** The App ID parameter of an operation: empty means the credential's default. */
export function appIdProperty(operation: string, purpose: string): INodeProperties {
	return {
		displayName: 'App ID',
		name: 'appId',
		type: 'string',
		default: '',
		placeholder: "Leave empty for the credential's default",
		description: `The UCPaaS application that ${purpose}: its 32-character ID (console: 应用管理). Leave empty to use the Default App ID of the credential.`,
		displayOptions: { show: { operation: [operation] } },
	};
}

export function readAppId(this: IExecuteFunctions, itemIndex: number, account: UcpaasAccount): string {
	const field = { label: 'App ID', name: 'appId' };
	return normaliseAppId(readText(this.getNodeParameter('appId', itemIndex, ''), field) || account.appId, field);
}

/** Options every operation offers, shown inside its "Options" collection. */
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
	{
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
	},
];

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
