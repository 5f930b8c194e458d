/* eslint-disable @n8n/community-nodes/no-restricted-globals -- tool code: runs in plain Node (sandbox server, tests, scripts), never inside n8n */
import { WireFormatError } from '../../nodes/shared/codec';
import { readResp } from '../../nodes/UcpaasCallback/transport/ucpaasRequest';
import { mulberry32 } from '../../sandbox/ids';

/**
 * Seeded mutation fuzz of the reply parser: thousands of damaged copies of valid UCPaaS replies,
 * each of which must give a clean result or a WireFormatError, never another exception.
 */

const VALID = {
	json: [
		'{"resp":{"respCode":"000000","callback":{"callId":"d125cb0395998cec9f05ebe3d2f89173","createDate":"20170830144344"}}}',
		'{ "resp": { "respCode": "000000", "callback": { "createDate": 20140918164816, " callId ": "60000000000008mRrDm254582" } } }',
		'{"resp":{"respCode":"100007"}}',
		'{"resp":{"respCode":"000000","client":{"clientNumber":"61207000000015","mobile":"13800138000"}}}',
	],
	xml: [
		'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><resp><respCode>000000</respCode><callback><createDate>20140623184315</createDate><callId>60000000000008mRrDm254582</callId></callback></resp>',
		'<resp><respCode>104113</respCode></resp>',
		'<resp><respCode>000000</respCode><client><clientNumber>61207000000015</clientNumber></client></resp>',
	],
};

const NASTY = ['<', '>', '&', '"', "'", '{', '}', '[', ']', ':', ',', '\u0000', '\uFEFF', '\\', '<!DOCTYPE a>', '<!ENTITY x "y">', ']]>', '&amp;', '&#0;', '__proto__', '\r\n', '😀', '中'];

function mutate(text: string, random: () => number): string {
	const chars = [...text];
	const edits = 1 + Math.floor(random() * 4);
	for (let e = 0; e < edits; e++) {
		const at = Math.floor(random() * (chars.length + 1));
		switch (Math.floor(random() * 6)) {
			case 0:
				chars.splice(at, 1);
				break;
			case 1:
				chars.splice(at, 0, NASTY[Math.floor(random() * NASTY.length)]);
				break;
			case 2:
				chars.splice(at);
				break;
			case 3:
				chars[at] = String.fromCharCode(Math.floor(random() * 0x7f));
				break;
			case 4:
				chars.splice(at, 0, ...chars.slice(Math.floor(random() * chars.length), Math.floor(random() * chars.length)));
				break;
			default:
				chars.reverse();
		}
	}
	return chars.join('');
}

test.each(['json', 'xml'] as const)('%s replies: 5,000 seeded mutations, each a clean result or a clean error', (format) => {
	const random = mulberry32(format === 'json' ? 20261124 : 11242026);
	let parsed = 0;
	let refused = 0;
	for (let n = 0; n < 5000; n++) {
		const input = mutate(VALID[format][n % VALID[format].length], random);
		try {
			const resp = readResp(input, format);
			expect(resp.respCode).toMatch(/^\d{6}$/);
			parsed++;
		} catch (error) {
			// Anything but a WireFormatError is a parser bug: name the input that caused it.
			expect({ input, error: error instanceof WireFormatError ? 'WireFormatError' : String(error) }).toEqual({ input, error: 'WireFormatError' });
			refused++;
		}
	}
	expect(parsed + refused).toBe(5000);
	expect(refused).toBeGreaterThan(1000);
	process.stdout.write(`reply fuzz (${format}): 5000 cases, ${parsed} parsed, ${refused} refused cleanly\n`);
});
