import { startSandbox, type AccountSeed, type Sandbox } from '../../sandbox';
import { APP, CLIENT, MOBILE, SID, TOKEN, agent, api, fixedClock } from './helpers';

const OTHER_SID = 'e0000000000000000000000000000000';
const OTHER_APP = 'e1111111111111111111111111111111';
const TEST_APP = 'f2222222222222222222222222222222';
const BROKE_SID = 'b0000000000000000000000000000000';
const BROKE_APP = 'b1111111111111111111111111111111';

const accounts: AccountSeed[] = [
	{
		accountSid: SID,
		authToken: TOKEN,
		balance: 50,
		friendlyName: 'main',
		apps: [
			{
				appId: APP,
				clients: [
					{ clientNumber: CLIENT, mobile: MOBILE, friendlyName: 'caller' },
					{ clientNumber: '61207000000099', mobile: '' },
				],
			},
			{ appId: TEST_APP, online: false, whitelist: ['13911112222'], clients: [{ clientNumber: '61207000000020', mobile: '13700000000' }] },
		],
	},
	{ accountSid: OTHER_SID, authToken: 'other', apps: [{ appId: OTHER_APP, clients: [{ clientNumber: '61207000000030', mobile: '13600000000' }] }] },
	{ accountSid: BROKE_SID, authToken: 'broke', balance: 0, apps: [{ appId: BROKE_APP, clients: [{ clientNumber: '61207000000040', mobile: '13500000000' }] }] },
];

let sandbox: Sandbox;
beforeAll(async () => {
	// Long ring so calls stay in progress until a test cancels or awaits them.
	sandbox = await startSandbox({ now: fixedClock, accounts, call: { delays: { ringMs: 80, talkMs: 0 } } });
});
afterAll(async () => {
	await sandbox.stop();
	agent.destroy();
});

const byMobile = (query: Record<string, string>) => api(sandbox, { path: '/ClientsByMobile', query });
const createClient = (fields: Record<string, string>) => api(sandbox, { path: '/Clients', body: { client: fields } });
const callBack = (fields: Record<string, string>, extra: Parameters<typeof api>[1] = {}) =>
	api(sandbox, { path: '/Calls/callBack', body: { callback: { appId: APP, fromClient: CLIENT, ...fields } }, ...extra });
const cancel = (fields: Record<string, string>) => api(sandbox, { path: '/Calls/callCancel', body: { callCancel: fields } });
const callIdOf = (reply: { resp: Record<string, unknown> }) => (reply.resp.callback as { callId: string }).callId;

describe('account info', () => {
	it('answers the account in JSON and XML', async () => {
		const json = await api(sandbox);
		expect(json.resp).toEqual({
			respCode: '000000',
			account: { friendlyName: 'main', type: '0', status: '1', balance: '50', createDate: '2024-01-15 09:30:00' },
		});
		const xml = await api(sandbox, { format: 'xml' });
		expect(xml.resp.account).toEqual(json.resp.account);
	});
});

describe('ClientsByMobile', () => {
	it('finds the seeded Client', async () => {
		const reply = await byMobile({ mobile: MOBILE, appId: APP });
		expect(reply.respCode).toBe('000000');
		expect(reply.resp.client).toMatchObject({ clientNumber: CLIENT, mobile: MOBILE, friendlyName: 'caller' });
	});

	it.each([
		['unknown mobile', { mobile: '13900000000', appId: APP }, '100007'],
		['missing appId', { mobile: MOBILE }, '102100'],
		['non-hex appId', { mobile: MOBILE, appId: 'x'.repeat(32) }, '102101'],
		['unknown app', { mobile: MOBILE, appId: 'a'.repeat(32) }, '102102'],
		["another account's app", { mobile: MOBILE, appId: OTHER_APP }, '102105'],
		['empty mobile', { mobile: '', appId: APP }, '100008'],
		['illegal mobile', { mobile: '12345', appId: APP }, '100006'],
	])('%s', async (_name, query, code) => {
		expect((await byMobile(query)).respCode).toBe(code);
	});
});

describe('Clients (create)', () => {
	it('creates a 14-digit Client that ClientsByMobile then finds, and refuses binding the mobile twice', async () => {
		const fields = { appId: APP, clientType: '0', charge: '0', friendlyName: 'new', mobile: '13312345678' };
		const created = await createClient(fields);
		expect(created.respCode).toBe('000000');
		const clientNumber = (created.resp.client as { clientNumber: string }).clientNumber;
		expect(clientNumber).toMatch(/^\d{14}$/);
		const found = await byMobile({ mobile: '13312345678', appId: APP });
		expect((found.resp.client as { clientNumber: string }).clientNumber).toBe(clientNumber);
		expect((await createClient(fields)).respCode).toBe('103114');
		expect((await api(sandbox, { format: 'xml', path: '/Clients', body: { client: fields } })).respCode).toBe('103114');
	});

	it.each([
		['a test application', { appId: TEST_APP, mobile: '13312340000' }, '102104'],
		['an empty mobile', { appId: APP, mobile: '' }, '100008'],
		['an illegal clientType', { appId: APP, mobile: '13312340001', clientType: '7' }, '100004'],
		['a non-integer charge', { appId: APP, mobile: '13312340002', charge: '1.5' }, '100000'],
	])('refuses %s', async (_name, fields, code) => {
		expect((await createClient(fields)).respCode).toBe(code);
	});
});

describe('Calls/callBack', () => {
	it('places a call: 32 lower-case hex callId and a Beijing createDate', async () => {
		const reply = await callBack({ to: '15000000001', maxallowtime: '910' });
		expect(reply.respCode).toBe('000000');
		expect(callIdOf(reply)).toMatch(/^[0-9a-f]{32}$/);
		expect((reply.resp.callback as { createDate: string }).createDate).toBe('20240115093000');
		const call = await sandbox.whenCallSettled(callIdOf(reply));
		expect(call).toMatchObject({ to: '15000000001', fromClient: CLIENT, callerMobile: MOBILE, maxallowtime: 910, state: 'ended', reason: 0 });
	});

	it('answers in XML with the documented shape', async () => {
		const reply = await callBack({ to: '15000000002' }, { format: 'xml' });
		expect(reply.body).toMatch(
			/^<\?xml version="1\.0" encoding="UTF-8" standalone="yes"\?><resp><respCode>000000<\/respCode><callback><callId>[0-9a-f]{32}<\/callId><createDate>20240115093000<\/createDate><\/callback><\/resp>$/,
		);
		await sandbox.whenCallSettled(callIdOf(reply));
	});

	it.each([
		['empty appId', { appId: '', to: '15000000003' }, '102100'],
		['non-hex appId', { appId: 'z'.repeat(32), to: '15000000003' }, '102101'],
		['unknown appId', { appId: 'c'.repeat(32), to: '15000000003' }, '102102'],
		["another account's app", { appId: OTHER_APP, to: '15000000003' }, '102105'],
		['empty fromClient', { fromClient: '', to: '15000000003' }, '104100'],
		['unknown fromClient', { fromClient: '61200000000000', to: '15000000003' }, '103119'],
		['a Client of another app', { fromClient: '61207000000020', to: '15000000003' }, '103119'],
		["another account's Client", { fromClient: '61207000000030', to: '15000000003' }, '103107'],
		['a Client without a phone', { fromClient: '61207000000099', to: '15000000003' }, '104101'],
		['empty to', { to: '' }, '100003'],
		['non-digit to', { to: '+8615000000003' }, '100002'],
		['non-digit toSerNum', { to: '15000000003', toSerNum: '400-123' }, '104103'],
		['calling oneself', { to: MOBILE }, '104130'],
		['maxallowtime not a number', { to: '15000000003', maxallowtime: '1m' }, '100002'],
		['maxallowtime zero', { to: '15000000003', maxallowtime: '0' }, '100002'],
		['userData over 128 bytes', { to: '15000000003', userData: '话'.repeat(43) }, '100020'],
	])('refuses %s', async (_name, fields, code) => {
		expect((await callBack(fields)).respCode).toBe(code);
	});

	it('accepts userData of exactly 128 bytes (UTF-8)', async () => {
		const reply = await callBack({ to: '15000000004', userData: `${'话'.repeat(42)}ab` });
		expect(reply.respCode).toBe('000000');
		await sandbox.whenCallSettled(callIdOf(reply));
	});

	it('a test application may only call whitelisted numbers', async () => {
		const base = { appId: TEST_APP, fromClient: '61207000000020' };
		expect((await callBack({ ...base, to: '13911113333' })).respCode).toBe('103126');
		const ok = await callBack({ ...base, to: '13911112222' });
		expect(ok.respCode).toBe('000000');
		await sandbox.whenCallSettled(callIdOf(ok));
	});

	it('refuses an account without balance → 100001', async () => {
		const reply = await api(sandbox, {
			sid: BROKE_SID,
			token: 'broke',
			path: '/Calls/callBack',
			body: { callback: { appId: BROKE_APP, fromClient: '61207000000040', to: '15000000005' } },
		});
		expect(reply.respCode).toBe('100001');
	});

	it('refuses a second call to a callee still in a call → 104113, and allows it after hang-up', async () => {
		const first = await callBack({ to: '15000000006' });
		expect(first.respCode).toBe('000000');
		const second = await callBack({ to: '15000000006' }, { format: 'xml' });
		expect(second.respCode).toBe('104113');
		await sandbox.whenCallSettled(callIdOf(first));
		expect((await callBack({ to: '15000000006' })).respCode).toBe('000000');
	});
});

describe('Calls/callCancel', () => {
	it('cancels a ringing call (hang-up reason 8) and refuses a second cancel → 100108', async () => {
		const placed = await callBack({ to: '15000000007' });
		const callId = callIdOf(placed);
		const reply = await cancel({ appId: APP, callId });
		expect(reply.resp).toEqual({ respCode: '000000' });
		const call = await sandbox.whenCallSettled(callId);
		expect(call).toMatchObject({ state: 'ended', reason: 8, length: 0 });
		expect((await cancel({ appId: APP, callId })).respCode).toBe('100108');
	});

	it.each([
		['empty callId', { appId: APP, callId: '' }, '104132'],
		['unknown callId', { appId: APP, callId: '0'.repeat(32) }, '100108'],
		['empty appId', { appId: '', callId: '0'.repeat(32) }, '102100'],
	])('refuses %s', async (_name, fields, code) => {
		expect((await cancel(fields)).respCode).toBe(code);
	});

	it('refuses a missing callCancel wrapper → 100003', async () => {
		expect((await api(sandbox, { path: '/Calls/callCancel', body: { cancel: { appId: APP, callId: 'x' } } })).respCode).toBe('100003');
	});
});
