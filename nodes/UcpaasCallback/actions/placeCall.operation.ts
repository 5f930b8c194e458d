import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { beijingToIso } from '../../shared/beijingTime';
import { ENDPOINTS } from '../../shared/endpoints';
import { isRecord } from '../../shared/isRecord';
import {
	field,
	InvalidFieldError,
	normaliseClientNumber,
	normaliseMaxAllowTime,
	normaliseMobileNumber,
	normaliseOptionalPhoneNumber,
	normalisePhoneNumber,
	normaliseRingtoneId,
	normaliseUserData,
} from '../../shared/validation';
import { getAccount, type UcpaasAccount } from '../transport/credential';
import { RequestFailure } from '../transport/requestFailure';
import { ucpaasRequest } from '../transport/ucpaasRequest';
import { appIdProperty, readAppId } from './appIdParameter';
import { callingHoursProperties, readCallingHours } from './callingHoursParameters';
import { guardStoreAvailable, openPlaceCallGate, type GatedCall } from './placeCallGate';
import { readRepeatGuard, readSkippedItems, repeatGuardOptionFields, repeatGuardProperties } from './repeatGuardParameters';
import { readOptions, readRequestSettings, requestOptionFields, type RequestSettings } from './requestOptions';
import { userDataWithWaitReference } from './waitReference';
import type { Operation } from './types';
import { PLACE_OPERATIONS } from './placeOperations';

const show = { show: { operation: PLACE_OPERATIONS } };

// The order is the order of use: the callee everyone maps first, then the caller, then what is
// rarely changed (the app, the options), and what Retry On Fail and the error output do last.
const description: INodeProperties[] = [
	{
		displayName: 'Callee Number',
		name: 'to',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 13900000000',
		description: 'The phone UCPaaS rings second, once the caller answers. Mobile or landline with area code; +86, spaces and dashes are removed.',
		displayOptions: show,
	},
	{
		displayName: 'Caller Given As',
		name: 'callerType',
		type: 'options',
		options: [
			{
				name: 'Client Number',
				value: 'clientNumber',
				description: 'The 14-digit Client number bound to the caller\'s phone',
			},
			{
				name: 'Mobile Number',
				value: 'mobile',
				description: 'The caller\'s mobile: the node looks up its Client number first',
			},
		],
		default: 'clientNumber',
		description: 'How the caller (the phone UCPaaS rings first) is identified',
		displayOptions: show,
	},
	{
		displayName: 'Caller Client Number',
		name: 'fromClient',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 60000000000000 (14 digits)',
		description: 'The caller\'s Client number (14 digits), a sub-account bound to the caller\'s phone',
		displayOptions: { show: { operation: PLACE_OPERATIONS, callerType: ['clientNumber'] } },
	},
	{
		displayName: 'Caller Mobile Number',
		name: 'callerMobile',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 13800000000',
		description: 'The caller\'s mobile number; +86, 0086, spaces and dashes are removed',
		displayOptions: { show: { operation: PLACE_OPERATIONS, callerType: ['mobile'] } },
	},
	{
		displayName: 'Create Client If Missing',
		name: 'createClientIfMissing',
		type: 'boolean',
		default: false,
		hint: 'When no Client is bound to this mobile, create one: a new sub-account on your UCPaaS account',
		description: 'Whether to create a Client (a sub-account of your UCPaaS account) for the mobile when none is bound to it in this application',
		displayOptions: { show: { operation: PLACE_OPERATIONS, callerType: ['mobile'] } },
	},
	appIdProperty(PLACE_OPERATIONS, 'places the call'),
	...repeatGuardProperties,
	...callingHoursProperties,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Callee Display Number',
				name: 'toSerNum',
				type: 'string',
				default: '',
				description: 'Number shown to the callee (toSerNum): a mobile, 400 number or landline',
			},
			{
				displayName: 'Caller Display Number',
				name: 'fromSerNum',
				type: 'string',
				default: '',
				description: 'Number shown to the caller (fromSerNum): only a 400 number or a landline',
			},
			{
				displayName: 'Max Call Duration (Seconds)',
				name: 'maxallowtime',
				type: 'number',
				typeOptions: { minValue: 60 },
				default: 1800,
				description: 'Longest the bridged call may last (maxallowtime), a multiple of 60',
			},
			{
				displayName: 'Ringtone ID',
				name: 'ringtoneID',
				type: 'string',
				default: '',
				description: 'ID of an approved custom ring or prompt sound',
			},
			{
				displayName: 'User Data',
				name: 'userData',
				type: 'string',
				default: '',
				description: 'Up to 128 bytes returned in the Call Ended event, e.g. a CRM record ID to match the call later',
			},
			...repeatGuardOptionFields,
			...requestOptionFields,
		],
	},
	{
		displayName:
			'Safe with Retry On Fail (Settings tab): within one execution no item\'s call is placed twice, and only calls the platform refused are sent again. A new execution places its calls again unless Repeat-Call Guard is on. With On Error set to "Continue (using error output)", each failed item says in error.callMayHaveBeenPlaced whether a call may exist.',
		name: 'retryNotice',
		type: 'notice',
		default: '',
		displayOptions: show,
	},
];

interface PlaceCallRequest extends GatedCall {
	account: UcpaasAccount;
	settings: RequestSettings;
	appId: string;
	caller: { kind: 'clientNumber'; clientNumber: string } | { kind: 'mobile'; mobile: string; createIfMissing: boolean };
	to: string;
	/** As sent: with Place Callback and Wait, User Data also carries the resume reference (waitReference.ts). */
	optional: Record<string, string | undefined>;
	/** The user's own User Data, which every output shows. */
	ownUserData: string | undefined;
	/** The guard was asked for, and this n8n has no store to keep it in: the item is sent as without it, and says so. */
	guardUnavailable: boolean;
}

async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<PlaceCallRequest> {
	const account = await getAccount.call(this, itemIndex);
	const options = readOptions.call(this, itemIndex);
	const settings = readRequestSettings.call(this, itemIndex, options);
	const param = (name: string, fallback: unknown = '') => this.getNodeParameter(name, itemIndex, fallback) as unknown;

	const appId = readAppId.call(this, itemIndex, account);
	const to = normalisePhoneNumber(param('to'), field('Callee Number', 'to'));

	const callerType = param('callerType', 'clientNumber');
	let caller: PlaceCallRequest['caller'];
	if (callerType === 'mobile') {
		const mobile = normaliseMobileNumber(param('callerMobile'), field('Caller Mobile Number', 'callerMobile'));
		if (mobile === to) throw new InvalidFieldError(field('Callee Number', 'to'), 'is the same as the caller\'s mobile: UCPaaS cannot call a phone back to itself');
		caller = { kind: 'mobile', mobile, createIfMissing: param('createClientIfMissing', false) === true };
	} else {
		const clientNumber = normaliseClientNumber(param('fromClient'), field('Caller Client Number', 'fromClient'));
		if (clientNumber === to) throw new InvalidFieldError(field('Callee Number', 'to'), 'is the same as the caller');
		caller = { kind: 'clientNumber', clientNumber };
	}

	const ownUserData = normaliseUserData(options.userData, field('User Data', 'userData'));
	const optional = {
		fromSerNum: normaliseOptionalPhoneNumber(options.fromSerNum, field('Caller Display Number', 'fromSerNum')),
		toSerNum: normaliseOptionalPhoneNumber(options.toSerNum, field('Callee Display Number', 'toSerNum')),
		maxallowtime: normaliseMaxAllowTime(options.maxallowtime, field('Max Call Duration (Seconds)', 'maxallowtime')),
		userData: this.getNodeParameter('operation', 0) === 'placeCallAndWait' ? userDataWithWaitReference.call(this, ownUserData) : ownUserData,
		ringtoneID: normaliseRingtoneId(options.ringtoneID, field('Ringtone ID', 'ringtoneID')),
	};
	let guard = readRepeatGuard.call(this, itemIndex, to, options);
	const guardUnavailable = guard !== undefined && !guardStoreAvailable(this);
	if (guardUnavailable) guard = undefined;
	const hours = readCallingHours.call(this, itemIndex);
	return { account, settings, appId, caller, to, optional, ownUserData, guard, guardUnavailable, hours, skippedItems: readSkippedItems(options) };
}

export const placeCall: Operation<PlaceCallRequest> = {
	description,
	doneLabel: 'calls placed',
	effect: 'placesCall',
	prepare,
	gate: openPlaceCallGate,
	async run(request, itemIndex, session) {
		const { account, settings, appId, caller, to } = request;
		let fromClient: string;
		let clientCreated: boolean | undefined;
		if (caller.kind === 'mobile') {
			const resolved = await session.callers.resolve({ context: this, itemIndex, account, appId, mobile: caller.mobile, settings }, caller.createIfMissing);
			fromClient = resolved.clientNumber;
			clientCreated = resolved.created;
		} else {
			fromClient = caller.clientNumber;
		}

		// The vendor's field order; empty optional fields are left out rather than sent blank.
		const fields: Record<string, string> = { appId, fromClient, to };
		for (const [name, value] of Object.entries(request.optional)) {
			if (value !== undefined) fields[name] = value;
		}
		const resp = await ucpaasRequest.call(this, itemIndex, account, {
			endpoint: ENDPOINTS.callBack,
			format: settings.format,
			body: { root: ENDPOINTS.callBack.root, fields },
			timeoutMs: settings.timeoutMs,
			effect: 'placesCall',
		});

		const callback = isRecord(resp.callback) ? resp.callback : {};
		const callId = typeof callback.callId === 'string' || typeof callback.callId === 'number' ? String(callback.callId).trim() : '';
		if (callId === '') {
			throw new RequestFailure(
				{
					message: 'UCPaaS accepted the call (respCode 000000) but its reply has no callId',
					description: 'The call was probably placed and the phones may be ringing. Do not place it again before the UCPaaS call records (or the Call Ended event) show what happened.',
				},
				{ effect: 'placesCall', mayHaveTakenEffect: true, respCode: String(resp.respCode) },
			);
		}
		const createDate = beijingToIso(callback.createDate) ?? (callback.createDate === undefined ? null : String(callback.createDate));
		return {
			json: {
				callId,
				createDate,
				respCode: resp.respCode as string,
				appId,
				fromClient,
				to,
				userData: request.ownUserData ?? null,
				...(caller.kind === 'mobile' ? { callerMobile: caller.mobile, clientCreated } : {}),
				// Beside skipped items (placeCallGate.ts) a placed one says skipped: false, so an IF node can route on it.
				...(request.guard || request.hours || request.guardUnavailable ? { skipped: false } : {}),
				...(request.guardUnavailable ? { repeatGuard: 'unavailable' } : {}),
			},
			summary: `callId ${callId} to ${to}`,
		};
	},
};
