/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- the values are the fake sandbox account, not secrets */
import type { AccountSeed, CallOutcome, ResolvedCallSimulation } from './types';

export const SOFT_VERSION = '2014-06-30';

/** Fake credentials of the seeded account: published on purpose, they only open the sandbox. */
export const DEFAULT_ACCOUNT = {
	accountSid: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
	authToken: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
	appId: 'b23abb6d451346efa13370172d1921ef',
	clientNumber: '61207000000015',
	mobile: '13800138000',
};

export const DEFAULT_ACCOUNT_BALANCE = 1000;

export function defaultAccounts(): AccountSeed[] {
	return [
		{
			accountSid: DEFAULT_ACCOUNT.accountSid,
			authToken: DEFAULT_ACCOUNT.authToken,
			status: 'active',
			balance: DEFAULT_ACCOUNT_BALANCE,
			friendlyName: 'UCPaaS sandbox account',
			apps: [
				{
					appId: DEFAULT_ACCOUNT.appId,
					online: true,
					clients: [
						{
							clientNumber: DEFAULT_ACCOUNT.clientNumber,
							mobile: DEFAULT_ACCOUNT.mobile,
							friendlyName: 'sandbox caller',
						},
					],
				},
			],
		},
	];
}

/** The platform documents 50 minutes. */
export const MAX_TIMESTAMP_AGE_MS = 50 * 60_000;
/** Our guess: the platform's tolerance for clocks running ahead is undocumented. */
export const MAX_TIMESTAMP_FUTURE_MS = 5 * 60_000;

export const PUSH_TIMEOUT_MS = 5_000;

/** A guess at a sensible ceiling; the platform's limit is unknown. */
export const MAX_BODY_BYTES = 1024 * 1024;

export const USER_DATA_MAX_BYTES = 128;

/** Short on purpose: the node's tests wait for whole calls. */
export const DEFAULT_CALL: ResolvedCallSimulation = {
	outcome: 'answered',
	talkSeconds: 30,
	delays: { ringMs: 20, talkMs: 20 },
	hangupBy: 'caller',
	record: false,
	pushesLost: false,
};

/** `reason` of the callhangup push, per the platform's push documentation. */
export const HANGUP_REASON: Record<CallOutcome | 'cancelled' | 'refusedAtCallreq', number> = {
	answered: 0,
	noBalance: 1,
	unreachable: 3,
	rejected: 4,
	noAnswer: 5,
	cancelled: 8,
	refusedAtCallreq: 9,
};

/** `subreason` of a normal hang-up: who put the phone down. */
export const HANGUP_SUBREASON = { caller: 1, callee: 2 } as const;

/**
 * Type codes inside push bodies. No offline source gives their values for a two-way callback;
 * these are our guesses (2 = callback call, 0 = a Client number, 1 = an ordinary phone number).
 */
export const PUSH_CODES = { calltype: '2', subcalltype: '0', callertype: '0', calledtype: '1' };
