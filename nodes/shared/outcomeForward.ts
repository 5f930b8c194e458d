import { createHmac, timingSafeEqual } from 'node:crypto';

import { isRecord } from './isRecord';
import type { PushEventItem } from './pushEvents';

/**
 * What the UCPaaS Callback Trigger sends to a waiting Place Callback and Wait: one push, as the
 * trigger read it, signed with a key derived from the account's auth token.
 *
 * The signature is what makes a resume trustworthy on every n8n line: n8n 1.x and early 2.x
 * resume a waiting execution for anyone who knows its (sequential) id, and even where n8n checks a
 * resume token, the token has travelled through the platform. Only a holder of the auth token (the
 * trigger, with the same account's credential) can sign, and the signature binds the execution and
 * the time, so a forward cannot be replayed to another run or much later.
 *
 * The envelope is JSON (`{ payload, signature }`, the payload a JSON string), so it survives n8n's
 * body parser unchanged; no header is needed.
 */

export const FORWARD_VERSION = 1;

/** How far a forward's time may be from the receiver's clock (both are one n8n's processes). */
export const FORWARD_MAX_AGE_MS = 5 * 60 * 1000;

export interface OutcomeForward {
	v: typeof FORWARD_VERSION;
	/** The execution the forward is for: a signed forward to another run is refused. */
	executionId: string;
	sentAt: string;
	/** The push; its userData is the user's own part, without the resume reference. */
	push: PushEventItem;
}

export interface ForwardEnvelope {
	payload: string;
	signature: string;
}

/** The signing secret: the credential's auth token. Read here only, never logged or returned. */
export interface ForwardSecret {
	accountSid: string;
	authToken: string;
}

export function forwardSecretOf(credentials: Record<string, unknown>): ForwardSecret | undefined {
	const accountSid = typeof credentials.accountSid === 'string' ? credentials.accountSid.trim() : '';
	const authToken = typeof credentials.authToken === 'string' ? credentials.authToken.trim() : '';
	return accountSid === '' || authToken === '' ? undefined : { accountSid, authToken };
}

function signingKey(secret: ForwardSecret): Buffer {
	// A key of its own, so the forward signature never equals anything the platform's signing makes.
	return createHmac('sha256', secret.authToken).update(`n8n-nodes-ucpaas outcome forward v${FORWARD_VERSION} ${secret.accountSid.toLowerCase()}`).digest();
}

function sign(payload: string, secret: ForwardSecret): string {
	return createHmac('sha256', signingKey(secret)).update(payload, 'utf8').digest('hex');
}

export function sealForward(forward: Omit<OutcomeForward, 'v'>, secret: ForwardSecret): ForwardEnvelope {
	const payload = JSON.stringify({ v: FORWARD_VERSION, ...forward });
	return { payload, signature: sign(payload, secret) };
}

export type ForwardCheck = { ok: true; forward: OutcomeForward } | { ok: false; status: 400 | 403; reason: string };

/** Opens a forward received by a waiting run; every refusal says why without quoting the body. */
export function openForward(body: unknown, secret: ForwardSecret | undefined, expected: { executionId: string; now: Date }): ForwardCheck {
	if (!isRecord(body) || typeof body.payload !== 'string' || typeof body.signature !== 'string') {
		return { ok: false, status: 400, reason: 'Not a forward of the UCPaaS Callback Trigger' };
	}
	if (!secret) return { ok: false, status: 403, reason: 'The waiting node\'s credential has no Account SID or Auth Token to check the forward with' };
	const given = Buffer.from(body.signature, 'utf8');
	const wanted = Buffer.from(sign(body.payload, secret), 'utf8');
	if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
		return { ok: false, status: 403, reason: 'The forward is not signed with this account\'s auth token' };
	}
	let forward: unknown;
	try {
		forward = JSON.parse(body.payload);
	} catch {
		return { ok: false, status: 400, reason: 'The forward\'s payload is not JSON' };
	}
	if (!isRecord(forward) || forward.v !== FORWARD_VERSION || typeof forward.executionId !== 'string' || typeof forward.sentAt !== 'string' || !isRecord(forward.push)) {
		return { ok: false, status: 400, reason: 'The forward is of another version of this package' };
	}
	if (forward.executionId !== expected.executionId) return { ok: false, status: 403, reason: 'The forward is for another execution' };
	const age = expected.now.getTime() - Date.parse(forward.sentAt);
	if (!Number.isFinite(age) || Math.abs(age) > FORWARD_MAX_AGE_MS) return { ok: false, status: 403, reason: 'The forward is stale' };
	return { ok: true, forward: forward as unknown as OutcomeForward };
}
