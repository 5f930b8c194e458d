import { checkBaseUrl, isLoopbackHostname } from './baseUrl';
import { RECORDING } from './endpoints';

/**
 * Recording downloads, as pure functions: which URLs may be signed, and what file a reply is.
 * A recording URL comes from a push, which nobody signs: anyone who can reach the trigger's URL
 * can send one. So the host rule is checked twice, by the node before anything is sent (to name
 * the item and field) and by the credential's signer (the last gate before the token is used).
 */

export type RecordingUrlCheck = { ok: true; url: URL } | { ok: false; problem: string };

/** `https://host/path`, without the query: how a URL is named in messages (a query may hold a signature). */
export function describeUrl(url: URL): string {
	return `${url.protocol}//${url.host}${url.pathname}`;
}

function onPlatformDomain(hostname: string): boolean {
	const host = hostname.toLowerCase().replace(/\.$/, '');
	return RECORDING.platformDomains.some((domain) => host === domain || host.endsWith(`.${domain}`));
}

/**
 * May a recording at `value` be downloaded with the signature of the credential whose Base URL is
 * `baseUrl`? Allowed: https (plain http only to loopback), no user name or password in the URL, no
 * `sig` already in it, and the host (with its port) the Base URL's, or on the platform's domains
 * over https.
 */
export function checkRecordingUrl(value: string, baseUrl: unknown): RecordingUrlCheck {
	const text = value.trim();
	if (!URL.canParse(text)) return { ok: false, problem: `must be a full URL starting with https://; got ${JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text)}` };
	const url = new URL(text);
	const shown = `${url.protocol}//${url.host}`;
	if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, problem: `must use https; got ${url.protocol}` };
	if (url.protocol === 'http:' && !isLoopbackHostname(url.hostname)) {
		return { ok: false, problem: `must use https (plain http only to this machine, e.g. the local sandbox); got ${shown}: the signature would travel in clear text` };
	}
	if (url.username !== '' || url.password !== '') return { ok: false, problem: 'must not hold a user name or password' };
	if (url.searchParams.has(RECORDING.sigParameter)) {
		return { ok: false, problem: `already has a "${RECORDING.sigParameter}" parameter: the node adds the signature itself and will not send two` };
	}
	let base: URL;
	try {
		base = new URL(checkBaseUrl(baseUrl));
	} catch (error) {
		return { ok: false, problem: `cannot be checked: ${(error as Error).message}` };
	}
	const sameHost = url.protocol === base.protocol && url.host.toLowerCase() === base.host.toLowerCase();
	const platform = url.protocol === 'https:' && onPlatformDomain(url.hostname);
	if (!sameHost && !platform) {
		const allowed = [`${base.protocol}//${base.host} (the credential's Base URL)`, ...RECORDING.platformDomains.map((domain) => `https://*.${domain}`)].join(' or ');
		return {
			ok: false,
			problem: `is on ${shown}, which is not the platform: only ${allowed} may receive a signed download. A recording URL arrives in an unsigned push, so a URL elsewhere may have been sent by someone else`,
		};
	}
	return { ok: true, url };
}

/** What the reply's Content-Type (and failing that, the URL's file extension) says the file is. */
export interface RecordingFileType {
	mimeType: string;
	extension: string;
}

const AUDIO_TYPES: Readonly<Record<string, RecordingFileType>> = {
	'audio/wav': { mimeType: 'audio/wav', extension: 'wav' },
	'audio/wave': { mimeType: 'audio/wav', extension: 'wav' },
	'audio/x-wav': { mimeType: 'audio/wav', extension: 'wav' },
	'audio/vnd.wave': { mimeType: 'audio/wav', extension: 'wav' },
	'audio/mpeg': { mimeType: 'audio/mpeg', extension: 'mp3' },
	'audio/mp3': { mimeType: 'audio/mpeg', extension: 'mp3' },
	'audio/x-mpeg': { mimeType: 'audio/mpeg', extension: 'mp3' },
	'audio/amr': { mimeType: 'audio/amr', extension: 'amr' },
	'audio/ogg': { mimeType: 'audio/ogg', extension: 'ogg' },
	'audio/opus': { mimeType: 'audio/ogg', extension: 'ogg' },
	'audio/mp4': { mimeType: 'audio/mp4', extension: 'm4a' },
	'audio/x-m4a': { mimeType: 'audio/mp4', extension: 'm4a' },
	'audio/m4a': { mimeType: 'audio/mp4', extension: 'm4a' },
	'audio/aac': { mimeType: 'audio/aac', extension: 'aac' },
	'audio/flac': { mimeType: 'audio/flac', extension: 'flac' },
};

const BY_EXTENSION: Readonly<Record<string, RecordingFileType>> = Object.fromEntries(
	Object.values(AUDIO_TYPES).map((type) => [type.extension, type]),
);

/** Types that say "bytes, no idea what": the URL's extension decides then. */
const GENERIC_TYPES = new Set(['', 'application/octet-stream', 'binary/octet-stream', 'application/x-download', 'application/force-download']);

export type RecordingReplyKind = { kind: 'audio'; type: RecordingFileType } | { kind: 'document'; mediaType: string } | { kind: 'other'; mediaType: string };

function mediaTypeOf(contentType: unknown): string {
	const text = Array.isArray(contentType) ? String(contentType[0] ?? '') : typeof contentType === 'string' ? contentType : '';
	return text.split(';')[0].trim().toLowerCase();
}

/**
 * Classifies a reply: audio (with the MIME type and extension to use), a document (JSON, XML,
 * HTML or text: an error page or a respCode reply, never a recording), or something else.
 */
export function classifyRecordingReply(contentType: unknown, url: URL): RecordingReplyKind {
	const mediaType = mediaTypeOf(contentType);
	const extension = /\.([A-Za-z0-9]{1,5})$/.exec(url.pathname)?.[1]?.toLowerCase() ?? '';
	if (AUDIO_TYPES[mediaType]) return { kind: 'audio', type: AUDIO_TYPES[mediaType] };
	if (/^(application\/(json|xml|problem\+json)|text\/)/.test(mediaType) || /\+(json|xml)$/.test(mediaType)) return { kind: 'document', mediaType };
	if (GENERIC_TYPES.has(mediaType)) {
		if (BY_EXTENSION[extension]) return { kind: 'audio', type: BY_EXTENSION[extension] };
		return { kind: 'audio', type: { mimeType: 'application/octet-stream', extension: 'bin' } };
	}
	if (mediaType.startsWith('audio/')) {
		const fromUrl = BY_EXTENSION[extension];
		return { kind: 'audio', type: { mimeType: mediaType, extension: fromUrl?.extension ?? (/^[a-z0-9]{1,5}$/.test(mediaType.slice(6)) ? mediaType.slice(6) : 'bin') } };
	}
	return { kind: 'other', mediaType };
}

export const MEBIBYTE = 1024 * 1024;

/** Thrown inside the download stream when it passes the size cap; the stream then stops. */
export class RecordingTooLargeError extends Error {
	constructor(readonly capBytes: number) {
		super(`The recording is larger than the limit of ${capBytes / MEBIBYTE} MB`);
		this.name = 'RecordingTooLargeError';
	}
}
