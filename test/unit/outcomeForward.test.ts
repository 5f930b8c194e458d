import { FORWARD_MAX_AGE_MS, forwardSecretOf, openForward, sealForward } from '../../nodes/shared/outcomeForward';

const secret = { accountSid: 'ACCOUNT1', authToken: 'token-one' };
const push = { event: 'callhangup', callId: 'c1' } as never;
const now = new Date('2026-12-06T04:00:00Z');
const sealed = (overrides: object = {}, key = secret) => sealForward({ executionId: '42', sentAt: now.toISOString(), push, ...overrides }, key);

describe('forwards from the trigger to a waiting run (outcomeForward.ts)', () => {
	test('a forward sealed with the account\'s token opens, and carries the push', () => {
		const opened = openForward(sealed(), secret, { executionId: '42', now });
		expect(opened).toEqual({ ok: true, forward: { v: 1, executionId: '42', sentAt: now.toISOString(), push } });
	});

	test('the signature never contains the token, and differs per account and per payload', () => {
		const envelope = sealed();
		expect(JSON.stringify(envelope)).not.toContain(secret.authToken);
		expect(sealed({}, { ...secret, accountSid: 'ACCOUNT2' }).signature).not.toBe(envelope.signature);
		expect(sealed({ executionId: '43' }).signature).not.toBe(envelope.signature);
	});

	test('refusals: another token, a changed payload, another execution, too old or too far ahead, not a forward, no secret', () => {
		const reasonOf = (body: unknown) => {
			const opened = openForward(body, secret, { executionId: '42', now });
			return opened.ok ? 'opened' : [opened.status, opened.reason];
		};
		expect(reasonOf(sealed({}, { ...secret, authToken: 'other' }))).toEqual([403, 'The forward is not signed with this account\'s auth token']);
		const tampered = sealed();
		expect(reasonOf({ ...tampered, payload: tampered.payload.replace('c1', 'c2') })).toEqual([403, 'The forward is not signed with this account\'s auth token']);
		expect(reasonOf(sealed({ executionId: '41' }))).toEqual([403, 'The forward is for another execution']);
		expect(reasonOf(sealed({ sentAt: new Date(now.getTime() - FORWARD_MAX_AGE_MS - 1).toISOString() }))).toEqual([403, 'The forward is stale']);
		expect(reasonOf(sealed({ sentAt: new Date(now.getTime() + FORWARD_MAX_AGE_MS + 1).toISOString() }))).toEqual([403, 'The forward is stale']);
		expect(reasonOf(sealed({ sentAt: new Date(now.getTime() - FORWARD_MAX_AGE_MS + 1000).toISOString() }))).toBe('opened');
		expect(reasonOf({ payload: 1, signature: 'x' })).toEqual([400, 'Not a forward of the UCPaaS Callback Trigger']);
		expect(openForward(sealed(), undefined, { executionId: '42', now })).toEqual({ ok: false, status: 403, reason: 'The waiting node\'s credential has no Account SID or Auth Token to check the forward with' });
	});

	test('the secret needs both the Account SID and the Auth Token', () => {
		expect(forwardSecretOf({ accountSid: ' A ', authToken: ' t ' })).toEqual({ accountSid: 'A', authToken: 't' });
		expect(forwardSecretOf({ accountSid: 'A' })).toBeUndefined();
		expect(forwardSecretOf({ authToken: 't' })).toBeUndefined();
	});
});
