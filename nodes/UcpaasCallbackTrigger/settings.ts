import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type { PushSettings } from '../shared/pushEvents';
import { normaliseAppId, readText } from '../shared/validation';

/** Reads a parameter the way both IWebhookFunctions and IHookFunctions offer it. */
export type ParameterReader = (name: string, fallback: unknown) => unknown;

const APP_ID_FIELD = { label: 'App ID', name: 'appId' };
const DEFAULT_APP_ID_FIELD = { label: 'Default App ID of the credential', name: 'appId' };

/** The node's App ID wins; the credential's Default App ID fills in; empty means any app. */
function appIdAndSource(readParameter: ParameterReader, credentials: ICredentialDataDecryptedObject) {
	const own = readText(readParameter('appId', ''), APP_ID_FIELD);
	if (own !== '') return { appId: own, field: APP_ID_FIELD };
	return { appId: readText(credentials.appId, DEFAULT_APP_ID_FIELD), field: DEFAULT_APP_ID_FIELD };
}

function effectiveAppId(readParameter: ParameterReader, credentials: ICredentialDataDecryptedObject): string {
	return appIdAndSource(readParameter, credentials).appId;
}

export function readPushSettings(readParameter: ParameterReader, credentials: ICredentialDataDecryptedObject): PushSettings {
	const events = readParameter('events', []);
	const options = (readParameter('options', {}) ?? {}) as { allowCalls?: unknown; recordCalls?: unknown };
	return {
		accountSid: typeof credentials.accountSid === 'string' ? credentials.accountSid : '',
		appId: effectiveAppId(readParameter, credentials),
		events: Array.isArray(events) ? events.filter((event): event is string => typeof event === 'string') : [],
		allowCalls: options.allowCalls !== false,
		recordCalls: options.recordCalls === true,
	};
}

/**
 * What can be checked without the platform, at activation: a trigger whose pushes would all be
 * refused (no Account SID, a malformed App ID) should not look active.
 * Throws an Error with a message meant for the user.
 */
export function assertUsableSettings(readParameter: ParameterReader, credentials: ICredentialDataDecryptedObject): void {
	const accountSid = typeof credentials.accountSid === 'string' ? credentials.accountSid.trim() : '';
	if (accountSid === '') throw new Error('The UCPaaS API credential has no Account SID, so no push could be matched to it');
	const { appId, field } = appIdAndSource(readParameter, credentials);
	if (appId !== '') normaliseAppId(appId, field);
}
