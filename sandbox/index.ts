/**
 * A local stand-in for api.ucpaas.com (REST API 2014-06-30): signing, JSON/XML, Clients,
 * two-way callback calls with their pushes, and fault injection. See sandbox/README.md.
 */
export { startSandbox } from './server';
export { DEFAULT_ACCOUNT, SOFT_VERSION } from './defaults';
export type {
	AccountSeed,
	AccountStatus,
	AppSeed,
	CallOutcome,
	CallSimulation,
	CallState,
	ClientSeed,
	Fault,
	FaultKind,
	FaultMatch,
	FaultRule,
	PushEvent,
	PushRecord,
	RecordedRequest,
	ResolvedCallSimulation,
	Sandbox,
	SandboxOptions,
	SimulatedCall,
	Verdict,
	WireFormat,
} from './types';
