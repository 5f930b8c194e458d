import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { checkBaseUrl } from './baseUrl';
import { RECORDING } from './endpoints';
import { MEDIA_TYPES, type WireFormat } from './mediaTypes';
import { checkRecordingUrl } from './recording';
import { recordingSig, signRequest } from './signature';
import { SigningRefusal, type RecordingDownloadIntent, type SignableRequestOptions } from './signingIntent';

/** XML when the caller asked for it by the `.xml` suffix or an XML Accept/Content-Type; JSON otherwise. */
function requestFormat(options: SignableRequestOptions, target: string): WireFormat {
	const headers = options.headers ?? {};
	const declared = Object.entries(headers)
		.filter(([name]) => /^(accept|content-type)$/i.test(name))
		.map(([, value]) => String(value))
		.join(' ');
	return /\.xml(\?|$)/.test(target) || /xml/i.test(declared) ? 'xml' : 'json';
}

/** The headers without those named by `drop` (matched without regard to case, as HTTP does). */
function headersWithout(headers: IDataObject | undefined, drop: RegExp): IDataObject {
	const kept: IDataObject = {};
	for (const [name, value] of Object.entries(headers ?? {})) if (!drop.test(name)) kept[name] = value;
	return kept;
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
	const options = requestOptions as SignableRequestOptions;
	const accountSid = String(credentials.accountSid ?? '').trim();
	const authToken = String(credentials.authToken ?? '').trim();
	const relative = options.url ?? options.uri ?? '';
	const target = /^https?:\/\//i.test(relative) ? relative : `${options.baseURL ?? ''}${relative}`;
	if (options.ucpaasSigning?.kind === 'recordingDownload') {
		return signRecordingDownload(credentials, options, target, options.ucpaasSigning, accountSid, authToken);
	}
	// Refuse before signing: a signature sent in clear text is a replayable credential for
	// TIMESTAMP_VALIDITY_MINUTES.
	checkBaseUrl(new URL(target).origin);

	const { sig, authorization } = signRequest(accountSid, authToken, now);
	const mediaType = MEDIA_TYPES[requestFormat(options, target)];
	return {
		...options,
		headers: {
			...headersWithout(options.headers, /^(accept|content-type|authorization)$/i),
			Accept: mediaType,
			'Content-Type': `${mediaType};charset=utf-8`,
			Authorization: authorization,
		},
		qs: { ...options.qs, sig },
	};
}

/**
 * A recording download: `sig` = MD5(AccountSid + callId + AuthToken) is added, with no timestamp
 * and no Authorization header, but only for a URL the host rule allows. The node checks the same
 * rule first; this is the last gate before the token is used.
 */
function signRecordingDownload(
	credentials: ICredentialDataDecryptedObject,
	options: SignableRequestOptions,
	target: string,
	intent: RecordingDownloadIntent,
	accountSid: string,
	authToken: string,
): IHttpRequestOptions {
	if (!/^[0-9A-Za-z]{8,64}$/.test(intent.callId)) throw new SigningRefusal('A recording download needs the callId of the call (8 to 64 letters and digits)');
	const check = checkRecordingUrl(target, credentials.baseUrl);
	if (!check.ok) throw new SigningRefusal(`Refused to sign a recording download: the URL ${check.problem}`);
	return {
		...options,
		headers: headersWithout(options.headers, /^authorization$/i),
		qs: { ...options.qs, [RECORDING.sigParameter]: recordingSig(accountSid, intent.callId, authToken) },
	};
}
