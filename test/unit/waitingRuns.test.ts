import { classifyReply, resumeAddress, waitingBaseFromTriggerUrl } from '../../nodes/UcpaasCallbackTrigger/waitingRuns';

const ID = '5b0e7c1e-2f43-4d8a-9c61-e2e0a0c9a501';

describe('where the trigger forwards a push, and what the answer means (waitingRuns.ts)', () => {
	test('the resume base comes from the trigger\'s own Production or Test URL, behind any path prefix', () => {
		expect(waitingBaseFromTriggerUrl(`https://n8n.example.com/webhook/${ID}/webhook`, ID)).toBe('https://n8n.example.com/webhook-waiting');
		expect(waitingBaseFromTriggerUrl(`http://127.0.0.1:5678/webhook-test/${ID}/webhook`, ID)).toBe('http://127.0.0.1:5678/webhook-waiting');
		expect(waitingBaseFromTriggerUrl(`https://example.com/n8n/webhook/${ID}/webhook`, ID)).toBe('https://example.com/n8n/webhook-waiting');
	});

	test('a renamed endpoint or another node\'s id gives no base (the option must name it), never a guess', () => {
		expect(waitingBaseFromTriggerUrl(`https://n8n.example.com/hooks/${ID}/webhook`, ID)).toBeUndefined();
		expect(waitingBaseFromTriggerUrl(`https://n8n.example.com/webhook/other/webhook`, ID)).toBeUndefined();
		expect(waitingBaseFromTriggerUrl(undefined, ID)).toBeUndefined();
	});

	test('the address carries the token as n8n\'s signature parameter, only where there is one', () => {
		expect(resumeAddress('https://n8n.example.com/webhook-waiting/', { executionId: '12', resumeToken: 'ab'.repeat(32) })).toBe(`https://n8n.example.com/webhook-waiting/12?signature=${'ab'.repeat(32)}`);
		expect(resumeAddress('https://n8n.example.com/webhook-waiting', { executionId: '12' })).toBe('https://n8n.example.com/webhook-waiting/12');
		expect(() => resumeAddress('n8n.example.com', { executionId: '12' })).toThrow();
	});

	test('replies: the run\'s own answer, n8n\'s 409 for a run still being saved (retried) or over (not), 404, refusals, faults', () => {
		expect(classifyReply(200, { resumed: true, outcome: 'answered' })).toEqual({ status: 'resumed', retry: false, reason: null });
		expect(classifyReply(200, { resumed: false, reason: 'another call' })).toEqual({ status: 'stillWaiting', retry: false, reason: 'another call' });
		expect(classifyReply(409, { message: 'The execution "12" is running already.' })).toMatchObject({ status: 'notWaiting', retry: true });
		expect(classifyReply(409, { message: 'The execution "12 has finished already.' })).toMatchObject({ status: 'notWaiting', retry: false });
		expect(classifyReply(404, { message: 'The execution "12" does not exist.' })).toMatchObject({ status: 'notWaiting', retry: false });
		expect(classifyReply(401, { error: 'Invalid token' })).toMatchObject({ status: 'refused', retry: false });
		expect(classifyReply(403, { resumed: false, reason: 'The forward is stale' })).toEqual({ status: 'refused', retry: false, reason: 'The forward is stale' });
		expect(classifyReply(502, '<html>')).toEqual({ status: 'failed', retry: true, reason: 'HTTP 502' });
	});
});
