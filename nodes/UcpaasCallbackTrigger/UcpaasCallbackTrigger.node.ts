import type {
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { handlePush } from '../shared/pushEvents';
import { splitUserData } from '../shared/waitTag';
import { triggerProperties } from './description';
import { assertUsableSettings, readPushSettings, readWaitingRunSettings } from './settings';
import { FORWARDED_EVENTS, forwardToWaitingRun } from './waitingRuns';

/**
 * The type name pairs the trigger with UCPaaS Callback in n8n's node creator: the editor merges a
 * trigger into the node whose type is the trigger's minus "Trigger" (ucpaasCallbackTrigger →
 * ucpaasCallback), so the node's panel offers these events instead of "no triggers available".
 */
export class UcpaasCallbackTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'UCPaaS Callback Trigger',
		name: 'ucpaasCallbackTrigger',
		icon: { light: 'file:../../icons/ucpaas.svg', dark: 'file:../../icons/ucpaas.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{ ($parameter["events"] || []).map((e) => ({ callreq: "Call Request", callestablish: "Call Connected", callhangup: "Call Ended" })[e] || e).join(", ") }}',
		// What it triggers on, and nothing else: a reviewer (and n8n's node creator, under the trigger
		// list of the merged "UCPaaS Callback" entry) reads a trigger's description as its events.
		description: 'Starts the workflow when UCPaaS pushes a call event of a two-way callback call: call request, call connected or call ended',
		defaults: { name: 'UCPaaS Callback Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'ucpaasApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		eventTriggerDescription: 'Waiting for UCPaaS to push a call event to the Test URL',
		activationMessage: 'UCPaaS pushes sent to the Production URL now start this workflow.',
		properties: triggerProperties,
	};

	/**
	 * UCPaaS has no API for push addresses: the user pastes the URL in the console. So there is
	 * nothing to register or remove; activation checks what can be checked offline instead.
	 */
	webhookMethods = {
		default: {
			// Nothing remote can be asked, so report "missing" and let create run its checks each time.
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const credentials = await this.getCredentials('ucpaasApi');
				try {
					assertUsableSettings((name, fallback) => this.getNodeParameter(name, fallback), credentials);
				} catch (error) {
					throw new NodeOperationError(this.getNode(), (error as Error).message);
				}
				return true;
			},
			// The console keeps the address until the user removes it; pushes then meet n8n's 404.
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = this.getRequestObject();
		const credentials = await this.getCredentials('ucpaasApi');
		const settings = readPushSettings((name, fallback) => this.getNodeParameter(name, fallback), credentials);
		const verdict = handlePush({ method: request.method, body: request.rawBody }, settings);

		// Replying here, not through n8n's response modes, is what keeps the bytes exactly as the platform expects.
		const response = this.getResponseObject();
		response.writeHead(verdict.status, { 'Content-Type': verdict.contentType, 'Cache-Control': 'no-store' });
		response.end(verdict.reply);

		if (!verdict.ok) return { noWebhookResponse: true };

		// A call placed by Place Callback and Wait: its User Data ends with the waiting run's reference.
		const { own, reference } = splitUserData(verdict.event.userData);
		const event = { ...verdict.event, userData: own };
		const forwarding = readWaitingRunSettings((name, fallback) => this.getNodeParameter(name, fallback));
		const waitingRun =
			reference && forwarding.forward && FORWARDED_EVENTS.includes(event.event)
				? await forwardToWaitingRun(this, reference, event, { credentials, waitingBaseUrl: forwarding.waitingBaseUrl })
				: undefined;

		if (!verdict.emit) return { noWebhookResponse: true };
		return { noWebhookResponse: true, workflowData: [[{ json: waitingRun ? { ...event, waitingRun } : event }]] };
	}
}
