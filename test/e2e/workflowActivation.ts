/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tool code: reads a fixture and drives the running n8n app over loopback */
/**
 * Starting a fixture workflow in the running app (`n8n start`) as a user starts it, on every line
 * of the matrix, and waiting until its webhook answers (the notes on each line's routes are in
 * triggerChecks.ts and n8nVersions.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { expectEqual, expectTrue } from './assertions';
import type { N8nInstance } from './n8nInstance';
import type { RunningServer } from './n8nServer';
import type { N8nRestClient } from './restClient';
import { waitFor } from './waitFor';

interface StoredWorkflow {
	id?: string;
	versionId?: string;
	active?: boolean;
}

/** What the server logged last: shown when a webhook does not come up. */
export const serverLogTail = (server: RunningServer) =>
	server
		.logs()
		.slice(-8)
		.map((l) => `${l.level}: ${l.message}`)
		.join('\n');

/**
 * The workflow as the line lets a user start it: the one `n8n import:workflow` stored, or, where
 * that import writes no workflow_history row (2.0.3: POST …/activate answers 404 "Version not
 * found", workflow.service.js activateWorkflow → workflowHistoryService.getVersion), the same file
 * saved as a new workflow through POST /rest/workflows, which writes its first version
 * (workflows.controller.js create → workflowHistoryService.saveVersion). The editor does that
 * when a file is imported into it and saved.
 */
async function storedWorkflow(instance: N8nInstance, rest: N8nRestClient, workflowId: string, file: string): Promise<{ id: string; versionId: string }> {
	let stored: StoredWorkflow | undefined;
	if (instance.app.profile.importAssignsVersionId) {
		const workflow = await rest.request<{ data?: StoredWorkflow }>('GET', `/rest/workflows/${workflowId}`);
		expectEqual(workflow.status, 200, `GET /rest/workflows/${workflowId}`);
		stored = workflow.body.data;
	} else {
		const fixture = JSON.parse(readFileSync(path.join(__dirname, 'workflows', file), 'utf8')) as Record<string, unknown>;
		const { name, nodes, connections, settings } = fixture;
		const created = await rest.request<{ data?: StoredWorkflow }>('POST', '/rest/workflows', { name, nodes, connections, settings, active: false });
		expectEqual(created.status, 200, `POST /rest/workflows (${created.text.slice(0, 300)})`);
		stored = created.body.data;
	}
	expectEqual(stored?.active, false, 'active before it is started');
	const { id, versionId } = stored ?? {};
	expectTrue(typeof id === 'string' && typeof versionId === 'string' && versionId !== '', `the workflow has no id or versionId (${JSON.stringify(stored).slice(0, 200)})`);
	return { id, versionId };
}

/**
 * Starts the workflow the way this line's editor does (its Active toggle or Publish), waits until
 * `webhookUrl` is registered, and returns the workflow's id (a new one where the line needs the
 * file saved anew).
 */
export async function activateWorkflow(
	instance: N8nInstance,
	server: RunningServer,
	rest: N8nRestClient,
	{ workflowId, file, webhookUrl }: { workflowId: string; file: string; webhookUrl: string },
): Promise<string> {
	const { activation } = instance.app.profile;
	const workflow = await storedWorkflow(instance, rest, workflowId, file);
	const request = activation.request(workflow.id, workflow.versionId);
	const activated = await rest.request<{ data?: { active?: boolean; activeVersionId?: string } }>(request.method, request.path, request.body);
	expectEqual(activated.status, 200, `${request.method} ${request.path} (${activated.text.slice(0, 300)})`);
	const recorded = instance.app.profile.activeVersionId ? workflow.versionId : undefined;
	expectEqual([activated.body.data?.active, activated.body.data?.activeVersionId], [true, recorded], '[active, activeVersionId]');
	// An OPTIONS request with an Origin header answers `Access-Control-Allow-Methods: OPTIONS, POST`
	// once the path is registered (webhooks/webhook-request-handler.js setupCorsHeaders), and starts nothing.
	await waitFor(
		`POST ${webhookUrl} registered`,
		20_000,
		async () => {
			const probe = await fetch(webhookUrl, { method: 'OPTIONS', headers: { origin: server.url }, signal: AbortSignal.timeout(5_000) });
			const allowed = probe.headers.get('access-control-allow-methods') ?? '';
			return probe.status === 204 && allowed.split(/,\s*/).includes('POST') ? true : undefined;
		},
		() => `; server log:\n${serverLogTail(server)}`,
	);
	return workflow.id;
}
