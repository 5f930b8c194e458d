/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: drives n8n-core's engine and webhook context the way n8n's app does */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';

import { ExecutionLifecycleHooks, WebhookContext, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IHttpRequestMethods,
	INode,
	IRun,
	IRunExecutionData,
	IWebhookData,
	IWebhookFunctions,
	IWorkflowBase,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { createDeferredPromise, NodeHelpers, Workflow } from 'n8n-workflow';

import { TestCredentialsHelper } from './credentialsHelper';
import { engineAdditionalData, NODE_TYPES, nodeTypes } from './engine';

/**
 * A stand-in for the parts of the n8n app that wait and resume, around n8n-core's real
 * WorkflowExecute and WebhookContext: it keeps each waiting execution as n8n's database would (a
 * JSON copy), serves n8n's resume address (`/webhook-waiting/<id>`, with the resume-token check of
 * n8n 2.x when the run has a token), and resumes on a timer when asked. It follows
 * n8n/dist/webhooks/waiting-webhooks.js (disable the waiting node, drop its last run, hand the
 * webhook's items to it) and wait-tracker.js (resume with the data as stored). The real app is
 * tested in test/e2e.
 */

const WEBHOOK_NODE_TYPE = 'n8n-nodes-ucpaas.ucpaasCallback';

interface Stored {
	workflowData: IWorkflowBase;
	data: IRunExecutionData;
	mode: WorkflowExecuteMode;
	status: 'waiting' | 'running' | 'finished';
}

export interface ResumeRecord {
	executionId: string;
	status: number;
	body: string;
	resumed: boolean;
}

export class WaitingEngine {
	private readonly executions = new Map<string, Stored>();
	private readonly finished = new Map<string, ReturnType<typeof createDeferredPromise<IRun>>>();
	private readonly server: http.Server;
	readonly resumes: ResumeRecord[] = [];
	baseUrl = '';

	constructor(private readonly credentials: ICredentialDataDecryptedObject) {
		this.server = http.createServer((request, response) => {
			void this.handle(request, response).catch((error: unknown) => {
				if (!response.headersSent) response.writeHead(500);
				response.end(String(error));
			});
		});
	}

	async start(): Promise<this> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhook-waiting`;
		return this;
	}

	async stop(): Promise<void> {
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	/** Runs a workflow from its "Items" node; resolves with the run as n8n would save it (waiting or done). */
	async run(nodes: INode[], connections: IWorkflowBase['connections'], options: { mode?: WorkflowExecuteMode; executionId?: string } = {}): Promise<{ executionId: string; run: IRun }> {
		const executionId = options.executionId ?? String(1000 + this.executions.size);
		const workflowData: IWorkflowBase = {
			id: 'waiting-workflow',
			name: 'UCPaaS waiting test',
			active: true,
			isArchived: false,
			activeVersionId: null,
			createdAt: new Date(),
			updatedAt: new Date(),
			nodes,
			connections,
			settings: {},
		};
		const mode = options.mode ?? 'webhook';
		const run = await this.execute(workflowData, executionId, mode, undefined);
		return { executionId, run };
	}

	/** What n8n's wait tracker does when a waiting run's time is up. */
	async resumeByTimer(executionId: string): Promise<IRun> {
		const stored = this.executions.get(executionId);
		if (!stored || stored.status !== 'waiting') throw new Error(`execution ${executionId} is not waiting`);
		return await this.execute(stored.workflowData, executionId, stored.mode, stored.data);
	}

	/** Resolves when the execution has run to its end (after a resume through the webhook, say). */
	async whenFinished(executionId: string): Promise<IRun> {
		return await this.deferred(executionId).promise;
	}

	stored(executionId: string): Stored | undefined {
		return this.executions.get(executionId);
	}

	private deferred(executionId: string) {
		let deferred = this.finished.get(executionId);
		if (!deferred) {
			deferred = createDeferredPromise<IRun>();
			this.finished.set(executionId, deferred);
		}
		return deferred;
	}

	private async execute(workflowData: IWorkflowBase, executionId: string, mode: WorkflowExecuteMode, data: IRunExecutionData | undefined): Promise<IRun> {
		const workflow = this.workflowOf(workflowData);
		const done = createDeferredPromise<IRun>();
		const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
		hooks.addHandler('workflowExecuteAfter', (fullRunData) => done.resolve(fullRunData));
		const additionalData = engineAdditionalData(hooks, executionId, new TestCredentialsHelper(this.credentials), this.baseUrl);
		this.executions.set(executionId, { workflowData, data: data ?? ({} as IRunExecutionData), mode, status: 'running' });
		if (data) {
			await new WorkflowExecute(additionalData, mode, data).processRunExecutionData(workflow);
		} else {
			await new WorkflowExecute(additionalData, mode).run({ workflow, startNode: workflow.getNode('Items')! });
		}
		const run = await done.promise;
		// As n8n's database would hold it: a copy, not the live objects.
		const saved = JSON.parse(JSON.stringify(run.data)) as IRunExecutionData;
		const waiting = run.waitTill !== undefined && run.waitTill !== null;
		if (waiting) saved.waitTill = run.waitTill ?? undefined;
		this.executions.set(executionId, { workflowData, data: saved, mode, status: waiting ? 'waiting' : 'finished' });
		if (!waiting) this.deferred(executionId).resolve(run);
		return run;
	}

	private workflowOf(workflowData: IWorkflowBase): Workflow {
		return new Workflow({ id: workflowData.id, name: workflowData.name, nodes: workflowData.nodes, connections: workflowData.connections, active: true, nodeTypes, settings: {} });
	}

	private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
		const url = new URL(request.url ?? '/', 'http://127.0.0.1');
		const executionId = decodeURIComponent(url.pathname.replace(/^\/webhook-waiting\//, ''));
		const raw = await new Promise<Buffer>((resolve) => {
			const chunks: Buffer[] = [];
			request.on('data', (chunk: Buffer) => chunks.push(chunk));
			request.on('end', () => resolve(Buffer.concat(chunks)));
		});
		const record = (status: number, body: string, resumed = false) => this.resumes.push({ executionId, status, body, resumed });
		const answer = (status: number, body: object) => {
			response.writeHead(status, { 'Content-Type': 'application/json' });
			response.end(JSON.stringify(body));
			record(status, JSON.stringify(body));
		};

		const stored = this.executions.get(executionId);
		if (!stored) return answer(404, { message: `The execution "${executionId}" does not exist.` });
		// n8n 2.x: a run with a resume token resumes only for a request that carries it.
		const token = (stored.data as IRunExecutionData & { resumeToken?: string }).resumeToken;
		if (token) {
			const given = url.searchParams.get('signature') ?? '';
			if (given.length !== token.length || !timingSafeEqual(Buffer.from(given), Buffer.from(token))) return answer(401, { error: 'Invalid token' });
		}
		if (stored.status === 'running') return answer(409, { message: `The execution "${executionId}" is running already.` });
		if (stored.status === 'finished') return answer(409, { message: `The execution "${executionId} has finished already.` });

		const data = JSON.parse(JSON.stringify(stored.data)) as IRunExecutionData;
		const lastNodeExecuted = data.resultData.lastNodeExecuted!;
		const workflow = this.workflowOf(stored.workflowData);
		const node = workflow.getNode(lastNodeExecuted)!;
		if (node.type !== WEBHOOK_NODE_TYPE) return answer(404, { message: 'The waiting node has no matching webhook' });
		data.executionData!.nodeExecutionStack[0].node.disabled = true;
		data.waitTill = undefined;
		data.resultData.runData[lastNodeExecuted].pop();

		const additionalData = engineAdditionalData(new ExecutionLifecycleHooks(stored.mode, executionId, stored.workflowData), executionId, new TestCredentialsHelper(this.credentials), this.baseUrl);
		const body = raw.length ? (JSON.parse(raw.toString('utf8')) as unknown) : {};
		Object.assign(request, { body, rawBody: raw, query: Object.fromEntries(url.searchParams), params: {} });
		Object.assign(additionalData, { httpRequest: request, httpResponse: response });
		const description = NodeHelpers.getVersionedNodeType(NODE_TYPES[WEBHOOK_NODE_TYPE], node.typeVersion).description.webhooks![0];
		const webhookData: IWebhookData = {
			httpMethod: description.httpMethod as IHttpRequestMethods,
			node: node.name,
			path: '',
			webhookDescription: description,
			workflowId: workflow.id,
			workflowExecuteAdditionalData: additionalData,
		};
		const context = new WebhookContext(workflow, node, additionalData, stored.mode, webhookData, [], data);
		const type = NodeHelpers.getVersionedNodeType(NODE_TYPES[WEBHOOK_NODE_TYPE], node.typeVersion);
		const result = await type.webhook!.call(context as unknown as IWebhookFunctions);
		this.resumes.push({ executionId, status: response.statusCode, body: '', resumed: result.workflowData !== undefined });
		if (result.workflowData === undefined) return;
		data.executionData!.nodeExecutionStack[0].data.main = result.workflowData;
		void this.execute(stored.workflowData, executionId, stored.mode, data);
	}
}
