/**
 * Public shapes of the sandbox. Kept apart from the implementation so tests, the demo and the CLI
 * can import types without pulling in the server.
 */

export type WireFormat = 'json' | 'xml';

export type AccountStatus = 'active' | 'closed' | 'notActivated' | 'locked';

export interface ClientSeed {
	clientNumber: string;
	/** Empty or absent = a Client not bound to a phone (callBack answers 104101). */
	mobile?: string;
	friendlyName?: string;
	balance?: number;
	clientPwd?: string;
}

export interface AppSeed {
	appId: string;
	/** false = a test application: may only call whitelisted numbers and may not create Clients. */
	online?: boolean;
	whitelist?: string[];
	pushUrl?: string;
	clients?: ClientSeed[];
}

export interface AccountSeed {
	accountSid: string;
	authToken: string;
	status?: AccountStatus;
	balance?: number;
	friendlyName?: string;
	apps: AppSeed[];
}

export type CallOutcome = 'answered' | 'rejected' | 'noAnswer' | 'noBalance' | 'unreachable';

export interface CallSimulation {
	outcome: CallOutcome;
	/** Reported `length` of an answered call; the real wait is `delays.talkMs`. */
	talkSeconds?: number;
	delays?: { ringMs?: number; talkMs?: number };
	hangupBy?: 'caller' | 'callee';
	/**
	 * Record an answered call even when no callreq reply asked for it (`<record>1</record>`), as an
	 * application set to record everything in the vendor console would. Default false.
	 */
	record?: boolean;
	/**
	 * The call goes on, but none of its pushes is sent: a push address missing or wrong in the
	 * console, or pushes lost on the way. Default false.
	 */
	pushesLost?: boolean;
}

export interface ResolvedCallSimulation {
	outcome: CallOutcome;
	talkSeconds: number;
	delays: { ringMs: number; talkMs: number };
	hangupBy: 'caller' | 'callee';
	record: boolean;
	pushesLost: boolean;
}

export interface SandboxOptions {
	host?: string;
	port?: number;
	accounts?: AccountSeed[];
	now?: () => Date;
	seed?: number;
	pushUrl?: string;
	/** Default simulation of every call; any field left out keeps its default. */
	call?: Partial<CallSimulation>;
	/** Default: true under jest (JEST_WORKER_ID set), false otherwise. */
	quiet?: boolean;
	/** How old a signature timestamp may be (the platform documents 50 minutes). */
	maxTimestampAgeMs?: number;
	/** How far in the future a timestamp may be (our guess: 5 minutes). */
	maxTimestampFutureMs?: number;
	/** A push receiver that does not answer within this time counts as failed (default 5000). */
	pushTimeoutMs?: number;
	/** Where log lines go when not quiet (default console.log). */
	log?: (line: string) => void;
	/** Serve recordings without Content-Length (chunked), as a streaming server might. Default false. */
	recordingChunked?: boolean;
}

export interface Verdict {
	/** '' when no respCode was answered (HTTP-level reply, or a fault that replaced the reply). */
	respCode: string;
	ok: boolean;
	reason?: string;
}

export interface RecordedRequest {
	method: string;
	/** Path as sent, without the query string. */
	path: string;
	query: Record<string, string>;
	/** Lower-case header names. */
	headers: Record<string, string>;
	body: string;
	/** Format of the reply (and of the body, for a consistent client). */
	format: WireFormat;
	verdict: Verdict;
	at: Date;
	/** Set when an account's auth token was found in the request and replaced by "[redacted]". */
	redacted?: true;
}

export type Fault =
	| { kind: 'latency'; ms: number }
	| { kind: 'status'; status: number; body?: string; contentType?: string }
	| { kind: 'emptyBody' }
	| { kind: 'malformed' }
	| { kind: 'html' }
	| { kind: 'reset' }
	| { kind: 'hang' }
	| { kind: 'respCode'; code: string }
	| { kind: 'outcome'; call: Partial<CallSimulation> };

export type FaultKind = Fault['kind'];

export interface FaultMatch {
	/** Substring of the request path. */
	path?: string;
	/** Exact `to` field of the request body (callBack). */
	to?: string;
	method?: string;
}

export interface FaultRule {
	match?: FaultMatch;
	fault: Fault;
	/** How many requests the rule applies to; unlimited when absent. */
	times?: number;
	/**
	 * Let the platform handle the request first (a call really gets placed), then spoil the reply:
	 * the "call placed but the answer was lost" case. Default false: the fault replaces handling.
	 */
	processFirst?: boolean;
}

export type PushEvent = 'callreq' | 'callestablish' | 'callhangup';

export interface PushRecord {
	url: string;
	event: PushEvent;
	callId: string;
	body: string;
	/** HTTP status of the receiver's reply; null when delivery failed. */
	status: number | null;
	reply: string;
	/** `<retcode>` of the reply, when it had one. */
	retcode?: string;
	error?: string;
	at: Date;
}

export type CallState = 'ringing' | 'talking' | 'ended';

export interface SimulatedCall {
	callId: string;
	accountSid: string;
	appId: string;
	fromClient: string;
	/** The mobile bound to fromClient: the phone rung first. */
	callerMobile: string;
	to: string;
	fromSerNum?: string;
	toSerNum?: string;
	maxallowtime?: number;
	userData?: string;
	ringtoneID?: string;
	createDate: string;
	simulation: ResolvedCallSimulation;
	state: CallState;
	/** Events pushed (or attempted) in order. */
	events: PushEvent[];
	reason?: number;
	subreason?: number;
	length?: number;
	starttime?: string;
	stoptime?: string;
	/** The callreq reply asked for a recording (`<record>1</record>`). */
	recordRequested?: boolean;
	/** Where its recording is served (the callhangup push's `recordurl`); set when an answered call ended recorded. */
	recordUrl?: string;
	/** True once the call ended and its last push was delivered (or failed). */
	settled: boolean;
}

export interface Sandbox {
	url: string;
	port: number;
	requests: RecordedRequest[];
	clearRequests(): void;
	addFault(rule: FaultRule): void;
	clearFaults(): void;
	calls: SimulatedCall[];
	pushes: PushRecord[];
	whenCallSettled(callId: string): Promise<SimulatedCall>;
	/**
	 * What the vendor console's push (callback) address setting does: every application of the
	 * sandbox pushes to `url` from the next call on (undefined: no pushes).
	 */
	setPushUrl(url: string | undefined): void;
	stop(): Promise<void>;
}
