import { createHash } from 'crypto';

/** UCPaaS stamps and checks every request in Beijing time: UTC+8 all year (China has no DST). */
const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

export interface RequestSignature {
	/** `yyyyMMddHHmmss`, Beijing time. The same value feeds `sig` and `Authorization`. */
	timestamp: string;
	/** Upper-case hex MD5 of accountSid + authToken + timestamp: the `sig` query parameter. */
	sig: string;
	/** Base64 of `accountSid:timestamp`, sent bare (no `Basic ` prefix). */
	authorization: string;
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/**
 * Formats an instant as UCPaaS's `yyyyMMddHHmmss` in Beijing time.
 * Built from the UTC fields of a shifted instant, so the host's own time zone can never leak in
 * (several public SDKs got this wrong with local-time formatting or a 12-hour clock).
 */
export function beijingTimestamp(instant: Date): string {
	const shifted = new Date(instant.getTime() + BEIJING_OFFSET_MS);
	return (
		pad(shifted.getUTCFullYear(), 4) +
		pad(shifted.getUTCMonth() + 1) +
		pad(shifted.getUTCDate()) +
		pad(shifted.getUTCHours()) +
		pad(shifted.getUTCMinutes()) +
		pad(shifted.getUTCSeconds())
	);
}

/** Signs one request. Pure: the clock is a parameter, so tests pin it. */
export function signRequest(accountSid: string, authToken: string, instant: Date): RequestSignature {
	const timestamp = beijingTimestamp(instant);
	const sig = createHash('md5')
		.update(accountSid + authToken + timestamp, 'utf8')
		.digest('hex')
		.toUpperCase();
	const authorization = Buffer.from(`${accountSid}:${timestamp}`, 'utf8').toString('base64');
	return { timestamp, sig, authorization };
}

/**
 * The `sig` of a recording download: upper-case hex MD5 of accountSid + callId + authToken. Note
 * the order (the call id in the middle) and the absence of a timestamp: unlike a REST signature
 * it does not expire. One public source only: see ENDPOINTS.recording.
 */
export function recordingSig(accountSid: string, callId: string, authToken: string): string {
	return createHash('md5')
		.update(accountSid + callId + authToken, 'utf8')
		.digest('hex')
		.toUpperCase();
}
