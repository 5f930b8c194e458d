/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tool code: runs in plain Node (sandbox server, tests, scripts), never inside n8n */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_ACCOUNT, type Sandbox } from '../../sandbox';

/**
 * Test-side client for the sandbox: its own signer (deliberately not the node's, which others
 * write), a raw HTTP helper and a push receiver. Written from the API notes, not from the sandbox.
 */

export const SID = DEFAULT_ACCOUNT.accountSid;
export const TOKEN = DEFAULT_ACCOUNT.authToken;
export const APP = DEFAULT_ACCOUNT.appId;
export const CLIENT = DEFAULT_ACCOUNT.clientNumber;
export const MOBILE = DEFAULT_ACCOUNT.mobile;

/** A fixed sandbox clock: 2024-01-15 09:30:00 Beijing. */
export const FIXED_NOW = new Date('2024-01-15T01:30:00Z');
export const fixedClock = () => new Date(FIXED_NOW);

export function beijingTs(at: Date): string {
	const b = new Date(at.getTime() + 8 * 3600_000);
	const p = (n: number) => String(n).padStart(2, '0');
	return `${b.getUTCFullYear()}${p(b.getUTCMonth() + 1)}${p(b.getUTCDate())}${p(b.getUTCHours())}${p(b.getUTCMinutes())}${p(b.getUTCSeconds())}`;
}

export function md5Upper(text: string): string {
	return createHash('md5').update(text, 'utf8').digest('hex').toUpperCase();
}

export interface Signature {
	ts: string;
	sig: string;
	authorization: string;
}

export function sign(sid: string, token: string, at: Date): Signature {
	const ts = beijingTs(at);
	return { ts, sig: md5Upper(sid + token + ts), authorization: Buffer.from(`${sid}:${ts}`, 'utf8').toString('base64') };
}

export interface HttpReply {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: string;
}

export const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export function httpRequest(
	url: string,
	options: { method?: string; headers?: Record<string, string>; body?: string; agent?: http.Agent | false } = {},
): Promise<HttpReply> {
	return new Promise((resolve, reject) => {
		// Node's errors come from another realm than jest's, which breaks `rejects.toThrow`: rewrap them.
		const fail = (error: Error) => reject(Object.assign(new Error(error.message), { code: (error as NodeJS.ErrnoException).code }));
		const payload = options.body === undefined ? undefined : Buffer.from(options.body, 'utf8');
		const headers: Record<string, string | number> = { ...options.headers };
		if (payload) headers['Content-Length'] = payload.length;
		const req = http.request(url, { method: options.method ?? 'GET', headers, agent: options.agent ?? agent }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
			res.on('error', fail);
		});
		req.on('error', fail);
		req.end(payload);
	});
}

export type Format = 'json' | 'xml';

export interface ApiCall {
	/** After `/Accounts/{sid}`, e.g. `/Calls/callBack`; '' for account info. */
	path?: string;
	method?: 'GET' | 'POST';
	format?: Format;
	/** How XML is asked for: the `.xml` suffix (like the Java SDK) or headers only. */
	xmlBy?: 'suffix' | 'headers';
	/** Wrapper name → fields; rendered as JSON or XML per format. */
	body?: Record<string, Record<string, string>>;
	rawBody?: string;
	query?: Record<string, string>;
	sid?: string;
	token?: string;
	at?: Date;
	version?: string;
	agent?: http.Agent;
	/** Tweak the signature or headers before sending. */
	tamper?: (s: Signature & { headers: Record<string, string> }) => void;
}

export function toXml(body: Record<string, Record<string, string>>): string {
	const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
	const [root, fields] = Object.entries(body)[0];
	const inner = Object.entries(fields)
		.map(([k, v]) => `<${k}>${esc(v)}</${k}>`)
		.join('');
	return `<?xml version="1.0" encoding="UTF-8"?><${root}>${inner}</${root}>`;
}

export async function api(sandbox: Sandbox, call: ApiCall = {}): Promise<HttpReply & { respCode?: string; resp: Record<string, unknown> }> {
	const format = call.format ?? 'json';
	const sid = call.sid ?? SID;
	const s = sign(sid, call.token ?? TOKEN, call.at ?? FIXED_NOW);
	const mime = format === 'xml' ? 'application/xml' : 'application/json';
	const headers: Record<string, string> = { Accept: mime, Authorization: s.authorization };
	const method = call.method ?? (call.body || call.rawBody !== undefined ? 'POST' : 'GET');
	if (method === 'POST') headers['Content-Type'] = `${mime};charset=utf-8`;
	const signed = { ...s, headers };
	call.tamper?.(signed);
	const suffix = format === 'xml' && (call.xmlBy ?? 'suffix') === 'suffix' ? '.xml' : '';
	const query = new URLSearchParams({ ...(signed.sig === '' ? {} : { sig: signed.sig }), ...call.query });
	const url = `${sandbox.url}/${call.version ?? '2014-06-30'}/Accounts/${sid}${call.path ?? ''}${suffix}?${query}`;
	const body = call.rawBody ?? (call.body ? (format === 'xml' ? toXml(call.body) : JSON.stringify(call.body)) : undefined);
	const reply = await httpRequest(url, { method, headers: signed.headers, body, agent: call.agent });
	return { ...reply, ...readResp(reply.body, format) };
}

/** Reads `resp` from a JSON or XML reply, small and independent of the sandbox's own parser. */
export function readResp(body: string, format: Format): { respCode?: string; resp: Record<string, unknown> } {
	if (body === '') return { resp: {} };
	if (format === 'json') {
		// Fault replies are not JSON at all; the test then looks at status and body.
		let resp: Record<string, unknown> | undefined;
		try {
			resp = (JSON.parse(body) as { resp?: Record<string, unknown> }).resp;
		} catch {
			resp = undefined;
		}
		return resp ? { respCode: resp.respCode as string, resp } : { resp: {} };
	}
	const xml = /<resp>([\s\S]*)<\/resp>/.exec(body)?.[1] ?? '';
	const parse = (text: string): Record<string, unknown> => {
		const out: Record<string, unknown> = {};
		for (const m of text.matchAll(/<(\w+)>([\s\S]*?)<\/\1>/g)) out[m[1]] = m[2].includes('<') ? parse(m[2]) : m[2];
		return out;
	};
	const resp = parse(xml);
	return { respCode: resp.respCode as string, resp };
}

export interface ReceivedPush {
	contentType: string;
	body: string;
	fields: Record<string, string>;
}

/**
 * A tiny push receiver. It answers retcode 0, except to callreq: `retcode` there, and with
 * `<record>1</record>` when `record` asks the platform to record the call.
 */
export async function startReceiver(options: { retcode?: string; record?: boolean } = {}) {
	const received: ReceivedPush[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const body = Buffer.concat(chunks).toString('utf8');
			const fields: Record<string, string> = {};
			for (const m of body.matchAll(/<(\w+)>([^<]*)<\/\1>/g)) fields[m[1]] = m[2];
			received.push({ contentType: String(req.headers['content-type']), body, fields });
			const callreq = fields.event === 'callreq';
			const retcode = callreq ? (options.retcode ?? '0') : '0';
			const record = callreq && options.record ? '<record>1</record>' : '';
			res.writeHead(200, { 'Content-Type': 'text/xml' });
			res.end(`<?xml version="1.0" encoding="UTF-8"?><response><retcode>${retcode}</retcode>${record}</response>`);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/ucpaas/events`,
		received,
		/** The `recordurl` of the call's callhangup push, if one came. */
		recordUrlOf: (callId: string) => received.find((push) => push.fields.event === 'callhangup' && push.fields.callid === callId)?.fields.recordurl,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}
