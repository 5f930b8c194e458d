import { decodeDocument, encodeBody, WireFormatError } from '../../nodes/shared/codec';
import { readResp } from '../../nodes/UcpaasCallback/transport/ucpaasRequest';

describe('encodeBody', () => {
	const fields = { appId: 'b23abb6d451346efa13370172d1921ef', fromClient: '61207000000015', to: '15012345678' };

	test('JSON wraps the fields in the root object, in order', () => {
		expect(encodeBody('json', 'callback', fields)).toBe(
			'{"callback":{"appId":"b23abb6d451346efa13370172d1921ef","fromClient":"61207000000015","to":"15012345678"}}',
		);
	});

	test('XML wraps the fields in the root element with a declaration', () => {
		expect(encodeBody('xml', 'callback', fields)).toBe(
			'<?xml version="1.0" encoding="UTF-8"?><callback><appId>b23abb6d451346efa13370172d1921ef</appId><fromClient>61207000000015</fromClient><to>15012345678</to></callback>',
		);
	});

	test('no value can break out of its field', () => {
		const hostile = { userData: '</userData><to>110</to><![CDATA[ ]]> & "\' 客户' };
		const xml = encodeBody('xml', 'callback', hostile);
		expect(decodeDocument('xml', xml)).toEqual({ callback: hostile });
		expect(xml).not.toContain('<to>');
		const json = encodeBody('json', 'callback', { userData: '","to":"110' });
		expect(JSON.parse(json)).toEqual({ callback: { userData: '","to":"110' } });
	});
});

describe('readResp', () => {
	test('reads the seed\'s XML example', () => {
		const xml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<resp>
    <respCode>000000</respCode>
    <callback>
        <createDate>20140623184315</createDate>
        <callId>60000000000008mRrDm254582</callId>
    </callback>
</resp>`;
		expect(readResp(xml, 'xml')).toEqual({
			respCode: '000000',
			callback: { createDate: '20140623184315', callId: '60000000000008mRrDm254582' },
		});
	});

	test('reads the seed\'s JSON example, whose key is written " callId "', () => {
		const json = '{ "resp": { "respCode": "000000", "callback": { "createDate": 20140918164816, " callId ": "60000000000008mRrDm254582" } } }';
		expect(readResp(json, 'json')).toEqual({
			respCode: '000000',
			callback: { createDate: 20140918164816, callId: '60000000000008mRrDm254582' },
		});
	});

	test('trusts the body over the expected format', () => {
		expect(readResp('{"resp":{"respCode":"101116"}}', 'xml').respCode).toBe('101116');
	});

	test('keeps leading zeros and long digit strings intact in XML', () => {
		expect(readResp('<resp><respCode>000000</respCode><callback><callId>00012345678901234567890</callId></callback></resp>', 'xml')).toEqual({
			respCode: '000000',
			callback: { callId: '00012345678901234567890' },
		});
	});

	test.each([
		['', 'json'],
		['   ', 'xml'],
		['{"resp":', 'json'],
		['<resp><respCode>000000</respCode>', 'xml'],
		['<html><body>502 Bad Gateway</body></html>', 'xml'],
		['{"result":"ok"}', 'json'],
		['{"resp":{"respCode":"ok"}}', 'json'],
		['[1,2]', 'json'],
		['<!DOCTYPE x [<!ENTITY a "aaaa">]><resp><respCode>&a;</respCode></resp>', 'xml'],
		['Service Unavailable', 'json'],
	] as const)('refuses %p cleanly', (body, format) => {
		expect(() => readResp(body, format)).toThrow(WireFormatError);
	});

	test('drops prototype-polluting keys', () => {
		const resp = readResp('{"resp":{"respCode":"000000","__proto__":{"polluted":true}}}', 'json');
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(Object.keys(resp)).toEqual(['respCode']);
	});
});

describe('decodeDocument', () => {
	test('decodes numeric character references, as any XML reader must', () => {
		expect(decodeDocument('xml', '<request><userData>&#20013;&#x6587;&amp;</userData></request>')).toEqual({ request: { userData: '中文&' } });
	});
});
