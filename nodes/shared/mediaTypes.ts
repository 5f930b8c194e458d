/** The two body formats UCPaaS speaks; the same request and reply exist in both. */
export type WireFormat = 'json' | 'xml';

// Kept apart from the XML codec so the credential file loads without the XML library.
export const MEDIA_TYPES: Readonly<Record<WireFormat, string>> = {
	json: 'application/json',
	xml: 'application/xml',
};
