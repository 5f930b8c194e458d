import type { ICredentialsDecrypted, IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { checkBaseUrl } from '../../shared/baseUrl';

export const CREDENTIAL_TYPE = 'ucpaasApi';

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
 * itself (docs/reliability-and-performance.md). Credential fields are not item-specific.
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

export interface FullResponse {
	body: unknown;
	statusCode: number;
	headers: IDataObject;
}

/**
 * Sends one request through the credential's signer, and returns n8n's full response. Errors are
 * n8n's own: callers classify them (networkErrors.ts) and must never show them as they are, since
 * they hold the signed request.
 */
export async function sendSigned(this: IExecuteFunctions, itemIndex: number, options: IHttpRequestOptions): Promise<FullResponse> {
	const { decrypted } = await loadCredential(this, itemIndex);
	return await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, { ...options, returnFullResponse: true }, { credentialsDecrypted: decrypted });
}
