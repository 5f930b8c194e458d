/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: a relay on loopback, in front of the engine it drives */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_ACCOUNT, startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox';
import { expectedRecordingSig, recordingWav } from '../../sandbox/recordings';
import { runCallbackNode, type NodeRunOptions } from '../harness/engine';
import { everythingShown, sandboxCredentials } from '../harness/sandboxAccount';
import { startTriggerServer, type TriggerServer } from '../harness/webhookServer';

const TOKEN = DEFAULT_ACCOUNT.authToken;
const running: Array<{ stop(): Promise<void> }> = [];
afterAll(async () => {
	for (const thing of running.reverse()) await thing.stop();
});

let nextCallee = 13600000000;
const freshCallee = () => String(nextCallee++);

async function sandboxWith(options: SandboxOptions): Promise<Sandbox> {
	const sandbox = await startSandbox({ quiet: true, ...options, call: { delays: { ringMs: 5, talkMs: 5 }, ...options.call } });
	running.push(sandbox);
	return sandbox;
}

/** A trigger asking for recordings (Record Calls on), fed by the sandbox it returns. */
async function recordingScenario(options: SandboxOptions = {}) {
	const trigger = await startTriggerServer({
		parameters: { events: ['callhangup'], options: { recordCalls: true } },
		credentials: { accountSid: DEFAULT_ACCOUNT.accountSid, authToken: TOKEN, appId: DEFAULT_ACCOUNT.appId, baseUrl: 'http://127.0.0.1:1' },
	});
	running.push(trigger);
	const sandbox = await sandboxWith({ pushUrl: trigger.url, ...options });
	return { trigger, sandbox };
}

/** Places a call through the node and returns the Call Ended item the trigger emitted for it. */
async function callEnded(sandbox: Sandbox, trigger: TriggerServer): Promise<IDataObject> {
	const placed = await runCallbackNode({
		parameters: { operation: 'placeCall', fromClient: DEFAULT_ACCOUNT.clientNumber, to: freshCallee(), options: {} },
		credentials: sandboxCredentials(sandbox),
	});
	expect(placed.error).toBeUndefined();
	const callId = placed.output[0].json.callId as string;
	await sandbox.whenCallSettled(callId);
	await trigger.idle();
	const item = trigger.emitted().find((i) => i.json.callId === callId && i.json.event === 'callhangup');
	expect(item).toBeDefined();
	return item!.json;
}

/** Download Recording with its defaults ({{ $json.recordingUrl }}, {{ $json.callId }}) over the given items. */
function download(sandbox: Sandbox, items: IDataObject[], parameters: IDataObject = {}, extra: Partial<NodeRunOptions> = {}) {
	return runCallbackNode({
		parameters: { operation: 'downloadRecording', ...parameters } as NodeRunOptions['parameters'],
		items,
		credentials: sandboxCredentials(sandbox),
		...extra,
	});
}

/** What a run shows a user (items, the error, the stored run); not the test's own credential helper. */
const shownBy = (result: Awaited<ReturnType<typeof runCallbackNode>>) =>
	everythingShown({ output: result.output, errorOutput: result.errorOutput, error: result.error, run: result.run });

const recordingRequests = (sandbox: Sandbox) => sandbox.requests.filter((r) => r.path.startsWith('/recordings/'));

describe('Call Ended → Download Recording', () => {
	test('the Call Ended item says it has a recording; the node outputs it as binary data, byte for byte the sandbox\'s file', async () => {
		const { trigger, sandbox } = await recordingScenario({ call: { talkSeconds: 4 } });
		const ended = await callEnded(sandbox, trigger);
		const callId = ended.callId as string;
		expect(ended).toMatchObject({ event: 'callhangup', hasRecording: true, recordingUrl: `${sandbox.url}/recordings/${callId}.wav`, durationSeconds: 4 });

		const result = await download(sandbox, [ended]);
		expect(result.error).toBeUndefined();
		expect(result.output).toHaveLength(1);
		const [item] = result.output;
		const expected = recordingWav(callId, 4);
		expect(item.json).toEqual({ callId, fileName: `${callId}.wav`, mimeType: 'audio/wav', bytes: expected.length });
		expect(item.pairedItem).toEqual({ item: 0 });
		const file = item.binary?.recording;
		expect(file).toMatchObject({ mimeType: 'audio/wav', fileName: `${callId}.wav`, fileExtension: 'wav', fileType: 'audio', bytes: expected.length });
		expect(Buffer.from(file!.data, 'base64').equals(expected)).toBe(true);

		// The sandbox checked the recording signature and saw nothing else: no marker, no Authorization.
		const [request] = recordingRequests(sandbox);
		expect(request.verdict).toEqual({ respCode: '', ok: true, reason: 'recording' });
		expect(request.query).toEqual({ sig: expectedRecordingSig(DEFAULT_ACCOUNT.accountSid, callId, TOKEN) });
		expect(Object.keys(request.headers).filter((h) => /authorization|x-ucpaas/i.test(h))).toEqual([]);

		// Neither the token nor the signed URL is in anything the run shows.
		const shown = shownBy(result);
		expect(shown).not.toContain(TOKEN);
		expect(shown).not.toContain(request.query.sig);
	});

	test('the output field name is configurable; a URL without an audio type is named after its extension', async () => {
		const { trigger, sandbox } = await recordingScenario({ call: { talkSeconds: 1 } });
		const ended = await callEnded(sandbox, trigger);
		const result = await download(sandbox, [ended], { binaryPropertyName: 'audio' });
		expect(Object.keys(result.output[0].binary ?? {})).toEqual(['audio']);
	});

	test('a chunked reply (no Content-Length) streams in the same bytes', async () => {
		const { trigger, sandbox } = await recordingScenario({ recordingChunked: true, call: { talkSeconds: 2 } });
		const ended = await callEnded(sandbox, trigger);
		const result = await download(sandbox, [ended]);
		expect(result.error).toBeUndefined();
		expect(Buffer.from(result.output[0].binary!.recording.data, 'base64').equals(recordingWav(ended.callId as string, 2))).toBe(true);
	});
});

describe('URLs the token must not sign: refused before anything is sent', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await sandboxWith({});
	});
	beforeEach(() => sandbox.clearRequests());
	const CALL_ID = '0123456789abcdef0123456789abcdef';

	test.each([
		['another host', 'https://recordings.example.com/0123.wav', /^Item 1: "Recording URL" \(recordingUrl\) is on https:\/\/recordings\.example\.com, which is not the platform/],
		['plain http across a network', 'http://203.0.113.9/0123.wav', /^Item 1: "Recording URL" \(recordingUrl\) must use https \(plain http only to this machine/],
		['loopback, but another port than the Base URL', 'http://127.0.0.1:1/recordings/0123.wav', /^Item 1: "Recording URL" \(recordingUrl\) is on http:\/\/127\.0\.0\.1:1, which is not the platform/],
	])('%s', async (_name, url, message) => {
		const result = await download(sandbox, [{ callId: CALL_ID, recordingUrl: url }]);
		expect(result.error?.message).toMatch(message);
		expect(result.error?.description).toMatch(/Nothing was sent for this item/);
		expect(result.output).toEqual([]);
		expect(sandbox.requests).toEqual([]);
		// Not even signed: the credential's signer never saw a request.
		expect(result.credentials.signed).toBe(0);
		expect(shownBy(result)).not.toContain(TOKEN);
	});

	test('a bad item stops the run before any item is sent; with the error output, only that item fails', async () => {
		const items = [
			{ callId: CALL_ID, recordingUrl: `${sandbox.url}/recordings/${CALL_ID}.wav` },
			{ callId: CALL_ID, recordingUrl: 'https://evil.example.com/x.wav' },
		];
		const stopped = await download(sandbox, items);
		expect(stopped.error?.message).toMatch(/^Item 2: "Recording URL" \(recordingUrl\) is on https:\/\/evil\.example\.com/);
		expect(sandbox.requests).toEqual([]);

		const routed = await download(sandbox, items, {}, { onError: 'continueErrorOutput' });
		// Item 1 was sent (there is no such call: 404), item 2 never was.
		expect(routed.errorOutput.map((i) => [i.pairedItem, i.json.message])).toEqual([
			[{ item: 0 }, `No recording at ${sandbox.url}/recordings/${CALL_ID}.wav (HTTP 404)`],
			[{ item: 1 }, expect.stringMatching(/^Item 2: "Recording URL" \(recordingUrl\) is on https:\/\/evil\.example\.com/)],
		]);
		expect(recordingRequests(sandbox).map((r) => r.path)).toEqual([`/recordings/${CALL_ID}.wav`]);
		// A download changes nothing on the platform: its error items carry no "may have" flag.
		expect(routed.errorOutput[0].json.error).toEqual({
			message: `No recording at ${sandbox.url}/recordings/${CALL_ID}.wav (HTTP 404)`,
			description: expect.stringMatching(/running the node again is safe/),
			respCode: null,
			httpCode: '404',
		});
	});

	test('an empty recordingUrl (a call without a recording) and a malformed callId are field errors', async () => {
		const empty = await download(sandbox, [{ callId: CALL_ID, recordingUrl: null, hasRecording: false }]);
		expect(empty.error?.message).toMatch(/^Item 1: "Recording URL" \(recordingUrl\) is empty: the call has no recording \(its Call Ended item says hasRecording false\)/);
		const badId = await download(sandbox, [{ callId: 'not a call id', recordingUrl: `${sandbox.url}/recordings/x.wav` }]);
		expect(badId.error?.message).toMatch(/^Item 1: "Call ID" \(callId\) must be the callId/);
		const zeroCap = await download(sandbox, [{ callId: CALL_ID, recordingUrl: `${sandbox.url}/recordings/x.wav` }], { options: { maxSizeMb: 0 } });
		expect(zeroCap.error?.message).toMatch(/^Item 1: "Max File Size \(MB\)" \(maxSizeMb\) must be a positive number/);
		expect(sandbox.requests).toEqual([]);
	});
});

describe('what the platform answers instead of a recording', () => {
	test('the size cap: refused from Content-Length, and counted on the way when there is none; no file is output', async () => {
		// 70 s of 8 kHz 16-bit audio is 1.12 MB, above a 1 MB cap.
		const declared = await recordingScenario({ call: { talkSeconds: 70 } });
		const big = await callEnded(declared.sandbox, declared.trigger);
		const byHeader = await download(declared.sandbox, [big], { options: { maxSizeMb: 1 } });
		expect(byHeader.error?.message).toBe('The recording is 1.1 MB, above the limit of 1 MB');
		expect(byHeader.error?.description).toMatch(/Raise "Max File Size \(MB\)"/);
		expect(byHeader.output).toEqual([]);

		const chunked = await recordingScenario({ recordingChunked: true, call: { talkSeconds: 70 } });
		const bigChunked = await callEnded(chunked.sandbox, chunked.trigger);
		const counted = await download(chunked.sandbox, [bigChunked], { options: { maxSizeMb: 1 } });
		expect(counted.error?.message).toBe('The recording is larger than the limit of 1 MB');
		expect(counted.output).toEqual([]);

		// The same file fits a 2 MB cap.
		const fits = await download(chunked.sandbox, [bigChunked], { options: { maxSizeMb: 2 } });
		expect(fits.output[0].json.bytes).toBe(44 + 70 * 16000);
	});

	test('a call that was not recorded: 404 is a readable error, no file', async () => {
		const sandbox = await sandboxWith({});
		const placed = await runCallbackNode({
			parameters: { operation: 'placeCall', fromClient: DEFAULT_ACCOUNT.clientNumber, to: freshCallee(), options: {} },
			credentials: sandboxCredentials(sandbox),
		});
		const callId = placed.output[0].json.callId as string;
		await sandbox.whenCallSettled(callId);
		const result = await download(sandbox, [{ callId, recordingUrl: `${sandbox.url}/recordings/${callId}.wav` }]);
		expect(result.error?.message).toBe(`No recording at ${sandbox.url}/recordings/${callId}.wav (HTTP 404)`);
		expect(result.error?.description).toMatch(/not be ready yet/);
	});

	test('the wrong callId for the recording: the platform\'s 101116 is named, and the signed URL is not', async () => {
		const { trigger, sandbox } = await recordingScenario({ call: { talkSeconds: 1 } });
		const ended = await callEnded(sandbox, trigger);
		const result = await download(sandbox, [{ ...ended, callId: 'ffffffffffffffffffffffffffffffff' }]);
		expect(result.error?.message).toMatch(/^The recording download was refused: 101116 /);
		expect(result.error?.description).toMatch(/^Check the Call ID first \(the download is signed with it\), then the Auth Token/);
		const sig = recordingRequests(sandbox)[0].query.sig;
		expect(shownBy(result)).not.toContain(sig);
		expect(shownBy(result)).not.toContain(TOKEN);
	});

	test('a connection dropped half-way: a readable error, nothing output, safe to run again', async () => {
		const { trigger, sandbox } = await recordingScenario({ call: { talkSeconds: 2 } });
		const ended = await callEnded(sandbox, trigger);
		sandbox.addFault({ match: { path: '/recordings/' }, fault: { kind: 'reset' }, times: 1 });
		const cut = await download(sandbox, [ended]);
		expect(cut.error?.message).toBe('The connection to the recording server was closed before the reply was complete');
		expect(cut.error?.description).toMatch(/running the node again is safe/);
		expect(cut.output).toEqual([]);
		const again = await download(sandbox, [ended]);
		expect(Buffer.from(again.output[0].binary!.recording.data, 'base64').equals(recordingWav(ended.callId as string, 2))).toBe(true);
	});

	test('a server that never answers: the Timeout option, a readable error', async () => {
		const { trigger, sandbox } = await recordingScenario({ call: { talkSeconds: 1 } });
		const ended = await callEnded(sandbox, trigger);
		sandbox.addFault({ match: { path: '/recordings/' }, fault: { kind: 'hang' }, times: 1 });
		const result = await download(sandbox, [ended], { options: { timeout: 1000 } });
		expect(result.error?.message).toBe('The recording server did not answer within 1000 ms');
		expect(result.error?.description).toMatch(/Raise "Timeout"/);
	});

	test('an HTML error page with status 200 is not saved as a recording', async () => {
		const { trigger, sandbox } = await recordingScenario({ call: { talkSeconds: 1 } });
		const ended = await callEnded(sandbox, trigger);
		sandbox.addFault({ match: { path: '/recordings/' }, fault: { kind: 'status', status: 200, contentType: 'text/html', body: '<html>maintenance</html>' }, times: 1 });
		const result = await download(sandbox, [ended]);
		expect(result.error?.message).toBe(`${sandbox.url}/recordings/${ended.callId as string}.wav answered a document instead of a recording`);
	});

	test('a redirect is reported, never followed', async () => {
		const { trigger, sandbox } = await recordingScenario({ call: { talkSeconds: 1 } });
		const ended = await callEnded(sandbox, trigger);
		sandbox.addFault({ match: { path: '/recordings/' }, fault: { kind: 'status', status: 302 }, times: 1 });
		const result = await download(sandbox, [ended]);
		expect(result.error?.message).toBe('The recording server redirected the download (HTTP 302)');
		expect(recordingRequests(sandbox)).toHaveLength(1);
	});
});

/**
 * Behind NAT, n8n cannot be reached by the platform, but it can reach out. The pattern the README
 * describes: a small forwarder on a public host relays each push, byte for byte, to n8n's webhook
 * over a tunnel, and passes n8n's reply back. Download Recording is an outbound request and needs
 * nothing inbound. The relay here listens on another path than n8n's webhook, as a public one would.
 */
describe('behind NAT: a relay forwards the pushes, the download goes out', () => {
	test('pushes through a relay reach the trigger unchanged, the platform gets the trigger\'s exact reply, and the recording downloads', async () => {
		const trigger = await startTriggerServer({
			parameters: { events: ['callhangup'], options: { recordCalls: true } },
			credentials: { accountSid: DEFAULT_ACCOUNT.accountSid, authToken: TOKEN, appId: DEFAULT_ACCOUNT.appId, baseUrl: 'http://127.0.0.1:1' },
		});
		running.push(trigger);
		const relayed: string[] = [];
		const relay = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				relayed.push(req.url ?? '');
				void fetch(trigger.url, { method: 'POST', headers: { 'content-type': String(req.headers['content-type']) }, body: Buffer.concat(chunks) }).then(async (reply) => {
					res.writeHead(reply.status, { 'Content-Type': reply.headers.get('content-type') ?? 'text/plain' });
					res.end(Buffer.from(await reply.arrayBuffer()));
				});
			});
		});
		await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
		running.push({ stop: () => new Promise<void>((resolve) => relay.close(() => resolve())) });
		const relayUrl = `http://127.0.0.1:${(relay.address() as AddressInfo).port}/ucpaas/push-7f3a`;

		const sandbox = await sandboxWith({ pushUrl: relayUrl, call: { talkSeconds: 3 } });
		const ended = await callEnded(sandbox, trigger);
		const pushes = sandbox.pushes.filter((p) => p.callId === ended.callId);
		expect(pushes.map((p) => [p.event, p.status, p.retcode])).toEqual([
			['callreq', 200, '0'],
			['callestablish', 200, '0'],
			['callhangup', 200, '0'],
		]);
		// Record Calls reached the platform through the relay.
		expect(pushes[0].reply).toBe('<?xml version="1.0" encoding="UTF-8"?><response><retcode>0</retcode><record>1</record></response>');
		expect(relayed).toEqual(['/ucpaas/push-7f3a', '/ucpaas/push-7f3a', '/ucpaas/push-7f3a']);

		const result = await download(sandbox, [ended]);
		expect(Buffer.from(result.output[0].binary!.recording.data, 'base64').equals(recordingWav(ended.callId as string, 3))).toBe(true);
	});
});
