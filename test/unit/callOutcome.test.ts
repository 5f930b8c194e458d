import { decideResume, readWaitingCall, waitingCall, wasAnswered } from '../../nodes/shared/callOutcome';
import type { PushEventItem } from '../../nodes/shared/pushEvents';

const placedAt = new Date('2026-12-06T02:00:00Z');
const call = waitingCall(
	{ callId: 'ABC123', to: '13900000000', appId: 'app', fromClient: '60000000000000', createDate: '2026-12-06T10:00:00+08:00', userData: 'CRM-42' },
	{ maxWaitMinutes: 45, now: placedAt },
);
const hangup = (fields: Partial<PushEventItem>): PushEventItem =>
	({ event: 'callhangup', callId: 'abc123', reason: { code: 0, text: 'Normal hang-up' }, subreason: { code: 2, text: 'Callee hung up' }, durationSeconds: 61, startTime: 's', stopTime: 'e', recordingUrl: null, hasRecording: false, ...fields }) as PushEventItem;
const at = new Date(placedAt.getTime() + 95_000);

describe('what a waiting run makes of a push (callOutcome.ts)', () => {
	test('the waiting call is also the timed-out item: outcome timedOut, answered unknown, when it ends', () => {
		expect(call).toMatchObject({ outcome: 'timedOut', answered: null, callId: 'ABC123', waitTill: '2026-12-06T02:45:00.000Z', maxWaitMinutes: 45 });
		expect(readWaitingCall(JSON.parse(JSON.stringify(call)))).toEqual(call);
		expect(readWaitingCall({ outcome: 'answered' })).toBeUndefined();
		expect(readWaitingCall(null)).toBeUndefined();
	});

	test('Call Ended of the awaited call resumes with the outcome; the callId matches whatever its case', () => {
		const decision = decideResume(call, hangup({}), at);
		expect(decision).toMatchObject({
			resume: true,
			outcome: { outcome: 'answered', answered: true, callId: 'ABC123', durationSeconds: 61, hangupReason: { code: 0 }, hangupSubreason: { code: 2 }, userData: 'CRM-42', waitedSeconds: 95, startTime: 's', endTime: 'e' },
		});
	});

	test('unanswered ends: each documented reason without talk time is notAnswered, with its text', () => {
		for (const code of [1, 2, 3, 4, 5, 6, 7, 8, 9, 255]) {
			const decision = decideResume(call, hangup({ reason: { code, text: `r${code}` }, subreason: null, durationSeconds: 0 }), at);
			expect(decision).toMatchObject({ resume: true, outcome: { outcome: 'notAnswered', answered: false, hangupReason: { code } } });
			if (decision.resume) expect(decision.outcome.message).toContain(`r${code} (reason ${code})`);
		}
	});

	test('bridged means answered: a normal hang-up, or talk time after any reason (a cancel during the call)', () => {
		expect(wasAnswered({ reason: { code: 0, text: null }, durationSeconds: 0 })).toBe(true);
		expect(wasAnswered({ reason: { code: 8, text: null }, durationSeconds: 12 })).toBe(true);
		expect(wasAnswered({ reason: { code: 8, text: null }, durationSeconds: 0 })).toBe(false);
		expect(wasAnswered({ reason: null, durationSeconds: null })).toBe(false);
	});

	test('another call\'s push, or another event, keeps the run waiting and says why', () => {
		expect(decideResume(call, hangup({ callId: 'OTHER' }), at)).toEqual({ resume: false, reason: 'The push is for another call than the one this run waits for' });
		expect(decideResume(call, hangup({ callId: null }), at)).toMatchObject({ resume: false });
		expect(decideResume(call, hangup({ event: 'callestablish' }), at)).toEqual({ resume: false, reason: 'The run waits for Call Ended; callestablish does not end the wait' });
	});
});
