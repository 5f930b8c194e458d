/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tool code: reads the e2e fixture the picture shows, beside this file
/**
 * The workflows docs/images/place-and-wait.png shows and needs, for docs/place-and-wait.md:
 *   - the lead workflow: test/e2e/workflows/place-and-wait.json as it is (Lead Arrives → Leads →
 *     Each Lead (Loop Over Items) → Call and Wait → Answered? → Answered / Not Answered → back to
 *     the loop), with the picture's credential, the middle row moved down so that no two edge
 *     labels overlap on the canvas, and the CRM's request pinned on the Webhook node so that
 *     Execute workflow runs it without anyone posting it;
 *   - the trigger workflow whose Production URL is the console's push address: a UCPaaS Callback
 *     Trigger on Call Ended, which forwards each call's Call Ended to the waiting run.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const FIXTURE = path.resolve(__dirname, '..', '..', 'test', 'e2e', 'workflows', 'place-and-wait.json');

export const WAIT_WORKFLOW_NAME = 'Call each lead and act on the outcome';
export const WAIT_NODE = 'Call and Wait';
export const ANSWERED_NODE = 'Answered';
export const NOT_ANSWERED_NODE = 'Not Answered';
const WEBHOOK_NODE = 'Lead Arrives';

/** Three leads: the sandbox answers the first and the third; the second does not pick up (an outcome fault). */
export const WAIT_LEADS = [
	{ phone: '13912345671', leadId: 'crm-lead-51' },
	{ phone: '13912345672', leadId: 'crm-lead-52' },
	{ phone: '13912345673', leadId: 'crm-lead-53' },
];
export const UNANSWERED_LEAD = WAIT_LEADS[1];

export const TRIGGER_WORKFLOW_NAME = 'UCPaaS pushes (forwards Call Ended to waiting runs)';
export const TRIGGER_WEBHOOK_ID = '0b7f0c4e-1a43-4c5e-9a51-0000000000b1';

/** Where the picture puts the nodes the fixture has closer together (the rest stay where the fixture has them). */
const POSITIONS: Record<string, [number, number]> = {
	[WAIT_NODE]: [660, 200],
	'Answered?': [880, 200],
	[ANSWERED_NODE]: [1100, 0],
	[NOT_ANSWERED_NODE]: [1100, 380],
};

interface Credential {
	id: string;
	name: string;
}

interface FixtureNode {
	name: string;
	position: [number, number];
	credentials?: Record<string, unknown>;
	[key: string]: unknown;
}

interface Fixture {
	nodes: FixtureNode[];
	connections: Record<string, unknown>;
	settings: Record<string, unknown>;
}

export function placeAndWaitWorkflow(credential: Credential) {
	const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Fixture;
	const nodes = fixture.nodes.map((node) => ({
		...node,
		position: POSITIONS[node.name] ?? node.position,
		...(node.credentials ? { credentials: { ucpaasApi: { id: credential.id, name: credential.name } } } : {}),
	}));
	if (!nodes.some((n) => n.name === WEBHOOK_NODE) || !nodes.some((n) => n.name === WAIT_NODE)) {
		throw new Error(`${FIXTURE} has no "${WEBHOOK_NODE}" or "${WAIT_NODE}" node any more`);
	}
	return {
		name: WAIT_WORKFLOW_NAME,
		nodes,
		connections: fixture.connections,
		settings: fixture.settings,
		pinData: { [WEBHOOK_NODE]: [{ json: { headers: { 'content-type': 'application/json' }, params: {}, query: {}, body: { leads: WAIT_LEADS } } }] },
	};
}

export function triggerWorkflow(credential: Credential) {
	return {
		name: TRIGGER_WORKFLOW_NAME,
		nodes: [
			{
				id: '0b7f0c4e-1a43-4c5e-9a51-000000000011',
				name: 'When a call ends',
				type: 'n8n-nodes-ucpaas.ucpaasCallbackTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId: TRIGGER_WEBHOOK_ID,
				credentials: { ucpaasApi: { id: credential.id, name: credential.name } },
				parameters: { events: ['callhangup'], options: {} },
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
		active: false,
	};
}
