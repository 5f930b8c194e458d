import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { checkBaseUrl } from './baseUrl';
import { RECORDING } from './endpoints';
import { MEDIA_TYPES, type WireFormat } from './mediaTypes';
import { checkRecordingUrl, RECORDING_SIGN_HEADER } from './recording';
import { recordingSig, signRequest } from './signature';

type SignableOptions = IHttpRequestOptions & { uri?: string };

/** XML when the caller asked for it by the `.xml` suffix or an XML Accept/Content-Type; JSON otherwise. */
function requestFormat(options: SignableOptions, target: string): WireFormat {
	const headers = options.headers ?? {};
	const declared = Object.entries(headers)
		.filter(([name]) => /^(accept|content-type)$/i.test(name))
		.map(([, value]) => String(value))
		.join(' ');
	return /\.xml(\?|$)/.test(target) || /xml/i.test(declared) ? 'xml' : 'json';
}

/**
 * The credential's `authenticate`: signs one outgoing request, with a fresh timestamp each time
 * (n8n calls this for every request, including the credential test and the HTTP Request node's
 * predefined-credential mode). `now` is injectable for tests.
 */
export function signRequestOptions(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
	now: Date = new Date(),
): IHttpRequestOptions {
	const options = requestOptions as SignableOptions;
	const accountSid = String(credentials.accountSid ?? '').trim();
	const authToken = String(credentials.authToken ?? '').trim();
	const relative = options.url ?? options.uri ?? '';
	const target = /^https?:\/\//i.test(relative) ? relative : `${options.baseURL ?? ''}${relative}`;
	const recordingCallId = Object.entries(options.headers ?? {}).find(([name]) => name.toLowerCase() === RECORDING_SIGN_HEADER)?.[1];
	if (recordingCallId !== undefined) return signRecordingDownload(credentials, options, target, String(recordingCallId), accountSid, authToken);
	// Refuse before signing: a signature sent in clear text is a replayable credential for 50 minutes.
	checkBaseUrl(new URL(target).origin);

	const { sig, authorization } = signRequest(accountSid, authToken, now);
	const mediaType = MEDIA_TYPES[requestFormat(options, target)];
	const headers: IDataObject = {};
	for (const [name, value] of Object.entries(options.headers ?? {})) {
		if (!/^(accept|content-type|authorization)$/i.test(name)) headers[name] = value;
	}
	return {
		...options,
		headers: {
			...headers,
			Accept: mediaType,
			'Content-Type': `${mediaType};charset=utf-8`,
			Authorization: authorization,
		},
		qs: { ...options.qs, sig },
	};
}

/**
 * A recording download, marked by the node with RECORDING_SIGN_HEADER (the callId): the marker is
 * removed, and `sig` = MD5(AccountSid + callId + AuthToken) is added, but only for a URL the host
 * rule allows. The node checks the same rule first; this is the last gate before the token is used.
 */
function signRecordingDownload(
	credentials: ICredentialDataDecryptedObject,
	options: SignableOptions,
	target: string,
	callId: string,
	accountSid: string,
	authToken: string,
): IHttpRequestOptions {
	if (!/^[0-9A-Za-z]{8,64}$/.test(callId)) throw new Error('A recording download needs the callId of the call (8 to 64 letters and digits)');
	const check = checkRecordingUrl(target, credentials.baseUrl);
	if (!check.ok) throw new Error(`Refused to sign a recording download: the URL ${check.problem}`);
	const headers: IDataObject = {};
	for (const [name, value] of Object.entries(options.headers ?? {})) {
		if (!/^authorization$/i.test(name) && name.toLowerCase() !== RECORDING_SIGN_HEADER) headers[name] = value;
	}
	return { ...options, headers, qs: { ...options.qs, [RECORDING.sigParameter]: recordingSig(accountSid, callId, authToken) } };
}
