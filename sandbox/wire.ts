import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { WireFormat } from './types';

/**
 * JSON and XML in and out. The platform picks the reply format from the `.xml` path suffix or the
 * headers; a client that mixes them up should see the sandbox answer in the format it asked for.
 */

export const CONTENT_TYPE: Record<WireFormat, string> = {
	json: 'application/json;charset=utf-8',
	xml: 'application/xml;charset=utf-8',
};

/** Lower-case media type without parameters: `application/json;charset=utf-8` → `application/json`. */
export function mediaType(header: string | undefined): string | undefined {
	if (!header) return undefined;
	const type = header.split(';')[0].trim().toLowerCase();
	return type === '' ? undefined : type;
}

export function negotiateFormat(path: string, accept: string | undefined, contentType: string | undefined): WireFormat {
	if (path.endsWith('.xml')) return 'xml';
	if (accept && accept.toLowerCase().includes('application/xml')) return 'xml';
	if (mediaType(contentType) === 'application/xml') return 'xml';
	return 'json';
}

/** The body format a POST declares, or undefined when its Content-Type is not one the API speaks. */
export function bodyFormat(contentType: string | undefined): WireFormat | undefined {
	const type = mediaType(contentType);
	if (type === 'application/json') return 'json';
	if (type === 'application/xml') return 'xml';
	return undefined;
}

export type ParsedDocument = { ok: true; doc: Record<string, unknown> } | { ok: false; reason: string };

const xmlParser = new XMLParser({
	// Numbers must stay strings: `075512345678` loses its leading zero otherwise.
	parseTagValue: false,
	ignoreAttributes: true,
	ignoreDeclaration: true,
	ignorePiTags: true,
	trimValues: true,
	htmlEntities: false,
});

/** Parse a request body; an empty body parses to an empty document (its wrapper is then missing). */
export function parseDocument(body: string, format: WireFormat): ParsedDocument {
	if (body.trim() === '') return { ok: true, doc: {} };
	if (format === 'json') {
		let value: unknown;
		try {
			value = JSON.parse(body);
		} catch (error) {
			return { ok: false, reason: `invalid JSON: ${(error as Error).message}` };
		}
		return { ok: true, doc: isRecord(value) ? value : {} };
	}
	const valid = XMLValidator.validate(body);
	if (valid !== true) return { ok: false, reason: `invalid XML: ${valid.err.msg}` };
	const doc = xmlParser.parse(body) as Record<string, unknown>;
	// The validator accepts several root elements; a document has one.
	if (Object.keys(doc).length > 1) return { ok: false, reason: 'invalid XML: more than one root element' };
	return { ok: true, doc };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The wrapper object (`callback`, `client`, `callCancel`), or undefined when it is missing. */
export function wrapper(doc: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
	const value = doc[name];
	return isRecord(value) ? value : undefined;
}

/**
 * A field as the platform would read it: strings as sent, numbers and booleans as their text
 * (Java deserialisers coerce them), anything else as absent.
 */
export function field(obj: Record<string, unknown>, name: string): string | undefined {
	const value = obj[name];
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return undefined;
}

export type ReplyValue = string | number | { [key: string]: ReplyValue };

export function escapeXml(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&apos;');
}

export function xmlElements(obj: Record<string, ReplyValue>): string {
	return Object.entries(obj)
		.map(([key, value]) =>
			typeof value === 'object' ? `<${key}>${xmlElements(value)}</${key}>` : `<${key}>${escapeXml(String(value))}</${key}>`,
		)
		.join('');
}

/** `{"resp":{"respCode":…, …}}` or `<resp><respCode>…</respCode>…</resp>`: success and failure alike. */
export function renderReply(format: WireFormat, respCode: string, payload: Record<string, ReplyValue> = {}): string {
	const resp: Record<string, ReplyValue> = { respCode, ...payload };
	if (format === 'json') return JSON.stringify({ resp });
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><resp>${xmlElements(resp)}</resp>`;
}

/** The `to` field of whatever wrapper the body has; used only to match fault rules. */
export function sniffTo(body: string, format: WireFormat | undefined): string | undefined {
	if (!format) return undefined;
	const parsed = parseDocument(body, format);
	if (!parsed.ok) return undefined;
	for (const value of Object.values(parsed.doc)) {
		if (isRecord(value)) {
			const to = field(value, 'to');
			if (to !== undefined) return to;
		}
	}
	return undefined;
}
