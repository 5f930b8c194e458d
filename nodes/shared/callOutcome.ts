import type { CodedText, PushEventItem } from './pushEvents';

/**
 * What Place Callback and Wait makes of a call: pure decisions about a waiting call and the pushes
 * forwarded to it, and the items it continues with.
 */

/** What a run continues with: an outcome from a push, or `timedOut` (WaitingCall) when none came. */
export type CallOutcomeKind = 'answered' | 'notAnswered';

/** The placed call a run waits for; also the item it continues with when no outcome comes in time. */
export type WaitingCall = {
	outcome: 'timedOut';
	answered: null;
	callId: string;
	to: string;
	appId: string;
	fromClient: string;
	createDate: string | null;
	userData: string | null;
	waitingSince: string;
	maxWaitMinutes: number;
	/** When n8n continues without an outcome: waitingSince + Max Wait. */
	waitTill: string;
	message: string;
};

/** The item a run continues with once an outcome came in. */
export type CallOutcome = {
	outcome: CallOutcomeKind;
	/** true: caller and callee were bridged. */
	answered: boolean;
	callId: string;
	to: string;
	appId: string;
	fromClient: string;
	createDate: string | null;
	userData: string | null;
	/** Talk time in seconds (0 when nobody talked). */
	durationSeconds: number;
	hangupReason: CodedText | null;
	hangupSubreason: CodedText | null;
	startTime: string | null;
	endTime: string | null;
	recordingUrl: string | null;
	hasRecording: boolean;
	/** The push the run continued on (callhangup). */
	event: string;
	resumedAt: string;
	waitedSeconds: number;
	message: string;
};

export interface PlacedCall {
	callId: string;
	to: string;
	appId: string;
	fromClient: string;
	createDate: string | null;
	userData: string | null;
}

export function waitingCall(placed: PlacedCall, options: { maxWaitMinutes: number; now: Date }): WaitingCall {
	const waitTill = new Date(options.now.getTime() + options.maxWaitMinutes * 60_000);
	return {
		outcome: 'timedOut',
		answered: null,
		...placed,
		waitingSince: options.now.toISOString(),
		maxWaitMinutes: options.maxWaitMinutes,
		waitTill: waitTill.toISOString(),
		message:
			`No Call Ended push for callId ${placed.callId} reached this execution within Max Wait (${options.maxWaitMinutes} min). ` +
			'The call was placed; whether anyone answered is not known here. Check that the UCPaaS console\'s push address is the Production URL of an active UCPaaS Callback Trigger.',
	};
}

/** Reads back the waiting call n8n kept with the execution; undefined for anything else. */
export function readWaitingCall(value: unknown): WaitingCall | undefined {
	if (typeof value !== 'object' || value === null) return undefined;
	const call = value as Partial<WaitingCall>;
	if (call.outcome !== 'timedOut' || typeof call.callId !== 'string' || typeof call.waitingSince !== 'string') return undefined;
	return call as WaitingCall;
}

export type ResumeDecision =
	| { resume: true; outcome: CallOutcome }
	/** Acknowledged, and the run keeps waiting. */
	| { resume: false; reason: string };

/** Decides what a forwarded push does to the run waiting for `call`. */
export function decideResume(call: WaitingCall, push: PushEventItem, now: Date): ResumeDecision {
	if (push.callId === null || push.callId.toLowerCase() !== call.callId.toLowerCase()) {
		// A late push of a call this node placed on an earlier lap of a loop, or another run's.
		return { resume: false, reason: 'The push is for another call than the one this run waits for' };
	}
	if (push.event === 'callhangup') return { resume: true, outcome: outcomeOfHangup(call, push, now) };
	return { resume: false, reason: `The run waits for Call Ended; ${push.event} does not end the wait` };
}

/** Bridged means answered: a normal hang-up (reason 0), or any end after talk time. */
export function wasAnswered(push: Pick<PushEventItem, 'reason' | 'durationSeconds'>): boolean {
	return push.reason?.code === 0 || (push.durationSeconds ?? 0) > 0;
}

function common(call: WaitingCall, now: Date) {
	const { callId, to, appId, fromClient, createDate, userData } = call;
	return {
		callId,
		to,
		appId,
		fromClient,
		createDate,
		userData,
		resumedAt: now.toISOString(),
		waitedSeconds: Math.max(0, Math.round((now.getTime() - Date.parse(call.waitingSince)) / 1000)),
	};
}

function outcomeOfHangup(call: WaitingCall, push: PushEventItem, now: Date): CallOutcome {
	const answered = wasAnswered(push);
	const why = push.reason ? `${push.reason.text ?? 'an undocumented reason'} (reason ${push.reason.code})` : 'no reason given';
	return {
		outcome: answered ? 'answered' : 'notAnswered',
		answered,
		...common(call, now),
		durationSeconds: push.durationSeconds ?? 0,
		hangupReason: push.reason,
		hangupSubreason: push.subreason,
		startTime: push.startTime,
		endTime: push.stopTime,
		recordingUrl: push.recordingUrl,
		hasRecording: push.hasRecording,
		event: push.event,
		message: answered
			? `Call ${call.callId} to ${call.to} was answered and lasted ${push.durationSeconds ?? 0} s; it ended: ${why}.`
			: `Call ${call.callId} to ${call.to} was not answered: ${why}.`,
	};
}

