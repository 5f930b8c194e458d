/**
 * Input rules for every value we put on the wire. Pure functions: each takes what an n8n
 * parameter or expression produced (a string, a number, or anything else by mistake) and either
 * returns the exact text to send or throws an InvalidFieldError naming the field.
 */

/** A field as the user sees it in the node panel, and as it is named on the wire. */
export interface FieldName {
	label: string;
	name: string;
}

/** Names a field once, for every rule and message that mentions it. */
export function field(label: string, name: string): FieldName {
	return { label, name };
}

export class InvalidFieldError extends Error {
	constructor(
		readonly field: FieldName,
		problem: string,
	) {
		super(`"${field.label}" (${field.name}) ${problem}`);
		this.name = 'InvalidFieldError';
	}
}

/** Shows a rejected value briefly, so a 10 kB paste does not flood the error panel. */
function quote(value: string): string {
	const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
	return JSON.stringify(shown);
}

/**
 * Turns an expression result into text. Numbers are accepted (a phone number often arrives
 * from a spreadsheet as one); objects, booleans and null are refused rather than sent as
 * "[object Object]" or "null".
 */
export function readText(value: unknown, field: FieldName): string {
	if (typeof value === 'string') return value.normalize('NFKC').trim();
	if (typeof value === 'number') {
		if (!Number.isSafeInteger(value) || value < 0) {
			throw new InvalidFieldError(field, `must be a whole number written as text; got the number ${value}`);
		}
		return String(value);
	}
	if (value === undefined) return '';
	const kind = value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
	throw new InvalidFieldError(field, `must be text or a number; the expression gave ${kind}`);
}

export function requireText(value: unknown, field: FieldName): string {
	const text = readText(value, field);
	if (text === '') throw new InvalidFieldError(field, 'is required and is empty');
	return text;
}

const FORMATTING = /[\s\-().]/g;
const CHINA_MOBILE = /^1[3-9]\d{9}$/;

/**
 * Normalises a phone number the way UCPaaS wants it: digits only, national form for China.
 * - full-width digits become ASCII (NFKC, in readText); spaces, dashes, dots and brackets go;
 * - `+86` / `0086` is dropped; a Chinese landline then gets its trunk `0` back
 *   (`+86 755 1234 5678` → `075512345678`), mobiles and 400/800 numbers do not;
 * - another `+` country code becomes the `00` international prefix.
 */
export function normalisePhoneNumber(value: unknown, field: FieldName): string {
	const raw = requireText(value, field);
	let number = raw.replace(FORMATTING, '');
	const china = /^(?:\+|00)86(\d+)$/.exec(number);
	if (china) {
		number = china[1];
		if (!CHINA_MOBILE.test(number) && !/^(?:400|800|0)/.test(number)) number = `0${number}`;
	} else if (number.startsWith('+')) {
		number = `00${number.slice(1)}`;
	}
	if (!/^\d{5,20}$/.test(number)) {
		throw new InvalidFieldError(field, `must be a phone number of 5 to 20 digits (e.g. 13800138000 or 075512345678); got ${quote(raw)}`);
	}
	return number;
}

/** A caller's mobile, as looked up with ClientsByMobile: a Chinese mobile number. */
export function normaliseMobileNumber(value: unknown, field: FieldName): string {
	const number = normalisePhoneNumber(value, field);
	if (!CHINA_MOBILE.test(number)) {
		throw new InvalidFieldError(field, `must be a Chinese mobile number of 11 digits starting with 1 (e.g. 13800138000); got ${quote(readText(value, field))}`);
	}
	return number;
}

/** UCPaaS Client numbers are 14 digits (the seed's `61207000000015`). */
export function normaliseClientNumber(value: unknown, field: FieldName): string {
	const raw = requireText(value, field);
	const number = raw.replace(/\s/g, '');
	if (!/^\d{14}$/.test(number)) {
		const hint = CHINA_MOBILE.test(number) ? ' That looks like a mobile number: set "Caller Given As" to Mobile Number instead.' : '';
		throw new InvalidFieldError(field, `must be a UCPaaS Client number of 14 digits; got ${quote(raw)}.${hint}`);
	}
	return number;
}

/** Application ids are 32 hexadecimal characters. */
export function normaliseAppId(value: unknown, field: FieldName): string {
	const id = requireText(value, field);
	if (!/^[0-9a-fA-F]{32}$/.test(id)) {
		throw new InvalidFieldError(field, `must be a UCPaaS App ID of 32 hexadecimal characters; got ${quote(id)}`);
	}
	return id;
}

/** Call ids come back as hexadecimal or alphanumeric tokens (the seed shows `60000000000008mRrDm254582`). */
export function normaliseCallId(value: unknown, field: FieldName): string {
	const id = requireText(value, field);
	if (!/^[0-9A-Za-z]{8,64}$/.test(id)) {
		throw new InvalidFieldError(field, `must be the callId returned by Place Callback (8 to 64 letters and digits); got ${quote(id)}`);
	}
	return id;
}

/** Longest call in seconds: the vendor table asks for a positive multiple of 60. */
export function normaliseMaxAllowTime(value: unknown, field: FieldName): string | undefined {
	const text = readText(value, field);
	if (text === '' || text === '0') return undefined;
	const seconds = Number(text);
	if (!/^\d+$/.test(text) || !Number.isSafeInteger(seconds) || seconds % 60 !== 0) {
		throw new InvalidFieldError(field, `must be a positive number of seconds that is a multiple of 60 (60, 120, 180…); got ${quote(text)}`);
	}
	return String(seconds);
}

const CONTROL_CHARACTERS = /\p{Cc}/u;

/** Pass-through text echoed in the hang-up push: at most 128 bytes of UTF-8. */
export function normaliseUserData(value: unknown, field: FieldName): string | undefined {
	const text = readText(value, field);
	if (text === '') return undefined;
	if (CONTROL_CHARACTERS.test(text)) {
		throw new InvalidFieldError(field, 'must not contain control characters such as line breaks or tabs');
	}
	const bytes = Buffer.byteLength(text, 'utf8');
	if (bytes > 128) {
		throw new InvalidFieldError(field, `must be at most 128 bytes of UTF-8 (a Chinese character takes 3); got ${bytes} bytes`);
	}
	return text;
}

/** Id of an approved ring or prompt sound. */
export function normaliseRingtoneId(value: unknown, field: FieldName): string | undefined {
	const id = readText(value, field);
	if (id === '') return undefined;
	if (!/^[0-9A-Za-z_-]{1,64}$/.test(id)) {
		throw new InvalidFieldError(field, `must be the ringtone id shown in the UCPaaS console (letters, digits, - and _); got ${quote(id)}`);
	}
	return id;
}

/** Optional display number: absent when empty, otherwise a phone number. */
export function normaliseOptionalPhoneNumber(value: unknown, field: FieldName): string | undefined {
	return readText(value, field) === '' ? undefined : normalisePhoneNumber(value, field);
}
