import {
	buildReply,
	handlePush,
	HANGUP_REASONS,
	MAX_PUSH_BYTES,
	type PushSettings,
	type PushVerdict,
} from '../../nodes/shared/pushEvents';
import { mulberry32 } from '../../sandbox/ids';

const ACCOUNT = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const APP = 'b23abb6d451346efa13370172d1921ef';
const OK_REPLY = '<?xml version="1.0" encoding="UTF-8"?><response><retcode>0</retcode></response>';

const SETTINGS: PushSettings = {
	accountSid: ACCOUNT,
	appId: APP,
	events: ['callreq', 'callestablish', 'callhangup'],
	allowCalls: true,
	recordCalls: false,
};

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A push as the platform writes it: declaration, root <request>, one element per field. */
function xml(fields: Record<string, string>): string {
	const elements = Object.entries(fields)
		.map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
		.join('');
	return `<?xml version="1.0" encoding="UTF-8"?><request>${elements}</request>`;
}

const HANGUP = {
	event: 'callhangup',
	callid: 'd125cb0395998cec9f05ebe3d2f89173',
	accountid: ACCOUNT,
	appid: APP,
	calltype: '2',
	callertype: '0',
	callernum: '13800138000',
	displaynum: '4001234567',
	caller: '61207000000015',
	calledtype: '1',
	called: '13912345678',
	starttime: '2024-01-15 09:30:00',
	stoptime: '2024-01-15 09:31:05',
	length: '65',
	recordurl: 'https://record.ucpaas.com/2024/01/15/d125cb03.mp3',
	userData: '客户 <42> & "co"',
	reason: '0',
	subreason: '2',
};

const ESTABLISH = {
	event: 'callestablish',
	callid: HANGUP.callid,
	accountid: ACCOUNT,
	appid: APP,
	calltype: '2',
	subcalltype: '0',
	callertype: '0',
	callernum: '13800138000',
	caller: '61207000000015',
	calledtype: '1',
	called: '13912345678',
};

const CALLREQ = { event: 'callreq', callid: HANGUP.callid, accountid: ACCOUNT, appid: APP, calltype: '2', caller: '61207000000015', called: '13912345678' };

function post(body: string | Uint8Array | undefined, settings: Partial<PushSettings> = {}): PushVerdict {
	return handlePush({ method: 'POST', body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body }, { ...SETTINGS, ...settings });
}

function accepted(verdict: PushVerdict) {
	if (!verdict.ok) throw new Error(`refused ${verdict.status}: ${verdict.reason}`);
	return verdict;
}

describe('accepted pushes are normalised', () => {
	test('callhangup: times in +08:00, duration as a number, reason texts, escaped Chinese userData, recording', () => {
		const verdict = accepted(post(xml(HANGUP)));
		expect(verdict).toMatchObject({ status: 200, contentType: 'text/xml;charset=utf-8', reply: OK_REPLY, emit: true });
		expect(verdict.event).toEqual({
			event: 'callhangup',
			callId: 'd125cb0395998cec9f05ebe3d2f89173',
			caller: '61207000000015',
			callerNumber: '13800138000',
			callee: '13912345678',
			displayNumber: '4001234567',
			startTime: '2024-01-15T09:30:00+08:00',
			stopTime: '2024-01-15T09:31:05+08:00',
			durationSeconds: 65,
			reason: { code: 0, text: 'Normal hang-up' },
			subreason: { code: 2, text: 'Callee hung up' },
			userData: '客户 <42> & "co"',
			recordingUrl: 'https://record.ucpaas.com/2024/01/15/d125cb03.mp3',
			hasRecording: true,
			accountId: ACCOUNT,
			appId: APP,
			raw: HANGUP,
		});
	});

	test('callhangup: a recordurl of only spaces is no recording; one with spaces around it is trimmed', () => {
		expect(accepted(post(xml({ ...HANGUP, recordurl: '   ' }))).event).toMatchObject({ recordingUrl: null, hasRecording: false });
		expect(accepted(post(xml({ ...HANGUP, recordurl: ' https://record.ucpaas.com/a.mp3 ' }))).event).toMatchObject({
			recordingUrl: 'https://record.ucpaas.com/a.mp3',
			hasRecording: true,
		});
	});

	test('callestablish: fields it does not carry are null, never missing', () => {
		const { event } = accepted(post(xml(ESTABLISH)));
		expect(event).toMatchObject({
			event: 'callestablish',
			callId: HANGUP.callid,
			caller: '61207000000015',
			callee: '13912345678',
			displayNumber: null,
			startTime: null,
			stopTime: null,
			durationSeconds: null,
			reason: null,
			subreason: null,
			userData: null,
			recordingUrl: null,
			hasRecording: false,
		});
		expect(Object.keys(event).sort()).toEqual(
			[
				'event', 'callId', 'caller', 'callerNumber', 'callee', 'displayNumber', 'startTime', 'stopTime', 'durationSeconds',
				'reason', 'subreason', 'userData', 'recordingUrl', 'hasRecording', 'accountId', 'appId', 'raw',
			].sort(),
		);
		expect(event.raw).toEqual(ESTABLISH);
	});

	test('callreq: allowed by default; Allow Calls off answers retcode 1; Record Calls adds <record>1</record>', () => {
		expect(accepted(post(xml(CALLREQ))).reply).toBe(OK_REPLY);
		expect(accepted(post(xml(CALLREQ), { allowCalls: false })).reply).toBe(
			'<?xml version="1.0" encoding="UTF-8"?><response><retcode>1</retcode></response>',
		);
		expect(accepted(post(xml(CALLREQ), { recordCalls: true })).reply).toBe(
			'<?xml version="1.0" encoding="UTF-8"?><response><retcode>0</retcode><record>1</record></response>',
		);
	});

	test('the callreq reply follows the options even when callreq does not start the workflow', () => {
		const verdict = accepted(post(xml(CALLREQ), { events: ['callhangup'], allowCalls: false }));
		expect(verdict.emit).toBe(false);
		expect(verdict.reply).toContain('<retcode>1</retcode>');
	});

	test('the options never change the reply to other events', () => {
		for (const event of ['callestablish', 'callhangup', 'smsreport']) {
			expect(buildReply(event, { allowCalls: false, recordCalls: true })).toBe(OK_REPLY);
		}
	});

	test.each(Object.entries(HANGUP_REASONS))('reason %s reads "%s"', (code, text) => {
		const { event } = accepted(post(xml({ ...HANGUP, reason: code, subreason: '0' })));
		expect(event.reason).toEqual({ code: Number(code), text });
		expect(event.subreason).toEqual({ code: 0, text: null });
	});

	test('an undocumented reason keeps its code; subreason texts only apply to a normal hang-up', () => {
		expect(accepted(post(xml({ ...HANGUP, reason: '42' }))).event.reason).toEqual({ code: 42, text: null });
		expect(accepted(post(xml({ ...HANGUP, reason: '4', subreason: '1' }))).event.subreason).toEqual({ code: 1, text: null });
		expect(accepted(post(xml({ ...HANGUP, subreason: '1' }))).event.subreason).toEqual({ code: 1, text: 'Caller hung up' });
	});

	test('values that cannot be read become null while raw keeps them as sent', () => {
		const { event } = accepted(post(xml({ ...HANGUP, starttime: '2024-02-30 09:30:00', stoptime: 'yesterday', length: '-5', reason: 'x', recordurl: '', userData: '' })));
		expect(event).toMatchObject({ startTime: null, stopTime: null, durationSeconds: null, reason: null, recordingUrl: null, hasRecording: false, userData: null });
		expect(event.raw).toMatchObject({ starttime: '2024-02-30 09:30:00', stoptime: 'yesterday', length: '-5', reason: 'x', recordurl: '', userData: '' });
	});

	test('CDATA, a byte-order mark, no declaration and field names in another case are all read', () => {
		const body = `\uFEFF<request><EVENT>callhangup</EVENT><AccountId>${ACCOUNT}</AccountId><appid>${APP}</appid><userdata><![CDATA[<b>VIP</b> 王]]></userdata></request>`;
		const { event } = accepted(post(body));
		expect(event).toMatchObject({ event: 'callhangup', accountId: ACCOUNT, userData: '<b>VIP</b> 王' });
		expect(event.raw).toEqual({ EVENT: 'callhangup', AccountId: ACCOUNT, appid: APP, userdata: '<b>VIP</b> 王' });
	});

	test('fields named like Object methods are ordinary fields', () => {
		const { event } = accepted(post(xml({ ...HANGUP, toString: 'a', valueOf: 'b', hasOwnProperty: 'c' })));
		expect(event.raw).toMatchObject({ toString: 'a', valueOf: 'b', hasOwnProperty: 'c' });
		expect(event.userData).toBe(HANGUP.userData);
	});

	test('ids are compared without regard to letter case; an empty App ID accepts any app of the account', () => {
		expect(post(xml({ ...HANGUP, accountid: ACCOUNT.toUpperCase(), appid: APP.toUpperCase() })).ok).toBe(true);
		expect(post(xml({ ...HANGUP, appid: 'f'.repeat(32) }), { appId: '' }).ok).toBe(true);
	});

	test('events that are not selected, or unknown, are acknowledged with retcode 0 and not emitted', () => {
		const notSelected = accepted(post(xml(ESTABLISH), { events: ['callhangup'] }));
		expect(notSelected).toMatchObject({ status: 200, reply: OK_REPLY, emit: false });
		const unknown = accepted(post(xml({ ...HANGUP, event: 'smsreport' })));
		expect(unknown).toMatchObject({ status: 200, reply: OK_REPLY, emit: false });
		expect(unknown.event.event).toBe('smsreport');
	});
});

describe('refused pushes', () => {
	const refusal = (verdict: PushVerdict) => {
		if (verdict.ok) throw new Error('accepted');
		return verdict;
	};

	test.each([
		{ name: 'not XML at all', body: 'callhangup please', status: 400, reason: /not well-formed/ },
		{ name: 'an unclosed element', body: `<request><event>callhangup</event><accountid>${ACCOUNT}</accountid>`, status: 400, reason: /not well-formed/ },
		{ name: 'an empty body', body: '', status: 400, reason: /empty/ },
		{ name: 'only whitespace', body: ' \n ', status: 400, reason: /empty/ },
		{ name: 'another root element', body: xml(HANGUP).replace(/request>/g, 'callback>'), status: 400, reason: /root element/ },
		{ name: 'two root elements', body: `${xml(HANGUP)}<request><event>callhangup</event></request>`.replace('<?xml version="1.0" encoding="UTF-8"?>', ''), status: 400, reason: /not well-formed|root element/ },
		{ name: 'an empty <request/>', body: '<request/>', status: 400, reason: /no <event>/ },
		{ name: 'no <event>', body: xml({ ...HANGUP, event: '' }).replace('<event></event>', ''), status: 400, reason: /no <event>/ },
		{ name: 'an empty <event>', body: xml({ ...HANGUP, event: ' ' }), status: 400, reason: /no <event>/ },
		{ name: 'a repeated <accountid>', body: xml(HANGUP).replace('</request>', `<accountid>${ACCOUNT}</accountid></request>`), status: 400, reason: /repeats/ },
		{ name: 'the same field twice in another case', body: xml(HANGUP).replace('</request>', '<Event>callreq</Event></request>'), status: 400, reason: /twice/ },
		{ name: 'a field holding elements', body: xml(HANGUP).replace(`<called>${HANGUP.called}</called>`, '<called><n>1</n></called>'), status: 400, reason: /holds elements/ },
		{ name: 'text between fields', body: xml(HANGUP).replace('<callid>', 'stray<callid>'), status: 400, reason: /other than plain fields/ },
		{ name: 'a DOCTYPE', body: xml(HANGUP).replace('<request>', '<!DOCTYPE request><request>'), status: 400, reason: /DOCTYPE/ },
		{ name: 'an external entity', body: xml(HANGUP).replace('<request>', '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><request>').replace('<called>13912345678', '<called>&x;'), status: 400, reason: /DOCTYPE/ },
		{ name: 'a lower-case doctype', body: `<!doctype request>${xml(HANGUP)}`, status: 400, reason: /DOCTYPE/ },
		{ name: 'another account', body: xml({ ...HANGUP, accountid: 'ffffffffffffffffffffffffffffffff' }), status: 403, reason: /another account/ },
		{ name: 'no account', body: xml({ ...HANGUP, accountid: '' }), status: 403, reason: /another account/ },
		{ name: 'another application', body: xml({ ...HANGUP, appid: 'ffffffffffffffffffffffffffffffff' }), status: 403, reason: /another application/ },
		{ name: 'no application when one is required', body: xml({ ...HANGUP, appid: '' }), status: 403, reason: /another application/ },
	])('$name → $status', ({ body, status, reason }) => {
		const verdict = refusal(post(body));
		expect(verdict.status).toBe(status);
		expect(verdict.reason).toMatch(reason);
		expect(verdict.contentType).toBe('text/plain;charset=utf-8');
		expect(verdict.reply).toBe(`${verdict.reason}\n`);
	});

	test('a refusal never echoes the body', () => {
		const marker = 'SECRET-MARKER-7f3a';
		for (const body of [
			`<request><event>${marker}</event>`,
			xml({ ...HANGUP, accountid: marker }),
			`<!DOCTYPE ${marker}>${xml(HANGUP)}`,
			xml({ ...HANGUP, [marker]: 'x' }).replace('</request>', `<${marker}>y</${marker}></request>`),
		]) {
			const verdict = refusal(post(body));
			expect(verdict.reply).not.toContain(marker);
			expect(verdict.reason).not.toContain(marker);
		}
	});

	test('a billion-laughs payload is refused before any parsing, at no cost', () => {
		const entities = ['<!ENTITY lol0 "lol">'];
		for (let i = 1; i <= 9; i++) entities.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
		const bomb = `<?xml version="1.0"?><!DOCTYPE request [${entities.join('')}]><request><event>&lol9;</event><accountid>${ACCOUNT}</accountid></request>`;
		// Refused on the declaration itself, so no entity is ever expanded (cost is measured by
		// benchmarks, not asserted in a test, where a loaded machine would make it flaky).
		const verdict = refusal(post(bomb));
		expect(verdict).toMatchObject({ status: 400, reason: expect.stringMatching(/DOCTYPE or ENTITY/) });
	});

	test('a body over 64 KiB is refused with 413, counted in bytes', () => {
		const padding = (size: number) => xml({ ...HANGUP, userData: 'x' }).replace('</request>', `<pad>${'x'.repeat(size)}</pad></request>`);
		const base = Buffer.byteLength(padding(0));
		expect(post(padding(MAX_PUSH_BYTES - base)).ok).toBe(true);
		expect(refusal(post(padding(MAX_PUSH_BYTES - base + 1))).status).toBe(413);
		// 3 bytes per character: 22,000 characters are 66,000 bytes.
		expect(refusal(handlePush({ method: 'POST', body: xml({ ...HANGUP, userData: '王'.repeat(22_000) }) }, SETTINGS)).status).toBe(413);
	});

	test('bytes that are not UTF-8 are refused rather than guessed at', () => {
		const body = Buffer.concat([Buffer.from(xml(HANGUP).replace('</request>', '<x>')), Buffer.from([0xc3, 0x28]), Buffer.from('</x></request>')]);
		expect(refusal(post(body))).toMatchObject({ status: 400, reason: 'The body is not valid UTF-8' });
	});

	test('without the raw body nothing is guessed', () => {
		expect(refusal(post(undefined))).toMatchObject({ status: 400, reason: 'The raw body of the request is not available' });
		expect(refusal(handlePush({ method: 'POST', body: null }, SETTINGS)).status).toBe(400);
	});

	test.each(['GET', 'PUT', 'HEAD', undefined])('method %s → 405', (method) => {
		expect(refusal(handlePush({ method, body: Buffer.from(xml(HANGUP)) }, SETTINGS)).status).toBe(405);
	});

	test('deep nesting is a clean refusal, not a stack overflow', () => {
		const depth = 20_000;
		const body = `<request><event>callhangup</event><accountid>${ACCOUNT}</accountid><x>${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</x></request>`;
		expect(refusal(post(body.slice(0, MAX_PUSH_BYTES))).status).toBe(400);
	});
});

describe('seeded mutation fuzz', () => {
	const SNIPPETS = ['<', '>', '&', ';', '/', '"', "'", '<!DOCTYPE x>', '<!ENTITY a "b">', ']]>', '<![CDATA[', '&amp;', '&#0;', '&lt;', '<event>', '</event>', '<request>', '</request>', '\u0000', '\uFFFF', '王', '\n', '<?xml?>', '--><!--', '<a>'];
	const seeds = [xml(HANGUP), xml(ESTABLISH), xml(CALLREQ)];

	function mutate(text: string, random: () => number): string {
		let result = text;
		const steps = 1 + Math.floor(random() * 4);
		for (let step = 0; step < steps; step++) {
			const at = Math.floor(random() * (result.length + 1));
			switch (Math.floor(random() * 6)) {
				case 0: // delete a run
					result = result.slice(0, at) + result.slice(at + 1 + Math.floor(random() * 8));
					break;
				case 1: // insert a troublesome snippet
					result = result.slice(0, at) + SNIPPETS[Math.floor(random() * SNIPPETS.length)] + result.slice(at);
					break;
				case 2: // replace one character with any code point of the BMP
					result = result.slice(0, at) + String.fromCharCode(Math.floor(random() * 0xd7ff)) + result.slice(at + 1);
					break;
				case 3: // duplicate a slice
					result = result.slice(0, at) + result.slice(at, at + Math.floor(random() * 40)) + result.slice(at);
					break;
				case 4: // truncate
					result = result.slice(0, at);
					break;
				default: // flip the case of a run
					result = result.slice(0, at) + result.slice(at, at + 6).toUpperCase() + result.slice(at + 6);
			}
		}
		return result;
	}

	test('3,000 mutated pushes each get a clean verdict, never an exception', () => {
		const random = mulberry32(20240115);
		const outcomes: Record<string, number> = {};
		// Collected, not thrown at once: the report shows every body that broke, ready to replay.
		const exceptions: Array<{ mutation: number; body: string; error: string }> = [];
		for (let i = 0; i < 3000; i++) {
			const body = mutate(seeds[i % seeds.length], random);
			let verdict: PushVerdict;
			try {
				verdict = post(body);
			} catch (error) {
				exceptions.push({ mutation: i, body, error: String(error) });
				continue;
			}
			const key = verdict.ok ? `ok:${verdict.emit}` : String(verdict.status);
			outcomes[key] = (outcomes[key] ?? 0) + 1;
			if (verdict.ok) {
				expect(verdict.reply).toBe(OK_REPLY);
				expect(verdict.event.accountId?.toLowerCase()).toBe(ACCOUNT);
				for (const value of Object.values(verdict.event.raw)) expect(typeof value).toBe('string');
				expect(verdict.event.durationSeconds === null || Number.isSafeInteger(verdict.event.durationSeconds)).toBe(true);
			} else {
				expect([400, 403]).toContain(verdict.status);
				expect(verdict.reply).toBe(`${verdict.reason}\n`);
			}
		}
		expect(exceptions).toEqual([]);
		// The fuzz is only worth something if it reaches both sides of the parser.
		expect(outcomes['ok:true']).toBeGreaterThan(100);
		expect(outcomes['400']).toBeGreaterThan(100);
	});
});
