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
