import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { restateUncertainty } from '../../shared/apiErrors';
import { ENDPOINTS } from '../../shared/endpoints';
import { getAccount, ucpaasRequest, type UcpaasAccount } from '../../shared/transport';
import { normaliseCallId } from '../../shared/validation';
import { appIdProperty, readAppId, readOptions, readRequestSettings, requestOptionFields, type RequestSettings } from './requestOptions';
import type { Operation } from './types';

const show = { show: { operation: ['cancelCall'] } };

const description: INodeProperties[] = [
	{
		displayName: 'Call ID',
		name: 'callId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.callId }}',
		description: 'The callId that Place Callback returned (32 characters)',
		displayOptions: show,
	},
	appIdProperty('cancelCall', 'placed the call'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show,
		options: [...requestOptionFields],
	},
];

/**
 * ucpaasRequest throws n8n errors only. A lost cancel reply is not a lost call: the description
 * of a transport failure is restated to say that sending the cancel again is the safe next step.
 */
function restatedForCancel(error: unknown): unknown {
	if (error instanceof NodeApiError && error.description) error.description = restateUncertainty(error.description, 'cancelCall');
	return error;
}

interface CancelCallRequest {
	account: UcpaasAccount;
	settings: RequestSettings;
	appId: string;
	callId: string;
}

export const cancelCall: Operation<CancelCallRequest> = {
	description,
	doneLabel: 'calls cancelled',
	async prepare(this: IExecuteFunctions, itemIndex: number) {
		const account = await getAccount.call(this, itemIndex);
		const settings = readRequestSettings.call(this, itemIndex, readOptions.call(this, itemIndex));
		const appId = readAppId.call(this, itemIndex, account);
		const callId = normaliseCallId(this.getNodeParameter('callId', itemIndex, ''), { label: 'Call ID', name: 'callId' });
		return { account, settings, appId, callId };
	},
	async run(request, itemIndex) {
		const { account, settings, appId, callId } = request;
		let resp: Record<string, unknown>;
		try {
			resp = await ucpaasRequest.call(this, itemIndex, account, {
				method: ENDPOINTS.callCancel.method,
				path: ENDPOINTS.callCancel.path,
				format: settings.format,
				body: { root: ENDPOINTS.callCancel.root, fields: { appId, callId } },
				timeoutMs: settings.timeoutMs,
				changesState: true,
			});
		} catch (error) {
			throw restatedForCancel(error);
		}
		return {
			json: { callId, cancelled: true, respCode: resp.respCode as string, appId },
			summary: `callId ${callId} cancelled`,
		};
	},
};
