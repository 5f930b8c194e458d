import type { IDataObject, INode, INodeParameters, IRun } from 'n8n-workflow';
import { NodeConnectionTypes, sleep } from 'n8n-workflow';

import { DEFAULT_ACCOUNT, startSandbox, type Sandbox } from '../../sandbox';
import { sealForward } from '../../nodes/shared/outcomeForward';
import { itemsNode, runAsAgentTool, ucpaasNode } from '../harness/engine';
import { deduplicationStore } from '../harness/deduplicationStore';
import { calleesFrom } from '../harness/testSandbox';
import { WaitingEngine } from '../harness/waitingEngine';
import { startTriggerServer, type TriggerServer } from '../harness/webhookServer';

/**
 * Place Callback and Wait end to end inside n8n-core: the node places the call at the sandbox and
 * the execution waits; the sandbox pushes the call's events to the real trigger, which forwards
 * them to the waiting run at the stand-in of n8n's resume address (harness/waitingEngine.ts); the
 * run continues with the outcome. The same in the real n8n app: test/e2e/placeAndWaitChecks.ts.
 */

let sandbox: Sandbox;
let trigger: TriggerServer;
let engine: WaitingEngine;
const callee = calleesFrom(13610000000);

beforeAll(async () => {
	await deduplicationStore();
	const credentials = { accountSid: DEFAULT_ACCOUNT.accountSid, authToken: DEFAULT_ACCOUNT.authToken, appId: DEFAULT_ACCOUNT.appId, baseUrl: 'http://127.0.0.1:1' };
	engine = await new WaitingEngine(credentials).start();
	trigger = await startTriggerServer({ parameters: { events: ['callhangup'], options: { waitingBaseUrl: engine.baseUrl } }, credentials });
	sandbox = await startSandbox({ pushUrl: trigger.url, quiet: true });
	// The engine's credential places calls at the sandbox.
	Object.assign(credentials, { baseUrl: sandbox.url });
});

afterAll(async () => {
	await sandbox.stop();
	await trigger.stop();
	await engine.stop();
});

const to = (target: string) => [{ node: target, type: NodeConnectionTypes.Main, index: 0 }];

function waitNode(parameters: INodeParameters = {}): INode {
	return ucpaasNode(
		'Call',
		'n8n-nodes-ucpaas.ucpaasCallback',
		{ operation: 'placeCallAndWait', fromClient: DEFAULT_ACCOUNT.clientNumber, to: '={{ $json.phone }}', repeatGuard: false, ...parameters },
		{ typeVersion: 2 },
	);
}

async function placeAndWait(items: IDataObject[], parameters: INodeParameters = {}) {
	const { executionId, run } = await engine.run([itemsNode(items), waitNode(parameters)], { Items: { main: [to('Call')] } });
	return { executionId, run };
}

/** The node's last run in a finished execution: its output items. */
function outputOf(run: IRun): IDataObject[] {
	const runs = run.data.resultData.runData.Call;
	return (runs.at(-1)?.data?.main[0] ?? []).map((item) => item.json);
}

async function settledCallOf(phone: string) {
	const call = sandbox.calls.find((c) => c.to === phone);
	if (!call) throw new Error(`no call to ${phone}`);
	await sandbox.whenCallSettled(call.callId);
	await trigger.idle();
	return call;
}

describe('Place Callback and Wait, in n8n-core with the real trigger forwarding the pushes', () => {
	test('an answered call: the run waits, then continues with answered, talk time, reason and the user\'s own User Data', async () => {
		const phone = callee();
		const { executionId, run } = await placeAndWait([{ phone }], { options: { userData: 'CRM-42' } });
		expect(run.waitTill).toBeInstanceOf(Date);
		expect(engine.stored(executionId)?.status).toBe('waiting');

		const call = await settledCallOf(phone);
		// The platform carries the user's text, then the resume reference; never a whole URL.
		expect(call.userData).toMatch(new RegExp(`^CRM-42\\|ucw1\\.${executionId}(\\.[A-Za-z0-9_-]{43})?$`));
		const finished = await engine.whenFinished(executionId);
		const [outcome] = outputOf(finished);
		expect(outcome).toMatchObject({
			outcome: 'answered',
			answered: true,
			callId: call.callId,
			to: phone,
			userData: 'CRM-42',
			durationSeconds: 30,
			hangupReason: { code: 0, text: 'Normal hang-up' },
			event: 'callhangup',
		});
		expect(outcome.startTime).toMatch(/^\d{4}-\d\d-\d\dT/);
		expect(outcome.endTime).toMatch(/^\d{4}-\d\d-\d\dT/);
		// The trigger's own workflow still starts, with the user's User Data and what became of the forward.
		const item = trigger.emitted().find((i) => i.json.callId === call.callId)!.json;
		expect(item).toMatchObject({ userData: 'CRM-42', waitingRun: { executionId, status: 'resumed', httpCode: 200 } });
	});

	test('a call nobody answers continues as notAnswered with the hang-up reason', async () => {
		const phone = callee();
		sandbox.addFault({ match: { to: phone }, fault: { kind: 'outcome', call: { outcome: 'noAnswer' } } });
		const { executionId } = await placeAndWait([{ phone }]);
		await settledCallOf(phone);
		const [outcome] = outputOf(await engine.whenFinished(executionId));
		expect(outcome).toMatchObject({ outcome: 'notAnswered', answered: false, durationSeconds: 0, hangupReason: { code: 5, text: 'No answer' }, userData: null });
	});

	test('no push ever comes: after Max Wait n8n\'s timer continues the run with outcome timedOut and the callId', async () => {
		const phone = callee();
		sandbox.addFault({ match: { to: phone }, fault: { kind: 'outcome', call: { outcome: 'answered', pushesLost: true } } });
		const { executionId, run } = await placeAndWait([{ phone }], { maxWaitMinutes: 3 });
		const call = await settledCallOf(phone);
		expect(sandbox.pushes.filter((p) => p.callId === call.callId)).toHaveLength(0);
		expect(engine.stored(executionId)?.status).toBe('waiting');
		expect((run.waitTill as Date).getTime() - Date.now()).toBeGreaterThan(2.9 * 60_000);

		const resumed = await engine.resumeByTimer(executionId);
		const [outcome] = outputOf(resumed);
		expect(outcome).toMatchObject({ outcome: 'timedOut', answered: null, callId: call.callId, to: phone, maxWaitMinutes: 3 });
		expect(outcome.message).toContain('No Call Ended push');
	});

	test('a forged resume is refused and the run keeps waiting: no token, a wrong signature, another execution, another call', async () => {
		const phone = callee();
		sandbox.addFault({ match: { to: phone }, fault: { kind: 'outcome', call: { outcome: 'answered', pushesLost: true } } });
		const { executionId } = await placeAndWait([{ phone }]);
		const call = await settledCallOf(phone);
		const stored = engine.stored(executionId)!;
		const token = (stored.data as { resumeToken?: string }).resumeToken;
		const address = `${engine.baseUrl}/${executionId}${token ? `?signature=${token}` : ''}`;
		const push = { event: 'callhangup', callId: call.callId, reason: { code: 0, text: 'Normal hang-up' }, durationSeconds: 99 } as never;
		const post = async (url: string, body: unknown) => {
			const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
			return { status: response.status, body: (await response.json()) as IDataObject };
		};
		const sealed = (secret: { accountSid: string; authToken: string }, forward: Partial<{ executionId: string; sentAt: string; push: unknown }> = {}) =>
			sealForward({ executionId, sentAt: new Date().toISOString(), push, ...forward } as never, secret);
		const account = { accountSid: DEFAULT_ACCOUNT.accountSid, authToken: DEFAULT_ACCOUNT.authToken };

		if (token) expect((await post(`${engine.baseUrl}/${executionId}`, sealed(account))).status).toBe(401);
		expect(await post(address, sealed({ ...account, authToken: 'f'.repeat(32) }))).toMatchObject({ status: 403, body: { resumed: false, reason: expect.stringContaining('not signed') } });
		expect(await post(address, sealed(account, { executionId: '999999' }))).toMatchObject({ status: 403, body: { reason: 'The forward is for another execution' } });
		expect(await post(address, sealed(account, { sentAt: new Date(Date.now() - 3_600_000).toISOString() }))).toMatchObject({ status: 403, body: { reason: 'The forward is stale' } });
		expect(await post(address, sealed(account, { push: { ...(push as object), callId: 'ffff' } }))).toMatchObject({ status: 200, body: { resumed: false } });
		expect(await post(address, { hello: 'world' })).toMatchObject({ status: 400 });
		expect(engine.stored(executionId)?.status).toBe('waiting');

		// A genuine forward still resumes it.
		expect(await post(address, sealed(account))).toMatchObject({ status: 200, body: { resumed: true, outcome: 'answered' } });
		const [outcome] = outputOf(await engine.whenFinished(executionId));
		expect(outcome).toMatchObject({ outcome: 'answered', callId: call.callId, durationSeconds: 99 });
	});

	test('after the run continued, a repeated Call Ended push finds it no longer waiting, and says so in the trigger\'s item', async () => {
		const phone = callee();
		const { executionId } = await placeAndWait([{ phone }]);
		const call = await settledCallOf(phone);
		await engine.whenFinished(executionId);
		const push = sandbox.pushes.find((p) => p.callId === call.callId && p.event === 'callhangup')!;
		// The platform sending the same push again (a retry after a slow reply).
		await fetch(trigger.url, { method: 'POST', headers: { 'Content-Type': 'text/xml;charset=utf-8' }, body: push.body });
		await trigger.idle();
		const hangups = trigger.emitted().filter((i) => i.json.callId === call.callId && i.json.event === 'callhangup');
		expect(hangups.map((i) => (i.json.waitingRun as IDataObject).status)).toEqual(['resumed', 'notWaiting']);
		expect(hangups[1].json.waitingRun).toMatchObject({ executionId, httpCode: 409 });
	});

	test('a forward that cannot be made (a base URL that is no URL) is said in the trigger\'s item, and its workflow still starts', async () => {
		const credentials = { accountSid: DEFAULT_ACCOUNT.accountSid, authToken: DEFAULT_ACCOUNT.authToken, appId: DEFAULT_ACCOUNT.appId };
		const broken = await startTriggerServer({ parameters: { events: ['callhangup'], options: { waitingBaseUrl: 'n8n.example.com' } }, credentials });
		try {
			const body = `<?xml version="1.0" encoding="UTF-8"?><request><event>callhangup</event><callid>c9</callid><accountid>${DEFAULT_ACCOUNT.accountSid}</accountid><appid>${DEFAULT_ACCOUNT.appId}</appid><reason>0</reason><length>5</length><userData>own|ucw1.77</userData></request>`;
			const response = await fetch(broken.url, { method: 'POST', headers: { 'Content-Type': 'text/xml;charset=utf-8' }, body });
			expect(response.status).toBe(200);
			await broken.idle();
			expect(broken.emitted().map((i) => i.json)).toMatchObject([{ userData: 'own', waitingRun: { executionId: '77', status: 'failed', httpCode: null, reason: expect.stringContaining('not a URL') } }]);
		} finally {
			await broken.stop();
		}
	});

	test('one run waits for one call: two items are refused before anything is sent, naming Loop Over Items', async () => {
		const before = sandbox.requests.length;
		const { run } = await placeAndWait([{ phone: callee() }, { phone: callee() }]);
		const error = run.data.resultData.error as Error & { description?: string };
		expect(error.message).toBe('Place Callback and Wait takes one item per run; it received 2');
		expect(error.description).toContain('Loop Over Items');
		expect(sandbox.requests.slice(before).filter((r) => r.path.includes('callBack'))).toHaveLength(0);
	});

	test('as an AI agent\'s tool it refuses before sending: a tool must answer at once', async () => {
		const before = sandbox.requests.length;
		const { results } = await runAsAgentTool({
			parameters: { operation: 'placeCallAndWait', fromClient: DEFAULT_ACCOUNT.clientNumber, to: callee(), repeatGuard: false },
			calls: [{}],
			credentials: { accountSid: DEFAULT_ACCOUNT.accountSid, authToken: DEFAULT_ACCOUNT.authToken, appId: DEFAULT_ACCOUNT.appId, baseUrl: sandbox.url },
			typeVersion: 2,
		});
		expect(JSON.stringify(results)).toContain('Place Callback and Wait cannot run as an AI agent\'s tool');
		expect(sandbox.requests.slice(before).filter((r) => r.path.includes('callBack'))).toHaveLength(0);
	});

	test('User Data too long to leave room for the reference is refused for the item, naming the field and the bytes left', async () => {
		const before = sandbox.requests.length;
		const { run } = await placeAndWait([{ phone: callee() }], { options: { userData: 'x'.repeat(120) } });
		const error = run.data.resultData.error as Error;
		expect(error.message).toMatch(/^Item 1: "User Data" \(userData\) must be at most \d+ bytes with Place Callback and Wait/);
		expect(sandbox.requests.slice(before).filter((r) => r.path.includes('callBack'))).toHaveLength(0);
	});

	test('a callee the repeat-call guard skips is not called and the run does not wait: outcome notPlaced', async () => {
		const phone = callee();
		const first = await placeAndWait([{ phone }], { repeatGuard: true });
		await settledCallOf(phone);
		await engine.whenFinished(first.executionId);
		const second = await placeAndWait([{ phone }], { repeatGuard: true });
		expect(second.run.waitTill ?? undefined).toBeUndefined();
		const [item] = outputOf(second.run);
		expect(item).toMatchObject({ skipped: true, reason: 'repeatCall', outcome: 'notPlaced', answered: null });
		expect(sandbox.calls.filter((c) => c.to === phone)).toHaveLength(1);
	});

	test('in a loop, each lap waits for its own call; a late push of an earlier lap\'s call does not resume a later lap', async () => {
		const phones = [callee(), callee()];
		const nodes = [
			itemsNode([{ phone: phones[0] }]),
			{ id: 'loop', name: 'Loop', type: 'test.loop', typeVersion: 1, position: [100, 0] as [number, number], parameters: { times: 2 } },
			waitNode({ to: `={{ $runIndex === 0 ? "${phones[0]}" : "${phones[1]}" }}` }),
		];
		const { executionId } = await engine.run(nodes, { Items: { main: [to('Loop')] }, Loop: { main: [to('Call'), []] }, Call: { main: [to('Loop')] } });
		const first = await settledCallOf(phones[0]);
		// Lap 2 waits now, for the second call: a copy of the first call's hang-up must not end it.
		let waiting = engine.stored(executionId);
		for (let tries = 0; tries < 100 && !(waiting?.status === 'waiting' && waiting.data.resultData.runData.Call?.length === 2); tries++) {
			await sleep(50);
			waiting = engine.stored(executionId);
		}
		expect([waiting?.status, waiting?.data.resultData.runData.Call?.length]).toEqual(['waiting', 2]);
		const lapTwoToken = (waiting!.data as { resumeToken?: string }).resumeToken;
		const address = `${engine.baseUrl}/${executionId}${lapTwoToken ? `?signature=${lapTwoToken}` : ''}`;
		const late = sealForward(
			{ executionId, sentAt: new Date().toISOString(), push: { event: 'callhangup', callId: first.callId } as never },
			{ accountSid: DEFAULT_ACCOUNT.accountSid, authToken: DEFAULT_ACCOUNT.authToken },
		);
		const response = await fetch(address, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(late) });
		expect(await response.json()).toMatchObject({ resumed: false, reason: 'The push is for another call than the one this run waits for' });
		await settledCallOf(phones[1]);
		const finished = await engine.whenFinished(executionId);
		const laps = finished.data.resultData.runData.Call.map((lap) => lap.data?.main[0]?.[0]?.json);
		expect(laps.map((lap) => [lap?.to, lap?.outcome])).toEqual([
			[phones[0], 'answered'],
			[phones[1], 'answered'],
		]);
	});
});
