import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, IWebhookDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { decideResume, readWaitingCall, waitingCall } from '../../shared/callOutcome';
import { forwardSecretOf, openForward } from '../../shared/outcomeForward';
import { route } from './router';

/**
 * Place Callback and Wait: the call is placed by Place Callback's own code (the router, with its
 * checks, never-twice memory, repeat-call guard and errors), then the execution waits until the
 * UCPaaS Callback Trigger forwards the call's outcome, or Max Wait passes.
 *
 * n8n resumes a waiting execution once, so one run waits for one call; Loop Over Items gives each
 * lead its own wait. When n8n's own timer ends the wait, it continues with the waiting node's
 * input as its output: so the input is set to the call's "timed out" item before waiting.
 */

const show = { show: { operation: ['placeCallAndWait'] } };

/** Ringing both phones (about a minute each) and the longest call by default (Max Call Duration, 30 minutes), with room to spare. */
const DEFAULT_MAX_WAIT_MINUTES = 45;

export const placeCallAndWaitProperties: INodeProperties[] = [
	{
		displayName: 'Max Wait (Minutes)',
		name: 'maxWaitMinutes',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 7 * 24 * 60 },
		default: 45,
		description: 'How long to wait for the outcome. Then the run continues with outcome "timedOut". Leave room for ringing both phones and the longest call (Max Call Duration, 30 minutes by default).',
		displayOptions: show,
	},
	{
		displayName:
			'The outcome comes from the UCPaaS Callback Trigger: the UCPaaS console\'s push address must be the Production URL of an active (published) workflow with that trigger, on this n8n. One item per run: n8n resumes a waiting run once, so put Loop Over Items (batch size 1) before this node for a list of leads. The call is placed as with Place Callback; its User Data also carries the reference that resumes this run.',
		name: 'waitNotice',
		type: 'notice',
		default: '',
		displayOptions: show,
	},
];

/**
 * The webhook n8n calls to resume a waiting run: `$execution.resumeUrl` itself, no suffix. A
 * restart webhook is never registered anywhere (n8n skips it on activation), so this action node
 * has no webhookMethods lifecycle: that lint rule is about triggers' webhooks on a third party.
 */
export const RESUME_WEBHOOKS: IWebhookDescription[] = [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: '', restartWebhook: true }];

export async function placeCallAndWait(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	if (node.type.endsWith('Tool')) {
		throw new NodeOperationError(node, 'Place Callback and Wait cannot run as an AI agent\'s tool', {
			description: 'Nothing was sent. A tool must answer the agent at once, and this operation waits for the call to end. Give the agent Place Callback, and follow outcomes with the UCPaaS Callback Trigger.',
		});
	}
	if (items.length !== 1) {
		throw new NodeOperationError(node, `Place Callback and Wait takes one item per run; it received ${items.length}`, {
			description: 'Nothing was sent. n8n resumes a waiting execution once, so one run waits for one call. Put Loop Over Items (batch size 1) before this node to call a list of leads one after another, each with its own outcome.',
		});
	}
	const maxWaitMinutes = Number(this.getNodeParameter('maxWaitMinutes', 0, DEFAULT_MAX_WAIT_MINUTES));
	if (!Number.isFinite(maxWaitMinutes) || maxWaitMinutes < 1) {
		throw new NodeOperationError(node, `"Max Wait (Minutes)" (maxWaitMinutes) must be at least 1; got ${JSON.stringify(maxWaitMinutes)}`, { description: 'Nothing was sent.' });
	}

	const [output] = await route.call(this);
	const placed = output[0];
	// Not placed (skipped by the guard or calling hours, or an error item with Continue On Fail): nothing to wait for.
	if (!placed || typeof placed.json.callId !== 'string' || placed.json.error !== undefined) {
		return [output.map((item) => (item.json.skipped === true ? { ...item, json: { ...item.json, outcome: 'notPlaced', answered: null } } : item))];
	}

	const json = placed.json as IDataObject & { callId: string };
	const call = waitingCall(
		{
			callId: json.callId,
			to: String(json.to),
			appId: String(json.appId),
			fromClient: String(json.fromClient),
			createDate: typeof json.createDate === 'string' ? json.createDate : null,
			userData: typeof json.userData === 'string' ? json.userData : null,
		},
		{ maxWaitMinutes, now: new Date() },
	);
	// What n8n's timer resumes with, and what webhook() reads back as `$json` (see the file comment).
	this.getExecuteData().data = { main: [[{ json: call, pairedItem: { item: 0 } }]] };
	await this.putExecutionToWait(new Date(call.waitTill));
	return [[{ json: { ...json, waitingFor: 'callEnded', waitTill: call.waitTill }, pairedItem: { item: 0 } }]];
}

function reply(context: IWebhookFunctions, status: number, body: IDataObject): void {
	const response = context.getResponseObject();
	response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
	response.end(JSON.stringify(body));
}

/** A forward of the trigger reaching the waiting run: resume with the outcome, or keep waiting. */
export async function resumeOnForward(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const credentials = (await this.getCredentials('ucpaasApi')) as Record<string, unknown>;
	const now = new Date();
	// The signature first: nobody without the account's token learns anything about this run.
	const opened = openForward(this.getBodyData(), forwardSecretOf(credentials), { executionId: this.getExecutionId(), now });
	if (!opened.ok) {
		reply(this, opened.status, { resumed: false, reason: opened.reason });
		return { noWebhookResponse: true };
	}
	const call = readWaitingCall(this.evaluateExpression('{{ $json }}', 0));
	if (!call) {
		reply(this, 409, { resumed: false, reason: 'This execution is not waiting for a call' });
		return { noWebhookResponse: true };
	}
	const decision = decideResume(call, opened.forward.push, now);
	if (!decision.resume) {
		reply(this, 200, { resumed: false, reason: decision.reason });
		return { noWebhookResponse: true };
	}
	reply(this, 200, { resumed: true, outcome: decision.outcome.outcome });
	return { noWebhookResponse: true, workflowData: [[{ json: decision.outcome, pairedItem: { item: 0 } }]] };
}
