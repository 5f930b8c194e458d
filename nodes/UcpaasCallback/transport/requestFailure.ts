import type { FailureText, RequestEffect } from '../../shared/apiErrors';

export interface FailureFacts {
	/** What the failed request does when it gets through. */
	effect: RequestEffect;
	/** False only when the request certainly did nothing: refused by a documented respCode, or never sent. */
	mayHaveTakenEffect: boolean;
	/** The platform's answer, when it gave one. */
	respCode?: string;
	httpCode?: string;
}

/**
 * A request of one item failed, with what we know about what it did. Thrown by the transport and
 * the operations; the router turns it into n8n's NodeApiError for the item (and its facts into the
 * error item's data), so nothing below the router needs to know n8n's error classes.
 */
export class RequestFailure extends Error {
	readonly description: string;

	constructor(
		text: FailureText,
		readonly facts: FailureFacts,
	) {
		super(text.message);
		this.name = 'RequestFailure';
		this.description = text.description;
	}
}
