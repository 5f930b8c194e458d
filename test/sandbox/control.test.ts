import { startSandbox, type Sandbox } from '../../sandbox';
import { APP, CLIENT, FIXED_NOW, SID, TOKEN, agent, api, fixedClock, httpRequest, sign, startReceiver } from './helpers';

let sandbox: Sandbox;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
	receiver = await startReceiver();
	sandbox = await startSandbox({ now: fixedClock, pushUrl: receiver.url, call: { delays: { ringMs: 0, talkMs: 0 } } });
});
afterAll(async () => {
	await sandbox.stop();
	await receiver.close();
	agent.destroy();
});

const control = (method: string, path: string, body?: unknown) =>
	httpRequest(`${sandbox.url}/__sandbox${path}`, {
		method,
		headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	}).then((r) => ({ status: r.status, json: r.body === '' ? undefined : JSON.parse(r.body) }));

describe('request recording', () => {
	it('records method, path, query, headers, body, format, verdict and time, and never the auth token', async () => {
		sandbox.clearRequests();
		const body = { callback: { appId: APP, fromClient: CLIENT, to: '15011110000', userData: 'r-1' } };
		const reply = await api(sandbox, { path: '/Calls/callBack', format: 'xml', body });
		await sandbox.whenCallSettled((reply.resp.callback as { callId: string }).callId);
		expect(sandbox.requests).toHaveLength(1);
		const [record] = sandbox.requests;
		const s = sign(SID, TOKEN, FIXED_NOW);
		expect(record).toMatchObject({
			method: 'POST',
			path: `/2014-06-30/Accounts/${SID}/Calls/callBack.xml`,
			query: { sig: s.sig },
			format: 'xml',
			verdict: { respCode: '000000', ok: true },
			at: FIXED_NOW,
		});
		expect(record.headers).toMatchObject({ authorization: s.authorization, 'content-type': 'application/xml;charset=utf-8' });
		expect(record.body).toContain('<to>15011110000</to>');
		expect(record.redacted).toBeUndefined();
		expect(JSON.stringify(sandbox.requests)).not.toContain(TOKEN);
	});

	it('redacts an auth token a broken client leaks, and says so', async () => {
		sandbox.clearRequests();
		await api(sandbox, { query: { token: TOKEN }, tamper: (s) => (s.headers['X-Token'] = TOKEN.toUpperCase()) });
		const [record] = sandbox.requests;
		expect(record.redacted).toBe(true);
		expect(record.query.token).toBe('[redacted]');
		expect(JSON.stringify(record).toLowerCase()).not.toContain(TOKEN);
	});

	it('records refusals with their code and reason', async () => {
		sandbox.clearRequests();
		await api(sandbox, { tamper: (s) => (s.sig = s.sig.toLowerCase()) });
		expect(sandbox.requests[0].verdict).toEqual({ respCode: '101116', ok: false, reason: 'sig mismatch' });
	});
});

describe('control endpoints', () => {
	it('POST/GET/DELETE /__sandbox/faults, unsigned', async () => {
		expect(await control('POST', '/faults', { match: { path: '/Accounts/' }, fault: { kind: 'respCode', code: '100699' }, times: 1 })).toEqual({
			status: 201,
			json: { ok: true, rules: 1 },
		});
		expect((await control('GET', '/faults')).json).toHaveLength(1);
		expect((await api(sandbox)).respCode).toBe('100699');
		expect((await api(sandbox)).respCode).toBe('000000');
		await control('POST', '/faults', { fault: { kind: 'status', status: 500 } });
		expect(await control('DELETE', '/faults')).toEqual({ status: 200, json: { ok: true } });
		expect((await api(sandbox)).respCode).toBe('000000');
	});

	it('refuses an invalid rule with 400', async () => {
		const reply = await control('POST', '/faults', { fault: { kind: 'explode' } });
		expect(reply.status).toBe(400);
		expect(reply.json.error).toMatch(/unknown fault kind/);
		expect((await control('POST', '/faults', 'not json')).status).toBe(400);
	});

	it('an outcome rule chosen by callee over HTTP', async () => {
		await control('POST', '/faults', { match: { to: '15022220000' }, fault: { kind: 'outcome', call: { outcome: 'noAnswer' } } });
		const reply = await api(sandbox, { path: '/Calls/callBack', body: { callback: { appId: APP, fromClient: CLIENT, to: '15022220000' } } });
		const callId = (reply.resp.callback as { callId: string }).callId;
		await sandbox.whenCallSettled(callId);
		const calls = (await control('GET', '/calls')).json as Array<{ callId: string; reason: number; events: string[] }>;
		expect(calls.find((c) => c.callId === callId)).toMatchObject({ reason: 5, events: ['callreq', 'callhangup'] });
		const pushes = (await control('GET', '/pushes')).json as Array<{ callId: string; event: string; status: number }>;
		expect(pushes.filter((p) => p.callId === callId).map((p) => [p.event, p.status])).toEqual([
			['callreq', 200],
			['callhangup', 200],
		]);
		await control('DELETE', '/faults');
	});

	it('GET/DELETE /__sandbox/requests', async () => {
		await api(sandbox);
		const listed = (await control('GET', '/requests')).json as Array<{ path: string; verdict: { respCode: string } }>;
		expect(listed.at(-1)).toMatchObject({ path: `/2014-06-30/Accounts/${SID}`, verdict: { respCode: '000000' } });
		expect(listed.some((r) => r.path.startsWith('/__sandbox'))).toBe(false);
		await control('DELETE', '/requests');
		expect((await control('GET', '/requests')).json).toEqual([]);
		expect(sandbox.requests).toHaveLength(0);
	});

	it('unknown control paths answer 404', async () => {
		expect((await control('GET', '/nothing')).status).toBe(404);
	});
});
