/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- the values are the API doc's fake worked example */
import { checkRecordingUrl, classifyRecordingReply, describeUrl } from '../../nodes/shared/recording';
import { findSigningRefusal, type SignableRequestOptions } from '../../nodes/shared/signingIntent';
import { signRequestOptions } from '../../nodes/shared/signRequestOptions';
import { recordingSig } from '../../nodes/shared/signature';

const credentials = {
	accountSid: '2c9e1f3a4b5d6e7f8a9b0c1d2e3f4a5b',
	authToken: '0123456789abcdef0123456789abcdef',
	baseUrl: 'https://api.ucpaas.com',
};
const CALL_ID = 'd125cb0395998cec9f05ebe3d2f89173';
// Worked out with Python's hashlib: md5(sid + callId + token).hexdigest().upper()
const EXPECTED_SIG = '4BB11232D30C648686491028785125FA';
const instant = new Date('2024-01-15T01:30:00Z');

describe('recordingSig', () => {
	test('is the upper-case MD5 of AccountSid + callId + AuthToken (the call id in the middle, no timestamp)', () => {
		expect(recordingSig(credentials.accountSid, CALL_ID, credentials.authToken)).toBe(EXPECTED_SIG);
	});

	test('differs from the REST order (sid + token + callId) and from call to call', () => {
		const restOrder = recordingSig(credentials.accountSid, credentials.authToken, CALL_ID);
		expect(restOrder).not.toBe(EXPECTED_SIG);
		expect(recordingSig(credentials.accountSid, 'ffffffffffffffffffffffffffffffff', credentials.authToken)).not.toBe(EXPECTED_SIG);
	});
});

describe('checkRecordingUrl (which URLs may be signed)', () => {
	const allowed = (url: string, base: unknown = credentials.baseUrl) => checkRecordingUrl(url, base).ok;
	const problem = (url: string, base: unknown = credentials.baseUrl) => {
		const check = checkRecordingUrl(url, base);
		if (check.ok) throw new Error(`${url} was allowed`);
		return check.problem;
	};

	test.each([
		'https://api.ucpaas.com/record/d125.wav',
		'https://record.ucpaas.com/2024/01/15/d125cb03.mp3',
		'https://UCPAAS.COM/x.wav',
		'https://media.cn.ucpaas.com:8443/x.wav',
		'https://api.ucpaas.com/x.wav?token=abc',
	])('allows %s (the Base URL host or the platform domain, https)', (url) => {
		expect(allowed(url)).toBe(true);
	});

	test('allows the Base URL host itself, with its port, even when it is a loopback sandbox over http', () => {
		expect(allowed('http://127.0.0.1:8377/recordings/x.wav', 'http://127.0.0.1:8377')).toBe(true);
		expect(allowed('https://proxy.example.com/rec/x.wav', 'https://proxy.example.com')).toBe(true);
	});

	test.each([
		['http://api.ucpaas.com/x.wav', /must use https .*clear text/],
		['http://10.0.0.5/x.wav', /must use https/],
		['ftp://api.ucpaas.com/x.wav', /must use https; got ftp:/],
		['https://evil.example.com/x.wav', /is on https:\/\/evil\.example\.com, which is not the platform/],
		['https://ucpaas.com.evil.example/x.wav', /not the platform/],
		['https://evilucpaas.com/x.wav', /not the platform/],
		['https://user:pw@api.ucpaas.com/x.wav', /user name or password/],
		['https://api.ucpaas.com/x.wav?sig=ABC', /already has a "sig" parameter/],
		['record.ucpaas.com/x.wav', /must be a full URL/],
	])('refuses %s', (url, message) => {
		expect(problem(url)).toMatch(message);
	});

	test('a loopback URL on another port than the loopback Base URL is someone else\'s server', () => {
		expect(problem('http://127.0.0.1:9999/x.wav', 'http://127.0.0.1:8377')).toMatch(/is on http:\/\/127\.0\.0\.1:9999, which is not the platform: only http:\/\/127\.0\.0\.1:8377/);
		// Loopback over http is not "the platform" when the credential points at the real one.
		expect(problem('http://127.0.0.1:8377/x.wav')).toMatch(/not the platform/);
	});

	test('describeUrl never shows the query', () => {
		expect(describeUrl(new URL('https://api.ucpaas.com/r/x.wav?sig=SECRET&a=1'))).toBe('https://api.ucpaas.com/r/x.wav');
	});
});

describe('classifyRecordingReply', () => {
	const url = new URL('https://api.ucpaas.com/r/d125.mp3');
	test.each([
		['audio/wav', { mimeType: 'audio/wav', extension: 'wav' }],
		['audio/x-wav; charset=binary', { mimeType: 'audio/wav', extension: 'wav' }],
		['audio/mpeg', { mimeType: 'audio/mpeg', extension: 'mp3' }],
		['AUDIO/AMR', { mimeType: 'audio/amr', extension: 'amr' }],
		// Generic bytes: the URL's extension decides.
		['application/octet-stream', { mimeType: 'audio/mpeg', extension: 'mp3' }],
		[undefined, { mimeType: 'audio/mpeg', extension: 'mp3' }],
	])('%s is audio %o', (contentType, type) => {
		expect(classifyRecordingReply(contentType, url)).toEqual({ kind: 'audio', type });
	});

	test('generic bytes at a URL without a known extension are kept as .bin', () => {
		expect(classifyRecordingReply('application/octet-stream', new URL('https://api.ucpaas.com/r/d125'))).toEqual({
			kind: 'audio',
			type: { mimeType: 'application/octet-stream', extension: 'bin' },
		});
	});

	test.each(['application/json;charset=utf-8', 'application/xml', 'text/html', 'text/plain'])('%s is a document (an error page), never a recording', (contentType) => {
		expect(classifyRecordingReply(contentType, url).kind).toBe('document');
	});

	test('an image is neither', () => {
		expect(classifyRecordingReply('image/png', url)).toEqual({ kind: 'other', mediaType: 'image/png' });
	});
});

describe('signRequestOptions for a recording download (the node says so in ucpaasSigning, with the callId)', () => {
	const marked = (url: string, extra: Record<string, string> = {}, callId = CALL_ID): SignableRequestOptions => ({
		method: 'GET' as const,
		url,
		headers: { Accept: 'audio/*', ...extra },
		ucpaasSigning: { kind: 'recordingDownload', callId },
	});

	test('adds sig = MD5(sid + callId + token), sends no Authorization, keeps the URL and the headers', () => {
		const signed = signRequestOptions(credentials, marked('https://record.ucpaas.com/r/d125.wav?x=1', { Authorization: 'stale' }), instant);
		expect(signed.qs).toEqual({ sig: EXPECTED_SIG });
		expect(signed.headers).toEqual({ Accept: 'audio/*' });
		expect(signed.url).toBe('https://record.ucpaas.com/r/d125.wav?x=1');
	});

	test('the intent stays on the signed options, so a second signing (n8n re-signs after an HTTP 401) signs the same way', () => {
		const once = signRequestOptions(credentials, marked('https://record.ucpaas.com/r/d125.wav'), instant);
		const twice = signRequestOptions(credentials, once, new Date(instant.getTime() + 60_000));
		expect(twice.qs).toEqual({ sig: EXPECTED_SIG });
		expect(twice.headers).not.toHaveProperty('Authorization');
	});

	test.each([
		['https://evil.example.com/r.wav', /Refused to sign a recording download: the URL is on https:\/\/evil\.example\.com/],
		['http://api.ucpaas.com/r.wav', /Refused to sign a recording download: the URL must use https/],
	])('refuses to sign for %s, with a refusal the node can recognise however it is wrapped', (url, message) => {
		let thrown: unknown;
		try {
			signRequestOptions(credentials, marked(url), instant);
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeInstanceOf(Error);
		expect((thrown as Error).message).toMatch(message);
		// n8n wraps what authenticate throws; the node finds the refusal through the wrapping.
		const wrapped = { message: 'Request failed', cause: { error: thrown } };
		expect(findSigningRefusal(wrapped)).toBe(thrown);
		expect(findSigningRefusal(new Error('Refused to sign a recording download: a look-alike message'))).toBeUndefined();
	});

	test('refuses an intent whose callId is not one', () => {
		expect(() => signRequestOptions(credentials, marked('https://api.ucpaas.com/r.wav', {}, 'a b'), instant)).toThrow(/needs the callId/);
	});

	test('the auth token never appears in the signed request', () => {
		expect(JSON.stringify(signRequestOptions(credentials, marked('https://api.ucpaas.com/r.wav'), instant))).not.toContain(credentials.authToken);
	});

	test('a request without an intent is signed the REST way, as before', () => {
		const signed = signRequestOptions(credentials, { url: 'https://api.ucpaas.com/x' }, instant);
		expect(signed.qs).toEqual({ sig: '43E6222B801F219EF59D999631F963EE' });
		expect(signed.headers).toHaveProperty('Authorization');
	});
});
