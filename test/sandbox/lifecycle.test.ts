/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- tool code: runs in plain Node (sandbox server, tests, scripts), never inside n8n */
import http from 'node:http';
import { startSandbox, type Sandbox } from '../../sandbox';
import { isLoopback } from '../../sandbox/control';
import { APP, CLIENT, agent, api, fixedClock, startReceiver } from './helpers';

afterAll(() => agent.destroy());

const callIdOf = (reply: { resp: Record<string, unknown> }) => (reply.resp.callback as { callId: string }).callId;

describe('concurrency', () => {
	it('answers 300 concurrent requests over keep-alive connections', async () => {
		const sandbox = await startSandbox({ now: fixedClock, call: { delays: { ringMs: 0, talkMs: 0 } } });
		const pooled = new http.Agent({ keepAlive: true, maxSockets: 300 });
		try {
			// A little latency keeps all 300 in flight at once.
			sandbox.addFault({ fault: { kind: 'latency', ms: 50 } });
			const started = Date.now();
			const replies = await Promise.all(
				Array.from({ length: 300 }, (_, i) =>
					i % 2 === 0
						? api(sandbox, { agent: pooled, format: i % 4 === 0 ? 'xml' : 'json' })
						: api(sandbox, {
								agent: pooled,
								path: '/Calls/callBack',
								body: { callback: { appId: APP, fromClient: CLIENT, to: `1590000${String(i).padStart(4, '0')}` } },
							}),
				),
			);
			// Serialised handling would need 300 × 50 ms = 15 s.
			expect(Date.now() - started).toBeLessThan(3000);
			expect(replies.map((r) => r.respCode)).toEqual(Array(300).fill('000000'));
			expect(sandbox.requests).toHaveLength(300);
			const callIds = replies.filter((_, i) => i % 2 === 1).map(callIdOf);
			expect(new Set(callIds).size).toBe(150);
			await Promise.all(callIds.map((id) => sandbox.whenCallSettled(id)));
		} finally {
			pooled.destroy();
			await sandbox.stop();
		}
	});

	it('serves many requests over one keep-alive connection', async () => {
		const sandbox = await startSandbox({ now: fixedClock });
		const single = new http.Agent({ keepAlive: true, maxSockets: 1 });
		const sockets = new Set<unknown>();
		single.on('free', (socket) => sockets.add(socket));
		try {
			for (let i = 0; i < 20; i++) expect((await api(sandbox, { agent: single })).respCode).toBe('000000');
			expect(sockets.size).toBe(1);
		} finally {
			single.destroy();
			await sandbox.stop();
		}
	});
});

describe('deterministic mode', () => {
	async function run(seed: number) {
		const sandbox = await startSandbox({ now: fixedClock, seed, call: { delays: { ringMs: 0, talkMs: 0 } } });
		try {
			const ids: string[] = [];
			for (const to of ['15000001111', '15000002222']) {
				ids.push(callIdOf(await api(sandbox, { path: '/Calls/callBack', body: { callback: { appId: APP, fromClient: CLIENT, to } } })));
			}
			for (const mobile of ['13300001111', '13300002222']) {
				const reply = await api(sandbox, { path: '/Clients', body: { client: { appId: APP, clientType: '0', charge: '0', friendlyName: 'x', mobile } } });
				ids.push((reply.resp.client as { clientNumber: string }).clientNumber);
			}
			return ids;
		} finally {
			await sandbox.stop();
		}
	}

	it('gives the same callIds and Client numbers for the same seed, others for another', async () => {
		const first = await run(42);
		expect(await run(42)).toEqual(first);
		expect(await run(43)).not.toEqual(first);
		expect(first.slice(0, 2).every((id) => /^[0-9a-f]{32}$/.test(id))).toBe(true);
		expect(first.slice(2).every((n) => /^\d{14}$/.test(n))).toBe(true);
	});
});

describe('stop()', () => {
	const counted = ['TCPServerWrap', 'TCPSocketWrap', 'Timeout'];
	const resources = () => process.getActiveResourcesInfo().filter((r) => counted.includes(r));

	it('closes the server, sockets, hanging requests and pending call timers', async () => {
		const receiver = await startReceiver();
		const before = resources().length;
		const sandbox: Sandbox = await startSandbox({ now: fixedClock, pushUrl: receiver.url, call: { delays: { ringMs: 60_000 } } });
		const keepAlive = new http.Agent({ keepAlive: true });
		// One idle keep-alive socket, one hanging request, one call ringing for a minute.
		await new Promise<void>((resolve) => http.get(`${sandbox.url}/x`, { agent: keepAlive }, (res) => res.resume().on('end', resolve)));
		const placed = await api(sandbox, { path: '/Calls/callBack', body: { callback: { appId: APP, fromClient: CLIENT, to: '15000003333' } } });
		const settled = sandbox.whenCallSettled(callIdOf(placed));
		sandbox.addFault({ fault: { kind: 'hang' } });
		const hanging = new Promise((resolve) => http.get(`${sandbox.url}/x`, { agent: false }, resolve).on('error', resolve));
		await new Promise((r) => setTimeout(r, 50));

		await sandbox.stop();
		await hanging;
		expect((await settled).state).not.toBe('ended');
		keepAlive.destroy();
		agent.destroy();
		for (let i = 0; i < 50 && resources().length > before; i++) await new Promise((r) => setImmediate(r));
		expect(resources().length).toBeLessThanOrEqual(before);
		await receiver.close();
		await sandbox.stop(); // idempotent
	});
});

it('serves the control endpoints to loopback clients only', () => {
	expect(['127.0.0.1', '::1', '::ffff:127.0.0.1', '127.5.6.7'].every(isLoopback)).toBe(true);
	expect(['10.0.0.2', '::ffff:192.168.1.4', '', undefined].some(isLoopback)).toBe(false);
});
