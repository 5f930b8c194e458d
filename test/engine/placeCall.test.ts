import { DEFAULT_ACCOUNT, type Sandbox } from '../../sandbox';
import { runCallbackNode, type NodeRunOptions } from '../harness/engine';
import { everythingShown, sandboxCredentials } from '../harness/sandboxAccount';
import { calleesFrom, useSandbox } from '../harness/testSandbox';

let sandbox: Sandbox;
useSandbox((started) => (sandbox = started));

const CALLEE = '13912345678';
const freshCallee = calleesFrom(13900000000);

function place(parameters: Record<string, unknown>, extra: Partial<NodeRunOptions> = {}) {
	return runCallbackNode({
		parameters: { operation: 'placeCall', fromClient: DEFAULT_ACCOUNT.clientNumber, to: freshCallee(), options: {}, ...parameters } as NodeRunOptions['parameters'],
		credentials: sandboxCredentials(sandbox),
		...extra,
	});
}

const callBacks = () => sandbox.requests.filter((r) => r.path.includes('/Calls/callBack'));

describe('Place Callback through the real n8n engine', () => {
	test('JSON: places the call, outputs the callId and what was sent', async () => {
		const run = await place({ to: CALLEE, options: { userData: 'crm-42', maxallowtime: 120 } });

		expect(run.error).toBeUndefined();
		expect(run.output).toHaveLength(1);
		const [item] = run.output;
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toEqual({
			callId: expect.stringMatching(/^[0-9a-f]{32}$/),
			createDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/),
			respCode: '000000',
			appId: DEFAULT_ACCOUNT.appId,
			fromClient: DEFAULT_ACCOUNT.clientNumber,
			to: CALLEE,
			userData: 'crm-42',
		});
		expect(sandbox.calls.map((c) => c.callId)).toContain(item.json.callId);

		const [request] = callBacks();
		expect(request.verdict).toMatchObject({ ok: true, respCode: '000000' });
		expect(request.method).toBe('POST');
		expect(request.path).toBe(`/2014-06-30/Accounts/${DEFAULT_ACCOUNT.accountSid}/Calls/callBack`);
		expect(request.query.sig).toMatch(/^[0-9A-F]{32}$/);
		expect(request.headers.accept).toBe('application/json');
		expect(request.headers['content-type']).toBe('application/json;charset=utf-8');
		expect(request.headers.authorization).not.toMatch(/^Basic /);
		expect(Number(request.headers['content-length'])).toBe(Buffer.byteLength(request.body));
		expect(request.body).toBe(
			`{"callback":{"appId":"${DEFAULT_ACCOUNT.appId}","fromClient":"${DEFAULT_ACCOUNT.clientNumber}","to":"${CALLEE}","maxallowtime":"120","userData":"crm-42"}}`,
		);
	});

	test('XML: the same call as an XML body and reply', async () => {
		const to = freshCallee();
		const run = await place({ to, options: { format: 'xml', fromSerNum: '4001234567', toSerNum: '075512345678' } });

		expect(run.error).toBeUndefined();
		expect(run.output[0].json).toMatchObject({ callId: expect.stringMatching(/^[0-9a-f]{32}$/), respCode: '000000', to });
		const [request] = callBacks();
		expect(request.format).toBe('xml');
		expect(request.headers['content-type']).toBe('application/xml;charset=utf-8');
		expect(request.body).toBe(
			`<?xml version="1.0" encoding="UTF-8"?><callback><appId>${DEFAULT_ACCOUNT.appId}</appId><fromClient>${DEFAULT_ACCOUNT.clientNumber}</fromClient><to>${to}</to><fromSerNum>4001234567</fromSerNum><toSerNum>075512345678</toSerNum></callback>`,
		);
	});

	test('reads every parameter per item, so expressions map each item', async () => {
		const leads = [
			{ phone: '+86 139 0000 1001', id: 'lead-1' },
			{ phone: '13900001002', id: 'lead-2' },
			{ phone: 13900001003, id: 'lead-3' },
		];
		const run = await place({ to: '={{ $json.phone }}', options: { userData: '={{ $json.id }}' } }, { items: leads });

		expect(run.error).toBeUndefined();
		expect(run.output.map((i) => [i.json.to, i.json.userData, i.pairedItem])).toEqual([
			['13900001001', 'lead-1', { item: 0 }],
			['13900001002', 'lead-2', { item: 1 }],
			['13900001003', 'lead-3', { item: 2 }],
		]);
		expect(new Set(run.output.map((i) => i.json.callId)).size).toBe(3);
		expect(callBacks()).toHaveLength(3);
		// Every request carries its own fresh, valid signature, from one credential load.
		expect(callBacks().every((r) => r.verdict.ok)).toBe(true);
		expect(run.credentials.signed).toBe(3);
		expect(run.credentials.loads).toBe(1);
	});

	test('the App ID parameter overrides the credential default', async () => {
		const run = await runCallbackNode({
			parameters: { operation: 'placeCall', appId: DEFAULT_ACCOUNT.appId, fromClient: DEFAULT_ACCOUNT.clientNumber, to: freshCallee(), options: {} },
			credentials: sandboxCredentials(sandbox, { appId: '' }),
		});
		expect(run.output[0].json.appId).toBe(DEFAULT_ACCOUNT.appId);
	});
});

describe('errors', () => {
	test('a respCode becomes a NodeApiError a person can act on', async () => {
		sandbox.addFault({ fault: { kind: 'respCode', code: '103126' } });
		const run = await place({});
		expect(run.output).toHaveLength(0);
		expect(run.error?.name).toBe('NodeApiError');
		expect(run.error?.message).toBe('UCPaaS refused the request: 103126 An application not yet online may only call whitelisted numbers');
		expect(run.error?.description).toMatch(/whitelist/i);
		// The vendor's own words, once, so the user can search the console and its documentation.
		expect(run.error?.description).toMatch(/\(UCPaaS: "[^"]*[\u4e00-\u9fff][^"]*"\)$/);
		expect(run.error?.context?.itemIndex).toBe(0);
	});

	test.each([
		['a wrong token', { authToken: 'f'.repeat(32) }, /101116 Signature mismatch/, /Auth Token does not match the Account SID.*clock/],
		['an unknown account', { accountSid: 'ffffffffffffffffffffffffffffffff' }, /101111/, /Account SID/],
	])('the real signature check reports %s', async (_case, overrides, message, hint) => {
		const run = await runCallbackNode({
			parameters: { operation: 'placeCall', fromClient: DEFAULT_ACCOUNT.clientNumber, to: freshCallee(), options: {} },
			credentials: sandboxCredentials(sandbox, overrides),
		});
		expect(run.error?.message).toMatch(message);
		expect(run.error?.description).toMatch(hint);
	});

	test.each([
		['HTTP 500', { kind: 'status', status: 500 }, /HTTP 500/],
		['HTTP 503', { kind: 'status', status: 503 }, /HTTP 503/],
		['an HTML error page', { kind: 'html' }, /HTTP 502/],
		['an empty body', { kind: 'emptyBody' }, /cannot be read: the body is empty/],
		['a malformed body', { kind: 'malformed' }, /cannot be read/],
		['a connection reset', { kind: 'reset' }, /closed before the reply was complete/],
	] as const)('%s is a NodeApiError with the item index', async (_case, fault, message) => {
		sandbox.addFault({ fault });
		const run = await place({});
		expect(run.error?.name).toBe('NodeApiError');
		expect(run.error?.message).toMatch(message);
		expect(run.error?.description).toMatch(/may have reached UCPaaS/);
		expect(run.error?.context?.itemIndex).toBe(0);
	});

	test('a reply that never comes times out after the configured timeout', async () => {
		sandbox.addFault({ fault: { kind: 'hang' } });
		const started = Date.now();
		const run = await place({ options: { timeout: 1000 } });
		expect(run.error?.message).toBe('UCPaaS did not answer within 1000 ms');
		expect(Date.now() - started).toBeLessThan(5000);
	});

	test('a refused connection says nothing was sent', async () => {
		const run = await runCallbackNode({
			parameters: { operation: 'placeCall', fromClient: DEFAULT_ACCOUNT.clientNumber, to: freshCallee(), options: {} },
			credentials: sandboxCredentials(sandbox, { baseUrl: 'http://127.0.0.1:9' }),
		});
		expect(run.error?.name).toBe('NodeApiError');
		expect(run.error?.message).toMatch(/connection was refused/);
		expect(run.error?.description).toMatch(/Nothing was sent/);
	});

	test.each([
		['an empty callee from an expression', { to: '={{ "" }}' }, /"Callee Number" \(to\) is required/],
		['letters in the callee', { to: 'call me' }, /"Callee Number" \(to\) must be a phone number/],
		['a non-numeric Client number', { fromClient: 'abc' }, /"Caller Client Number" \(fromClient\)/],
		['maxallowtime not a multiple of 60', { options: { maxallowtime: 90 } }, /maxallowtime\) must be a positive number of seconds that is a multiple of 60/],
		['userData over 128 bytes', { options: { userData: 'x'.repeat(129) } }, /userData\) must be at most 128 bytes/],
		['the caller as callee', { fromClient: DEFAULT_ACCOUNT.clientNumber, to: DEFAULT_ACCOUNT.clientNumber }, /same as the caller/],
		['an App ID that is not 32 hex', { appId: 'my-app' }, /"App ID" \(appId\)/],
	])('%s is a NodeOperationError raised before anything is sent', async (_case, parameters, message) => {
		const run = await place(parameters);
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toMatch(/^Item 1: /);
		expect(run.error?.message).toMatch(message);
		expect(run.error?.context?.itemIndex).toBe(0);
		expect(sandbox.requests).toHaveLength(0);
	});

	test('one bad item stops the whole batch before anything is sent', async () => {
		const run = await place({ to: '={{ $json.phone }}' }, { items: [{ phone: '13900002001' }, { phone: 'oops' }, { phone: '13900002003' }] });
		expect(run.error?.message).toMatch(/^Item 2: "Callee Number" \(to\)/);
		expect(run.error?.context?.itemIndex).toBe(1);
		expect(sandbox.requests).toHaveLength(0);
	});

	test('the auth token appears in no output, error or description', async () => {
		const token = DEFAULT_ACCOUNT.authToken;
		const runs = [await place({ to: 'bad' }), await place({}), await place({ options: { format: 'xml' } })];
		sandbox.addFault({ fault: { kind: 'respCode', code: '101116' } });
		runs.push(await place({}));
		sandbox.clearFaults();
		sandbox.addFault({ fault: { kind: 'reset' } });
		runs.push(await place({}));
		// Everything the run produced; not the test's own credential store, which holds the token by design.
		for (const run of runs) expect(everythingShown({ ...run, credentials: undefined })).not.toContain(token);
		expect(everythingShown(sandbox.requests)).not.toContain(token);
	});
});

describe('continue on fail', () => {
	const items = [{ phone: '13900003001' }, { phone: '13900003002' }, { phone: '13900003003' }];
	const failSecond = () => sandbox.addFault({ match: { to: '13900003002' }, fault: { kind: 'respCode', code: '104113' } });

	test('"continue (using error output)" routes the failed item to the error output and places the others', async () => {
		failSecond();
		const run = await place({ to: '={{ $json.phone }}' }, { items, onError: 'continueErrorOutput' });
		expect(run.error).toBeUndefined();
		expect(run.output.map((i) => [i.json.to, i.pairedItem])).toEqual([
			['13900003001', { item: 0 }],
			['13900003003', { item: 2 }],
		]);
		expect(run.errorOutput).toHaveLength(1);
		expect(run.errorOutput[0].pairedItem).toEqual({ item: 1 });
		// The engine adds the input item's fields, so a retry branch can still read the number; the
		// facts are data: refused by the platform (104113), so certainly no call was placed.
		expect(run.errorOutput[0].json).toEqual({
			phone: '13900003002',
			message: expect.stringMatching(/^UCPaaS refused the request: 104113 /),
			error: {
				message: expect.stringMatching(/^UCPaaS refused the request: 104113 /),
				description: expect.stringMatching(/^No call was placed by this request: the callee is already in a call/),
				respCode: '104113',
				callMayHaveBeenPlaced: false,
			},
		});
		expect(callBacks()).toHaveLength(3);
	});

	test('"continue (regular output)" keeps the failed item in place with its error', async () => {
		failSecond();
		const run = await place({ to: '={{ $json.phone }}' }, { items: items.map((i) => ({ phone: String(Number(i.phone) + 100) })), onError: 'continueRegularOutput' });
		sandbox.clearFaults();
		expect(run.output).toHaveLength(3);
		expect(run.output.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	test('an invalid item becomes an error item, and the valid ones are still placed', async () => {
		const run = await place({ to: '={{ $json.phone }}' }, { items: [{ phone: '13900004001' }, { phone: '' }, { phone: '13900004003' }], onError: 'continueErrorOutput' });
		expect(run.output.map((i) => i.json.to)).toEqual(['13900004001', '13900004003']);
		expect(run.errorOutput[0].json.message).toMatch(/^Item 2: "Callee Number" \(to\) is required/);
		expect(run.errorOutput[0].json.error).toMatchObject({ respCode: null, callMayHaveBeenPlaced: false });
		expect(callBacks().map((r) => JSON.parse(r.body).callback.to)).toEqual(['13900004001', '13900004003']);
	});

	test('without continue on fail, the error lists the calls already placed', async () => {
		sandbox.addFault({ match: { to: '13900005002' }, fault: { kind: 'respCode', code: '100001' } });
		const run = await place({ to: '={{ $json.phone }}' }, { items: [{ phone: '13900005001' }, { phone: '13900005002' }, { phone: '13900005003' }] });
		expect(run.error?.message).toMatch(/100001/);
		expect(run.error?.context?.itemIndex).toBe(1);
		const placed = sandbox.calls.filter((c) => c.to === '13900005001');
		expect(placed).toHaveLength(1);
		expect(run.error?.description).toContain(`Item 1: callId ${placed[0].callId} to 13900005001`);
		expect(run.error?.description).toMatch(/Retry On Fail/);
		// Sequential by default: the item after the failure was not sent.
		expect(callBacks().map((r) => JSON.parse(r.body).callback.to)).toEqual(['13900005001', '13900005002']);
	});
});
