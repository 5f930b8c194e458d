import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ENDPOINTS } from '../../shared/endpoints';
import { field, normaliseCallId } from '../../shared/validation';
import { getAccount, type UcpaasAccount } from '../transport/credential';
import { ucpaasRequest } from '../transport/ucpaasRequest';
import { appIdProperty, readAppId } from './appIdParameter';
import { readOptions, readRequestSettings, requestOptionFields, type RequestSettings } from './requestOptions';
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
	appIdProperty(['cancelCall'], 'placed the call'),
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

interface CancelCallRequest {
	account: UcpaasAccount;
	settings: RequestSettings;
	appId: string;
	callId: string;
}

export const cancelCall: Operation<CancelCallRequest> = {
	description,
	doneLabel: 'calls cancelled',
	effect: 'cancelsCall',
	async prepare(this: IExecuteFunctions, itemIndex: number) {
		const account = await getAccount.call(this, itemIndex);
		const settings = readRequestSettings.call(this, itemIndex, readOptions.call(this, itemIndex));
		const appId = readAppId.call(this, itemIndex, account);
		const callId = normaliseCallId(this.getNodeParameter('callId', itemIndex, ''), field('Call ID', 'callId'));
		return { account, settings, appId, callId };
	},
	async run(request, itemIndex) {
		const { account, settings, appId, callId } = request;
		// A lost cancel reply is not a lost call: the 'cancelsCall' effect words it so.
		const resp = await ucpaasRequest.call(this, itemIndex, account, {
			endpoint: ENDPOINTS.callCancel,
			format: settings.format,
			body: { root: ENDPOINTS.callCancel.root, fields: { appId, callId } },
			timeoutMs: settings.timeoutMs,
			effect: 'cancelsCall',
		});
		return {
			json: { callId, cancelled: true, respCode: resp.respCode as string, appId },
			summary: `callId ${callId} cancelled`,
		};
	},
};
