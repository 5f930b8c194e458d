import type { IHttpRequestOptions } from 'n8n-workflow';

import { isRecord } from './isRecord';

/**
 * The typed seam between the node and the credential's signer, which n8n calls with nothing but
 * the request options. Most requests need no word from the node: a REST request (the node's, the
 * credential test's, or one of n8n's HTTP Request node with this credential) is signed the REST
 * way. A recording download is signed differently (see RECORDING), and only the node knows which
 * call the file belongs to, so it says so in this one property. n8n hands the options object to
 * `authenticate` as it is, and its HTTP client copies only the fields it knows, so the property
 * never goes on the wire. It stays on the signed options: if n8n signs them again (it does after
 * an HTTP 401), they are signed the same way.
 */
export interface RecordingDownloadIntent {
	kind: 'recordingDownload';
	/** The call the recording belongs to: the download signature covers it. */
	callId: string;
}

export type SigningIntent = RecordingDownloadIntent;

export type SignableRequestOptions = IHttpRequestOptions & {
	/** Absent: a REST request. */
	ucpaasSigning?: SigningIntent;
	/** Some callers (older n8n code paths) name the URL `uri`. */
	uri?: string;
};

/**
 * The signer refuses to sign: the request would carry a signature somewhere it must not go. n8n
 * wraps whatever `authenticate` throws (NodeApiError and friends), and the credential and the node
 * are bundled apart (one class per bundle, so `instanceof` cannot see across), so the refusal is
 * recognised by a registry-wide symbol instead: `findSigningRefusal`.
 */
const SIGNING_REFUSAL = Symbol.for('n8n-nodes-ucpaas.signingRefusal');

export class SigningRefusal extends Error {
	readonly [SIGNING_REFUSAL] = true;

	constructor(message: string) {
		super(message);
		this.name = 'SigningRefusal';
	}
}

/** The signer's refusal, found however deep n8n wrapped it (`cause` or `error` links). */
export function findSigningRefusal(error: unknown): SigningRefusal | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 6 && isRecord(current); depth++) {
		if ((current as { [SIGNING_REFUSAL]?: unknown })[SIGNING_REFUSAL] === true) return current as unknown as SigningRefusal;
		current = current.cause ?? current.error;
	}
	return undefined;
}
