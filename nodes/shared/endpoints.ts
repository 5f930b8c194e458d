/**
 * Every UCPaaS address the package speaks: REST paths, their body roots, and recording downloads.
 * The node's requests and the credential's test are built from this file and nothing else, so a
 * path or root that turns out wrong is changed here. (The sandbox keeps its own list on purpose:
 * an oracle that imported this file could not catch a mistake in it.)
 */

/** The API version in every REST path. */
export const SOFT_VERSION = '2014-06-30';

/** The REST path of `endpoint` for an account: `/{SoftVersion}/Accounts/{AccountSid}{path}`. */
export function accountPath(accountSid: string, endpoint: { path: string }): string {
	return `/${SOFT_VERSION}/Accounts/${accountSid}${endpoint.path}`;
}

export const ENDPOINTS = {
	/** Read-only account info: the credential test. */
	accountInfo: { method: 'GET', path: '' },
	clientsByMobile: { method: 'GET', path: '/ClientsByMobile' },
	createClient: { method: 'POST', path: '/Clients', root: 'client' },
	callBack: { method: 'POST', path: '/Calls/callBack', root: 'callback' },
	/**
	 * GUESS. No vendor page available offline documents cancelling a callback; one public client
	 * uses this path with the body `{"callCancel":{"appId","callId"}}`, and the error table has
	 * 100104 (callId empty) and 100108 (cancelling failed). If UCPaaS answers otherwise, fix it here.
	 */
	callCancel: { method: 'POST', path: '/Calls/callCancel', root: 'callCancel' },
} as const;

/**
 * Downloading a call recording: `GET {recordurl}?sig=…`, where `recordurl` is the URL the
 * callhangup push carries (it is not below the REST path).
 *
 * GUESS, from one public source only (no vendor page offline): `sig` is the upper-case hex MD5 of
 * AccountSid + callId + AuthToken, in that order, sent as the query parameter `sig`, with no
 * timestamp and no Authorization header. If UCPaaS answers 101116 (sig mismatch) or similar to a
 * download, the formula (signature.ts `recordingSig`) or the parameter name here is what to change.
 *
 * GUESS: the hosts recordings are served from. A recording URL arrives in an unauthenticated push,
 * so the signature is only ever added for the credential's own Base URL host or these domains
 * (the domain itself or any subdomain, https only; the rule is recording.ts `checkRecordingUrl`).
 * If the platform serves recordings from another domain (a storage CDN), add it here, and only a
 * domain the vendor controls.
 */
export const RECORDING = {
	method: 'GET',
	sigParameter: 'sig',
	platformDomains: ['ucpaas.com'],
} as const;
