import { createHash } from 'node:crypto';
import { compactBeijing, parseCompactBeijing } from './beijingTime';
import { RESP, refuse, type Refusal } from './respCodes';
import type { AccountState } from './state';

/**
 * The platform's signature checks, in the order it reports them: a client that gets several
 * things wrong sees the first failure, as it would in production.
 */

export interface SignatureCheck {
	pathSid: string;
	authorization: string | undefined;
	sig: string | undefined;
	now: Date;
	findAccount(accountSid: string): AccountState | undefined;
	maxAgeMs: number;
	maxFutureMs: number;
}

export type SignatureVerdict = { ok: true; account: AccountState } | ({ ok: false } & Refusal);

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function fail(respCode: string, reason: string): SignatureVerdict {
	return { ok: false, ...refuse(respCode, reason) };
}

/** Upper-case hex MD5(accountSid + authToken + ts): what a correct client sends as `sig`. */
export function expectedSig(accountSid: string, authToken: string, ts: string): string {
	return createHash('md5').update(accountSid + authToken + ts, 'utf8').digest('hex').toUpperCase();
}

function decodeAuthorization(header: string): string | undefined {
	// Strict on purpose: a `Basic ` prefix or URL-safe alphabet is a client bug worth surfacing.
	if (!BASE64.test(header)) return undefined;
	try {
		return utf8.decode(Buffer.from(header, 'base64'));
	} catch {
		return undefined;
	}
}

export function verifySignature(check: SignatureCheck): SignatureVerdict {
	const header = check.authorization;
	if (header === undefined || header.trim() === '') return fail(RESP.authorizationEmpty, 'Authorization header missing');
	const decoded = decodeAuthorization(header.trim());
	if (decoded === undefined) return fail(RESP.authorizationNotBase64, 'Authorization is not Base64');
	const colon = decoded.indexOf(':');
	if (colon < 0) return fail(RESP.authorizationMalformed, 'decoded Authorization has no ":"');
	const sid = decoded.slice(0, colon);
	const ts = decoded.slice(colon + 1);
	if (sid === '') return fail(RESP.authorizationSidEmpty, 'account sid in Authorization is empty');
	if (ts === '') return fail(RESP.authorizationTsEmpty, 'timestamp in Authorization is empty');
	if (!/^[0-9a-zA-Z]+$/.test(sid)) return fail(RESP.sidIllegalChars, 'account sid in Authorization has illegal characters');
	if (sid !== check.pathSid) return fail(RESP.sidMismatch, 'account sid in Authorization differs from the path');

	const account = check.findAccount(sid);
	if (!account) return fail(RESP.accountUnknown, 'account does not exist');
	if (account.status === 'closed') return fail(RESP.accountClosed, 'account closed');
	if (account.status === 'notActivated') return fail(RESP.accountNotActivated, 'account not activated');
	if (account.status === 'locked') return fail(RESP.accountLocked, 'account locked');

	if (check.sig === undefined || check.sig === '') return fail(RESP.sigEmpty, 'sig query parameter missing');

	const instant = parseCompactBeijing(ts);
	if (!instant) return fail(RESP.timestampExpired, `timestamp "${ts}" is not yyyyMMddHHmmss`);
	const age = check.now.getTime() - instant.getTime();
	if (age > check.maxAgeMs) {
		return fail(RESP.timestampExpired, `timestamp ${ts} is ${Math.round(age / 60_000)} min older than Beijing time ${compactBeijing(check.now)}`);
	}
	if (-age > check.maxFutureMs) {
		return fail(RESP.timestampExpired, `timestamp ${ts} is ${Math.round(-age / 60_000)} min ahead of Beijing time ${compactBeijing(check.now)}`);
	}

	// Exact comparison: the platform wants upper-case hex, a lower-case sig is a mismatch.
	if (check.sig !== expectedSig(account.accountSid, account.authToken, ts)) return fail(RESP.sigMismatch, 'sig mismatch');
	return { ok: true, account };
}
