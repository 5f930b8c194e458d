import type { TransportProblem } from '../../shared/apiErrors';
import { isRecord } from '../../shared/isRecord';

const NETWORK_CODES: Record<string, TransportProblem['kind']> = {
	ECONNREFUSED: 'refused',
	ENOTFOUND: 'dns',
	EAI_AGAIN: 'dns',
	ECONNRESET: 'reset',
	EPIPE: 'reset',
	ERR_STREAM_PREMATURE_CLOSE: 'reset',
	ETIMEDOUT: 'timeout',
	ECONNABORTED: 'timeout',
	ERR_CANCELED: 'other',
};

/**
 * What n8n's HTTP helper (or a stream it returned) threw, as a TransportProblem. Finds the
 * Node.js/axios error code however n8n wrapped it: n8n's NodeApiError keeps it in `httpCode` and
 * drops the original error, other layers keep it in `code` or `cause`.
 */
export function classifyTransportError(error: unknown, timeoutMs: number): TransportProblem {
	let current: unknown = error;
	for (let depth = 0; depth < 6 && isRecord(current); depth++) {
		const code = [current.code, current.httpCode].find((value): value is string => typeof value === 'string' && value in NETWORK_CODES);
		const kind = code ? NETWORK_CODES[code] : undefined;
		if (kind === 'timeout') return { kind, timeoutMs };
		if (kind === 'other') return { kind, reason: 'the execution was cancelled' };
		if (kind) return { kind } as TransportProblem;
		// axios reports a body cut off mid-way as ERR_BAD_RESPONSE "stream has been aborted".
		if (typeof current.message === 'string' && /socket hang up|stream has been aborted|aborted/i.test(current.message)) return { kind: 'reset' };
		current = current.cause ?? current.error;
	}
	return { kind: 'other', reason: 'the network request did not complete' };
}
