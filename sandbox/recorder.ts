/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tool code: runs in plain Node (sandbox server, tests, scripts), never inside n8n */
import type { IncomingMessage } from 'node:http';
import type { RecordedRequest, WireFormat } from './types';

/**
 * Builds the record of a request. A correct client never sends its auth token; should a broken
 * one do so, the token is replaced before anything is stored, so test logs and the control
 * endpoint can never leak it. `redacted` tells the test that the client misbehaved.
 */
export function recordRequest(
	req: IncomingMessage,
	url: URL,
	body: string,
	format: WireFormat,
	at: Date,
	secrets: string[],
): RecordedRequest {
	let redacted = false;
	const patterns = secrets.map((secret) => new RegExp(secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'));
	const clean = (text: string) => {
		let out = text;
		for (const pattern of patterns) out = out.replace(pattern, () => ((redacted = true), '[redacted]'));
		return out;
	};
	const query: Record<string, string> = {};
	for (const [key, value] of url.searchParams) if (!(key in query)) query[clean(key)] = clean(value);
	const headers: Record<string, string> = {};
	for (const [key, value] of Object.entries(req.headers)) {
		if (value !== undefined) headers[key] = clean(Array.isArray(value) ? value.join(', ') : value);
	}
	const record: RecordedRequest = {
		method: req.method ?? 'GET',
		path: clean(url.pathname),
		query,
		headers,
		body: clean(body),
		format,
		verdict: { respCode: '', ok: false, reason: 'pending' },
		at,
	};
	if (redacted) record.redacted = true;
	return record;
}
