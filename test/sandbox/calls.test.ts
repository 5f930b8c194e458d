import { startSandbox, type Sandbox } from '../../sandbox';
import { APP, CLIENT, MOBILE, SID, agent, api, fixedClock, startReceiver } from './helpers';

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

const place = (sandbox: Sandbox, fields: Record<string, string>) =>
	api(sandbox, { path: '/Calls/callBack', body: { callback: { appId: APP, fromClient: CLIENT, ...fields } } });
const callIdOf = (reply: { resp: Record<string, unknown> }) => (reply.resp.callback as { callId: string }).callId;

let receiver: Receiver;
let refusing: Receiver;
let sandbox: Sandbox;

beforeAll(async () => {
	receiver = await startReceiver();
	refusing = await startReceiver({ retcode: '1' });
	sandbox = await startSandbox({ now: fixedClock, pushUrl: receiver.url, call: { talkSeconds: 75, delays: { ringMs: 10, talkMs: 10 } } });
});
afterAll(async () => {
	await sandbox.stop();
	await receiver.close();
	await refusing.close();
	agent.destroy();
});

const pushesOf = (r: Receiver, callId: string) => r.received.filter((p) => p.fields.callid === callId);

describe('an answered call', () => {
	it('pushes callreq, callestablish and callhangup in order, as text/xml', async () => {
		const reply = await place(sandbox, { to: '15012345678', userData: 'order-42 & <vip>', toSerNum: '075512345678' });
		expect(reply.respCode).toBe('000000');
		const callId = callIdOf(reply);
		const call = await sandbox.whenCallSettled(callId);

		const pushes = pushesOf(receiver, callId);
		expect(pushes.map((p) => p.fields.event)).toEqual(['callreq', 'callestablish', 'callhangup']);
		for (const p of pushes) {
			expect(p.contentType).toBe('text/xml;charset=utf-8');
			expect(p.body).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?><request><event>/);
			expect(p.fields).toMatchObject({ callid: callId, accountid: SID, appid: APP });
		}
		expect(pushes[0].fields).toMatchObject({ caller: CLIENT, called: '15012345678', userData: 'order-42 &amp; &lt;vip&gt;' });
		expect(pushes[1].fields).toMatchObject({ callernum: MOBILE, caller: CLIENT, called: '15012345678' });
		expect(Object.keys(pushes[2].fields)).toEqual([
			'event', 'callid', 'accountid', 'appid', 'calltype', 'callertype', 'callernum', 'displaynum', 'caller',
			'calledtype', 'called', 'starttime', 'stoptime', 'length', 'recordurl', 'userData', 'reason', 'subreason',
		]);
		expect(pushes[2].fields).toMatchObject({
			displaynum: '075512345678',
			starttime: '2024-01-15 09:30:00',
			stoptime: '2024-01-15 09:31:15',
			length: '75',
			reason: '0',
			subreason: '1',
		});
		expect(call).toMatchObject({ state: 'ended', settled: true, events: ['callreq', 'callestablish', 'callhangup'], reason: 0, length: 75 });
		expect(sandbox.pushes.filter((p) => p.callId === callId).map((p) => [p.event, p.status, p.retcode])).toEqual([
			['callreq', 200, '0'],
			['callestablish', 200, '0'],
			['callhangup', 200, '0'],
		]);
	});

	it('caps the length at maxallowtime and reports who hung up', async () => {
		sandbox.addFault({ match: { to: '15012340001' }, fault: { kind: 'outcome', call: { outcome: 'answered', hangupBy: 'callee' } }, times: 1 });
		const callId = callIdOf(await place(sandbox, { to: '15012340001', maxallowtime: '60' }));
		const call = await sandbox.whenCallSettled(callId);
		expect(call).toMatchObject({ reason: 0, subreason: 2, length: 60, stoptime: '2024-01-15 09:31:00' });
	});
});

describe('calls that do not connect', () => {
	it.each([
		['rejected', 4],
		['noAnswer', 5],
		['noBalance', 1],
		['unreachable', 3],
	] as const)('%s → callhangup reason %i, no callestablish', async (outcome, reason) => {
		const to = `1501234${String(reason).padStart(4, '0')}`;
		sandbox.addFault({ match: { to }, fault: { kind: 'outcome', call: { outcome } }, times: 1 });
		const reply = await place(sandbox, { to });
		expect(sandbox.requests.at(-1)?.verdict).toEqual({ respCode: '000000', ok: true, reason: 'fault:outcome' });
		const callId = callIdOf(reply);
		await sandbox.whenCallSettled(callId);
		const pushes = pushesOf(receiver, callId);
		expect(pushes.map((p) => p.fields.event)).toEqual(['callreq', 'callhangup']);
		expect(pushes[1].fields).toMatchObject({ reason: String(reason), length: '0' });
	});

	it('a non-zero retcode at callreq refuses the call: callhangup reason 9', async () => {
		const other = await startSandbox({
			now: fixedClock,
			accounts: [{ accountSid: SID, authToken: 'x', apps: [{ appId: APP, pushUrl: refusing.url, clients: [{ clientNumber: CLIENT, mobile: MOBILE }] }] }],
		});
		try {
			const signed = await api(other, { token: 'x', path: '/Calls/callBack', body: { callback: { appId: APP, fromClient: CLIENT, to: '15012349999' } } });
			const callId = callIdOf(signed);
			const call = await other.whenCallSettled(callId);
			expect(pushesOf(refusing, callId).map((p) => [p.fields.event, p.fields.reason])).toEqual([
				['callreq', undefined],
				['callhangup', '9'],
			]);
			expect(call).toMatchObject({ reason: 9, events: ['callreq', 'callhangup'] });
		} finally {
			await other.stop();
		}
	});

	it('a cancelled call hangs up with reason 8 after callreq, never establishing', async () => {
		sandbox.addFault({ match: { to: '15012348888' }, fault: { kind: 'outcome', call: { delays: { ringMs: 2000 } } }, times: 1 });
		const callId = callIdOf(await place(sandbox, { to: '15012348888' }));
		const cancelled = await api(sandbox, { path: '/Calls/callCancel', body: { callCancel: { appId: APP, callId } } });
		expect(cancelled.respCode).toBe('000000');
		await sandbox.whenCallSettled(callId);
		expect(pushesOf(receiver, callId).map((p) => [p.fields.event, p.fields.reason])).toEqual([
			['callreq', undefined],
			['callhangup', '8'],
		]);
	});
});

describe('push delivery failures', () => {
	it('are recorded and never break the sandbox', async () => {
		const gone = await startReceiver();
		await gone.close();
		const other = await startSandbox({ now: fixedClock, pushUrl: gone.url });
		try {
			const callId = callIdOf(await place(other, { to: '15012347777' }));
			const call = await other.whenCallSettled(callId);
			expect(call).toMatchObject({ state: 'ended', reason: 0, settled: true });
			expect(other.pushes.map((p) => [p.event, p.status])).toEqual([
				['callreq', null],
				['callestablish', null],
				['callhangup', null],
			]);
			expect(other.pushes[0].error).toMatch(/ECONNREFUSED/);
			expect((await api(other)).respCode).toBe('000000');
		} finally {
			await other.stop();
		}
	});

	it('whenCallSettled rejects for an unknown callId', async () => {
		await expect(sandbox.whenCallSettled('nope')).rejects.toThrow(/no simulated call/);
	});
});
