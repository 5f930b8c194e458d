import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

import { isRecord } from './isRecord';
import type { WireFormat } from './mediaTypes';

/** A reply or push that cannot be read. The message is safe to show: it never quotes the body. */
export class WireFormatError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'WireFormatError';
	}
}

// Values stay strings: respCode `000000` and numeric ids must survive untouched.
const xmlParser = new XMLParser({
	ignoreAttributes: true,
	ignoreDeclaration: true,
	ignorePiTags: true,
	parseTagValue: false,
	trimValues: true,
	processEntities: true,
	// Also decodes numeric character references (&#20013;), which are plain XML; the parser only
	// offers them together with HTML's named entities, which are harmless in a value.
	htmlEntities: true,
});

const xmlBuilder = new XMLBuilder({ format: false, processEntities: true, suppressEmptyNode: false });

/** DOCTYPE and ENTITY declarations are how XML bombs and external-entity tricks get in; nothing we read needs them. */
const DECLARATIONS = /<!(DOCTYPE|ENTITY)/i;

/**
 * Builds a request body: `{"<root>":{…}}` or `<?xml …?><root>…</root>`.
 * Field order is kept as given, and every value goes through the encoder's escaping,
 * so no value can break out of its field.
 */
export function encodeBody(format: WireFormat, root: string, fields: Readonly<Record<string, string>>): string {
	if (format === 'json') return JSON.stringify({ [root]: fields });
	return `<?xml version="1.0" encoding="UTF-8"?>${xmlBuilder.build({ [root]: fields }) as string}`;
}

/** Parses a JSON object or a well-formed XML document into plain objects with trimmed keys. */
export function decodeDocument(format: WireFormat, text: string): Record<string, unknown> {
	const body = text.replace(/^\uFEFF/, '').trim();
	if (body === '') throw new WireFormatError('The body is empty');
	let parsed: unknown;
	if (format === 'json') {
		parsed = parseJson(body);
		if (parsed === INVALID) throw new WireFormatError('The body is not valid JSON');
	} else {
		if (DECLARATIONS.test(body)) throw new WireFormatError('The XML carries a DOCTYPE or ENTITY declaration, which is refused');
		// The validator and the parser disagree on some broken input (found by fuzzing): both must pass.
		parsed = XMLValidator.validate(body) === true ? parseXml(body) : INVALID;
		if (parsed === INVALID) throw new WireFormatError('The body is not well-formed XML');
	}
	if (!isRecord(parsed)) throw new WireFormatError(`The ${format.toUpperCase()} body is not an object`);
	return trimKeys(parsed) as Record<string, unknown>;
}

const INVALID = Symbol('unreadable');

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return INVALID;
	}
}

function parseXml(text: string): unknown {
	try {
		return xmlParser.parse(text) as unknown;
	} catch {
		return INVALID;
	}
}

/** Guesses the format of a body from its first character, for replies whose Content-Type lies. */
export function sniffFormat(text: string): WireFormat | undefined {
	const first = text.replace(/^\uFEFF/, '').trimStart()[0];
	if (first === '{') return 'json';
	if (first === '<') return 'xml';
	return undefined;
}

/** The vendor's own sample reply has a key written `" callId "`: read keys with the padding removed. */
function trimKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(trimKeys);
	if (!isRecord(value)) return value;
	const result: Record<string, unknown> = {};
	for (const [key, inner] of Object.entries(value)) {
		const name = key.trim();
		// Guard against prototype pollution through hostile keys.
		if (name === '__proto__' || name === 'constructor' || name === 'prototype') continue;
		result[name] = trimKeys(inner);
	}
	return result;
}
