import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { DEFAULT_ACCOUNT, startSandbox, type Sandbox } from '../../sandbox';
import { runCallbackNode } from '../harness/engine';
import { sandboxCredentials } from '../harness/sandboxAccount';
import { runWebhookMethod, startTriggerServer, type TriggerServer } from '../harness/webhookServer';

const OK_REPLY = '<?xml version="1.0" encoding="UTF-8"?><response><retcode>0</retcode></response>';
const OTHER_ID = 'ffffffffffffffffffffffffffffffff';

interface Scenario {
	sandbox: Sandbox;
	trigger: TriggerServer;
}

const running: Scenario[] = [];

/** A trigger with its own parameters, and a sandbox that pushes every call to it. */
async function scenario(parameters: INodeParameters, credentialOverrides: IDataObject = {}): Promise<Scenario> {
	const trigger = await startTriggerServer({
		parameters,
		credentials: {
			accountSid: DEFAULT_ACCOUNT.accountSid,
			authToken: DEFAULT_ACCOUNT.authToken,
			appId: DEFAULT_ACCOUNT.appId,
			baseUrl: 'http://127.0.0.1:1',
			...credentialOverrides,
		},
	});
	const sandbox = await startSandbox({ pushUrl: trigger.url, quiet: true });
	const created = { sandbox, trigger };
	running.push(created);
	return created;
}

afterAll(async () => {
	for (const { sandbox, trigger } of running) {
		await sandbox.stop();
		await trigger.stop();
	}
});

let nextCallee = 13700000000;
/** A fresh callee per call: the sandbox, like the platform, refuses a second call to a busy callee. */
const freshCallee = () => String(nextCallee++);

/** Places one call through the real Callback node and waits until its last push was answered. */
async function callAndSettle({ sandbox, trigger }: Scenario, to: string, userData?: string) {
	const run = await runCallbackNode({
		parameters: { operation: 'placeCall', fromClient: DEFAULT_ACCOUNT.clientNumber, to, options: userData ? { userData } : {} },
		credentials: sandboxCredentials(sandbox),
	});
	expect(run.error).toBeUndefined();
	const callId = run.output[0].json.callId as string;
	const call = await sandbox.whenCallSettled(callId);
	await trigger.idle();
	return {
		callId,
		call,
		items: trigger.emitted().filter((item) => item.json.callId === callId).map((item) => item.json),
		pushes: sandbox.pushes.filter((push) => push.callId === callId),
	};
}

function post(trigger: TriggerServer, body: string, init: RequestInit = {}) {
	return fetch(trigger.url, { method: 'POST', headers: { 'Content-Type': 'text/xml;charset=utf-8' }, body, ...init });
}

const pushBody = (fields: Record<string, string>) =>
	`<?xml version="1.0" encoding="UTF-8"?><request>${Object.entries(fields)
		.map(([name, value]) => `<${name}>${value}</${name}>`)
		.join('')}</request>`;

describe('UCPaaS Trigger behind a real HTTP server, in n8n-core\'s WebhookContext, fed by the sandbox', () => {
	let all: Scenario;
	beforeAll(async () => {
		all = await scenario({ events: ['callreq', 'callestablish', 'callhangup'] });
	});

	test('an answered call: callreq, callestablish and callhangup items with the call\'s id, user data, duration and reason', async () => {
		const userData = 'CRM 客户-42 <vip> & co';
		const to = freshCallee();
		const { callId, items, pushes } = await callAndSettle(all, to, userData);

		expect(items.map((item) => item.event)).toEqual(['callreq', 'callestablish', 'callhangup']);
		const hangup = items[2];
		expect(hangup).toEqual({
			event: 'callhangup',
			callId,
			caller: DEFAULT_ACCOUNT.clientNumber,
			callerNumber: DEFAULT_ACCOUNT.mobile,
			callee: to,
			displayNumber: DEFAULT_ACCOUNT.mobile,
			startTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/),
			stopTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/),
			durationSeconds: 30,
			reason: { code: 0, text: 'Normal hang-up' },
			subreason: { code: 1, text: 'Caller hung up' },
			userData,
			// Nothing asked for a recording (Record Calls is off), so the platform has none.
			recordingUrl: null,
			hasRecording: false,
			accountId: DEFAULT_ACCOUNT.accountSid,
			appId: DEFAULT_ACCOUNT.appId,
			raw: expect.objectContaining({ event: 'callhangup', callid: callId, length: '30', userData, recordurl: '' }),
		});
		expect(Date.parse(hangup.stopTime as string) - Date.parse(hangup.startTime as string)).toBe(30_000);
		expect(items[1]).toMatchObject({ event: 'callestablish', callId, callee: to, durationSeconds: null, reason: null });

		// The platform got exactly the reply it expects, at once, for every push.
		expect(pushes.map((push) => [push.event, push.status, push.retcode, push.reply])).toEqual([
			['callreq', 200, '0', OK_REPLY],
			['callestablish', 200, '0', OK_REPLY],
			['callhangup', 200, '0', OK_REPLY],
		]);
	});

	test('a rejected call ends with reason 4 and never connects', async () => {
		const to = freshCallee();
		all.sandbox.addFault({ match: { to }, fault: { kind: 'outcome', call: { outcome: 'rejected' } } });
		const { items } = await callAndSettle(all, to, 'lead-7');

		expect(items.map((item) => item.event)).toEqual(['callreq', 'callhangup']);
		expect(items[1]).toMatchObject({ durationSeconds: 0, reason: { code: 4, text: 'Rejected' }, userData: 'lead-7' });
	});

	test('a call nobody answers ends with reason 5', async () => {
		const to = freshCallee();
		all.sandbox.addFault({ match: { to }, fault: { kind: 'outcome', call: { outcome: 'noAnswer' } } });
		const { items } = await callAndSettle(all, to);
		expect(items.at(-1)).toMatchObject({ event: 'callhangup', reason: { code: 5, text: 'No answer' }, userData: null });
	});

	test('a push with a DOCTYPE is refused with 400 and starts nothing', async () => {
		const before = all.trigger.emitted().length;
		const body = pushBody({ event: 'callhangup', callid: 'x'.repeat(32), accountid: DEFAULT_ACCOUNT.accountSid, appid: DEFAULT_ACCOUNT.appId }).replace(
			'<request>',
			'<!DOCTYPE request [<!ENTITY secret SYSTEM "file:///etc/passwd">]><request>',
		);
		const response = await post(all.trigger, body);
		expect(response.status).toBe(400);
		expect(response.headers.get('content-type')).toBe('text/plain;charset=utf-8');
		expect(await response.text()).toBe('The XML carries a DOCTYPE or ENTITY declaration, which is refused\n');
		await all.trigger.idle();
		expect(all.trigger.emitted()).toHaveLength(before);
	});

	test('a billion-laughs push never reaches the node: n8n\'s own XML parser refuses it first (422)', async () => {
		const entities = ['<!ENTITY lol0 "lol">'];
		for (let i = 1; i <= 9; i++) entities.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
		const body = `<?xml version="1.0"?><!DOCTYPE request [${entities.join('')}]><request><event>&lol9;</event></request>`;
		const before = all.trigger.deliveries.length;
		const response = await post(all.trigger, body);
		expect(response.status).toBe(422);
		await all.trigger.idle();
		const [delivery] = all.trigger.deliveries.slice(before);
		expect(delivery).toMatchObject({ status: 422, items: [] });
		expect(delivery.result).toBeUndefined();
	});

	test('an oversized push is refused with 413', async () => {
		const body = pushBody({ event: 'callhangup', accountid: DEFAULT_ACCOUNT.accountSid, appid: DEFAULT_ACCOUNT.appId, pad: 'x'.repeat(70 * 1024) });
		const response = await post(all.trigger, body);
		expect(response.status).toBe(413);
		expect(await response.text()).not.toContain('xxxx');
	});

	test('a push for another account is refused with 403 and starts nothing', async () => {
		const before = all.trigger.emitted().length;
		const response = await post(all.trigger, pushBody({ event: 'callhangup', callid: 'y'.repeat(32), accountid: OTHER_ID, appid: DEFAULT_ACCOUNT.appId }));
		expect(response.status).toBe(403);
		expect(await response.text()).toBe('The push is for another account\n');
		await all.trigger.idle();
		expect(all.trigger.emitted()).toHaveLength(before);
	});
});

describe('events that are not selected', () => {
	test('are acknowledged with retcode 0 but start nothing; Record Calls reaches the callreq reply', async () => {
		const only = await scenario({ events: ['callhangup'], options: { recordCalls: true } });
		const { callId, items, pushes } = await callAndSettle(only, freshCallee(), 'only-hangup');

		expect(items).toEqual([expect.objectContaining({ event: 'callhangup', callId, userData: 'only-hangup', reason: { code: 0, text: 'Normal hang-up' } })]);
		expect(pushes.map((push) => [push.event, push.status, push.retcode])).toEqual([
			['callreq', 200, '0'],
			['callestablish', 200, '0'],
			['callhangup', 200, '0'],
		]);
		expect(pushes[0].reply).toBe('<?xml version="1.0" encoding="UTF-8"?><response><retcode>0</retcode><record>1</record></response>');
		expect(pushes[2].reply).toBe(OK_REPLY);
	});
});

describe('Allow Calls off', () => {
	test('answers callreq with retcode 1: the platform refuses the call and reports reason 9', async () => {
		const refusing = await scenario({ events: ['callreq', 'callestablish', 'callhangup'], options: { allowCalls: false } });
		const { call, items, pushes } = await callAndSettle(refusing, freshCallee(), 'blocked');

		expect(call.events).toEqual(['callreq', 'callhangup']);
		expect(pushes.map((push) => [push.event, push.status, push.retcode])).toEqual([
			['callreq', 200, '1'],
			['callhangup', 200, '0'],
		]);
		expect(items.map((item) => item.event)).toEqual(['callreq', 'callhangup']);
		expect(items[1]).toMatchObject({ reason: { code: 9, text: 'Refused at call request' }, durationSeconds: 0, userData: 'blocked' });
	});
});

describe('pushes for someone else', () => {
	test('another account: every push is refused with 403, nothing starts, the call goes on', async () => {
		const stranger = await scenario({ events: ['callreq', 'callestablish', 'callhangup'] }, { accountSid: OTHER_ID });
		const { call, pushes } = await callAndSettle(stranger, freshCallee(), 'not-mine');

		expect(pushes.map((push) => [push.event, push.status])).toEqual([
			['callreq', 403],
			['callestablish', 403],
			['callhangup', 403],
		]);
		expect(pushes.every((push) => push.retcode === undefined && !push.reply.includes('not-mine'))).toBe(true);
		// A refusal is not a retcode: the platform (our guess, in the sandbox) lets the call go on.
		expect(call.reason).toBe(0);
		expect(stranger.trigger.emitted()).toEqual([]);
	});

	test('another application: refused with 403 when the node names its App ID', async () => {
		const otherApp = await scenario({ events: ['callhangup'], appId: OTHER_ID });
		const { pushes } = await callAndSettle(otherApp, freshCallee());
		expect(pushes.map((push) => push.status)).toEqual([403, 403, 403]);
		expect(otherApp.trigger.emitted()).toEqual([]);
	});

	test('no App ID anywhere: any application of the account is accepted', async () => {
		const anyApp = await scenario({ events: ['callhangup'] }, { appId: '' });
		const { callId, items } = await callAndSettle(anyApp, freshCallee());
		expect(items).toEqual([expect.objectContaining({ event: 'callhangup', callId, appId: DEFAULT_ACCOUNT.appId })]);
	});
});

describe('the node creator', () => {
	test('the trigger is listed as UCPaaS Callback Trigger, paired with UCPaaS Callback, and is the package\'s only trigger type', async () => {
		const { NODE_TYPES } = await import('../harness/engine');
		// What n8n loads is package.json's list: exactly the node and its paired trigger.
		const { n8n } = (await import('../../package.json')) as { n8n: { nodes: string[] } };
		expect(n8n.nodes).toEqual(['dist/nodes/UcpaasCallback/UcpaasCallback.node.js', 'dist/nodes/UcpaasCallbackTrigger/UcpaasCallbackTrigger.node.js']);
		expect(NODE_TYPES['n8n-nodes-ucpaas.ucpaasCallbackTrigger'].description).toMatchObject({ name: 'ucpaasCallbackTrigger', displayName: 'UCPaaS Callback Trigger' });
		expect(NODE_TYPES['n8n-nodes-ucpaas.ucpaasCallbackTrigger'].description.hidden).toBeUndefined();
	});
});

describe('activation (webhookMethods in n8n-core\'s HookContext)', () => {
	const credentials = { accountSid: DEFAULT_ACCOUNT.accountSid, authToken: DEFAULT_ACCOUNT.authToken, appId: '', baseUrl: 'http://127.0.0.1:1' };

	test('nothing can be registered by API: checkExists says no, create checks the settings, delete has nothing to remove', async () => {
		const parameters = { events: ['callhangup'], appId: DEFAULT_ACCOUNT.appId };
		expect(await runWebhookMethod('checkExists', { parameters, credentials })).toBe(false);
		expect(await runWebhookMethod('create', { parameters, credentials })).toBe(true);
		expect(await runWebhookMethod('create', { parameters: { events: ['callhangup'] }, credentials })).toBe(true);
		expect(await runWebhookMethod('delete', { parameters, credentials })).toBe(true);
	});

	test('create refuses settings under which every push would be refused', async () => {
		await expect(runWebhookMethod('create', { parameters: { appId: 'my app' }, credentials })).rejects.toMatchObject({
			name: 'NodeOperationError',
			message: expect.stringMatching(/"App ID" \(appId\) must be a UCPaaS App ID of 32 hexadecimal characters/),
		});
		await expect(runWebhookMethod('create', { parameters: {}, credentials: { ...credentials, appId: 'x' } })).rejects.toThrow(/"Default App ID of the credential" \(appId\) must be a UCPaaS App ID/);
		await expect(runWebhookMethod('create', { parameters: {}, credentials: { ...credentials, accountSid: ' ' } })).rejects.toThrow(
			'The UCPaaS API credential has no Account SID, so no push could be matched to it',
		);
	});
});
