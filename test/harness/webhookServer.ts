/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: an HTTP server in front of the engine it drives */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { HookContext, WebhookContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IHookFunctions,
	IHttpRequestMethods,
	INode,
	INodeExecutionData,
	INodeParameters,
	IWebhookData,
	IWebhookFunctions,
	IWebhookResponseData,
	IWorkflowExecuteAdditionalData,
	WebhookSetupMethodNames,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { TestCredentialsHelper } from './credentialsHelper';
import { NODE_TYPES, nodeTypes } from './engine';

/**
 * A loopback HTTP server that hands each request to the UCPaaS Trigger's real webhook() inside
 * n8n-core's real WebhookContext, the way n8n 2.x's webhook pipeline does
 * (n8n/dist/webhooks/live-webhooks.js → webhook-helpers.js executeWebhook →
 * webhook.service.js runWebhook), minus the database and the workflow run itself.
 */

const TRIGGER_TYPE = 'n8n-nodes-ucpaas.ucpaasCallbackTrigger';
const NODE_NAME = 'UCPaaS Callback Trigger';


// xml2js is what n8n parses XML bodies with (middlewares/body-parser.js); n8n-core carries the same version.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Parser } = require(require.resolve('xml2js', { paths: [require.resolve('n8n-core')] })) as {
	Parser: new (options: object) => { parseStringPromise(text: string): Promise<unknown> };
};

export interface Delivery {
	method: string;
	/** HTTP status the sender got. */
	status: number;
	/** What the trigger returned; undefined when n8n refused the request before the node ran. */
	result?: IWebhookResponseData;
	/** Items that would start the workflow (result.workflowData[0]). */
	items: INodeExecutionData[];
	error?: Error;
}

export interface TriggerServer {
	url: string;
	deliveries: Delivery[];
	/** Every item the trigger emitted, in arrival order. */
	emitted(): INodeExecutionData[];
	/** Resolves once no request is being handled. */
	idle(): Promise<void>;
	stop(): Promise<void>;
}

export interface TriggerServerOptions {
	parameters: INodeParameters;
	credentials: ICredentialDataDecryptedObject;
	/** 'webhook' = the Production URL (default), 'manual' = the Test URL. */
	mode?: WorkflowExecuteMode;
}

/** One trigger node in a workflow; the Workflow constructor fills in parameter defaults, as it does for n8n. */
function triggerWorkflow(parameters: INodeParameters): { node: INode; workflow: Workflow } {
	const node: INode = {
		id: 'trigger',
		name: NODE_NAME,
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		webhookId: '6f1d7a52-3c4b-4e0f-9a1d-2b7c8e9f0a11',
		parameters,
		credentials: { ucpaasApi: { id: 'cred-1', name: 'UCPaaS test account' } },
	};
	const workflow = new Workflow({ id: 'trigger-workflow', name: 'UCPaaS trigger test', nodes: [node], connections: {}, active: true, nodeTypes, settings: {} });
	return { node, workflow };
}

/**
 * Runs one of webhookMethods.default (checkExists, create, delete) in n8n-core's real HookContext,
 * as n8n does on activation (webhook.service.js createWebhookIfNotExists / deleteWebhook).
 */
export async function runWebhookMethod(
	method: WebhookSetupMethodNames,
	options: TriggerServerOptions & { activation?: WorkflowActivateMode },
): Promise<boolean> {
	const { workflow } = triggerWorkflow(options.parameters);
	const additionalData = { credentialsHelper: new TestCredentialsHelper(options.credentials), variables: {} } as unknown as IWorkflowExecuteAdditionalData;
	const context = new HookContext(workflow, workflow.getNode(NODE_NAME)!, additionalData, options.mode ?? 'webhook', options.activation ?? 'activate');
	const hook = NODE_TYPES[TRIGGER_TYPE].webhookMethods!.default![method];
	return await hook.call(context as unknown as IHookFunctions);
}

export async function startTriggerServer(options: TriggerServerOptions): Promise<TriggerServer> {
	const { node, workflow } = triggerWorkflow(options.parameters);
	const credentialsHelper = new TestCredentialsHelper(options.credentials);
	const mode = options.mode ?? 'webhook';
	const deliveries: Delivery[] = [];
	const inFlight = new Set<Promise<void>>();

	const server = http.createServer((request, response) => {
		const handling = handle(request, response).catch((error: unknown) => {
			if (!response.headersSent) response.writeHead(500);
			response.end();
			deliveries.push({ method: request.method ?? '', status: 500, items: [], error: error as Error });
		});
		inFlight.add(handling);
		void handling.finally(() => inFlight.delete(handling));
	});

	async function handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
		const rawBody = await readBody(request);
		const method = request.method ?? '';
		const delivery: Delivery = { method, status: 0, items: [] };

		// What n8n's body reader and parser leave on the request before any node sees it.
		const contentTypeHeader = request.headers['content-type'];
		const [type, ...parameters] = (contentTypeHeader ?? '').split(';');
		const charset = parameters.map((p) => p.trim().split('=')).find(([key]) => key.toLowerCase() === 'charset')?.[1] ?? 'utf-8';
		const url = new URL(request.url ?? '/', 'http://127.0.0.1');
		const req = Object.assign(request, {
			rawBody,
			readRawBody: async () => undefined,
			_body: true,
			contentType: contentTypeHeader ? type.toLowerCase() : undefined,
			encoding: charset.toLowerCase() as BufferEncoding,
			query: Object.fromEntries(url.searchParams),
			params: {},
			body: {} as unknown,
		});
		if (rawBody.length > 0 && req.contentType && (req.contentType.endsWith('/xml') || req.contentType.endsWith('+xml'))) {
			try {
				const parser = new Parser({ async: true, normalize: true, normalizeTags: true, explicitArray: false });
				req.body = await parser.parseStringPromise(rawBody.toString(req.encoding));
			} catch (error) {
				// n8n answers 422 itself (UnprocessableRequestError) and never calls the node.
				response.writeHead(422, { 'Content-Type': 'application/json' });
				response.end(JSON.stringify({ code: 422, message: 'Failed to parse request body' }));
				deliveries.push({ ...delivery, status: 422, error: error as Error });
				return;
			}
		}

		const additionalData = {
			credentialsHelper,
			httpRequest: req,
			httpResponse: response,
			restApiUrl: 'http://127.0.0.1/rest',
			instanceBaseUrl: 'http://127.0.0.1/',
			webhookBaseUrl: 'http://127.0.0.1/webhook',
			webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
			webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
			formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
			variables: {},
		} as unknown as IWorkflowExecuteAdditionalData;
		const description = NODE_TYPES[TRIGGER_TYPE].description.webhooks![0];
		const webhookData: IWebhookData = {
			httpMethod: description.httpMethod as IHttpRequestMethods,
			node: NODE_NAME,
			path: `${node.webhookId}/${description.path}`,
			webhookDescription: description,
			workflowId: workflow.id,
			workflowExecuteAdditionalData: additionalData,
			webhookId: node.webhookId,
		};
		const closeFunctions: Array<() => Promise<void>> = [];
		const context = new WebhookContext(workflow, workflow.getNode(NODE_NAME)!, additionalData, mode, webhookData, closeFunctions, null);

		try {
			const result = await NODE_TYPES[TRIGGER_TYPE].webhook!.call(context as unknown as IWebhookFunctions);
			delivery.result = result;
			delivery.items = result.workflowData?.[0] ?? [];
			if (result.noWebhookResponse !== true && !response.writableEnded) {
				// n8n's own answer for a node that leaves the reply to it (responseMode onReceived).
				response.writeHead(200, { 'Content-Type': 'application/json' });
				response.end(JSON.stringify({ message: 'Workflow was started' }));
			}
		} catch (error) {
			// n8n's answer when webhook() throws: the workflow does not start.
			delivery.error = error as Error;
			if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'application/json' });
			response.end(JSON.stringify({ code: 0, message: 'Workflow Webhook Error: Workflow could not be started!' }));
		}
		await Promise.all(closeFunctions.map(async (close) => await close()));
		delivery.status = response.statusCode;
		deliveries.push(delivery);
	}

	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;

	return {
		url: `http://127.0.0.1:${port}/webhook/${node.webhookId}/webhook`,
		deliveries,
		emitted: () => deliveries.flatMap((d) => d.items),
		idle: async () => {
			while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
		},
		stop: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
		},
	};
}

function readBody(request: http.IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => resolve(Buffer.concat(chunks)));
		request.on('error', reject);
	});
}
