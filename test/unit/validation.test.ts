import {
	InvalidFieldError,
	normaliseAppId,
	normaliseClientNumber,
	normaliseMaxAllowTime,
	normaliseMobileNumber,
	normalisePhoneNumber,
	normaliseRingtoneId,
	normaliseUserData,
} from '../../nodes/shared/validation';

const to = { label: 'Callee Number', name: 'to' };

describe('normalisePhoneNumber', () => {
	test.each([
		['13800138000', '13800138000'],
		[13800138000, '13800138000'],
		['  13800138000 ', '13800138000'],
		['+86 138 0013 8000', '13800138000'],
		['0086-138-0013-8000', '13800138000'],
		['+8613800138000', '13800138000'],
		['１３８００１３８０００', '13800138000'],
		['＋８６１３８００１３８０００', '13800138000'],
		['(0755) 1234-5678', '075512345678'],
		['+86 755 1234 5678', '075512345678'],
		['+86 10 1234 5678', '01012345678'],
		['+86 400 123 4567', '4001234567'],
		['+1 415 555 0100', '0014155550100'],
		['95555', '95555'],
	])('%p → %s', (input, expected) => {
		expect(normalisePhoneNumber(input, to)).toBe(expected);
	});

	test.each([
		[''],
		['   '],
		[undefined],
		['abc'],
		['1380013800a'],
		['1234'],
		['1'.repeat(21)],
		['138\r\n00138000'.replace(/\s/g, '\u0000')],
		['13800138000\u0000'],
		['<to>13800138000</to>'],
		['13800138000;DROP'],
		['📞13800138000'],
		['x'.repeat(10000)],
		[null],
		[{ phone: '13800138000' }],
		[['13800138000']],
		[true],
		[1.5],
		[-13800138000],
		[Number.NaN],
	])('refuses %p with an error naming the field', (input) => {
		expect(() => normalisePhoneNumber(input, to)).toThrow(InvalidFieldError);
		expect(() => normalisePhoneNumber(input, to)).toThrow(/"Callee Number" \(to\)/);
	});

	test('quotes a huge rejected value only briefly', () => {
		const error = (() => {
			try {
				normalisePhoneNumber('9'.repeat(5000) + 'x', to);
			} catch (e) {
				return e as Error;
			}
			return undefined;
		})();
		expect(error?.message.length).toBeLessThan(300);
	});
});

describe('other fields', () => {
	const f = { label: 'F', name: 'f' };

	test('mobile numbers must be Chinese mobiles', () => {
		expect(normaliseMobileNumber('+86 13800138000', f)).toBe('13800138000');
		expect(() => normaliseMobileNumber('075512345678', f)).toThrow(/Chinese mobile/);
	});

	test('Client numbers are 14 digits, and a mobile in their place gets a hint', () => {
		expect(normaliseClientNumber(' 61207000000015 ', f)).toBe('61207000000015');
		expect(() => normaliseClientNumber('13800138000', f)).toThrow(/looks like a mobile number/);
		expect(() => normaliseClientNumber('6120700000001x', f)).toThrow(/14 digits/);
	});

	test('App IDs are 32 hex characters', () => {
		expect(normaliseAppId('b23abb6d451346efa13370172d1921ef', f)).toBe('b23abb6d451346efa13370172d1921ef');
		expect(() => normaliseAppId('b23abb6d451346efa13370172d1921e', f)).toThrow(InvalidFieldError);
		expect(() => normaliseAppId('', f)).toThrow(/is required/);
	});

	test.each([
		[60, '60'],
		['120', '120'],
		[' 3600 ', '3600'],
		['', undefined],
		[0, undefined],
		[undefined, undefined],
	])('maxallowtime %p → %p', (input, expected) => {
		expect(normaliseMaxAllowTime(input, f)).toBe(expected);
	});

	test.each([[59], [90], ['910'], [-60], ['60s'], [60.5], ['1e3'], [{}]])('maxallowtime refuses %p', (input) => {
		expect(() => normaliseMaxAllowTime(input, f)).toThrow(InvalidFieldError);
	});

	test('userData: 128 bytes of UTF-8 at most, no control characters', () => {
		expect(normaliseUserData('crm-42', f)).toBe('crm-42');
		expect(normaliseUserData('a'.repeat(128), f)).toHaveLength(128);
		expect(normaliseUserData('客'.repeat(42), f)).toHaveLength(42);
		expect(() => normaliseUserData('客'.repeat(43), f)).toThrow(/129 bytes/);
		expect(() => normaliseUserData('a\r\nb', f)).toThrow(/control characters/);
		expect(normaliseUserData('<>&"\' ]]>', f)).toBe('<>&"\' ]]>');
		expect(normaliseUserData('🙂', f)).toBe('🙂');
		expect(normaliseUserData(42, f)).toBe('42');
		expect(() => normaliseUserData({ id: 1 }, f)).toThrow(/an object/);
		expect(() => normaliseUserData(null, f)).toThrow(/null/);
	});

	test('ringtone ids are plain tokens', () => {
		expect(normaliseRingtoneId('ring_01', f)).toBe('ring_01');
		expect(normaliseRingtoneId('', f)).toBeUndefined();
		expect(() => normaliseRingtoneId('a b', f)).toThrow(InvalidFieldError);
	});
});
