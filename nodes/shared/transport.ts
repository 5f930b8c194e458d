import type { ICredentialsDecrypted, IDataObject, IExecuteFunctions, IHttpRequestOptions, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { neverLeft, respCodeFailure, transportFailure, type TransportProblem } from './apiErrors';
import { checkBaseUrl } from './baseUrl';
import { decodeDocument, encodeBody, isRecord, sniffFormat, WireFormatError } from './codec';
import { MEDIA_TYPES, type WireFormat } from './mediaTypes';
import { SUCCESS_CODE } from './respCodes';

export const CREDENTIAL_TYPE = 'ucpaasApi';
export const SOFT_VERSION = '2014-06-30';

/** The credential's non-secret fields. The auth token is only ever read by the credential's own signer. */
export interface UcpaasAccount {
	accountSid: string;
	appId: string;
	baseUrl: string;
}

interface LoadedCredential {
	account: UcpaasAccount;
	/** Handed back to n8n's signer with each request; holds the token, so it never leaves this file. */
	decrypted: ICredentialsDecrypted;
}

/**
 * One credential load per node execution, shared by all its items and requests. In the n8n app
 * every load is a database read and a decryption: done per request, it cost more than the request
 * itself (see the README's Performance section). Credential fields are not item-specific.
 */
const loadedCredentials = new WeakMap<IExecuteFunctions, Promise<LoadedCredential>>();

function loadCredential(context: IExecuteFunctions, itemIndex: number): Promise<LoadedCredential> {
	let loading = loadedCredentials.get(context);
	if (!loading) {
		loading = readCredential(context, itemIndex);
		loadedCredentials.set(context, loading);
	}
	return loading;
}

async function readCredential(context: IExecuteFunctions, itemIndex: number): Promise<LoadedCredential> {
	const data = await context.getCredentials(CREDENTIAL_TYPE, itemIndex);
	const accountSid = String(data.accountSid ?? '').trim();
	if (!/^[0-9A-Za-z]{1,64}$/.test(accountSid)) {
		throw new NodeOperationError(context.getNode(), 'The UCPaaS credential has no valid Account SID', { itemIndex });
	}
	let baseUrl: string;
	try {
		baseUrl = checkBaseUrl(data.baseUrl);
	} catch (error) {
		throw new NodeOperationError(context.getNode(), (error as Error).message, { itemIndex });
	}
	return {
		account: { accountSid, appId: String(data.appId ?? '').trim(), baseUrl },
		decrypted: { id: '', name: '', type: CREDENTIAL_TYPE, data },
	};
}

export async function getAccount(this: IExecuteFunctions, itemIndex: number): Promise<UcpaasAccount> {
	return (await loadCredential(this, itemIndex)).account;
}

export interface ApiRequest {
	method: 'GET' | 'POST';
	/** Below `/{SoftVersion}/Accounts/{sid}`, e.g. `/Calls/callBack`; empty for the account itself. */
	path: string;
	format: WireFormat;
	body?: { root: string; fields: Readonly<Record<string, string>> };
	query?: Readonly<Record<string, string>>;
	timeoutMs: number;
	/** Placing or cancelling: such a request is never sent twice once it may have left the machine. */
	changesState: boolean;
	/** respCodes besides 000000 that the caller handles itself (e.g. 100007 "not found" on a lookup). */
	acceptCodes?: readonly string[];
}

/** Attempts for a request refused before anything was sent (the only failure safe to repeat). */
const CONNECT_ATTEMPTS = 3;
const CONNECT_RETRY_PAUSE_MS = 250;

/**
 * Sends one signed request and returns the reply's `resp` object (respCode always a string)
 * when respCode is 000000 or one of `acceptCodes`.
 * Everything else becomes a NodeApiError with the item index and a message a person can act on.
 */
export async function ucpaasRequest(
	this: IExecuteFunctions,
	itemIndex: number,
	account: UcpaasAccount,
	request: ApiRequest,
): Promise<Record<string, unknown>> {
	const options: IHttpRequestOptions = {
		method: request.method,
		baseURL: account.baseUrl,
		url: `/${SOFT_VERSION}/Accounts/${account.accountSid}${request.path}`,
		// The credential's signer completes Content-Type and adds sig and Authorization.
		headers: { Accept: MEDIA_TYPES[request.format] },
		qs: { ...request.query },
		body: request.body ? encodeBody(request.format, request.body.root, request.body.fields) : undefined,
		json: false,
		encoding: 'text',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		timeout: request.timeoutMs,
	};

	const { decrypted } = await loadCredential(this, itemIndex);
	let response: { body: unknown; statusCode: number; headers: IDataObject } | undefined;
	for (let attempt = 1; response === undefined; attempt++) {
		try {
			response = await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, { ...options, qs: { ...options.qs } }, { credentialsDecrypted: decrypted });
		} catch (error) {
			const problem = classifyTransportError(error, request.timeoutMs);
			if (neverLeft(problem) && attempt < CONNECT_ATTEMPTS) {
				await sleep(CONNECT_RETRY_PAUSE_MS * attempt);
				continue;
			}
			throw apiError(this, itemIndex, transportFailure(problem, account.baseUrl, request.changesState), {});
		}
	}

	const text = bodyText(response.body);
	if (response.statusCode < 200 || response.statusCode > 299) {
		const problem: TransportProblem = { kind: 'httpStatus', status: response.statusCode };
		throw apiError(this, itemIndex, transportFailure(problem, account.baseUrl, request.changesState), { httpCode: String(response.statusCode) });
	}
	let resp: Record<string, unknown>;
	try {
		resp = readResp(text, request.format);
	} catch (error) {
		const reason = error instanceof WireFormatError ? error.message.toLowerCase() : 'unexpected content';
		throw apiError(this, itemIndex, transportFailure({ kind: 'unreadable', reason }, account.baseUrl, request.changesState), {});
	}
	const respCode = String(resp.respCode);
	if (respCode !== SUCCESS_CODE && !request.acceptCodes?.includes(respCode)) {
		throw apiError(this, itemIndex, respCodeFailure(respCode), { respCode });
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

function apiError(
	context: IExecuteFunctions,
	itemIndex: number,
	text: { message: string; description: string },
	details: { respCode?: string; httpCode?: string },
): NodeApiError {
	// Only these plain fields go in: never the request, whose URL and headers carry a live signature.
	const errorResponse: JsonObject = { message: text.message, ...details };
	const error = new NodeApiError(context.getNode(), errorResponse, {
		message: text.message,
		description: text.description,
		httpCode: details.httpCode,
		itemIndex,
	});
	if (details.respCode) error.context.respCode = details.respCode;
	return error;
}

const NETWORK_CODES: Record<string, TransportProblem['kind']> = {
	ECONNREFUSED: 'refused',
	ENOTFOUND: 'dns',
	EAI_AGAIN: 'dns',
	ECONNRESET: 'reset',
	EPIPE: 'reset',
	ERR_STREAM_PREMATURE_CLOSE: 'reset',
	ETIMEDOUT: 'timeout',
	ECONNABORTED: 'timeout',
	ERR_CANCELED: 'other',
};

/**
 * Finds the Node.js/axios error code however n8n wrapped it: n8n's NodeApiError keeps it in
 * `httpCode` and drops the original error, other layers keep it in `code` or `cause`.
 */
export function classifyTransportError(error: unknown, timeoutMs: number): TransportProblem {
	let current: unknown = error;
	for (let depth = 0; depth < 6 && isRecord(current); depth++) {
		const code = [current.code, current.httpCode].find((value): value is string => typeof value === 'string' && value in NETWORK_CODES);
		const kind = code ? NETWORK_CODES[code] : undefined;
		if (kind === 'timeout') return { kind, timeoutMs };
		if (kind === 'other') return { kind, reason: 'the execution was cancelled' };
		if (kind) return { kind } as TransportProblem;
		// axios reports a body cut off mid-way as ERR_BAD_RESPONSE "stream has been aborted".
		if (typeof current.message === 'string' && /socket hang up|stream has been aborted|aborted/i.test(current.message)) return { kind: 'reset' };
		current = current.cause ?? current.error;
	}
	return { kind: 'other', reason: 'the network request did not complete' };
}

/**
 * Sends one request through the credential's signer as given, and returns n8n's full response
 * (for a recording download: the body as a stream). Errors are n8n's own: the caller classifies
 * them with classifyTransportError and must never show them as they are, since they hold the
 * signed request.
 */
export async function signedRequest(
	this: IExecuteFunctions,
	itemIndex: number,
	options: IHttpRequestOptions,
): Promise<{ body: unknown; statusCode: number; headers: IDataObject }> {
	const { decrypted } = await loadCredential(this, itemIndex);
	return await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, { ...options, returnFullResponse: true }, { credentialsDecrypted: decrypted });
}
