import { beijingToIso } from './beijingTime';
import { decodeDocument, WireFormatError } from './codec';
import { isRecord } from './isRecord';

/**
 * The platform's pushes (HTTP POST, `text/xml`, root `<request>`) and the reply each one gets.
 * Every decision lives here, as pure functions, so the trigger node only moves bytes.
 */

/** Far above any real push (well under 2 KiB), far below what could cost anything to read. */
export const MAX_PUSH_BYTES = 64 * 1024;

export const REPLY_CONTENT_TYPE = 'text/xml;charset=utf-8';
export const REFUSAL_CONTENT_TYPE = 'text/plain;charset=utf-8';

/** `reason` of callhangup, as the platform documents it. */
export const HANGUP_REASONS: Readonly<Record<number, string>> = {
	0: 'Normal hang-up',
	1: 'Insufficient balance',
	2: 'Media timeout',
	3: 'Unreachable',
	4: 'Rejected',
	5: 'No answer',
	6: 'Rejected or timed out',
	7: 'Platform network error',
	8: 'Cancelled',
	9: 'Refused at call request',
	255: 'Other',
};

/** `subreason` only means something after a normal hang-up (reason 0). */
export const HANGUP_SUBREASONS: Readonly<Record<number, string>> = {
	1: 'Caller hung up',
	2: 'Callee hung up',
};

export interface PushSettings {
	/** The credential's Account SID: pushes for any other account are refused. */
	accountSid: string;
	/** Empty = any application of the account. */
	appId: string;
	/** Events that start the workflow; other events are acknowledged and dropped. */
	events: readonly string[];
	/** callreq reply: retcode 0 lets the call go on, 1 refuses it ([guess]: any non-zero refuses). */
	allowCalls: boolean;
	/** callreq reply: `<record>1</record>` asks the platform to record ([guess]). */
	recordCalls: boolean;
}

export interface PushRequest {
	method: string | undefined;
	/** The bytes as received; undefined when the host did not keep them. */
	body: Uint8Array | string | undefined | null;
}

// Type aliases, not interfaces: n8n's IDataObject accepts them without a cast.
export type CodedText = {
	code: number;
	/** null for a code the platform does not document. */
	text: string | null;
};

export type PushEventItem = {
	event: string;
	callId: string | null;
	caller: string | null;
	callerNumber: string | null;
	callee: string | null;
	displayNumber: string | null;
	startTime: string | null;
	stopTime: string | null;
	durationSeconds: number | null;
	reason: CodedText | null;
	subreason: CodedText | null;
	userData: string | null;
	/**
	 * Where the platform keeps this call's recording (callhangup only); null when it sent none.
	 * Feed it to Download Recording, which signs the download; the URL alone does not open it.
	 */
	recordingUrl: string | null;
	/** Whether the push names a recording: true only for a callhangup with a non-empty recordurl. */
	hasRecording: boolean;
	accountId: string | null;
	appId: string | null;
	/** Every field as received, text only. */
	raw: Record<string, string>;
};

export type PushVerdict =
	| {
			ok: true;
			status: 200;
			contentType: string;
			reply: string;
			event: PushEventItem;
			/** false: acknowledged so the platform is not disturbed, but no workflow run. */
			emit: boolean;
	  }
	| { ok: false; status: 400 | 403 | 405 | 413; contentType: string; reply: string; reason: string };

type Refusal = Extract<PushVerdict, { ok: false }>;

function refuse(status: Refusal['status'], reason: string): Refusal {
	// The reply names the rule that failed and never quotes the body.
	return { ok: false, status, contentType: REFUSAL_CONTENT_TYPE, reply: `${reason}\n`, reason };
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Decides what one HTTP request to the trigger's URL gets back, and whether it starts a run. */
export function handlePush(request: PushRequest, settings: PushSettings): PushVerdict {
	if ((request.method ?? '').toUpperCase() !== 'POST') return refuse(405, 'Only POST is accepted');
	const text = readText(request.body);
	if (typeof text !== 'string') return text;

	let document: Record<string, unknown>;
	try {
		document = decodeDocument('xml', text);
	} catch (error) {
		// Anything the parser trips on (deep nesting included) is a malformed push, never a crash.
		return refuse(400, error instanceof WireFormatError ? error.message : 'The body is not well-formed XML');
	}
	const roots = Object.keys(document);
	if (roots.length !== 1 || roots[0] !== 'request') return refuse(400, 'The root element must be <request>');

	const fields = readFields(document.request);
	if (!fields.ok) return fields.refusal;
	const { raw, byName } = fields;

	const event = byName.event ?? '';
	if (event === '') return refuse(400, 'The push has no <event>');
	if (!sameId(byName.accountid, settings.accountSid)) return refuse(403, 'The push is for another account');
	if (settings.appId.trim() !== '' && !sameId(byName.appid, settings.appId)) return refuse(403, 'The push is for another application');

	return {
		ok: true,
		status: 200,
		contentType: REPLY_CONTENT_TYPE,
		reply: buildReply(event, settings),
		event: normalise(event, raw, byName),
		emit: settings.events.includes(event),
	};
}

/** What the platform wants back: retcode 0, except a callreq the user chose to refuse. */
export function buildReply(event: string, settings: Pick<PushSettings, 'allowCalls' | 'recordCalls'>): string {
	let body = '<retcode>0</retcode>';
	if (event === 'callreq') {
		body = `<retcode>${settings.allowCalls ? 0 : 1}</retcode>`;
		if (settings.recordCalls) body += '<record>1</record>';
	}
	return `<?xml version="1.0" encoding="UTF-8"?><response>${body}</response>`;
}

function readText(body: PushRequest['body']): string | Refusal {
	// Without the bytes as sent we would be reading someone else's re-parse; refuse rather than guess.
	if (body === undefined || body === null) return refuse(400, 'The raw body of the request is not available');
	const size = typeof body === 'string' ? utf8Length(body) : body.byteLength;
	if (size > MAX_PUSH_BYTES) return refuse(413, `The body is larger than ${MAX_PUSH_BYTES} bytes`);
	if (typeof body === 'string') return body;
	try {
		return UTF8.decode(body);
	} catch {
		return refuse(400, 'The body is not valid UTF-8');
	}
}

function utf8Length(text: string): number {
	return new TextEncoder().encode(text).byteLength;
}

type Fields = { ok: true; raw: Record<string, string>; byName: Record<string, string> } | { ok: false; refusal: Refusal };

/** Field names are matched without regard to case (`userData` vs `userdata`); a name seen twice is ambiguous. */
function readFields(request: unknown): Fields {
	if (!isRecord(request)) return { ok: false, refusal: refuse(400, 'The push has no <event>') };
	const raw: Record<string, string> = {};
	// No prototype: a field called <toString> or <valueOf> is just a field.
	const byName = Object.create(null) as Record<string, string>;
	for (const [name, value] of Object.entries(request)) {
		// The parser files text between fields under '#text' and renames hostile names with a '#'.
		if (name.startsWith('#')) return { ok: false, refusal: refuse(400, 'The push holds something other than plain fields') };
		// The reasons do not name the field: a reply never carries anything taken from the body.
		if (typeof value !== 'string') return { ok: false, refusal: refuse(400, 'A field repeats or holds elements instead of plain text') };
		const key = name.toLowerCase();
		if (Object.hasOwn(byName, key)) return { ok: false, refusal: refuse(400, 'A field appears twice') };
		byName[key] = value;
		raw[name] = value;
	}
	return { ok: true, raw, byName };
}

/** Ids are hexadecimal: letter case carries no meaning. */
function sameId(received: string | undefined, expected: string): boolean {
	return received !== undefined && received.trim() !== '' && received.trim().toLowerCase() === expected.trim().toLowerCase();
}

function normalise(event: string, raw: Record<string, string>, byName: Record<string, string>): PushEventItem {
	const text = (name: string): string | null => (byName[name] === undefined || byName[name] === '' ? null : byName[name]);
	const reason = coded(byName.reason, HANGUP_REASONS);
	const recordingUrl = text('recordurl')?.trim() || null;
	return {
		event,
		callId: text('callid'),
		caller: text('caller'),
		callerNumber: text('callernum'),
		callee: text('called'),
		displayNumber: text('displaynum'),
		startTime: beijingToIso(byName.starttime) ?? null,
		stopTime: beijingToIso(byName.stoptime) ?? null,
		durationSeconds: wholeNumber(byName.length),
		reason,
		subreason: coded(byName.subreason, reason?.code === 0 ? HANGUP_SUBREASONS : {}),
		userData: text('userdata'),
		recordingUrl,
		hasRecording: recordingUrl !== null,
		accountId: text('accountid'),
		appId: text('appid'),
		raw,
	};
}

function wholeNumber(value: string | undefined): number | null {
	if (value === undefined || !/^\d{1,15}$/.test(value)) return null;
	return Number(value);
}

function coded(value: string | undefined, texts: Readonly<Record<number, string>>): CodedText | null {
	const code = wholeNumber(value);
	if (code === null) return null;
	return { code, text: texts[code] ?? null };
}
