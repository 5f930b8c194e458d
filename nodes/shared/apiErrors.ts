import { describeRespCode } from './respCodes';

/**
 * Readable text for the ways a request fails, and what each failure says about whether the
 * request took effect. Pure: the n8n glue wraps these into NodeApiError. Messages stand on their
 * own, because an AI agent using the node as a tool sees only the message; none of them quotes a
 * request, so no signature or header can leak.
 */
export interface FailureText {
	message: string;
	description: string;
}

/** What a request does on the platform when it gets through: it decides what a failure means. */
export type RequestEffect = 'none' | 'createsClient' | 'placesCall' | 'cancelsCall';

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
 * Whether a request the platform answered with this failure code may still have taken effect.
 * Documented refusals (104113 busy callee, 100001 no balance, …) did nothing; an internal error
 * (100699, 100500) or a code the table does not know may have, so it counts as "maybe".
 */
export function respCodeMayHaveTakenEffect(code: string): boolean {
	const info = describeRespCode(code);
	return info === undefined || info.mayHaveTakenEffect === true;
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

/** Who did not answer, in the words the messages need. */
export interface Peer {
	/** As the subject of a sentence: "UCPaaS", "The recording server". */
	name: string;
	/** Inside a sentence: "UCPaaS", "the recording server". */
	object: string;
	/** Where it was sought, with no query string: "UCPaaS at https://api.ucpaas.com". */
	address: string;
	/** What to check when it cannot be reached, and when its name cannot be resolved. */
	reachAdvice: string;
	dnsAdvice: string;
}

export function ucpaasPeer(baseUrl: string): Peer {
	return {
		name: 'UCPaaS',
		object: 'UCPaaS',
		address: `UCPaaS at ${baseUrl}`,
		reachAdvice: 'Check the Base URL in the credential and that the host is reachable from n8n.',
		dnsAdvice: 'Check the Base URL in the credential and the DNS settings of the n8n host.',
	};
}

/**
 * Said after a failure whose request may have reached the platform, by what that request does.
 * Each is the safe next step for its reader (a person or an AI agent): placing again can ring two
 * people twice, cancelling again is harmless, a read changes nothing.
 */
const MAY_HAVE_ARRIVED: Readonly<Record<RequestEffect, string>> = {
	none: ' Nothing changes on the platform: running the node again is safe.',
	createsClient:
		' The request may have reached UCPaaS and created a Client for this mobile; no call was placed for this item. Running the node again is safe: its lookup then finds that Client.',
	placesCall:
		' The request may have reached UCPaaS, and the phones may be ringing. Do not send it again until the UCPaaS call records (or the Call Ended event) show it was not placed: a second attempt can ring both people twice.',
	cancelsCall:
		' The cancel may have reached UCPaaS and stopped the call, or the call may still be ringing. Sending the same cancel again is safe: a call that has already ended or been cancelled answers 100108 and nothing else happens.',
};

/** The text of a request that got no usable reply, worded for what the request does. */
export function transportFailure(problem: TransportProblem, peer: Peer, effect: RequestEffect): FailureText {
	const uncertain = MAY_HAVE_ARRIVED[effect];
	switch (problem.kind) {
		case 'refused':
			return { message: `Could not connect to ${peer.address}: the connection was refused`, description: `Nothing was sent. ${peer.reachAdvice}` };
		case 'dns':
			return { message: `Could not find the host of ${peer.address}`, description: `Nothing was sent. ${peer.dnsAdvice}` };
		case 'timeout':
			return {
				message: `${peer.name} did not answer within ${problem.timeoutMs} ms`,
				description: `Raise "Timeout" in the node options if the platform is slow.${uncertain}`,
			};
		case 'reset':
			return {
				message: `The connection to ${peer.object} was closed before the reply was complete`,
				description: `The network or the platform dropped the connection.${uncertain}`,
			};
		case 'httpStatus':
			return {
				message: `${peer.name} answered HTTP ${problem.status} instead of a result`,
				// "Try again later" only where nothing can have happened twice.
				description: `The platform or a proxy in front of it failed${effect === 'none' ? '; try again later.' : '.'}${effect === 'none' ? '' : uncertain}`,
			};
		case 'unreadable':
			return {
				message: `${peer.name} sent a reply that cannot be read: ${problem.reason}`,
				description: `The platform or a proxy in front of it sent something other than a UCPaaS reply.${uncertain}`,
			};
		case 'other':
			return { message: `The request to ${peer.object} failed: ${problem.reason}`, description: `Check the network between n8n and the platform.${uncertain}` };
	}
}
