import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { field, InvalidFieldError } from '../../shared/validation';
import { joinUserData, ownUserDataBudget, resumeTokenOf, type WaitReference } from '../../shared/waitTag';

/**
 * This execution's resume reference, read from n8n itself: its id, and the token that n8n puts in
 * `$execution.resumeUrl` on the lines that check one. Refuses, before anything is sent, where
 * waiting could never be resumed.
 */
export function readWaitReference(this: IExecuteFunctions): WaitReference {
	const executionId = this.getExecutionId();
	const node = this.getNode();
	if (typeof executionId !== 'string' || executionId === '' || executionId === '__UNKNOWN__') {
		throw new NodeOperationError(node, 'Place Callback and Wait needs an n8n execution to wait in, and this run has none', {
			description: 'This happens when the node runs outside a saved workflow\'s execution (for example as a tool called through an MCP server). Use Place Callback there.',
		});
	}
	const token = resumeTokenOf(String(this.evaluateExpression('{{ $execution.resumeUrl }}', 0)));
	if (token.kind === 'unknown') {
		throw new NodeOperationError(node, 'This n8n signs its resume addresses in a form this version of the package cannot carry', {
			description: 'Nothing was sent. Place Callback and Wait could not be resumed on this n8n; update n8n-nodes-ucpaas, or use Place Callback with the trigger\'s own workflow.',
		});
	}
	return { executionId, ...(token.kind === 'token' ? { resumeToken: token.token } : {}) };
}

/** The User Data to send: the user's own, then the reference; the user's part must leave room for it. */
export function userDataWithWaitReference(this: IExecuteFunctions, own: string | undefined): string {
	const reference = readWaitReference.call(this);
	const budget = ownUserDataBudget(reference);
	if (own !== undefined && Buffer.byteLength(own, 'utf8') > budget) {
		throw new InvalidFieldError(
			field('User Data', 'userData'),
			`must be at most ${budget} bytes with Place Callback and Wait (the rest of the platform's 128 carries the reference that resumes this execution); got ${Buffer.byteLength(own, 'utf8')} bytes`,
		);
	}
	return joinUserData(own, reference);
}
