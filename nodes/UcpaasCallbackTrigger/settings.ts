import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { chooseAppId } from '../shared/appId';
import type { PushSettings } from '../shared/pushEvents';
import { normaliseAppId } from '../shared/validation';

/** Reads a parameter the way both IWebhookFunctions and IHookFunctions offer it. */
export type ParameterReader = (name: string, fallback: unknown) => unknown;

export function readPushSettings(readParameter: ParameterReader, credentials: ICredentialDataDecryptedObject): PushSettings {
	const events = readParameter('events', []);
	const options = (readParameter('options', {}) ?? {}) as { allowCalls?: unknown; recordCalls?: unknown };
	return {
		accountSid: typeof credentials.accountSid === 'string' ? credentials.accountSid : '',
		// Empty: pushes for any application of the account are accepted.
		appId: chooseAppId(readParameter('appId', ''), credentials.appId).appId,
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
	const { appId, field } = chooseAppId(readParameter('appId', ''), credentials.appId);
	if (appId !== '') normaliseAppId(appId, field);
}

export interface WaitingRunSettings {
	/** Hand pushes of Place Callback and Wait's calls on to their waiting runs. */
	forward: boolean;
	/** Empty: worked out from the trigger's own URL. */
	waitingBaseUrl: string;
}

export function readWaitingRunSettings(readParameter: ParameterReader): WaitingRunSettings {
	const options = (readParameter('options', {}) ?? {}) as { forwardToWaitingRuns?: unknown; waitingBaseUrl?: unknown };
	return {
		forward: options.forwardToWaitingRuns !== false,
		waitingBaseUrl: typeof options.waitingBaseUrl === 'string' ? options.waitingBaseUrl : '',
	};
}
