/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- tool code: runs in plain Node (sandbox server, tests, scripts), never inside n8n */
import http from 'node:http';
import { startSandbox, type Sandbox } from '../../sandbox';
import { APP, CLIENT, agent, api, fixedClock, httpRequest } from './helpers';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({ now: fixedClock, call: { outcome: 'rejected', delays: { ringMs: 0 } } });
});
afterEach(() => sandbox.clearFaults());
afterAll(async () => {
	await sandbox.stop();
	agent.destroy();
});

const lastVerdict = () => sandbox.requests.at(-1)?.verdict;
const callBack = (to: string, extra: Parameters<typeof api>[1] = {}) =>
	api(sandbox, { path: '/Calls/callBack', body: { callback: { appId: APP, fromClient: CLIENT, to } }, ...extra });

describe('fault kinds', () => {
	it('latency delays the reply, which is otherwise normal', async () => {
		sandbox.addFault({ fault: { kind: 'latency', ms: 150 } });
		const started = Date.now();
		const reply = await api(sandbox);
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
		expect(reply.respCode).toBe('000000');
		expect(lastVerdict()).toEqual({ respCode: '000000', ok: true, reason: 'fault:latency' });
	});

	it('status answers that HTTP status and body', async () => {
		sandbox.addFault({ fault: { kind: 'status', status: 503, body: 'Service Unavailable' } });
		const reply = await api(sandbox, { format: 'xml' });
		expect(reply).toMatchObject({ status: 503, body: 'Service Unavailable' });
		expect(reply.headers['content-type']).toBe('text/plain;charset=utf-8');
		expect(lastVerdict()).toEqual({ respCode: '', ok: false, reason: 'fault:status' });
	});

	it('emptyBody answers 200 with no body', async () => {
		sandbox.addFault({ fault: { kind: 'emptyBody' } });
		const reply = await api(sandbox);
		expect(reply).toMatchObject({ status: 200, body: '' });
		expect(reply.headers['content-type']).toBe('application/json;charset=utf-8');
		expect(lastVerdict()?.reason).toBe('fault:emptyBody');
	});

	it.each(['json', 'xml'] as const)('malformed answers a truncated %s body', async (format) => {
		sandbox.addFault({ fault: { kind: 'malformed' } });
		const reply = await httpRequest(`${sandbox.url}/2014-06-30/Accounts/x${format === 'xml' ? '.xml' : ''}`);
		expect(reply.status).toBe(200);
		if (format === 'json') expect(() => JSON.parse(reply.body)).toThrow();
		else expect(reply.body).not.toContain('</resp>');
		expect(reply.body.length).toBeGreaterThan(0);
		expect(lastVerdict()?.reason).toBe('fault:malformed');
	});

	it('html answers a 502 HTML error page', async () => {
		sandbox.addFault({ fault: { kind: 'html' } });
		const reply = await httpRequest(`${sandbox.url}/2014-06-30/Accounts/x`);
		expect(reply.status).toBe(502);
		expect(reply.headers['content-type']).toBe('text/html');
		expect(reply.body).toContain('<title>502 Bad Gateway</title>');
	});

	it('reset drops the connection mid-reply', async () => {
		sandbox.addFault({ fault: { kind: 'reset' }, times: 1 });
		await expect(api(sandbox)).rejects.toThrow(/aborted|socket hang up|ECONNRESET|premature/i);
		expect(lastVerdict()?.reason).toBe('fault:reset');
		expect((await api(sandbox)).respCode).toBe('000000');
	});

	it('hang never answers, and stop() still closes the connection', async () => {
		const local = await startSandbox({ now: fixedClock });
		local.addFault({ fault: { kind: 'hang' } });
		const pending = httpRequest(`${local.url}/2014-06-30/Accounts/x`, { agent: false }).then(
			() => 'answered',
			() => 'closed',
		);
		const early = await Promise.race([pending, new Promise((r) => setTimeout(() => r('still waiting'), 100))]);
		expect(early).toBe('still waiting');
		expect(local.requests).toHaveLength(1);
		await local.stop();
		expect(await pending).toBe('closed');
	});

	it('respCode answers that code in the request format', async () => {
		sandbox.addFault({ fault: { kind: 'respCode', code: '100699' } });
		const reply = await api(sandbox, { format: 'xml' });
		expect(reply.respCode).toBe('100699');
		expect(lastVerdict()).toEqual({ respCode: '100699', ok: false, reason: 'fault:respCode' });
	});
});

describe('rule matching', () => {
	it('applies `times` uses only', async () => {
		sandbox.addFault({ fault: { kind: 'respCode', code: '100699' }, times: 2 });
		const codes = [];
		for (let i = 0; i < 3; i++) codes.push((await api(sandbox)).respCode);
		expect(codes).toEqual(['100699', '100699', '000000']);
	});

	it('matches on path, method and callee', async () => {
		sandbox.addFault({ match: { path: '/Calls/callBack', method: 'post', to: '15099990000' }, fault: { kind: 'respCode', code: '104113' } });
		expect((await api(sandbox)).respCode).toBe('000000');
		expect((await callBack('15099990001')).respCode).toBe('000000');
		expect((await callBack('15099990000')).respCode).toBe('104113');
		expect((await callBack('15099990000', { format: 'xml' })).respCode).toBe('104113');
	});

	it('processFirst places the call and then spoils the reply (the lost-answer case)', async () => {
		sandbox.addFault({ match: { to: '15099990002' }, fault: { kind: 'reset' }, processFirst: true });
		const before = sandbox.calls.length;
		await expect(callBack('15099990002')).rejects.toThrow();
		expect(sandbox.calls).toHaveLength(before + 1);
		expect(sandbox.calls.at(-1)?.to).toBe('15099990002');
		expect(lastVerdict()).toMatchObject({ respCode: '000000', ok: true, reason: 'fault:reset' });
	});

	it('faults are applied after the request is recorded', async () => {
		sandbox.clearRequests();
		sandbox.addFault({ fault: { kind: 'status', status: 500 } });
		await api(sandbox);
		expect(sandbox.requests).toHaveLength(1);
		expect(sandbox.requests[0]).toMatchObject({ method: 'GET', verdict: { reason: 'fault:status' } });
	});

	it('refuses an invalid rule', () => {
		expect(() => sandbox.addFault({ fault: { kind: 'nope' } } as never)).toThrow(/unknown fault kind/);
		expect(() => sandbox.addFault({ fault: { kind: 'latency', ms: 1 }, times: 0 })).toThrow(/times/);
	});
});

it('keep-alive connections survive faults on other connections', async () => {
	const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
	try {
		for (let i = 0; i < 5; i++) {
			const reply = await httpRequest(`${sandbox.url}/2014-06-30/Accounts/x`, { agent: keepAlive });
			expect(reply.status).toBe(200);
		}
	} finally {
		keepAlive.destroy();
	}
});
