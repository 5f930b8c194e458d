/**
 * The workflows of the queue-mode test, created and published over main's REST API the way
 * the editor does it (n8n 2.41):
 *   - POST /rest/credentials {name, type, data} (@n8n/api-types CreateCredentialDto): stored
 *     encrypted with the cluster's key; the workers decrypt it;
 *   - POST /rest/workflows {id, name, nodes, connections, settings} (CreateWorkflowDto), then
 *     POST /rest/workflows/:id/activate {versionId} (the versionId the create answered);
 *   - a published path is served by the webhook process: an OPTIONS request with an Origin header
 *     answers 204 with `Access-Control-Allow-Methods` naming POST once it is registered there
 *     (webhooks/webhook-request-handler.js setupCorsHeaders), and starts nothing.
 */
import { randomBytes } from 'node:crypto';

import { expectEqual, expectTrue } from '../e2e/assertions';
import { sandboxCredentialData } from '../e2e/credentials';
import type { N8nRestClient } from '../e2e/restClient';
import { sleep } from '../e2e/waitFor';

export const PLACE_WORKFLOW_ID = 'queuePlaceCall01';
export const PLACE_PATH = 'queue-place-call';
export const TRIGGER_WORKFLOW_ID = 'queueCallEvent01';
export const GUARD_WORKFLOW_ID = 'queueGuardCall01';
export const GUARD_PATH = 'queue-guarded-call';
export const WAIT_WORKFLOW_ID = 'queueCallWait001';
export const WAIT_PATH = 'queue-call-and-wait';
export const WAIT_NODE = 'Call and Wait';
export const TRIGGER_WEBHOOK_ID = '9c0f4d52-6a1e-4f3b-8d27-5e4b1a9c7d30';
export const TRIGGER_TYPE = 'n8n-nodes-ucpaas.ucpaasCallbackTrigger';
export const CALLBACK_TYPE = 'n8n-nodes-ucpaas.ucpaasCallback';
export const TRIGGER_NODE = 'UCPaaS Callback Trigger';

export const OWNER = { email: 'owner@queue.n8n-nodes-ucpaas.test', firstName: 'Queue', lastName: 'Owner', password: `Q1-${randomBytes(12).toString('base64url')}` };

interface Credential {
	id: string;
	name: string;
}

/** Webhook → UCPaaS Callback (place call, userData = the request id, Retry On Fail on) → Respond to Webhook. */
function placeWorkflow(credential: Credential) {
	return {
		id: PLACE_WORKFLOW_ID,
		name: 'queue: webhook -> UCPaaS place call -> respond',
		nodes: [
			{
				id: '3f0e2a61-0001-4d8e-9b7a-6c5d4e3f2a10',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: '3f0e2a61-0002-4d8e-9b7a-6c5d4e3f2a10',
				parameters: { httpMethod: 'POST', path: PLACE_PATH, responseMode: 'responseNode', options: {} },
			},
			{
				id: '3f0e2a61-0003-4d8e-9b7a-6c5d4e3f2a10',
				name: 'UCPaaS Callback',
				type: CALLBACK_TYPE,
				typeVersion: 1,
				position: [220, 0],
				parameters: {
					resource: 'call',
					operation: 'placeCall',
					fromClient: '61207000000015',
					to: '={{ $json.body.phone }}',
					options: { userData: '={{ $json.body.id }}', maxallowtime: 120 },
				},
				credentials: { ucpaasApi: credential },
				// As a user who keeps the HTTP-node habit would set it: the node must never ring twice for it.
				retryOnFail: true,
				maxTries: 3,
				waitBetweenTries: 1000,
			},
			{
				id: '3f0e2a61-0004-4d8e-9b7a-6c5d4e3f2a10',
				name: 'Respond to Webhook',
				type: 'n8n-nodes-base.respondToWebhook',
				typeVersion: 1.1,
				position: [440, 0],
				parameters: { respondWith: 'firstIncomingItem', options: {} },
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'UCPaaS Callback', type: 'main', index: 0 }]] },
			'UCPaaS Callback': { main: [[{ node: 'Respond to Webhook', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/**
 * Webhook → UCPaaS Callback at version 2 (a node added today: the repeat-call guard on, its
 * defaults: the callee, the whole workflow, 10 minutes) → Respond to Webhook.
 */
function guardedWorkflow(credential: Credential) {
	return {
		id: GUARD_WORKFLOW_ID,
		name: 'queue: webhook -> UCPaaS place call (repeat-call guard) -> respond',
		nodes: [
			{
				id: '5a2b7c90-0001-4e1f-8a3b-9c8d7e6f5a40',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: '5a2b7c90-0002-4e1f-8a3b-9c8d7e6f5a40',
				parameters: { httpMethod: 'POST', path: GUARD_PATH, responseMode: 'responseNode', options: {} },
			},
			{
				id: '5a2b7c90-0003-4e1f-8a3b-9c8d7e6f5a40',
				name: 'UCPaaS Callback',
				type: CALLBACK_TYPE,
				typeVersion: 2,
				position: [220, 0],
				parameters: {
					resource: 'call',
					operation: 'placeCall',
					fromClient: '61207000000015',
					to: '={{ $json.body.phone }}',
					options: { userData: '={{ $json.body.id }}', maxallowtime: 120 },
				},
				credentials: { ucpaasApi: credential },
			},
			{
				id: '5a2b7c90-0004-4e1f-8a3b-9c8d7e6f5a40',
				name: 'Respond to Webhook',
				type: 'n8n-nodes-base.respondToWebhook',
				typeVersion: 1.1,
				position: [440, 0],
				parameters: { respondWith: 'firstIncomingItem', options: {} },
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'UCPaaS Callback', type: 'main', index: 0 }]] },
			'UCPaaS Callback': { main: [[{ node: 'Respond to Webhook', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/**
 * The lead workflow of test/e2e/workflows/place-and-wait.json, for one lead per POST: Webhook
 * (answers at once) → Code "Leads" (one item per lead, with n8n's own `$execution.resumeUrl` beside
 * it, so the check can compare it with the address the trigger works out) → Loop Over Items →
 * UCPaaS Callback v2 Place Callback and Wait → IF answered → Answered / Not Answered → the loop.
 */
function waitWorkflow(credential: Credential) {
	const id = (n: number) => `6c3d8e21-00${String(n).padStart(2, '0')}-4b5a-9e7f-1d2c3b4a5f60`;
	return {
		id: WAIT_WORKFLOW_ID,
		name: 'queue: webhook -> each lead -> UCPaaS place callback and wait -> IF answered',
		nodes: [
			{
				id: id(1),
				name: 'Lead Arrives',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: id(2),
				parameters: { httpMethod: 'POST', path: WAIT_PATH, responseMode: 'onReceived', options: {} },
			},
			{
				id: id(3),
				name: 'Leads',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: {
					jsCode: 'return $input.first().json.body.leads.map((lead) => ({ json: { ...lead, resumeUrl: $execution.resumeUrl } }));',
				},
			},
			{ id: id(4), name: 'Each Lead', type: 'n8n-nodes-base.splitInBatches', typeVersion: 3, position: [440, 0], parameters: { batchSize: 1, options: {} } },
			{
				id: id(5),
				name: WAIT_NODE,
				type: CALLBACK_TYPE,
				typeVersion: 2,
				position: [660, 100],
				parameters: {
					resource: 'call',
					operation: 'placeCallAndWait',
					fromClient: '61207000000015',
					to: '={{ $json.phone }}',
					// Every call of the check ends with a push within seconds; a lost one would fail the phase long before this.
					maxWaitMinutes: 5,
					options: { userData: '={{ $json.leadId }}' },
				},
				credentials: { ucpaasApi: credential },
			},
			{
				id: id(6),
				name: 'Answered?',
				type: 'n8n-nodes-base.if',
				typeVersion: 2,
				position: [880, 100],
				parameters: {
					conditions: {
						options: { caseSensitive: true, leftValue: '', typeValidation: 'strict' },
						conditions: [{ id: id(7), leftValue: '={{ $json.answered === true }}', rightValue: '', operator: { type: 'boolean', operation: 'true', singleValue: true } }],
						combinator: 'and',
					},
					options: {},
				},
			},
			{ id: id(8), name: 'Answered', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [1100, 0], parameters: {} },
			{ id: id(9), name: 'Not Answered', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [1100, 200], parameters: {} },
		],
		connections: {
			'Lead Arrives': { main: [[{ node: 'Leads', type: 'main', index: 0 }]] },
			Leads: { main: [[{ node: 'Each Lead', type: 'main', index: 0 }]] },
			'Each Lead': { main: [[], [{ node: WAIT_NODE, type: 'main', index: 0 }]] },
			[WAIT_NODE]: { main: [[{ node: 'Answered?', type: 'main', index: 0 }]] },
			'Answered?': { main: [[{ node: 'Answered', type: 'main', index: 0 }], [{ node: 'Not Answered', type: 'main', index: 0 }]] },
			Answered: { main: [[{ node: 'Each Lead', type: 'main', index: 0 }]] },
			'Not Answered': { main: [[{ node: 'Each Lead', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/**
 * UCPaaS Callback Trigger (all three events) → No Operation. Its options are left at their
 * defaults: it forwards Call Ended to waiting runs, at the resume address it works out from its own
 * URL. Here that is N8N_WEBHOOK_URL's `/webhook-waiting`, the webhook process, which the
 * place-and-wait phase checks (so no `options.waitingBaseUrl`).
 */
function triggerWorkflow(credential: Credential) {
	return {
		id: TRIGGER_WORKFLOW_ID,
		name: 'queue: UCPaaS Callback Trigger -> log the call event',
		nodes: [
			{
				id: '7d1c9e40-0001-4a6b-8f3e-2b9a8c7d6e50',
				name: TRIGGER_NODE,
				type: TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				webhookId: TRIGGER_WEBHOOK_ID,
				parameters: { events: ['callreq', 'callestablish', 'callhangup'] },
				credentials: { ucpaasApi: credential },
			},
			{
				id: '7d1c9e40-0002-4a6b-8f3e-2b9a8c7d6e50',
				name: 'Log Call Event',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [220, 0],
				parameters: {},
			},
		],
		connections: { [TRIGGER_NODE]: { main: [[{ node: 'Log Call Event', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

export async function setUpOwner(rest: N8nRestClient): Promise<void> {
	const setup = await rest.request('POST', '/rest/owner/setup', OWNER);
	expectEqual(setup.status, 200, `POST /rest/owner/setup (${setup.text.slice(0, 200)})`);
	rest.forgetCookie();
	const login = await rest.request('POST', '/rest/login', { emailOrLdapLoginId: OWNER.email, password: OWNER.password });
	expectEqual(login.status, 200, `POST /rest/login (${login.text.slice(0, 200)})`);
	expectTrue(rest.hasAuthCookie, 'login set no n8n-auth cookie');
}

async function createAndPublish(rest: N8nRestClient, workflow: { id: string }): Promise<void> {
	const created = await rest.request<{ data?: { id?: string; versionId?: string } }>('POST', '/rest/workflows', workflow);
	expectEqual(created.status, 200, `POST /rest/workflows ${workflow.id} (${created.text.slice(0, 300)})`);
	expectEqual(created.body.data?.id, workflow.id, 'id of the created workflow');
	const versionId = created.body.data?.versionId;
	expectTrue(typeof versionId === 'string' && versionId !== '', `the created workflow ${workflow.id} has no versionId`);
	const activated = await rest.request<{ data?: { active?: boolean; activeVersionId?: string } }>('POST', `/rest/workflows/${workflow.id}/activate`, { versionId });
	expectEqual(activated.status, 200, `POST /rest/workflows/${workflow.id}/activate (${activated.text.slice(0, 300)})`);
	expectEqual([activated.body.data?.active, activated.body.data?.activeVersionId], [true, versionId], `[active, activeVersionId] of ${workflow.id}`);
}

/** The credential (pointing at `sandboxUrl`) and the four workflows, published. */
export async function createWorkflows(rest: N8nRestClient, sandboxUrl: string): Promise<void> {
	const stored = await rest.request<{ data?: { id?: string; name?: string } }>('POST', '/rest/credentials', {
		name: 'UCPaaS sandbox (queue)',
		type: 'ucpaasApi',
		data: sandboxCredentialData(sandboxUrl),
	});
	expectEqual(stored.status, 200, `POST /rest/credentials (HTTP ${stored.status})`);
	const id = stored.body.data?.id;
	expectTrue(typeof id === 'string' && id !== '', 'the stored credential has no id');
	const credential = { id, name: 'UCPaaS sandbox (queue)' };
	await createAndPublish(rest, placeWorkflow(credential));
	await createAndPublish(rest, triggerWorkflow(credential));
	await createAndPublish(rest, guardedWorkflow(credential));
	await createAndPublish(rest, waitWorkflow(credential));
}

/** Waits until `url` accepts POST on the webhook process (CORS preflight). Returns the wait in ms. */
export async function waitRegistered(url: string, origin: string, timeoutMs: number): Promise<number> {
	const started = Date.now();
	let last = '';
	while (Date.now() - started < timeoutMs) {
		try {
			const probe = await fetch(url, { method: 'OPTIONS', headers: { origin }, signal: AbortSignal.timeout(5_000) });
			const allowed = probe.headers.get('access-control-allow-methods') ?? '';
			if (probe.status === 204 && allowed.split(/,\s*/).includes('POST')) return Date.now() - started;
			last = `HTTP ${probe.status} ${allowed}`;
		} catch (error) {
			last = error instanceof Error ? error.message : String(error);
		}
		await sleep(300);
	}
	throw new Error(`${url} was not registered on the webhook process within ${timeoutMs / 1000} s (last probe: ${last})`);
}
