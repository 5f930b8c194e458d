import type { INodeProperties } from 'n8n-workflow';

/** The trigger's panel. No API registers a push URL, so the panel says where to paste it. */
export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			'UCPaaS has no API to register this URL, so paste it yourself: open "Webhook URLs" at the top of this panel, copy the Production URL into the UCPaaS console as your application\'s push (callback) address (console: 应用管理), then publish this workflow (on n8n 1.x: switch it to Active). To try it first, paste the Test URL there instead and click "Execute step" (or "Test this trigger" on the canvas).',
		name: 'pushUrlNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'App ID',
		name: 'appId',
		type: 'string',
		default: '',
		placeholder: "Leave empty for the credential's default",
		description:
			'Only pushes for this UCPaaS application start the workflow. Leave empty to use the Default App ID of the credential; when both are empty, pushes for any application of the account are accepted.',
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: [
			{
				name: 'Call Connected',
				value: 'callestablish',
				description: 'The callee answered and both phones are bridged',
			},
			{
				name: 'Call Ended',
				value: 'callhangup',
				description: 'The call detail record: times, duration, why it ended, and the User Data of the call',
			},
			{
				name: 'Call Request',
				value: 'callreq',
				description: 'UCPaaS asks before placing a call. The reply follows the Allow Calls option whether or not this event is selected.',
			},
		],
		default: ['callhangup'],
		required: true,
		description: 'Which pushes start the workflow. Pushes for other events are acknowledged but start nothing.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Allow Calls',
				name: 'allowCalls',
				type: 'boolean',
				default: true,
				description:
					'Whether to let calls go ahead when UCPaaS asks (Call Request push). Off answers retcode 1, which refuses the call: the call then ends with reason 9. The platform documents retcode 0 as "allow"; that a non-zero value refuses is inferred, not documented.',
			},
			{
				displayName: 'Forward to Waiting Runs',
				name: 'forwardToWaitingRuns',
				type: 'boolean',
				default: true,
				description:
					'Whether to hand the Call Ended push of a call placed by Place Callback and Wait on to the execution waiting for it (on this n8n), besides starting this workflow',
			},
			{
				displayName: 'Record Calls',
				name: 'recordCalls',
				type: 'boolean',
				default: false,
				description:
					'Whether to ask UCPaaS to record calls, by adding &lt;record&gt;1&lt;/record&gt; to the reply to a Call Request push. Inferred from the vendor\'s SDKs, not documented; the recording URL then arrives in the Call Ended push.',
			},
			{
				displayName: 'Waiting Webhook Base URL',
				name: 'waitingBaseUrl',
				type: 'string',
				default: '',
				placeholder: 'e.g. https://n8n.example.com/webhook-waiting',
				description:
					'Where this n8n resumes waiting executions. Leave empty to work it out from this trigger\'s URL; set it only if N8N_ENDPOINT_WEBHOOK or N8N_ENDPOINT_WEBHOOK_WAIT were changed.',
			},
		],
	},
];
