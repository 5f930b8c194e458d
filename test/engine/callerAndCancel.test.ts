import { DEFAULT_ACCOUNT, type Sandbox } from '../../sandbox';
import { runCallbackNode, type NodeRunOptions } from '../harness/engine';
import { sandboxCredentials } from '../harness/sandboxAccount';
import { calleesFrom, useSandbox } from '../harness/testSandbox';

let sandbox: Sandbox;
// Calls ring long enough to be cancelled.
useSandbox((started) => (sandbox = started), { call: { delays: { ringMs: 2000, talkMs: 50 } } });
const freshCallee = calleesFrom(13700000000);

function run(parameters: Record<string, unknown>, extra: Partial<NodeRunOptions> = {}) {
	return runCallbackNode({ parameters: parameters as NodeRunOptions['parameters'], credentials: sandboxCredentials(sandbox), ...extra });
}

const paths = () => sandbox.requests.map((r) => r.path.replace(`/2014-06-30/Accounts/${DEFAULT_ACCOUNT.accountSid}`, ''));

describe('caller given as a mobile number', () => {
	test('looks the Client up once per execution, however many items share the mobile', async () => {
		const items = [{ to: freshCallee() }, { to: freshCallee() }, { to: freshCallee() }];
		const result = await run(
			{ operation: 'placeCall', callerType: 'mobile', callerMobile: `+86 ${DEFAULT_ACCOUNT.mobile}`, to: '={{ $json.to }}', options: {} },
			{ items },
		);
		expect(result.error).toBeUndefined();
		expect(result.output.map((i) => [i.json.to, i.json.fromClient, i.json.callerMobile, i.json.clientCreated])).toEqual(
			items.map(({ to }) => [to, DEFAULT_ACCOUNT.clientNumber, DEFAULT_ACCOUNT.mobile, false]),
		);
		expect(paths()).toEqual(['/ClientsByMobile', '/Calls/callBack', '/Calls/callBack', '/Calls/callBack']);
		expect(sandbox.requests[0].query).toMatchObject({ mobile: DEFAULT_ACCOUNT.mobile, appId: DEFAULT_ACCOUNT.appId });
	});

	test('creates the Client when missing and allowed, then places the call with it', async () => {
		const mobile = '13611112222';
		const result = await run({ operation: 'placeCall', callerType: 'mobile', callerMobile: mobile, createClientIfMissing: true, to: freshCallee(), options: { format: 'xml' } });
		expect(result.error).toBeUndefined();
		const created = result.output[0].json;
		expect(created).toMatchObject({ callerMobile: mobile, clientCreated: true, fromClient: expect.stringMatching(/^\d{14}$/) });
		expect(paths()).toEqual(['/ClientsByMobile', '/Clients', '/Calls/callBack']);
		expect(JSON.stringify(sandbox.requests[1].body)).toContain(mobile);

		// The next run finds the Client it created.
		sandbox.clearRequests();
		const again = await run({ operation: 'placeCall', callerType: 'mobile', callerMobile: mobile, createClientIfMissing: true, to: freshCallee(), options: {} });
		expect(again.output[0].json).toMatchObject({ fromClient: created.fromClient, clientCreated: false });
		expect(paths()).toEqual(['/ClientsByMobile', '/Calls/callBack']);
	});

	test('without "Create Client If Missing", an unknown mobile fails that item and places nothing', async () => {
		const result = await run(
			{ operation: 'placeCall', callerType: 'mobile', callerMobile: '={{ $json.callerPhone }}', to: '={{ $json.to }}', options: {} },
			{ items: [{ callerPhone: '13622223333', to: freshCallee() }, { callerPhone: DEFAULT_ACCOUNT.mobile, to: freshCallee() }], onError: 'continueErrorOutput' },
		);
		expect(result.errorOutput).toHaveLength(1);
		expect(result.errorOutput[0].json.message).toBe("No UCPaaS Client is bound to the caller's mobile 13622223333 in this application");
		expect(result.errorOutput[0].json.error).toMatchObject({ respCode: '100007', callMayHaveBeenPlaced: false });
		expect(result.output.map((i) => i.pairedItem)).toEqual([{ item: 1 }]);
		expect(paths().filter((p) => p === '/Calls/callBack')).toHaveLength(1);

		const stopped = await run({ operation: 'placeCall', callerType: 'mobile', callerMobile: '13622223333', to: freshCallee(), options: {} });
		expect(stopped.error?.description).toMatch(/Create Client If Missing/);
	});

	test('with "Create Client If Missing" on, a create answered without a clientNumber says a Client may now exist, and does not advise turning the option on', async () => {
		const mobile = '13644445555';
		sandbox.addFault({ match: { path: '/Clients', method: 'POST' }, fault: { kind: 'status', status: 200, body: '{"resp":{"respCode":"000000","client":{}}}', contentType: 'application/json' }, times: 1 });
		const result = await run({ operation: 'placeCall', callerType: 'mobile', callerMobile: mobile, createClientIfMissing: true, to: freshCallee(), options: {} });
		expect(result.error?.message).toBe(`UCPaaS created a Client for the caller's mobile ${mobile} but did not say its clientNumber`);
		expect(result.error?.description).toMatch(/^No call was placed for this item\. The Client probably exists now: running the node again is safe/);
		expect(result.error?.description).not.toMatch(/Create Client If Missing/);
		expect(paths()).toEqual(['/ClientsByMobile', '/Clients']);
	});

	test('a lookup answered without a clientNumber is the platform\'s incomplete reply, not a missing Client', async () => {
		sandbox.addFault({ match: { path: '/ClientsByMobile' }, fault: { kind: 'status', status: 200, body: '{"resp":{"respCode":"000000","client":{"mobile":"13800138000"}}}', contentType: 'application/json' }, times: 1 });
		const result = await run({ operation: 'placeCall', callerType: 'mobile', callerMobile: DEFAULT_ACCOUNT.mobile, createClientIfMissing: true, to: freshCallee(), options: {} });
		expect(result.error?.message).toBe(`UCPaaS answered the Client lookup for the caller's mobile ${DEFAULT_ACCOUNT.mobile} without a clientNumber`);
		expect(result.error?.description).not.toMatch(/Create Client If Missing/);
		expect(paths()).toEqual(['/ClientsByMobile']);
	});

	test('a landline or the callee\'s own number is refused before anything is sent', async () => {
		const landline = await run({ operation: 'placeCall', callerType: 'mobile', callerMobile: '075512345678', to: freshCallee(), options: {} });
		expect(landline.error?.message).toMatch(/"Caller Mobile Number" \(callerMobile\) must be a Chinese mobile/);
		const same = await run({ operation: 'placeCall', callerType: 'mobile', callerMobile: '13900000001', to: '+86 139 0000 0001', options: {} });
		expect(same.error?.message).toMatch(/same as the caller's mobile/);
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('Cancel Callback', () => {
	test('cancels a ringing call: the platform ends it with reason 8', async () => {
		const placed = await run({ operation: 'placeCall', fromClient: DEFAULT_ACCOUNT.clientNumber, to: freshCallee(), options: {} });
		const callId = placed.output[0].json.callId as string;
		const cancelled = await run({ operation: 'cancelCall', callId: '={{ $json.callId }}', options: {} }, { items: [{ callId }] });
		expect(cancelled.error).toBeUndefined();
		expect(cancelled.output).toEqual([{ json: { callId, cancelled: true, respCode: '000000', appId: DEFAULT_ACCOUNT.appId }, pairedItem: { item: 0 } }]);
		const call = await sandbox.whenCallSettled(callId);
		expect(call).toMatchObject({ state: 'ended', reason: 8 });
		const request = sandbox.requests.find((r) => r.path.endsWith('/Calls/callCancel'));
		expect(request?.body).toBe(`{"callCancel":{"appId":"${DEFAULT_ACCOUNT.appId}","callId":"${callId}"}}`);
	});

	test('cancelling an unknown or finished call is a readable 100108 error', async () => {
		const result = await run({ operation: 'cancelCall', callId: 'ffffffffffffffffffffffffffffffff', options: { format: 'xml' } });
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toMatch(/^UCPaaS refused the request: 100108 /);
	});

	test('a malformed callId is refused before anything is sent', async () => {
		const result = await run({ operation: 'cancelCall', callId: '={{ "abc def" }}', options: {} });
		expect(result.error?.message).toMatch(/^Item 1: "Call ID" \(callId\)/);
		expect(sandbox.requests).toHaveLength(0);
	});
});
