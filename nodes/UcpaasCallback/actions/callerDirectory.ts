import type { IExecuteFunctions } from 'n8n-workflow';

import type { FailureText } from '../../shared/apiErrors';
import { ENDPOINTS } from '../../shared/endpoints';
import { isRecord } from '../../shared/isRecord';
import type { UcpaasAccount } from '../transport/credential';
import { RequestFailure } from '../transport/requestFailure';
import { ucpaasRequest } from '../transport/ucpaasRequest';
import type { RequestSettings } from './requestOptions';

export interface ResolvedCaller {
	clientNumber: string;
	/** True when this execution created the Client because none was bound to the mobile. */
	created: boolean;
}

/** One caller to resolve, and everything needed to ask UCPaaS about it. */
export interface CallerQuery {
	context: IExecuteFunctions;
	itemIndex: number;
	account: UcpaasAccount;
	appId: string;
	mobile: string;
	settings: RequestSettings;
}

/**
 * Why a caller's mobile gave no Client number. Each reason has its own advice: "turn on Create
 * Client If Missing" is right only when it is off.
 */
type CallerProblem =
	| { kind: 'notBound'; mobile: string }
	| { kind: 'boundButNotFound'; mobile: string }
	| { kind: 'lookupWithoutNumber'; mobile: string }
	| { kind: 'createdWithoutNumber'; mobile: string };

const NOTHING_PLACED = 'No call was placed for this item.';

function callerProblemText(problem: CallerProblem): FailureText {
	switch (problem.kind) {
		case 'notBound':
			return {
				message: `No UCPaaS Client is bound to the caller's mobile ${problem.mobile} in this application`,
				description: `${NOTHING_PLACED} Turn on "Create Client If Missing", or create a Client for this mobile in the UCPaaS console.`,
			};
		case 'boundButNotFound':
			return {
				message: `UCPaaS says the caller's mobile ${problem.mobile} is already bound (103114), yet its lookup finds no Client in this application`,
				description: `${NOTHING_PLACED} The mobile may be bound to a Client of another application: check its Clients in the UCPaaS console.`,
			};
		case 'lookupWithoutNumber':
			return {
				message: `UCPaaS answered the Client lookup for the caller's mobile ${problem.mobile} without a clientNumber`,
				description: `${NOTHING_PLACED} The platform's reply was incomplete: check the mobile's Client in the UCPaaS console.`,
			};
		case 'createdWithoutNumber':
			return {
				message: `UCPaaS created a Client for the caller's mobile ${problem.mobile} but did not say its clientNumber`,
				description: `${NOTHING_PLACED} The Client probably exists now: running the node again is safe, its lookup then finds it (or look it up in the UCPaaS console).`,
			};
	}
}

function callerFailure(problem: CallerProblem, respCode?: string): RequestFailure {
	// Only a create that answered without a number did something: a Client now exists. No call did.
	const created = problem.kind === 'createdWithoutNumber';
	return new RequestFailure(callerProblemText(problem), { effect: created ? 'createsClient' : 'none', mayHaveTakenEffect: created, respCode });
}

/**
 * Turns a caller's mobile number into the Client number callBack needs, the way every production
 * integration does: look it up (ClientsByMobile) and, if allowed, create it (Clients).
 * One directory lives for one execution, so a mobile shared by many items is resolved once,
 * even when those items run concurrently.
 */
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

/** RespCodes of the Client endpoints that are answers, not failures. */
const NOT_FOUND = '100007';
const ALREADY_BOUND = '103114';

async function lookUp({ context, itemIndex, account, appId, mobile, settings }: CallerQuery): Promise<string | undefined> {
	const resp = await ucpaasRequest.call(context, itemIndex, account, {
		endpoint: ENDPOINTS.clientsByMobile,
		format: settings.format,
		query: { mobile, appId },
		timeoutMs: settings.timeoutMs,
		effect: 'none',
		acceptCodes: [NOT_FOUND],
	});
	if (resp.respCode === NOT_FOUND) return undefined;
	const number = clientNumberOf(resp);
	if (number === undefined) throw callerFailure({ kind: 'lookupWithoutNumber', mobile });
	return number;
}

async function lookUpOrCreate(query: CallerQuery, createIfMissing: boolean): Promise<ResolvedCaller> {
	const existing = await lookUp(query);
	if (existing) return { clientNumber: existing, created: false };
	const { context, itemIndex, account, appId, mobile, settings } = query;
	if (!createIfMissing) throw callerFailure({ kind: 'notBound', mobile }, NOT_FOUND);
	const resp = await ucpaasRequest.call(context, itemIndex, account, {
		endpoint: ENDPOINTS.createClient,
		format: settings.format,
		body: { root: ENDPOINTS.createClient.root, fields: { appId, clientType: '0', charge: '0', friendlyName: mobile, mobile } },
		timeoutMs: settings.timeoutMs,
		effect: 'createsClient',
		acceptCodes: [ALREADY_BOUND],
	});
	if (resp.respCode === ALREADY_BOUND) {
		// Someone bound it between our lookup and our create: use theirs.
		const raced = await lookUp(query);
		if (raced) return { clientNumber: raced, created: false };
		throw callerFailure({ kind: 'boundButNotFound', mobile }, ALREADY_BOUND);
	}
	const created = clientNumberOf(resp);
	if (created === undefined) throw callerFailure({ kind: 'createdWithoutNumber', mobile });
	return { clientNumber: created, created: true };
}

/** The reply's `client.clientNumber` (a list holds one Client), or undefined when it has none. */
function clientNumberOf(resp: Record<string, unknown>): string | undefined {
	const client = Array.isArray(resp.client) ? resp.client[0] : resp.client;
	const number = isRecord(client) ? client.clientNumber : undefined;
	if ((typeof number !== 'string' && typeof number !== 'number') || String(number).trim() === '') return undefined;
	return String(number).trim();
}
