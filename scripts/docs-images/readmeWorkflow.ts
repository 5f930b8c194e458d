/**
 * The workflow the README's pictures show: a lead asks for a call on a web form, the UCPaaS
 * Callback node rings the sales phone and then the lead, and the callId is kept; when the call
 * ends, the UCPaaS Callback Trigger receives the hang-up and the workflow branches on whether the
 * lead answered. The web form's request is pinned on the Webhook node, so Execute step runs
 * against it without anyone posting the form.
 */
import { DEFAULT_ACCOUNT } from '../../sandbox';

export const WORKFLOW_NAME = 'Call new leads back';
export const WEBHOOK_NODE = 'Lead asks for a call';
export const CALLBACK_NODE = 'Call the lead back';
export const SAVE_NODE = 'Keep the call ID';

export const LEAD = { leadId: 'crm-lead-42', name: 'Wang Fang', phone: '13912345678' };

interface Credential {
	id: string;
	name: string;
}

const assignment = (id: string, name: string, value: string) => ({ id, name, value, type: 'string' });

/** An Edit Fields (Set) node that sets string fields: the workflow's stand-in for a CRM update. */
function setFields(id: string, name: string, position: [number, number], fields: Array<[name: string, value: string]>) {
	return {
		id,
		name,
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position,
		parameters: { assignments: { assignments: fields.map(([field, value], index) => assignment(`${id}-${index}`, field, value)) }, options: {} },
	};
}

export function readmeWorkflow(credential: Credential) {
	const ucpaasApi = { id: credential.id, name: credential.name };
	return {
		name: WORKFLOW_NAME,
		nodes: [
			{
				id: '0b7f0c4e-1a43-4c5e-9a51-000000000001',
				name: WEBHOOK_NODE,
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: '0b7f0c4e-1a43-4c5e-9a51-0000000000a1',
				parameters: { httpMethod: 'POST', path: 'new-lead', options: {} },
			},
			{
				id: '0b7f0c4e-1a43-4c5e-9a51-000000000002',
				name: CALLBACK_NODE,
				type: 'n8n-nodes-ucpaas.ucpaasCallback',
				typeVersion: 1,
				position: [240, 0],
				credentials: { ucpaasApi },
				parameters: {
					resource: 'call',
					operation: 'placeCall',
					to: '={{ $json.body.phone }}',
					callerType: 'clientNumber',
					fromClient: DEFAULT_ACCOUNT.clientNumber,
					options: { userData: '={{ $json.body.leadId }}', maxallowtime: 600 },
				},
			},
			setFields('0b7f0c4e-1a43-4c5e-9a51-000000000003', SAVE_NODE, [480, 0], [
				['callId', '={{ $json.callId }}'],
				['leadId', '={{ $json.userData }}'],
			]),
			{
				id: '0b7f0c4e-1a43-4c5e-9a51-000000000004',
				name: 'When the call ends',
				type: 'n8n-nodes-ucpaas.ucpaasCallbackTrigger',
				typeVersion: 1,
				position: [0, 260],
				webhookId: '0b7f0c4e-1a43-4c5e-9a51-0000000000a4',
				credentials: { ucpaasApi },
				parameters: { events: ['callhangup'], options: {} },
			},
			{
				id: '0b7f0c4e-1a43-4c5e-9a51-000000000005',
				name: 'Did the lead answer?',
				type: 'n8n-nodes-base.if',
				typeVersion: 2.2,
				position: [240, 260],
				parameters: {
					conditions: {
						options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
						conditions: [{ id: 'c1', leftValue: '={{ $json.durationSeconds }}', rightValue: 0, operator: { type: 'number', operation: 'gt' } }],
						combinator: 'and',
					},
					options: {},
				},
			},
			setFields('0b7f0c4e-1a43-4c5e-9a51-000000000006', 'Mark the lead reached', [480, 180], [
				['leadId', '={{ $json.userData }}'],
				['status', 'reached'],
			]),
			setFields('0b7f0c4e-1a43-4c5e-9a51-000000000007', 'Try again tomorrow', [480, 340], [
				['leadId', '={{ $json.userData }}'],
				['status', 'retry'],
			]),
		],
		connections: {
			[WEBHOOK_NODE]: { main: [[{ node: CALLBACK_NODE, type: 'main', index: 0 }]] },
			[CALLBACK_NODE]: { main: [[{ node: SAVE_NODE, type: 'main', index: 0 }]] },
			'When the call ends': { main: [[{ node: 'Did the lead answer?', type: 'main', index: 0 }]] },
			'Did the lead answer?': {
				main: [[{ node: 'Mark the lead reached', type: 'main', index: 0 }], [{ node: 'Try again tomorrow', type: 'main', index: 0 }]],
			},
		},
		pinData: {
			[WEBHOOK_NODE]: [{ json: { headers: { 'content-type': 'application/json' }, params: {}, query: {}, body: LEAD } }],
		},
		settings: { executionOrder: 'v1' },
	};
}
