import type { RequestFacts } from '../faults';
import type { AccountState, SandboxState } from '../state';
import type { ResolvedCallSimulation, SimulatedCall } from '../types';
import type { ReplyValue } from '../wire';

/** What a business endpoint sees once the request is routed, signed and parsed. */
export interface EndpointContext {
	state: SandboxState;
	account: AccountState;
	query: Record<string, string>;
	/** Parsed body of a POST ({} for an empty one). */
	doc: Record<string, unknown>;
	now: Date;
	facts: RequestFacts;
	/** The simulation for a call to `to`; `viaFault` when a rule chose it. */
	simulationFor(to: string): { simulation: ResolvedCallSimulation; viaFault: boolean };
	startCall(call: SimulatedCall): void;
	cancelCall(callId: string): boolean;
}

export interface EndpointResult {
	respCode: string;
	reason?: string;
	payload?: Record<string, ReplyValue>;
}
