import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { isRecord } from '../shared/isRecord';
import { forwardSecretOf, sealForward } from '../shared/outcomeForward';
import type { PushEventItem } from '../shared/pushEvents';
import type { WaitReference } from '../shared/waitTag';

/**
 * The trigger's second job: a push of a call placed by Place Callback and Wait carries a resume
 * reference in its User Data (waitTag.ts); the trigger hands the push on to that waiting run, at
 * n8n's own resume address, signed (outcomeForward.ts). What became of it is said in the trigger's
 * item as `waitingRun`.
 */

/**
 * Only Call Ended ends a wait, and only it carries User Data (Call Connected has none, so nothing
 * in it could name the waiting run).
 */
export const FORWARDED_EVENTS: readonly string[] = ['callhangup'];

export type WaitingRunStatus =
	/** The run continued with this push. */
	| 'resumed'
	/** The run took the push and keeps waiting (a push of another call than the one it waits for). */
	| 'stillWaiting'
	/** The run is over (finished, timed out, or continued on an earlier push). */
	| 'notWaiting'
	/** n8n or the run refused the forward (resume token, signature, credential of another account). */
	| 'refused'
	| 'failed';

export type WaitingRunForward = {
	executionId: string;
	status: WaitingRunStatus;
	httpCode: number | null;
	reason: string | null;
};

/**
 * n8n's resume address for waiting runs, from the trigger's own webhook URL (the same n8n):
 * `<base>/webhook/<webhookId>/webhook` (or `webhook-test`) becomes `<base>/webhook-waiting`.
 * Undefined when the URL has another shape (renamed endpoints): the trigger's option then names it.
 */
export function waitingBaseFromTriggerUrl(triggerUrl: string | undefined, webhookId: string | undefined): string | undefined {
	if (!triggerUrl || !webhookId) return undefined;
	const suffix = `/${webhookId}/webhook`;
	if (!triggerUrl.endsWith(suffix)) return undefined;
	const endpoint = triggerUrl.slice(0, -suffix.length);
	const cut = endpoint.lastIndexOf('/');
	if (cut < 0 || !/^webhook(-test)?$/.test(endpoint.slice(cut + 1))) return undefined;
	return `${endpoint.slice(0, cut)}/webhook-waiting`;
}

export function resumeAddress(base: string, reference: WaitReference): string {
	const url = new URL(`${base.replace(/\/+$/, '')}/${encodeURIComponent(reference.executionId)}`);
	if (reference.resumeToken) url.searchParams.set('signature', reference.resumeToken);
	return url.toString();
}

/**
 * What n8n's (or the run's) reply means. n8n answers 409 both for a run that is still running (the
 * push overtook n8n saving it as waiting: worth another try) and for one that is over.
 */
export function classifyReply(httpCode: number, body: unknown): { status: WaitingRunStatus; retry: boolean; reason: string | null } {
	const message = isRecord(body) && typeof body.message === 'string' ? body.message : null;
	const reason = isRecord(body) && typeof body.reason === 'string' ? body.reason : message;
	if (httpCode === 200 && isRecord(body) && typeof body.resumed === 'boolean') {
		return { status: body.resumed ? 'resumed' : 'stillWaiting', retry: false, reason };
	}
	if (httpCode === 409) return { status: 'notWaiting', retry: message !== null && /is running/.test(message), reason };
	if (httpCode === 404) return { status: 'notWaiting', retry: false, reason };
	if (httpCode === 401 || httpCode === 403) return { status: 'refused', retry: false, reason };
	return { status: 'failed', retry: httpCode >= 500, reason: reason ?? `HTTP ${httpCode}` };
}

/** Pauses between tries while the run is still being saved as waiting; about 15 s in all. */
const RETRY_PAUSES_MS = [250, 500, 1000, 2000, 4000, 8000];

export async function forwardToWaitingRun(
	context: IWebhookFunctions,
	reference: WaitReference,
	push: PushEventItem,
	options: { credentials: Record<string, unknown>; waitingBaseUrl: string },
): Promise<WaitingRunForward> {
	const result = (status: WaitingRunStatus, httpCode: number | null, reason: string | null): WaitingRunForward => ({ executionId: reference.executionId, status, httpCode, reason });
	const base = options.waitingBaseUrl.trim() || waitingBaseFromTriggerUrl(context.getNodeWebhookUrl('default'), context.getNode().webhookId);
	if (!base) return result('failed', null, 'The resume address of this n8n could not be worked out: set the trigger\'s Waiting Webhook Base URL option');
	const secret = forwardSecretOf(options.credentials);
	if (!secret) return result('failed', null, 'The credential has no Account SID or Auth Token to sign the forward with');
	let url: string;
	try {
		url = resumeAddress(base, reference);
	} catch {
		return result('failed', null, `The Waiting Webhook Base URL is not a URL: set it like https://n8n.example.com/webhook-waiting`);
	}

	for (let attempt = 0; ; attempt++) {
		const envelope = sealForward({ executionId: reference.executionId, sentAt: new Date().toISOString(), push }, secret);
		let httpCode: number;
		let body: unknown;
		try {
			const response = (await context.helpers.httpRequest({
				method: 'POST',
				url,
				body: envelope as unknown as IDataObject,
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: 10_000,
			})) as { statusCode: number; body: unknown };
			httpCode = response.statusCode;
			body = response.body;
		} catch (error) {
			// The address is n8n's own: an error here is a network fault, never the run's answer.
			if (attempt < RETRY_PAUSES_MS.length) {
				await sleep(RETRY_PAUSES_MS[attempt]);
				continue;
			}
			return result('failed', null, `The resume address could not be reached: ${(error as Error).message}`);
		}
		const verdict = classifyReply(httpCode, body);
		if (verdict.retry && attempt < RETRY_PAUSES_MS.length) {
			await sleep(RETRY_PAUSES_MS[attempt]);
			continue;
		}
		return result(verdict.status, httpCode, verdict.reason);
	}
}
