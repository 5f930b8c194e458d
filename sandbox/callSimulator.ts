import { readableBeijing } from './beijingTime';
import { HANGUP_REASON, HANGUP_SUBREASON, PUSH_CODES } from './defaults';
import type { PushSender } from './pushSender';
import type { SandboxState } from './state';
import type { Timers } from './timers';
import type { PushEvent, PushRecord, SimulatedCall } from './types';
import { xmlElements } from './wire';

/**
 * Plays a placed call forward in time: callreq, ringing, callestablish, talk, callhangup. Pushes
 * of one call go out strictly one after another (as the platform's do), calls run independently.
 */

interface Runtime {
	call: SimulatedCall;
	pushUrl?: string;
	/** Tail of this call's push queue: the next push waits for it. */
	queue: Promise<unknown>;
	answeredAt?: Date;
	settled: Promise<SimulatedCall>;
	resolveSettled(call: SimulatedCall): void;
}

export interface CallSimulatorDeps {
	state: SandboxState;
	now: () => Date;
	timers: Timers;
	sender: PushSender;
	pushes: PushRecord[];
	log(line: string): void;
	/** Where the recording of a call is served. */
	recordingUrl(callId: string): string;
}

export class CallSimulator {
	private readonly runtimes = new Map<string, Runtime>();

	constructor(private readonly deps: CallSimulatorDeps) {}

	start(call: SimulatedCall, pushUrl: string | undefined): void {
		let resolveSettled!: (call: SimulatedCall) => void;
		const settled = new Promise<SimulatedCall>((resolve) => (resolveSettled = resolve));
		const runtime: Runtime = { call, pushUrl, queue: Promise.resolve(), settled, resolveSettled };
		this.runtimes.set(call.callId, runtime);
		void this.run(runtime);
	}

	whenSettled(callId: string): Promise<SimulatedCall> {
		const runtime = this.runtimes.get(callId);
		if (!runtime) return Promise.reject(new Error(`no simulated call ${callId}`));
		return runtime.settled;
	}

	/** callCancel: false when the call is unknown or already over. */
	cancel(callId: string): boolean {
		const runtime = this.runtimes.get(callId);
		if (!runtime || runtime.call.state === 'ended') return false;
		this.hangUp(runtime, HANGUP_REASON.cancelled, 0);
		return true;
	}

	/** Calls still in flight at stop() resolve as they are, so nobody awaits forever. */
	stop(): void {
		for (const runtime of this.runtimes.values()) runtime.resolveSettled(runtime.call);
	}

	private async run(runtime: Runtime): Promise<void> {
		const { call } = runtime;
		const sim = call.simulation;
		if (runtime.pushUrl) {
			const record = await this.push(runtime, 'callreq');
			// Our guess at the platform: <record>1</record> in the reply asks it to record this call.
			if (/<record>\s*1\s*<\/record>/.test(record.reply)) call.recordRequested = true;
			if (hasEnded(call)) return;
			// Only an explicit refusal stops the call; an unreachable receiver does not (our guess).
			if (record.retcode !== undefined && record.retcode !== '0') {
				this.hangUp(runtime, HANGUP_REASON.refusedAtCallreq, 0);
				return;
			}
		}
		await this.deps.timers.delay(sim.delays.ringMs);
		if (hasEnded(call)) return;
		if (sim.outcome !== 'answered') {
			this.hangUp(runtime, HANGUP_REASON[sim.outcome], 0);
			return;
		}
		call.state = 'talking';
		runtime.answeredAt = this.deps.now();
		if (runtime.pushUrl) void this.push(runtime, 'callestablish');
		await this.deps.timers.delay(sim.delays.talkMs);
		if (hasEnded(call)) return;
		this.hangUp(runtime, HANGUP_REASON.answered, HANGUP_SUBREASON[sim.hangupBy]);
	}

	private hangUp(runtime: Runtime, reason: number, subreason: number): void {
		const { call } = runtime;
		if (hasEnded(call)) return;
		const now = this.deps.now();
		let start = now;
		let length = 0;
		if (runtime.answeredAt) {
			start = runtime.answeredAt;
			const cap = call.maxallowtime ?? Infinity;
			// The simulated length is talkSeconds, not wall time, so CDRs are predictable in tests;
			// a cancel during the talk cuts it at the sandbox clock's elapsed time.
			const elapsed = Math.floor((now.getTime() - start.getTime()) / 1000);
			const talked =
				reason === HANGUP_REASON.answered ? call.simulation.talkSeconds : Math.max(0, Math.min(elapsed, call.simulation.talkSeconds));
			length = Math.min(talked, cap);
		}
		call.state = 'ended';
		call.reason = reason;
		call.subreason = subreason;
		call.length = length;
		call.starttime = readableBeijing(start);
		call.stoptime = readableBeijing(new Date(start.getTime() + length * 1000));
		// Only a call that talked has anything to record.
		if (runtime.answeredAt && length > 0 && (call.recordRequested || call.simulation.record)) call.recordUrl = this.deps.recordingUrl(call.callId);
		this.deps.state.releaseCallee(call);
		const settle = () => {
			call.settled = true;
			runtime.resolveSettled(call);
		};
		if (runtime.pushUrl) void this.push(runtime, 'callhangup').then(settle);
		else settle();
	}

	private push(runtime: Runtime, event: PushEvent): Promise<PushRecord> {
		const { call } = runtime;
		const url = runtime.pushUrl as string;
		call.events.push(event);
		const body = `<?xml version="1.0" encoding="UTF-8"?><request>${xmlElements(pushFields(call, event))}</request>`;
		const delivery = runtime.queue.then(async () => {
			const reply = await this.deps.sender.send(url, body);
			const record: PushRecord = { url, event, callId: call.callId, body, ...reply, at: this.deps.now() };
			const retcode = /<retcode>\s*([^<]*?)\s*<\/retcode>/.exec(reply.reply)?.[1];
			if (retcode !== undefined) record.retcode = retcode;
			this.deps.pushes.push(record);
			this.deps.log(`push ${event} ${call.callId} -> ${reply.status ?? `failed (${reply.error})`}`);
			return record;
		});
		runtime.queue = delivery;
		return delivery;
	}
}

/** A function, not an inline test: TS would keep the state narrowed across awaits. */
function hasEnded(call: SimulatedCall): boolean {
	return call.state === 'ended';
}

/** The fields of each event, in the order the platform documents them. */
function pushFields(call: SimulatedCall, event: PushEvent): Record<string, string> {
	const common = { event, callid: call.callId, accountid: call.accountSid, appid: call.appId, calltype: PUSH_CODES.calltype };
	if (event === 'callreq') {
		return { ...common, callertype: PUSH_CODES.callertype, caller: call.fromClient, called: call.to, userData: call.userData ?? '' };
	}
	if (event === 'callestablish') {
		return {
			...common,
			subcalltype: PUSH_CODES.subcalltype,
			callertype: PUSH_CODES.callertype,
			callernum: call.callerMobile,
			caller: call.fromClient,
			calledtype: PUSH_CODES.calledtype,
			called: call.to,
		};
	}
	return {
		...common,
		callertype: PUSH_CODES.callertype,
		callernum: call.callerMobile,
		displaynum: call.toSerNum ?? call.callerMobile,
		caller: call.fromClient,
		calledtype: PUSH_CODES.calledtype,
		called: call.to,
		starttime: call.starttime ?? '',
		stoptime: call.stoptime ?? '',
		length: String(call.length ?? 0),
		recordurl: call.recordUrl ?? '',
		userData: call.userData ?? '',
		reason: String(call.reason ?? ''),
		subreason: String(call.subreason ?? 0),
	};
}
