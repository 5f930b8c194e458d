import { encodeWaitTag, joinUserData, ownUserDataBudget, resumeTokenOf, splitUserData, USER_DATA_MAX_BYTES } from '../../nodes/shared/waitTag';

const TOKEN = 'a1'.repeat(32);

describe('the resume reference in User Data (waitTag.ts)', () => {
	test('with n8n\'s 64-hex token the reference is 43 base64url characters, not the hex, and never a URL', () => {
		const tag = encodeWaitTag({ executionId: '1234', resumeToken: TOKEN });
		expect(tag).toMatch(/^ucw1\.1234\.[A-Za-z0-9_-]{43}$/);
		expect(tag).not.toContain('http');
		expect(splitUserData(tag)).toEqual({ own: null, reference: { executionId: '1234', resumeToken: TOKEN } });
	});

	test('without a token (n8n 1.x, 2.0) only the execution id is carried', () => {
		expect(joinUserData(undefined, { executionId: '77' })).toBe('ucw1.77');
		expect(splitUserData('ucw1.77')).toEqual({ own: null, reference: { executionId: '77' } });
	});

	test('the user\'s own User Data comes back whole, even when it contains | or looks like a reference', () => {
		for (const own of ['CRM-42', 'a|b|c', 'lead ucw1.9', '客户 42', 'x|ucw1.']) {
			const sent = joinUserData(own, { executionId: '5', resumeToken: TOKEN });
			expect(splitUserData(sent)).toEqual({ own, reference: { executionId: '5', resumeToken: TOKEN } });
		}
	});

	test('User Data without a reference is the user\'s own, untouched', () => {
		expect(splitUserData('CRM-42')).toEqual({ own: 'CRM-42' });
		expect(splitUserData('')).toEqual({ own: null });
		expect(splitUserData(null)).toEqual({ own: null });
		// A reference with a token of the wrong length is not one.
		expect(splitUserData('ucw1.5.abc')).toEqual({ own: 'ucw1.5.abc' });
	});

	test('the budget leaves exactly the platform\'s 128 bytes in all', () => {
		for (const reference of [{ executionId: '123456789', resumeToken: TOKEN }, { executionId: '1' }]) {
			const own = 'x'.repeat(ownUserDataBudget(reference));
			expect(Buffer.byteLength(joinUserData(own, reference))).toBe(USER_DATA_MAX_BYTES);
		}
		expect(ownUserDataBudget({ executionId: '123456789', resumeToken: TOKEN })).toBe(128 - (5 + 9 + 1 + 43) - 1);
	});

	test('an id that cannot travel is refused rather than cut', () => {
		expect(() => encodeWaitTag({ executionId: 'a b' })).toThrow('cannot be carried');
		expect(() => encodeWaitTag({ executionId: '1', resumeToken: 'nothex' })).toThrow('64 hexadecimal');
	});

	test('the token is read from $execution.resumeUrl; a token of another form is "unknown", never guessed', () => {
		expect(resumeTokenOf(`http://n8n/webhook-waiting/12?signature=${TOKEN}`)).toEqual({ kind: 'token', token: TOKEN });
		expect(resumeTokenOf('http://n8n/webhook-waiting/12')).toEqual({ kind: 'none' });
		expect(resumeTokenOf('http://n8n/webhook-waiting/12?signature=v2.abc')).toEqual({ kind: 'unknown' });
		expect(resumeTokenOf('not a url')).toEqual({ kind: 'unknown' });
	});
});
