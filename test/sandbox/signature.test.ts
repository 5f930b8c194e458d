/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-globals -- tool code: runs in plain Node (sandbox server, tests, scripts), never inside n8n; its "secrets" are the fake sandbox account */
import { startSandbox, type AccountSeed, type Sandbox } from '../../sandbox';
import { APP, CLIENT, FIXED_NOW, SID, TOKEN, agent, api, fixedClock, httpRequest, sign, type Format } from './helpers';

const minutes = (n: number) => new Date(FIXED_NOW.getTime() + n * 60_000);

const callback = { callback: { appId: APP, fromClient: CLIENT, to: '15012345678' } };

function seedWith(extra: AccountSeed[]): AccountSeed[] {
	return [{ accountSid: SID, authToken: TOKEN, apps: [{ appId: APP, clients: [{ clientNumber: CLIENT, mobile: '13800138000' }] }] }, ...extra];
}

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({
		now: fixedClock,
		// Calls end at once so every test can place one to the same callee.
		call: { outcome: 'rejected', delays: { ringMs: 0 } },
		accounts: seedWith([
			{ accountSid: 'c1000000000000000000000000000000', authToken: 't1', status: 'closed', apps: [] },
			{ accountSid: 'c2000000000000000000000000000000', authToken: 't2', status: 'notActivated', apps: [] },
			{ accountSid: 'c3000000000000000000000000000000', authToken: 't3', status: 'locked', apps: [] },
		]),
	});
});
afterAll(async () => {
	await sandbox.stop();
	agent.destroy();
});

describe('the worked example of the API notes', () => {
	it('signs to the documented values and the sandbox accepts them', async () => {
		const sid = '2c9e1f3a4b5d6e7f8a9b0c1d2e3f4a5b';
		const token = '0123456789abcdef0123456789abcdef';
		const s = sign(sid, token, new Date('2024-01-15T01:30:00Z'));
		expect(s).toEqual({
			ts: '20240115093000',
			sig: '43E6222B801F219EF59D999631F963EE',
			authorization: 'MmM5ZTFmM2E0YjVkNmU3ZjhhOWIwYzFkMmUzZjRhNWI6MjAyNDAxMTUwOTMwMDA=',
		});
		const other = await startSandbox({ now: fixedClock, accounts: [{ accountSid: sid, authToken: token, apps: [] }] });
		try {
			const reply = await httpRequest(`${other.url}/2014-06-30/Accounts/${sid}?sig=${s.sig}`, {
				headers: { Accept: 'application/json', Authorization: s.authorization },
			});
			expect(JSON.parse(reply.body).resp.respCode).toBe('000000');
		} finally {
			await other.stop();
		}
	});

	it('does not depend on the host time zone', async () => {
		const saved = process.env.TZ;
		try {
			for (const tz of ['America/Los_Angeles', 'Asia/Shanghai', 'Pacific/Kiritimati', 'UTC']) {
				process.env.TZ = tz;
				expect((await api(sandbox)).respCode).toBe('000000');
			}
		} finally {
			process.env.TZ = saved;
		}
	});
});

describe('correctly signed requests are accepted', () => {
	it('JSON GET', async () => {
		const reply = await api(sandbox);
		expect(reply.status).toBe(200);
		expect(reply.headers['content-type']).toBe('application/json;charset=utf-8');
		expect(reply.respCode).toBe('000000');
	});

	it.each(['suffix', 'headers'] as const)('XML GET, XML asked by %s', async (xmlBy) => {
		const reply = await api(sandbox, { format: 'xml', xmlBy });
		expect(reply.headers['content-type']).toBe('application/xml;charset=utf-8');
		expect(reply.body.startsWith('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><resp><respCode>000000</respCode>')).toBe(true);
	});

	it.each([
		['json', 'suffix'],
		['xml', 'suffix'],
		['xml', 'headers'],
	] as const)('%s callBack POST (%s)', async (format, xmlBy) => {
		const reply = await api(sandbox, { path: '/Calls/callBack', format, xmlBy, body: callback });
		expect(reply.respCode).toBe('000000');
		await sandbox.whenCallSettled((reply.resp.callback as { callId: string }).callId);
	});

	it('accepts a timestamp exactly 50 minutes old and one 4 minutes ahead', async () => {
		expect((await api(sandbox, { at: minutes(-50) })).respCode).toBe('000000');
		expect((await api(sandbox, { at: minutes(4) })).respCode).toBe('000000');
	});
});

describe.each(['json', 'xml'] as Format[])('wrong signatures are refused (%s)', (format) => {
	const refused = async (expected: string, call: Parameters<typeof api>[1]) => {
		const reply = await api(sandbox, { format, ...call });
		expect(reply.status).toBe(200);
		expect(reply.headers['content-type']).toBe(format === 'xml' ? 'application/xml;charset=utf-8' : 'application/json;charset=utf-8');
		expect(reply.respCode).toBe(expected);
		expect(sandbox.requests.at(-1)?.verdict).toMatchObject({ respCode: expected, ok: false });
	};

	it('tampered sig → 101116', () => refused('101116', { tamper: (s) => (s.sig = s.sig.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))) }));
	it('lower-case sig → 101116', () => refused('101116', { tamper: (s) => (s.sig = s.sig.toLowerCase()) }));
	it('a different ts in Authorization than in sig → 101116', () =>
		refused('101116', {
			tamper: (s) => (s.headers.Authorization = Buffer.from(`${SID}:${sign(SID, TOKEN, minutes(-1)).ts}`).toString('base64')),
		}));
	it('timestamp 51 minutes old → 101106', () => refused('101106', { at: minutes(-51) }));
	it('UTC instead of Beijing time → 101106', () => refused('101106', { at: new Date(FIXED_NOW.getTime() - 8 * 3600_000) }));
	it('timestamp 6 minutes ahead → 101106', () => refused('101106', { at: minutes(6) }));
	it('17-digit timestamp with milliseconds → 101106', () =>
		refused('101106', { tamper: (s) => (s.headers.Authorization = Buffer.from(`${SID}:${s.ts}000`).toString('base64')) }));
	it('impossible date → 101106', () =>
		refused('101106', { tamper: (s) => (s.headers.Authorization = Buffer.from(`${SID}:20240230093000`).toString('base64')) }));
	it('missing Authorization → 101100', () => refused('101100', { tamper: (s) => delete s.headers.Authorization }));
	it('"Basic " prefix → 101101', () => refused('101101', { tamper: (s) => (s.headers.Authorization = `Basic ${s.authorization}`) }));
	it('no ":" → 101104', () => refused('101104', { tamper: (s) => (s.headers.Authorization = Buffer.from(SID + s.ts).toString('base64')) }));
	it('empty sid → 101102', () => refused('101102', { tamper: (s) => (s.headers.Authorization = Buffer.from(`:${s.ts}`).toString('base64')) }));
	it('empty ts → 101103', () => refused('101103', { tamper: (s) => (s.headers.Authorization = Buffer.from(`${SID}:`).toString('base64')) }));
	it('illegal sid characters → 101105', () =>
		refused('101105', { tamper: (s) => (s.headers.Authorization = Buffer.from(`${SID}-x:${s.ts}`).toString('base64')) }));
	it('sid in Authorization differs from the path → 101113', () =>
		refused('101113', { tamper: (s) => (s.headers.Authorization = Buffer.from(`ffff${SID.slice(4)}:${s.ts}`).toString('base64')) }));
	it('missing sig → 101114', () => refused('101114', { tamper: (s) => (s.sig = '') }));
	it('unknown account → 101111', () => refused('101111', { sid: 'd0000000000000000000000000000000' }));
	it.each([
		['c1000000000000000000000000000000', 't1', '101108'],
		['c2000000000000000000000000000000', 't2', '101109'],
		['c3000000000000000000000000000000', 't3', '101110'],
	])('account %s (token %s) in a bad state → %s', (sid, token, code) => refused(code, { sid, token }));
	it('wrong SoftVersion → 101107', () => refused('101107', { version: '2013-12-26' }));

	it('missing wrapper → 100003', () => refused('100003', { path: '/Calls/callBack', body: { call: callback.callback } }));
	it('missing field (to) → 100003', () => refused('100003', { path: '/Calls/callBack', body: { callback: { appId: APP, fromClient: CLIENT } } }));
	it('field names are case-sensitive (FromClient) → 104100', () =>
		refused('104100', { path: '/Calls/callBack', body: { callback: { appId: APP, FromClient: CLIENT, to: '15012345678' } } }));
	it('unparsable body → 100699', () => refused('100699', { path: '/Calls/callBack', rawBody: format === 'xml' ? '<callback><to>1</callback>' : '{"callback":' }));
});

describe('HTTP-level refusals', () => {
	it('unknown path → 404', async () => {
		expect((await api(sandbox, { path: '/Calls/dial' })).status).toBe(404);
		expect((await httpRequest(`${sandbox.url}/nothing`)).status).toBe(404);
	});

	it('unsupported or missing Content-Type on POST → HTTP 400 with an empty body', async () => {
		for (const contentType of ['text/plain', undefined]) {
			const reply = await api(sandbox, {
				path: '/Calls/callBack',
				body: callback,
				tamper: (s) => {
					if (contentType) s.headers['Content-Type'] = contentType;
					else delete s.headers['Content-Type'];
				},
			});
			expect(reply.status).toBe(400);
			expect(reply.body).toBe('');
		}
	});

	it('GET on a POST endpoint → 405', async () => {
		expect((await api(sandbox, { path: '/Calls/callBack', method: 'GET' })).status).toBe(405);
	});
});
