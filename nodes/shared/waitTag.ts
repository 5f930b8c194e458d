/**
 * The resume reference that Place Callback and Wait adds to a call's User Data.
 *
 * UCPaaS pushes a call's events to the one address set in its console, and the only thing of ours
 * a push carries back is the call's User Data (128 bytes). n8n gives a community node no shared
 * store it could read a resume address from in every process, so the reference travels with the
 * call itself: the waiting execution's id and, on n8n lines that check one, its resume token. The
 * base URL is not spent on it: the trigger knows its own n8n's address.
 *
 * Format, appended to the user's own User Data: `|ucw1.<executionId>[.<token>]`, the token as
 * base64url (43 characters for n8n's 64 hex digits). Without User Data of the user's own the
 * leading `|` is left out.
 */

export const USER_DATA_MAX_BYTES = 128;

const TAG_VERSION = 'ucw1';
const SEPARATOR = '|';
const EXECUTION_ID = /^[A-Za-z0-9-]{1,36}$/;
const HEX_TOKEN = /^[0-9a-f]{64}$/;
const TAG = /(?:^|\|)ucw1\.([A-Za-z0-9-]{1,36})(?:\.([A-Za-z0-9_-]{43}))?$/;

export interface WaitReference {
	/** The waiting execution's id, as n8n gives it. */
	executionId: string;
	/** n8n's resume token (64 hex digits) on lines that check one (2.x from about 2.16); undefined on older lines. */
	resumeToken?: string;
}

export function encodeWaitTag(reference: WaitReference): string {
	if (!EXECUTION_ID.test(reference.executionId)) throw new Error(`An execution id of n8n cannot be carried in User Data: ${JSON.stringify(reference.executionId)}`);
	let tag = `${TAG_VERSION}.${reference.executionId}`;
	if (reference.resumeToken !== undefined) {
		if (!HEX_TOKEN.test(reference.resumeToken)) throw new Error('n8n\'s resume token is not 64 hexadecimal digits');
		tag += `.${Buffer.from(reference.resumeToken, 'hex').toString('base64url')}`;
	}
	return tag;
}

/** The User Data sent to UCPaaS: the user's own text, then the reference. */
export function joinUserData(own: string | undefined, reference: WaitReference): string {
	const tag = encodeWaitTag(reference);
	return own === undefined || own === '' ? tag : `${own}${SEPARATOR}${tag}`;
}

/** How many bytes of User Data are left to the user beside the reference. */
export function ownUserDataBudget(reference: WaitReference): number {
	return USER_DATA_MAX_BYTES - Buffer.byteLength(encodeWaitTag(reference), 'utf8') - SEPARATOR.length;
}

export interface SplitUserData {
	/** The user's own User Data, as they set it (null when none). */
	own: string | null;
	/** The reference of a waiting run, when the call was placed by Place Callback and Wait. */
	reference?: WaitReference;
}

/** Reads User Data as a push carries it back. Text without a reference is the user's own, whole. */
export function splitUserData(userData: string | null | undefined): SplitUserData {
	if (userData === null || userData === undefined || userData === '') return { own: null };
	const match = TAG.exec(userData);
	if (!match) return { own: userData };
	const own = userData.slice(0, match.index);
	const token = match[2] === undefined ? undefined : Buffer.from(match[2], 'base64url').toString('hex');
	return { own: own === '' ? null : own, reference: { executionId: match[1], ...(token ? { resumeToken: token } : {}) } };
}

export type ResumeToken =
	/** The resume URL carries no token: this n8n line does not check one. */
	| { kind: 'none' }
	| { kind: 'token'; token: string }
	/** A token of a form this package cannot carry (n8n changed it): waiting would never resume. */
	| { kind: 'unknown' };

/** The token n8n put in `$execution.resumeUrl` (its `signature` query parameter). */
export function resumeTokenOf(resumeUrl: string): ResumeToken {
	let token: string | null;
	try {
		token = new URL(resumeUrl).searchParams.get('signature');
	} catch {
		return { kind: 'unknown' };
	}
	if (token === null || token === '') return { kind: 'none' };
	return HEX_TOKEN.test(token) ? { kind: 'token', token } : { kind: 'unknown' };
}
