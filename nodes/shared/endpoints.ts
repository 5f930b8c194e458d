/**
 * Every UCPaaS endpoint the package speaks, below `/2014-06-30/Accounts/{AccountSid}`.
 * The sandbox implements the same list; change a path or a body root here and nowhere else.
 */
export const ENDPOINTS = {
	/** Read-only account info: also the credential test. */
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
 * download, the formula or the parameter name is what to change (signature.ts `recordingSig`).
 *
 * GUESS: the hosts recordings are served from. A recording URL arrives in an unauthenticated push,
 * so the signature is only ever added for the credential's own Base URL host or these domains
 * (the domain itself or any subdomain, https only). If the platform serves recordings from another
 * domain (a storage CDN), add it here, and only a domain the vendor controls.
 */
export const RECORDING = {
	method: 'GET',
	sigParameter: 'sig',
	platformDomains: ['ucpaas.com'],
} as const;

