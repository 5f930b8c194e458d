import { describeRespCode } from './respCodes';

/**
 * Readable text for the ways a UCPaaS request fails. Pure: the n8n glue wraps these into
 * NodeApiError. Messages stand on their own, because an AI agent using the node as a tool sees
 * only the message; none of them quotes a request, so no signature or header can leak.
 */
export interface FailureText {
	message: string;
	description: string;
}

export function respCodeFailure(code: string): FailureText {
	const info = describeRespCode(code);
	if (!info) {
		return {
			message: `UCPaaS refused the request with respCode ${code}, which is not in the documented table`,
			description: 'Look the code up in the UCPaaS console documentation or ask UCPaaS support.',
		};
	}
	// English in the message; the vendor's own text once, in the description, because that is
	// what the UCPaaS console and documentation show and what users search for.
	return {
		message: `UCPaaS refused the request: ${code} ${info.en}`,
		description: `${info.hint ?? `respCode ${code}: ${info.en}.`} (UCPaaS: "${info.zh}")`,
	};
}

/** What we know about a request that got no usable reply. */
export type TransportProblem =
	| { kind: 'refused' }
	| { kind: 'dns' }
	| { kind: 'timeout'; timeoutMs: number }
	| { kind: 'reset' }
	| { kind: 'httpStatus'; status: number }
	| { kind: 'unreadable'; reason: string }
	| { kind: 'other'; reason: string };

/** True when the request provably never reached the platform, so sending it again is safe. */
export function neverLeft(problem: TransportProblem): boolean {
	return problem.kind === 'refused' || problem.kind === 'dns';
}

/**
 * Said when a request that changes something may have reached the platform. Worded for placing a
 * call, where sending it again rings people twice; a cancel restates it (restateUncertainty),
 * because sending a cancel again is what the reader should do.
 */
const MAY_HAVE_ARRIVED = {
	placeCall:
		' The request may have reached UCPaaS, and the phones may be ringing. Do not send it again until the UCPaaS call records (or the Call Ended event) show it was not placed: a second attempt can ring both people twice.',
	cancelCall:
		' The cancel may have reached UCPaaS and stopped the call, or the call may still be ringing. Sending the same cancel again is safe: a call that has already ended or been cancelled answers 100108 and nothing else happens.',
};

/** The description of a transport failure, restated for a request other than placing a call. */
export function restateUncertainty(description: string, request: 'cancelCall'): string {
	return description.replace(MAY_HAVE_ARRIVED.placeCall, MAY_HAVE_ARRIVED[request]);
}

/**
 * @param changesState the request places or cancels something: when it may have arrived, the
 * user must check before running again, because a second run rings the phones again.
 */
export function transportFailure(problem: TransportProblem, baseUrl: string, changesState: boolean): FailureText {
	const uncertain = changesState ? MAY_HAVE_ARRIVED.placeCall : '';
	switch (problem.kind) {
		case 'refused':
			return {
				message: `Could not connect to UCPaaS at ${baseUrl}: the connection was refused`,
				description: 'Nothing was sent. Check the Base URL in the credential and that the host is reachable from n8n.',
			};
		case 'dns':
			return {
				message: `Could not find the UCPaaS host of ${baseUrl}`,
				description: 'Nothing was sent. Check the Base URL in the credential and the DNS settings of the n8n host.',
			};
		case 'timeout':
			return {
				message: `UCPaaS did not answer within ${problem.timeoutMs} ms`,
				description: `Raise "Timeout" in the node options if the platform is slow.${uncertain}`,
			};
		case 'reset':
			return {
				message: 'The connection to UCPaaS was closed before the reply was complete',
				description: `The network or the platform dropped the connection.${uncertain}`,
			};
		case 'httpStatus':
			return {
				message: `UCPaaS answered HTTP ${problem.status} instead of a result`,
				// "Try again later" only where nothing can have happened twice.
				description: `The platform or a proxy in front of it failed${changesState ? '.' : '; try again later.'}${uncertain}`,
			};
		case 'unreadable':
			return {
				message: `UCPaaS sent a reply that cannot be read: ${problem.reason}`,
				description: `The platform or a proxy in front of it sent something other than a UCPaaS reply.${uncertain}`,
			};
		case 'other':
			return {
				message: `The request to UCPaaS failed: ${problem.reason}`,
				description: `Check the network between n8n and UCPaaS.${uncertain}`,
			};
	}
}
