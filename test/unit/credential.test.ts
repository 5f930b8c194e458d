/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- the values are the API doc's fake worked example */
import { UcpaasApi } from '../../credentials/UcpaasApi.credentials';
import { signRequestOptions } from '../../nodes/shared/signRequestOptions';

const credentials = {
	accountSid: '2c9e1f3a4b5d6e7f8a9b0c1d2e3f4a5b',
	authToken: '0123456789abcdef0123456789abcdef',
	baseUrl: 'https://api.ucpaas.com',
};
const instant = new Date('2024-01-15T01:30:00Z');

describe('signRequestOptions (the credential\'s authenticate)', () => {
	test('adds sig to the query and the bare Authorization header, JSON by default', () => {
		const signed = signRequestOptions(
			credentials,
			{ method: 'POST', baseURL: 'https://api.ucpaas.com', url: '/2014-06-30/Accounts/2c9e1f3a4b5d6e7f8a9b0c1d2e3f4a5b/Calls/callBack', qs: { x: '1' }, headers: { 'X-Trace': 'a' } },
			instant,
		);
		expect(signed.qs).toEqual({ x: '1', sig: '43E6222B801F219EF59D999631F963EE' });
		expect(signed.headers).toEqual({
			'X-Trace': 'a',
			Accept: 'application/json',
			'Content-Type': 'application/json;charset=utf-8',
			Authorization: 'MmM5ZTFmM2E0YjVkNmU3ZjhhOWIwYzFkMmUzZjRhNWI6MjAyNDAxMTUwOTMwMDA=',
		});
	});

	test('keeps XML when the request asks for it, by header or by .xml suffix', () => {
		const byHeader = signRequestOptions(credentials, { url: 'https://api.ucpaas.com/x', headers: { accept: 'application/xml' } }, instant);
		expect(byHeader.headers).toMatchObject({ Accept: 'application/xml', 'Content-Type': 'application/xml;charset=utf-8' });
		expect(byHeader.headers).not.toHaveProperty('accept');
		const bySuffix = signRequestOptions(credentials, { url: 'https://api.ucpaas.com/2014-06-30/Accounts/s/Calls/callBack.xml' }, instant);
		expect(bySuffix.headers).toMatchObject({ Accept: 'application/xml' });
	});

	test('signs a request given as a full uri (the legacy request helper)', () => {
		const signed = signRequestOptions(credentials, { uri: 'https://api.ucpaas.com/2014-06-30/Accounts/s' } as never, instant);
		expect(signed.qs).toEqual({ sig: '43E6222B801F219EF59D999631F963EE' });
	});

	test('replaces a stale signature instead of adding a second one', () => {
		const once = signRequestOptions(credentials, { url: 'https://api.ucpaas.com/x' }, instant);
		const twice = signRequestOptions(credentials, once, new Date(instant.getTime() + 60_000));
		expect(twice.qs?.sig).not.toBe(once.qs?.sig);
		expect(Object.keys(twice.headers ?? {}).filter((h) => /authorization/i.test(h))).toHaveLength(1);
	});

	test.each(['http://api.ucpaas.com', 'http://10.0.0.5:8377', 'ftp://api.ucpaas.com'])('refuses to sign for %s', (base) => {
		expect(() => signRequestOptions(credentials, { baseURL: base, url: '/2014-06-30/Accounts/s' }, instant)).toThrow(/https/);
	});

	test.each(['http://127.0.0.1:8377', 'http://localhost:8377', 'http://[::1]:8377', 'https://api.ucpaas.com'])('signs for %s', (base) => {
		expect(signRequestOptions(credentials, { baseURL: base, url: '/2014-06-30/Accounts/s' }, instant).qs?.sig).toBeDefined();
	});

	test('the auth token itself never appears in the signed request', () => {
		const signed = signRequestOptions(credentials, { method: 'POST', url: 'https://api.ucpaas.com/x', body: '{}' }, instant);
		expect(JSON.stringify(signed)).not.toContain(credentials.authToken);
	});
});

describe('UcpaasApi credential', () => {
	const credential = new UcpaasApi();

	test('is named as n8n expects and hides the token', () => {
		expect(credential.name).toBe('ucpaasApi');
		expect(credential.properties.find((p) => p.name === 'authToken')?.typeOptions?.password).toBe(true);
		expect(credential.properties.map((p) => p.name)).toEqual(['accountSid', 'authToken', 'appId', 'baseUrl']);
	});

	test('its test is a read-only GET of the account that fails on every documented error and on a missing account', () => {
		expect(credential.test.request).toMatchObject({ method: 'GET', url: '=/2014-06-30/Accounts/{{$credentials.accountSid.trim()}}' });
		const rules = credential.test.rules ?? [];
		const failingCodes = rules.map((rule) => (rule.properties as { value?: unknown }).value);
		expect(failingCodes).toEqual(expect.arrayContaining(['101116', '101111', '101106', undefined]));
		expect(failingCodes).not.toContain('000000');
	});

	test('a wrong token fails the test with what to check, in English, and the vendor\'s text once', () => {
		const rule = (credential.test.rules ?? []).find((r) => (r.properties as { value?: unknown }).value === '101116');
		const message = (rule?.properties as { message?: string }).message ?? '';
		expect(message).toMatch(/^UCPaaS refused the credentials: 101116 Signature mismatch\. The Auth Token does not match the Account SID/);
		expect(message).toMatch(/clock of the n8n host/);
		expect(message).toMatch(/\(UCPaaS: "主账号sig加密串不匹配"\)$/);
	});
});
