/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tool code: drives the running n8n app over loopback */
/**
 * The n8n side of the MCP run, over REST as the editor does it (n8n 2.41):
 *   - owner setup and login (see test/e2e/restClient.ts);
 *   - publishing: POST /rest/workflows/:id/activate {versionId} (the imported workflow has a
 *     workflow_history row for its versionId). The publication outbox registers the trigger's
 *     three webhooks (GET, POST, DELETE on /mcp/<path>) a moment later;
 *   - the executions each tool call leaves: GET /rest/executions?filter={"workflowId"} and
 *     GET /rest/executions/:id, whose run data is a `flatted` string read with the app's own copy.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';

import { expectEqual, expectTrue } from '../e2e/assertions';
import type { N8nApp } from '../e2e/n8nApp';
import type { RunningServer } from '../e2e/n8nServer';
import { N8nRestClient } from '../e2e/restClient';

/** A fresh password per run (n8n wants 8–64 characters with a digit and a capital). */
const OWNER = { email: 'owner@mcp.n8n-nodes-ucpaas.test', firstName: 'MCP', lastName: 'Owner', password: `Mcp1-${randomBytes(12).toString('base64url')}` };

export async function loginAsOwner(server: RunningServer): Promise<N8nRestClient> {
	const rest = new N8nRestClient(server.url);
	const setup = await rest.request('POST', '/rest/owner/setup', OWNER);
	expectEqual(setup.status, 200, `POST /rest/owner/setup (${setup.text.slice(0, 200)})`);
	rest.forgetCookie();
	const login = await rest.request<{ data?: { email?: string } }>('POST', '/rest/login', { emailOrLdapLoginId: OWNER.email, password: OWNER.password });
	expectEqual(login.status, 200, `POST /rest/login (${login.text.slice(0, 200)})`);
	expectEqual(login.body.data?.email, OWNER.email, 'logged-in user');
	return rest;
}

/** Publishes the imported workflow and returns its versionId. */
export async function publish(rest: N8nRestClient, workflowId: string): Promise<string> {
	const workflow = await rest.request<{ data?: { versionId?: string; active?: boolean } }>('GET', `/rest/workflows/${workflowId}`);
	expectEqual(workflow.status, 200, `GET /rest/workflows/${workflowId}`);
	expectEqual(workflow.body.data?.active, false, 'active after import');
	const versionId = workflow.body.data?.versionId;
	expectTrue(typeof versionId === 'string' && versionId !== '', 'the imported workflow has no versionId');
	const activated = await rest.request<{ data?: { active?: boolean; activeVersionId?: string } }>('POST', `/rest/workflows/${workflowId}/activate`, { versionId });
	expectEqual(activated.status, 200, `POST /rest/workflows/${workflowId}/activate (${activated.text.slice(0, 300)})`);
	expectEqual([activated.body.data?.active, activated.body.data?.activeVersionId], [true, versionId], '[active, activeVersionId]');
	return versionId;
}

export interface ExecutionSummary {
	id: string;
	status?: string;
	mode?: string;
}

export async function listExecutions(rest: N8nRestClient, workflowId: string): Promise<ExecutionSummary[]> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const list = await rest.request<{ data?: { results?: ExecutionSummary[] } }>('GET', `/rest/executions?filter=${filter}&limit=100`);
	expectEqual(list.status, 200, `GET /rest/executions (${list.text.slice(0, 200)})`);
	return list.body.data?.results ?? [];
}

export interface TaskRun {
	executionStatus?: string;
	error?: { message?: string; name?: string };
	data?: Record<string, Array<Array<{ json: Record<string, unknown> }> | null>>;
	inputOverride?: Record<string, Array<Array<{ json: Record<string, unknown> }> | null>>;
}

export interface StoredRun {
	resultData: { runData: Record<string, TaskRun[]>; error?: unknown };
}

/** The run data of one execution. */
export async function executionRun(rest: N8nRestClient, app: N8nApp, id: string): Promise<{ status?: string; mode?: string; run: StoredRun }> {
	const detail = await rest.request<{ data?: { status?: string; mode?: string; data?: string } }>('GET', `/rest/executions/${id}`);
	expectEqual(detail.status, 200, `GET /rest/executions/${id}`);
	const data = detail.body.data?.data;
	expectTrue(typeof data === 'string', `execution ${id} came without its flatted run data`);
	const requireFromN8n = createRequire(path.join(app.dir, 'node_modules', 'n8n', 'package.json'));
	const { parse } = requireFromN8n('flatted') as { parse(text: string): unknown };
	return { status: detail.body.data?.status, mode: detail.body.data?.mode, run: parse(data) as StoredRun };
}
