/**
 * Where requests may go. The auth token never travels, but the signature and every phone number
 * do: plain http is allowed only to this machine (the local sandbox), never across a network.
 */
const LOOPBACK_HOSTNAME = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)$/i;

export const DEFAULT_BASE_URL = 'https://api.ucpaas.com';

/** This machine, as a URL's hostname spells it (`new URL(…).hostname` keeps IPv6 brackets). */
export function isLoopbackHostname(hostname: string): boolean {
	return LOOPBACK_HOSTNAME.test(hostname);
}

/** Returns the base URL without a trailing slash, or throws with a message fit for the user. */
export function checkBaseUrl(value: unknown): string {
	const text = typeof value === 'string' && value.trim() !== '' ? value.trim() : DEFAULT_BASE_URL;
	if (!URL.canParse(text)) throw new Error(`The credential's Base URL "${text}" is not a valid URL`);
	const url = new URL(text);
	if (url.protocol === 'https:') return text.replace(/\/+$/, '');
	if (url.protocol === 'http:' && isLoopbackHostname(url.hostname)) return text.replace(/\/+$/, '');
	throw new Error(
		`The credential's Base URL must use https (plain http is allowed only for localhost, e.g. the local UCPaaS sandbox); got "${url.protocol}//${url.host}"`,
	);
}
