import type { IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { neverLeft, respCodeFailure, respCodeMayHaveTakenEffect, transportFailure, ucpaasPeer, type RequestEffect, type TransportProblem } from '../../shared/apiErrors';
import { decodeDocument, encodeBody, sniffFormat, WireFormatError } from '../../shared/codec';
import { accountPath } from '../../shared/endpoints';
import { isRecord } from '../../shared/isRecord';
import { MEDIA_TYPES, type WireFormat } from '../../shared/mediaTypes';
import { SUCCESS_CODE } from '../../shared/respCodes';
import { sendSigned, type FullResponse, type UcpaasAccount } from './credential';
import { classifyTransportError } from './networkErrors';
import { RequestFailure } from './requestFailure';

export interface ApiRequest {
	/** An entry of ENDPOINTS: its method and its path below `/{SoftVersion}/Accounts/{sid}`. */
	endpoint: { method: 'GET' | 'POST'; path: string };
	format: WireFormat;
	body?: { root: string; fields: Readonly<Record<string, string>> };
	query?: Readonly<Record<string, string>>;
	timeoutMs: number;
	/** What the request does when it gets through: once it may have left, one that does something is never sent twice. */
	effect: RequestEffect;
	/** respCodes besides 000000 that the caller handles itself (e.g. 100007 "not found" on a lookup). */
	acceptCodes?: readonly string[];
}

/** Attempts for a request refused before anything was sent (the only failure safe to repeat). */
const CONNECT_ATTEMPTS = 3;
const CONNECT_RETRY_PAUSE_MS = 250;

/**
 * Sends one signed UCPaaS REST request and returns the reply's `resp` object (respCode always a
 * string) when respCode is 000000 or one of `acceptCodes`. Anything else throws a RequestFailure
 * that says what happened in words a person or an agent can act on, and what the request may
 * have done.
 */
export async function ucpaasRequest(this: IExecuteFunctions, itemIndex: number, account: UcpaasAccount, request: ApiRequest): Promise<Record<string, unknown>> {
	const options: IHttpRequestOptions = {
		method: request.endpoint.method,
		baseURL: account.baseUrl,
		url: accountPath(account.accountSid, request.endpoint),
		// The credential's signer completes Content-Type and adds sig and Authorization.
		headers: { Accept: MEDIA_TYPES[request.format] },
		qs: { ...request.query },
		body: request.body ? encodeBody(request.format, request.body.root, request.body.fields) : undefined,
		json: false,
		encoding: 'text',
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		timeout: request.timeoutMs,
	};
	const peer = ucpaasPeer(account.baseUrl);
	const fail = (problem: TransportProblem, httpCode?: string) =>
		new RequestFailure(transportFailure(problem, peer, request.effect), { effect: request.effect, mayHaveTakenEffect: !neverLeft(problem), httpCode });

	let response: FullResponse | undefined;
	for (let attempt = 1; response === undefined; attempt++) {
		try {
			response = await sendSigned.call(this, itemIndex, { ...options, qs: { ...options.qs } });
		} catch (error) {
			const problem = classifyTransportError(error, request.timeoutMs);
			if (neverLeft(problem) && attempt < CONNECT_ATTEMPTS) {
				await sleep(CONNECT_RETRY_PAUSE_MS * attempt);
				continue;
			}
			throw fail(problem);
		}
	}

	if (response.statusCode < 200 || response.statusCode > 299) throw fail({ kind: 'httpStatus', status: response.statusCode }, String(response.statusCode));
	let resp: Record<string, unknown>;
	try {
		resp = readResp(bodyText(response.body), request.format);
	} catch (error) {
		throw fail({ kind: 'unreadable', reason: error instanceof WireFormatError ? error.message.toLowerCase() : 'unexpected content' });
	}
	const respCode = String(resp.respCode);
	if (respCode !== SUCCESS_CODE && !request.acceptCodes?.includes(respCode)) {
		throw new RequestFailure(respCodeFailure(respCode), { effect: request.effect, mayHaveTakenEffect: respCodeMayHaveTakenEffect(respCode), respCode });
	}
	return resp;
}

/** Reads `{resp:{respCode,…}}` in either format; trusts the body over a wrong Content-Type. */
export function readResp(text: string, expected: WireFormat): Record<string, unknown> {
	const document = decodeDocument(sniffFormat(text) ?? expected, text);
	const resp = document.resp;
	if (!isRecord(resp)) throw new WireFormatError('It has no "resp" element');
	const code = resp.respCode;
	if ((typeof code !== 'string' && typeof code !== 'number') || !/^\d{6}$/.test(String(code).trim())) {
		throw new WireFormatError('It has no six-digit respCode');
	}
	return { ...resp, respCode: String(code).trim() };
}

function bodyText(body: unknown): string {
	if (typeof body === 'string') return body;
	if (body === undefined || body === null) return '';
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	return JSON.stringify(body);
}
