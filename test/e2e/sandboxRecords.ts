/**
 * What the sandbox saw, for the checks: the callBack requests per callee, the endpoint of a
 * request, and whether a request was signed the way UCPaaS demands (the sandbox's own verdict, plus the shape of sig, the
 * Authorization header and a Beijing-time timestamp, although n8n runs in another time zone).
 */
import { DEFAULT_ACCOUNT, type RecordedRequest, type Sandbox } from '../../sandbox';
import { expectEqual, expectMatch, expectTrue } from './assertions';

export const CALLBACK_PATH = `/2014-06-30/Accounts/${DEFAULT_ACCOUNT.accountSid}/Calls/callBack`;

/** The callee (`to`) of a callBack request, JSON or XML. */
export function calleeOf(request: RecordedRequest): string | undefined {
	if (request.format === 'xml') return /<to>([^<]*)<\/to>/.exec(request.body)?.[1];
	try {
		return (JSON.parse(request.body) as { callback?: { to?: string } }).callback?.to;
	} catch {
		return undefined;
	}
}

export function callBacks(sandbox: Sandbox, callees?: string[]): RecordedRequest[] {
	return sandbox.requests.filter((r) => r.path === CALLBACK_PATH && (!callees || callees.includes(calleeOf(r) ?? '')));
}

/** Beijing wall-clock `yyyyMMddHHmmss` → epoch ms. */
function beijingToEpoch(ts: string): number {
	const [, y, mo, d, h, mi, s] = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(ts) ?? [];
	return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h) - 8, Number(mi), Number(s));
}

/**
 * Accepted (respCode 000000) and signed the way UCPaaS demands; for any method. `faultTag` is the
 * reason the sandbox adds when a fault rule touched the request (e.g. `fault:outcome`).
 */
export function expectSigned(request: RecordedRequest, faultTag?: string): void {
	expectEqual(request.verdict, { respCode: '000000', ok: true, ...(faultTag ? { reason: faultTag } : {}) }, `sandbox verdict for ${request.method} ${request.path}`);
	expectMatch(request.query.sig, /^[0-9A-F]{32}$/, 'sig (upper-case MD5)');
	const authorization = request.headers.authorization ?? '';
	expectTrue(!/^Basic /i.test(authorization), 'Authorization must be bare Base64, without "Basic "');
	const [sid, ts] = Buffer.from(authorization, 'base64').toString('utf8').split(':');
	expectEqual(sid, DEFAULT_ACCOUNT.accountSid, 'Account SID in Authorization');
	expectMatch(ts, /^\d{14}$/, 'timestamp in Authorization');
	const skewMs = Math.abs(beijingToEpoch(ts) - request.at.getTime());
	expectTrue(skewMs < 5 * 60_000, `timestamp ${ts} is not Beijing time (off by ${Math.round(skewMs / 60_000)} min; n8n runs with TZ=America/Los_Angeles)`);
}

/** A signed POST whose body is in `format`. */
export function expectSignedAndAccepted(request: RecordedRequest, format: 'json' | 'xml', faultTag?: string): void {
	expectSigned(request, faultTag);
	expectEqual(request.format, format, 'wire format');
	expectEqual(request.headers['content-type'], `application/${format};charset=utf-8`, 'Content-Type');
}

/** The endpoint a request went to: the path after `/Accounts/{sid}` (`''` for the account itself). */
export function endpointOf(request: RecordedRequest): string {
	const prefix = `/2014-06-30/Accounts/${DEFAULT_ACCOUNT.accountSid}`;
	return request.path.startsWith(prefix) ? request.path.slice(prefix.length) : request.path;
}
