/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: reaches into the engine it drives */
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IRun,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { createDeferredPromise, NodeConnectionTypes, NodeHelpers, Workflow } from 'n8n-workflow';

import { UcpaasCallback } from '../../nodes/UcpaasCallback/UcpaasCallback.node';
import { UcpaasCallbackTrigger } from '../../nodes/UcpaasCallbackTrigger/UcpaasCallbackTrigger.node';
import { TestCredentialsHelper } from './credentialsHelper';

/** A start node that emits the items given in its parameter: the test's stand-in for a trigger. */
class ItemsSource implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Items',
		name: 'itemsSource',
		group: ['input'],
		version: 1,
		description: 'Emits fixed items',
		defaults: { name: 'Items' },
		usableAsTool: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = JSON.parse(this.getNodeParameter('items', 0) as string) as IDataObject[];
		return [items.map((json, index) => ({ json, pairedItem: { item: index } }))];
	}
}

/** The package's nodes, as n8n registers them, plus the test's start node. */
export const NODE_TYPES = {
	'test.itemsSource': new ItemsSource(),
	'n8n-nodes-ucpaas.ucpaasCallback': new UcpaasCallback(),
	'n8n-nodes-ucpaas.ucpaasCallbackTrigger': new UcpaasCallbackTrigger(),
} satisfies Record<string, INodeType | IVersionedNodeType>;

export const nodeTypes: INodeTypes = {
	getByName: (type) => NODE_TYPES[type as keyof typeof NODE_TYPES],
	getByNameAndVersion: (type, version) => NodeHelpers.getVersionedNodeType(NODE_TYPES[type as keyof typeof NODE_TYPES], version),
	getKnownTypes: () => ({}),
};

export interface NodeRun {
	/** Items on the node's main output. */
	output: INodeExecutionData[];
	/** Items on the error output (only with onError: 'continueErrorOutput'). */
	errorOutput: INodeExecutionData[];
	/** The error that stopped the run, if any. */
	error?: Error & { description?: string | null; context?: IDataObject };
	run: IRun;
	credentials: TestCredentialsHelper;
}

export interface NodeRunOptions {
	parameters: INodeParameters;
	items?: IDataObject[];
	credentials: ICredentialDataDecryptedObject;
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	mode?: WorkflowExecuteMode;
}

/**
 * Runs "Items → UCPaaS Callback" through n8n-core's real WorkflowExecute, with the credential's
 * real authenticate function, and returns what the node produced.
 */
export async function runCallbackNode(options: NodeRunOptions): Promise<NodeRun> {
	const nodeName = 'UCPaaS';
	const workflowData: IWorkflowBase = {
		id: 'test-workflow',
		name: 'UCPaaS engine test',
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: [
			{
				id: 'items',
				name: 'Items',
				type: 'test.itemsSource',
				typeVersion: 1,
				position: [0, 0],
				parameters: { items: JSON.stringify(options.items ?? [{}]) },
			},
			{
				id: 'ucpaas',
				name: nodeName,
				type: 'n8n-nodes-ucpaas.ucpaasCallback',
				typeVersion: 1,
				position: [200, 0],
				parameters: options.parameters,
				credentials: { ucpaasApi: { id: 'cred-1', name: 'UCPaaS test account' } },
				...(options.onError ? { onError: options.onError } : {}),
			},
		],
		connections: { Items: { main: [[{ node: nodeName, type: NodeConnectionTypes.Main, index: 0 }]] } },
		settings: {},
	};
	const workflow = new Workflow({
		id: workflowData.id,
		name: workflowData.name,
		nodes: workflowData.nodes,
		connections: workflowData.connections,
		active: false,
		nodeTypes,
		settings: {},
	});

	const mode = options.mode ?? 'manual';
	const finished = createDeferredPromise<IRun>();
	const hooks = new ExecutionLifecycleHooks(mode, 'test-execution', workflowData);
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => finished.resolve(fullRunData));
	const credentialsHelper = new TestCredentialsHelper(options.credentials);
	const additionalData = {
		hooks,
		credentialsHelper,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		variables: {},
		logAiEvent: () => undefined,
	} as unknown as IWorkflowExecuteAdditionalData;

	const execution = new WorkflowExecute(additionalData, mode);
	await execution.run({ workflow, startNode: workflow.getNode('Items')!, destinationNode: { nodeName, mode: 'inclusive' } });
	const run = await finished.promise;

	const taskData = run.data.resultData.runData[nodeName]?.[0];
	const main = taskData?.data?.main ?? [];
	return {
		output: main[0] ?? [],
		errorOutput: main[1] ?? [],
		error: (taskData?.error ?? run.data.resultData.error) as NodeRun['error'],
		run,
		credentials: credentialsHelper,
	};
}

// @n8n/di is n8n-core's own dependency, not ours: take the copy n8n-core uses.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Container } = require(require.resolve('@n8n/di', { paths: [require.resolve('n8n-core')] })) as typeof import('@n8n/di');

/**
 * n8n-core creates an SSH connection manager for every node context, which starts a 60-second
 * cleanup interval. The n8n app stops it on shutdown; a test or script must do the same, or
 * Node waits for the interval after the last run.
 */
export function stopEngineTimers(): void {
	if (Container.has(SSHClientsManager)) Container.get(SSHClientsManager).onShutdown();
}
