import type { IExecuteFunctions } from 'n8n-workflow';

import { isRecord } from '../../shared/codec';
import { ENDPOINTS } from '../../shared/endpoints';
import { ucpaasRequest, type UcpaasAccount } from '../../shared/transport';
import type { RequestSettings } from './requestOptions';

/** RespCodes of the Client endpoints that are answers, not failures. */
const NOT_FOUND = '100007';
const ALREADY_BOUND = '103114';

export interface ResolvedCaller {
	clientNumber: string;
	/** True when this execution created the Client because none was bound to the mobile. */
	created: boolean;
}

/**
 * Turns a caller's mobile number into the Client number callBack needs, the way every production
 * integration does: look it up (ClientsByMobile) and, if allowed, create it (Clients).
 * One directory lives for one execution, so a mobile shared by many items is resolved once,
 * even when those items run concurrently.
 */
/** One caller to resolve, and everything needed to ask UCPaaS about it. */
export interface CallerQuery {
	context: IExecuteFunctions;
	itemIndex: number;
	account: UcpaasAccount;
	appId: string;
	mobile: string;
	settings: RequestSettings;
}

export class CallerDirectory {
	private readonly resolved = new Map<string, Promise<ResolvedCaller>>();

	resolve(query: CallerQuery, createIfMissing: boolean): Promise<ResolvedCaller> {
		const { account, appId, mobile } = query;
		const key = `${account.baseUrl} ${account.accountSid} ${appId} ${mobile} ${createIfMissing}`;
		let pending = this.resolved.get(key);
		if (!pending) {
			pending = lookUpOrCreate(query, createIfMissing);
			// A failed lookup is not cached: the next item gets its own attempt and its own error.
			pending.catch(() => this.resolved.delete(key));
			this.resolved.set(key, pending);
		}
		return pending;
	}
}

async function lookUp({ context, itemIndex, account, appId, mobile, settings }: CallerQuery): Promise<string | undefined> {
	const resp = await ucpaasRequest.call(context, itemIndex, account, {
		...ENDPOINTS.clientsByMobile,
		format: settings.format,
		query: { mobile, appId },
		timeoutMs: settings.timeoutMs,
		changesState: false,
		acceptCodes: [NOT_FOUND],
	});
	return resp.respCode === NOT_FOUND ? undefined : clientNumberOf(resp);
}

async function lookUpOrCreate(query: CallerQuery, createIfMissing: boolean): Promise<ResolvedCaller> {
	const existing = await lookUp(query);
	if (existing) return { clientNumber: existing, created: false };
	const { context, itemIndex, account, appId, mobile, settings } = query;
	if (!createIfMissing) {
		throw new CallerNotFoundError(mobile);
	}
	const resp = await ucpaasRequest.call(context, itemIndex, account, {
		method: ENDPOINTS.createClient.method,
		path: ENDPOINTS.createClient.path,
		format: settings.format,
		body: { root: ENDPOINTS.createClient.root, fields: { appId, clientType: '0', charge: '0', friendlyName: mobile, mobile } },
		timeoutMs: settings.timeoutMs,
		changesState: true,
		acceptCodes: [ALREADY_BOUND],
	});
	if (resp.respCode === ALREADY_BOUND) {
		// Someone bound it between our lookup and our create: use theirs.
		const raced = await lookUp(query);
		if (raced) return { clientNumber: raced, created: false };
		throw new CallerNotFoundError(mobile);
	}
	return { clientNumber: clientNumberOf(resp), created: true };
}

function clientNumberOf(resp: Record<string, unknown>): string {
	const client = Array.isArray(resp.client) ? resp.client[0] : resp.client;
	const number = isRecord(client) ? client.clientNumber : undefined;
	if ((typeof number !== 'string' && typeof number !== 'number') || String(number).trim() === '') {
		throw new CallerNotFoundError('', 'UCPaaS answered the Client request without a clientNumber');
	}
	return String(number).trim();
}

export class CallerNotFoundError extends Error {
	constructor(mobile: string, message?: string) {
		super(message ?? `No UCPaaS Client is bound to the caller's mobile ${mobile} in this application`);
		this.name = 'CallerNotFoundError';
	}
}
