import { startSandbox, type Sandbox } from '../../sandbox';
import { expectedRecordingSig, recordingWav } from '../../sandbox/recordings';
import { APP, CLIENT, SID, TOKEN, agent, api, fixedClock, md5Upper, startReceiver } from './helpers';

type Receiver = Awaited<ReturnType<typeof startReceiver>>;
const running: Array<{ sandbox: Sandbox; receiver?: Receiver }> = [];
afterAll(async () => {
	for (const { sandbox, receiver } of running) {
		await sandbox.stop();
		await receiver?.close();
	}
	agent.destroy();
});

let nextCallee = 15100000000;
async function placeAndSettle(sandbox: Sandbox) {
	const reply = await api(sandbox, { path: '/Calls/callBack', body: { callback: { appId: APP, fromClient: CLIENT, to: String(nextCallee++) } } });
	expect(reply.respCode).toBe('000000');
	const callId = (reply.resp.callback as { callId: string }).callId;
	return sandbox.whenCallSettled(callId);
}

const download = (url: string, sig?: string) => fetch(sig === undefined ? url : `${url}?sig=${sig}`);

describe('recordings', () => {
	test('recordingWav: a deterministic 8 kHz 16-bit mono PCM WAV as long as the call', () => {
		const wav = recordingWav('d125cb0395998cec9f05ebe3d2f89173', 2);
		expect(wav.length).toBe(44 + 2 * 8000 * 2);
		expect(wav.subarray(0, 4).toString('ascii')).toBe('RIFF');
		expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
		expect(wav.subarray(8, 16).toString('ascii')).toBe('WAVEfmt ');
		expect([wav.readUInt16LE(20), wav.readUInt16LE(22), wav.readUInt32LE(24), wav.readUInt16LE(34)]).toEqual([1, 1, 8000, 16]);
		expect(wav.readUInt32LE(40)).toBe(2 * 8000 * 2);
		expect(recordingWav('d125cb0395998cec9f05ebe3d2f89173', 2).equals(wav)).toBe(true);
		expect(recordingWav('ffffffffffffffffffffffffffffffff', 2).equals(wav)).toBe(false);
		// Not silence.
		expect(wav.subarray(44).some((byte) => byte !== 0)).toBe(true);
	});

	test('expectedRecordingSig is MD5(sid + callId + token), upper case', () => {
		expect(expectedRecordingSig(SID, 'abc', TOKEN)).toBe(md5Upper(`${SID}abc${TOKEN}`));
	});

	test('a call recorded by the application setting: the callhangup push names its recordurl, served with the right sig only', async () => {
		const receiver = await startReceiver();
		const sandbox = await startSandbox({ now: fixedClock, quiet: true, pushUrl: receiver.url, call: { record: true, talkSeconds: 3, delays: { ringMs: 5, talkMs: 5 } } });
		running.push({ sandbox, receiver });
		const call = await placeAndSettle(sandbox);
		const url = receiver.recordUrlOf(call.callId);
		expect(url).toBe(`${sandbox.url}/recordings/${call.callId}.wav`);
		expect(call.recordUrl).toBe(url);

		const good = await download(url as string, expectedRecordingSig(SID, call.callId, TOKEN));
		expect(good.status).toBe(200);
		expect(good.headers.get('content-type')).toBe('audio/wav');
		const bytes = Buffer.from(await good.arrayBuffer());
		expect(bytes.equals(recordingWav(call.callId, 3))).toBe(true);
		expect(good.headers.get('content-length')).toBe(String(bytes.length));

		const wrong = await download(url as string, expectedRecordingSig(SID, call.callId, 'f'.repeat(32)));
		expect([wrong.status, await wrong.text()]).toEqual([403, '{"resp":{"respCode":"101116"}}']);
		// The REST signature is not the recording signature.
		const rest = await download(url as string, md5Upper(`${SID}${TOKEN}20240115093000`));
		expect(rest.status).toBe(403);
		const none = await download(url as string);
		expect([none.status, await none.text()]).toEqual([403, '{"resp":{"respCode":"101114"}}']);
		expect(sandbox.requests.filter((r) => r.path.startsWith('/recordings/')).map((r) => r.verdict.ok)).toEqual([true, false, false, false]);
	});

	test('without the setting, only a callreq reply with <record>1</record> gets a call recorded', async () => {
		const asking = await startReceiver({ record: true });
		const silent = await startReceiver();
		const recorded = await startSandbox({ now: fixedClock, quiet: true, pushUrl: asking.url, call: { talkSeconds: 1, delays: { ringMs: 5, talkMs: 5 } } });
		const plain = await startSandbox({ now: fixedClock, quiet: true, pushUrl: silent.url, call: { talkSeconds: 1, delays: { ringMs: 5, talkMs: 5 } } });
		running.push({ sandbox: recorded, receiver: asking }, { sandbox: plain, receiver: silent });

		const yes = await placeAndSettle(recorded);
		expect(yes).toMatchObject({ recordRequested: true, recordUrl: `${recorded.url}/recordings/${yes.callId}.wav` });
		expect(asking.recordUrlOf(yes.callId)).toBe(yes.recordUrl);

		const no = await placeAndSettle(plain);
		expect(no.recordUrl).toBeUndefined();
		expect(silent.recordUrlOf(no.callId)).toBe('');
		const missing = await download(`${plain.url}/recordings/${no.callId}.wav`, expectedRecordingSig(SID, no.callId, TOKEN));
		expect(missing.status).toBe(404);
	});

	test('a call that never connected has nothing to record, even with the setting', async () => {
		const sandbox = await startSandbox({ now: fixedClock, quiet: true, call: { record: true, outcome: 'noAnswer', delays: { ringMs: 5, talkMs: 5 } } });
		running.push({ sandbox });
		const call = await placeAndSettle(sandbox);
		expect([call.reason, call.length, call.recordUrl]).toEqual([5, 0, undefined]);
	});

	test('recordingChunked serves the same bytes without Content-Length; a reset fault cuts the file in half', async () => {
		const sandbox = await startSandbox({ now: fixedClock, quiet: true, recordingChunked: true, call: { record: true, talkSeconds: 2, delays: { ringMs: 5, talkMs: 5 } } });
		running.push({ sandbox });
		const call = await placeAndSettle(sandbox);
		const sig = expectedRecordingSig(SID, call.callId, TOKEN);
		const chunked = await download(call.recordUrl as string, sig);
		expect(chunked.headers.get('content-length')).toBeNull();
		expect(Buffer.from(await chunked.arrayBuffer()).equals(recordingWav(call.callId, 2))).toBe(true);

		sandbox.addFault({ match: { path: '/recordings/' }, fault: { kind: 'reset' }, times: 1 });
		await expect(download(call.recordUrl as string, sig).then((r) => r.arrayBuffer())).rejects.toThrow();
	});
});
