/**
 * Maps a path to an endpoint. The version is captured rather than matched so that a known
 * endpoint under a wrong version answers 101107 (as the platform does) instead of 404.
 */

export type Endpoint = 'accountInfo' | 'clientsByMobile' | 'createClient' | 'callBack' | 'callCancel';

const ENDPOINTS: Record<string, { method: 'GET' | 'POST'; endpoint: Endpoint }> = {
	'': { method: 'GET', endpoint: 'accountInfo' },
	'/ClientsByMobile': { method: 'GET', endpoint: 'clientsByMobile' },
	'/Clients': { method: 'POST', endpoint: 'createClient' },
	'/Calls/callBack': { method: 'POST', endpoint: 'callBack' },
	'/Calls/callCancel': { method: 'POST', endpoint: 'callCancel' },
};

export type Routed =
	| { kind: 'notFound' }
	| { kind: 'methodNotAllowed'; allow: string }
	| { kind: 'endpoint'; endpoint: Endpoint; version: string; accountSid: string };

export function route(method: string, pathname: string): Routed {
	const bare = pathname.endsWith('.xml') ? pathname.slice(0, -'.xml'.length) : pathname;
	const m = /^\/([^/]+)\/Accounts\/([^/]*)((?:\/[^/]+){0,2})$/.exec(bare);
	if (!m) return { kind: 'notFound' };
	const [, version, accountSid, rest] = m;
	const known = ENDPOINTS[rest];
	if (!known) return { kind: 'notFound' };
	if (known.method !== method) return { kind: 'methodNotAllowed', allow: known.method };
	return { kind: 'endpoint', endpoint: known.endpoint, version, accountSid };
}
