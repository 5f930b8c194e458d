import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { cancelCall } from './actions/cancelCall.operation';
import { downloadRecording } from './actions/downloadRecording.operation';
import { placeCall } from './actions/placeCall.operation';
import { placeCallAndWait, placeCallAndWaitProperties, RESUME_WEBHOOKS, resumeOnForward } from './actions/placeCallAndWait';
import { route } from './actions/router';

export class UcpaasCallback implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'UCPaaS Callback',
		name: 'ucpaasCallback',
		icon: { light: 'file:../../icons/ucpaas.svg', dark: 'file:../../icons/ucpaas.dark.svg' },
		group: ['output'],
		// Version 2 switches the repeat-call guard on for new nodes; nodes saved at version 1 keep their behaviour.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{ { placeCall: "Place Callback", placeCallAndWait: "Place Callback and Wait", cancelCall: "Cancel Callback", downloadRecording: "Download Recording" }[$parameter["operation"]] }}',
		description: 'Place and cancel UCPaaS two-way callback calls (the platform rings the caller, then the callee, and bridges them), and download their recordings',
		defaults: { name: 'UCPaaS Callback' },
		// Without this n8n names a new node after its operation's action, a sentence that the canvas
		// cuts off ("Place a callback that rings the caller then th…") and expressions must quote.
		// The subtitle already says the operation; the actions still describe the AI tools.
		skipNameGeneration: true,
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'ucpaasApi', required: true }],
		// Only Place Callback and Wait uses it: the address n8n resumes a waiting run at. n8n never
		// registers a restart webhook on activation, so other operations are not affected.
		webhooks: RESUME_WEBHOOKS,
		properties: [
			// A single resource still matters: n8n builds an AI tool's automatic description from the
			// operation's `action` only when the operation sits under a `resource` property. Without
			// it, Cancel Callback was described to agents as placing a call.
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Call', value: 'call' }],
				default: 'call',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['call'] } },
				options: [
					{
						name: 'Place Callback',
						value: 'placeCall',
						action: 'Place a callback that rings the caller then the callee',
						description: 'Ring the caller, then the callee, and bridge them. Retries never place a call twice; with the repeat-call guard, neither do new executions within its window.',
					},
					{
						name: 'Place Callback and Wait',
						value: 'placeCallAndWait',
						action: 'Place a callback and wait for its outcome',
						description: 'Place the call as Place Callback does, then wait until it ends and continue with its outcome: answered or not, talk time, why it ended',
					},
					{
						name: 'Cancel Callback',
						value: 'cancelCall',
						action: 'Cancel a callback that is ringing or in progress',
						description: 'Stop a call placed by Place Callback, by its callId',
					},
					{
						name: 'Download Recording',
						value: 'downloadRecording',
						action: 'Download the recording of an ended call as a file',
						description: 'Fetch the recording of a Call Ended event (its recordingUrl) as binary data, ready for a CRM or storage node',
					},
				],
				default: 'placeCall',
			},
			...placeCall.description,
			...placeCallAndWaitProperties,
			...cancelCall.description,
			...downloadRecording.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		if (this.getNodeParameter('operation', 0) === 'placeCallAndWait') return placeCallAndWait.call(this);
		return route.call(this);
	}

	/** Called by n8n only for a run waiting in Place Callback and Wait, when the trigger forwards a push. */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return resumeOnForward.call(this);
	}
}
