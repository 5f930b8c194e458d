import { createHash } from 'crypto';

import { beijingTimestamp } from './beijingTime';

export interface RequestSignature {
	/** `yyyyMMddHHmmss`, Beijing time. The same value feeds `sig` and `Authorization`. */
	timestamp: string;
	/** Upper-case hex MD5 of accountSid + authToken + timestamp: the `sig` query parameter. */
	sig: string;
	/** Base64 of `accountSid:timestamp`, sent bare (no `Basic ` prefix). */
	authorization: string;
}

const md5Upper = (text: string) => createHash('md5').update(text, 'utf8').digest('hex').toUpperCase();

/**
 * Signs one REST request. Pure: the clock is a parameter, so tests pin it. The platform accepts
 * the timestamp for TIMESTAMP_VALIDITY_MINUTES, so every request gets a fresh one.
 */
export function signRequest(accountSid: string, authToken: string, instant: Date): RequestSignature {
	const timestamp = beijingTimestamp(instant);
	return {
		timestamp,
		sig: md5Upper(accountSid + authToken + timestamp),
		authorization: Buffer.from(`${accountSid}:${timestamp}`, 'utf8').toString('base64'),
	};
}

/**
 * The `sig` of a recording download: upper-case hex MD5 of accountSid + callId + authToken. Note
 * the order (the call id in the middle) and the absence of a timestamp: unlike a REST signature
 * it does not expire. One public source only: see RECORDING in endpoints.ts.
 */
export function recordingSig(accountSid: string, callId: string, authToken: string): string {
	return md5Upper(accountSid + callId + authToken);
}
