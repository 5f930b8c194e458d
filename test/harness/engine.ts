/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/node-usable-as-tool -- test code: reaches into the engine it drives; its helper nodes (loop, scripted agent) are never offered as tools */
import { randomUUID } from 'node:crypto';

import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IRun,
	ITaskData,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { createDeferredPromise, NodeConnectionTypes, NodeHelpers, sleep, Workflow } from 'n8n-workflow';

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

/**
 * A loop for the test, like n8n's Loop Over Items: it sends what it receives back round the loop
 * (output 0) `times` times, then out (output 1). The node inside the loop runs once per lap, each
 * time with the next run index, as in n8n.
 */
class Loop implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Loop',
		name: 'loop',
		group: ['transform'],
		version: 1,
		description: 'Sends its input round a loop a fixed number of times',
		defaults: { name: 'Loop' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['loop', 'done'],
		properties: [{ displayName: 'Times', name: 'times', type: 'number', default: 1 }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const state = this.getContext('node') as { laps?: number };
		state.laps = (state.laps ?? 0) + 1;
		const items = this.getInputData().map((item, index) => ({ json: item.json, pairedItem: { item: index } }));
		return state.laps <= (this.getNodeParameter('times', 0) as number) ? [items, []] : [[], items];
	}
}

/**
 * An AI agent without a language model: it asks the engine for its tools (n8n-core's own
 * getInputConnectionData, which wraps each tool node in makeHandleToolInvocation, the code that
 * retries a failing tool with a new run index) and calls the first one with each of `calls`, in
 * order, as an agent would. Each call's result, or the error it threw, is one output item.
 */
class ScriptedAgent implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Scripted Agent',
		name: 'scriptedAgent',
		group: ['transform'],
		version: 1,
		description: 'Calls its tool with fixed arguments',
		defaults: { name: 'Agent' },
		inputs: [NodeConnectionTypes.Main, NodeConnectionTypes.AiTool],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Calls', name: 'calls', type: 'json', default: '[]' },
			{ displayName: 'Pause Between Calls (Milliseconds)', name: 'pauseMs', type: 'number', default: 0 },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const calls = JSON.parse(this.getNodeParameter('calls', 0) as string) as IDataObject[];
		const pauseMs = this.getNodeParameter('pauseMs', 0) as number;
		const tools = (await this.getInputConnectionData(NodeConnectionTypes.AiTool, 0)) as Array<{ invoke(args: IDataObject): Promise<unknown> }>;
		const results: INodeExecutionData[] = [];
		for (const [index, args] of calls.entries()) {
			if (index > 0 && pauseMs > 0) await sleep(pauseMs);
			try {
				results.push({ json: { result: String(await tools[0].invoke(args)) } });
			} catch (error) {
				results.push({ json: { thrown: error instanceof Error ? error.message : String(error) } });
			}
		}
		return [results];
	}
}

/**
 * The tool type n8n makes of a `usableAsTool` node (n8n's convertNodeToAiTool, in the app, not in
 * n8n-core): the same node under `<name>Tool`, with no main input and an `ai_tool` output. Only
 * what the engine's tool wiring reads is carried over.
 */
function asAiTool(node: INodeType): INodeType {
	return {
		description: { ...node.description, name: `${node.description.name}Tool`, displayName: `${node.description.displayName} Tool`, inputs: [], outputs: [NodeConnectionTypes.AiTool] },
		execute: node.execute,
	};
}

/** The package's nodes, as n8n registers them (the tool type as n8n derives it), plus the test's own. */
export const NODE_TYPES = {
	'test.itemsSource': new ItemsSource(),
	'test.loop': new Loop(),
	'test.scriptedAgent': new ScriptedAgent(),
	'n8n-nodes-ucpaas.ucpaasCallback': new UcpaasCallback(),
	'n8n-nodes-ucpaas.ucpaasCallbackTool': asAiTool(new UcpaasCallback()),
	'n8n-nodes-ucpaas.ucpaasCallbackTrigger': new UcpaasCallbackTrigger(),
} satisfies Record<string, INodeType | IVersionedNodeType>;

export const nodeTypes: INodeTypes = {
	getByName: (type) => NODE_TYPES[type as keyof typeof NODE_TYPES],
	getByNameAndVersion: (type, version) => NodeHelpers.getVersionedNodeType(NODE_TYPES[type as keyof typeof NODE_TYPES], version),
	getKnownTypes: () => ({}),
};

export interface NodeRun {
	/** Every run of the node in this execution (one per lap of a loop), in order. */
	runs: ITaskData[];
	/** Items on the node's main output (its first run). */
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
	/** n8n gives every execution its own id; a test names one to run "the same execution" twice. */
	executionId?: string;
	/** The node's Settings tab: Retry On Fail, Max. Tries (n8n clamps to 2–5), Wait Between Tries (ms, 0–5000). */
	retry?: { maxTries?: number; waitBetweenTries?: number };
	/** Put the node inside a loop that runs it this many times (run index 0, 1, …). */
	loop?: number;
	/** The node's version as saved in the workflow (1 unless a test asks for another). */
	typeVersion?: number;
	/** The workflow's id: n8n's deduplication store keeps one row per workflow. */
	workflowId?: string;
	/** The node's id (the store's node scope is keyed by it) and name. */
	nodeName?: string;
}

const CREDENTIAL_REF = { ucpaasApi: { id: 'cred-1', name: 'UCPaaS test account' } };

export function itemsNode(items: IDataObject[] | undefined): INode {
	return { id: 'items', name: 'Items', type: 'test.itemsSource', typeVersion: 1, position: [0, 0], parameters: { items: JSON.stringify(items ?? [{}]) } };
}

/**
 * A UCPaaS Callback node as n8n saves it in a workflow (as itself, or as an agent's tool), with its
 * Settings tab: On Error, Retry On Fail, Max. Tries, Wait Between Tries.
 */
export function ucpaasNode(
	name: string,
	type: 'n8n-nodes-ucpaas.ucpaasCallback' | 'n8n-nodes-ucpaas.ucpaasCallbackTool',
	parameters: INodeParameters,
	settings: { onError?: NodeRunOptions['onError']; retry?: NodeRunOptions['retry']; typeVersion?: number },
): INode {
	return {
		id: name,
		name,
		type,
		typeVersion: settings.typeVersion ?? 1,
		position: [200, 200],
		parameters,
		credentials: CREDENTIAL_REF,
		...(settings.onError ? { onError: settings.onError } : {}),
		...(settings.retry ? { retryOnFail: true, maxTries: settings.retry.maxTries ?? 3, waitBetweenTries: settings.retry.waitBetweenTries ?? 0 } : {}),
	};
}

interface Execution {
	run: IRun;
	credentials: TestCredentialsHelper;
}

/**
 * Runs a workflow from its "Items" node through n8n-core's real WorkflowExecute, with the
 * credential's real authenticate function and, as in n8n, an execution id of its own.
 */
async function execute(
	nodes: INode[],
	connections: IWorkflowBase['connections'],
	options: { credentials: ICredentialDataDecryptedObject; mode?: WorkflowExecuteMode; executionId?: string | null; destination?: string; workflowId?: string },
): Promise<Execution> {
	const workflowData: IWorkflowBase = {
		id: options.workflowId ?? 'test-workflow',
		name: 'UCPaaS engine test',
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes,
		connections,
		settings: {},
	};
	const workflow = new Workflow({ id: workflowData.id, name: workflowData.name, nodes, connections, active: false, nodeTypes, settings: {} });

	const mode = options.mode ?? 'manual';
	// null: no id at all, as when the MCP Server Trigger runs a tool from its webhook, before n8n makes the execution.
	const executionId = options.executionId === null ? undefined : (options.executionId ?? randomUUID());
	const finished = createDeferredPromise<IRun>();
	const hooks = new ExecutionLifecycleHooks(mode, executionId ?? 'none', workflowData);
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => finished.resolve(fullRunData));
	const credentialsHelper = new TestCredentialsHelper(options.credentials);
	const additionalData = engineAdditionalData(hooks, executionId, credentialsHelper);

	const startNode = workflow.getNode('Items')!;
	await new WorkflowExecute(additionalData, mode).run(
		options.destination ? { workflow, startNode, destinationNode: { nodeName: options.destination, mode: 'inclusive' } } : { workflow, startNode },
	);
	return { run: await finished.promise, credentials: credentialsHelper };
}

/** What n8n hands the engine beside the workflow, with the addresses n8n would have (unused ports: nothing listens). */
export function engineAdditionalData(hooks: ExecutionLifecycleHooks, executionId: string | undefined, credentialsHelper: TestCredentialsHelper, waitingBaseUrl = 'http://127.0.0.1/webhook-waiting'): IWorkflowExecuteAdditionalData {
	return {
		hooks,
		executionId,
		credentialsHelper,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: waitingBaseUrl,
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		variables: {},
		logAiEvent: () => undefined,
	} as unknown as IWorkflowExecuteAdditionalData;
}

/**
 * Runs "Items → UCPaaS Callback" (or, with `loop`, the node inside a loop) and returns what the
 * node produced.
 */
export async function runCallbackNode(options: NodeRunOptions): Promise<NodeRun> {
	const nodeName = options.nodeName ?? 'UCPaaS';
	const node = ucpaasNode(nodeName, 'n8n-nodes-ucpaas.ucpaasCallback', options.parameters, options);
	const to = (target: string) => [{ node: target, type: NodeConnectionTypes.Main, index: 0 }];
	const { run, credentials } = options.loop
		? await execute(
				[itemsNode(options.items), { id: 'loop', name: 'Loop', type: 'test.loop', typeVersion: 1, position: [100, 0], parameters: { times: options.loop } }, node],
				{ Items: { main: [to('Loop')] }, Loop: { main: [to(nodeName), []] }, [nodeName]: { main: [to('Loop')] } },
				options,
			)
		: await execute([itemsNode(options.items), node], { Items: { main: [to(nodeName)] } }, { ...options, destination: nodeName });

	const runs = run.data.resultData.runData[nodeName] ?? [];
	const taskData = runs[0];
	const main = taskData?.data?.main ?? [];
	return {
		runs,
		output: main[0] ?? [],
		errorOutput: main[1] ?? [],
		error: (taskData?.error ?? run.data.resultData.error) as NodeRun['error'],
		run,
		credentials,
	};
}

export interface ToolRunOptions {
	/** The tool node's parameters, with `$fromAI()` where the agent fills in a value. */
	parameters: INodeParameters;
	/** The agent's tool calls, in order, each one the arguments of one call. */
	calls: IDataObject[];
	credentials: ICredentialDataDecryptedObject;
	retry?: NodeRunOptions['retry'];
	executionId?: string | null;
	/** How long the agent waits between two calls (a deliberate call "later"). */
	pauseMs?: number;
	typeVersion?: number;
	mode?: WorkflowExecuteMode;
}

export interface ToolRun {
	/** Per call: the tool's answer (what the agent reads) or the error it threw. */
	results: Array<{ result?: string; thrown?: string }>;
	/** Every run of the tool node: n8n gives each try of each call its own run index. */
	toolRuns: ITaskData[];
	run: IRun;
}

/** Runs "Items → Agent" with UCPaaS Callback as the agent's tool, the way n8n wires a tool node. */
export async function runAsAgentTool(options: ToolRunOptions): Promise<ToolRun> {
	const toolName = 'Place Callback';
	const { run } = await execute(
		[
			itemsNode([{}]),
			{ id: 'agent', name: 'Agent', type: 'test.scriptedAgent', typeVersion: 1, position: [200, 0], parameters: { calls: JSON.stringify(options.calls), pauseMs: options.pauseMs ?? 0 } },
			ucpaasNode(toolName, 'n8n-nodes-ucpaas.ucpaasCallbackTool', options.parameters, options),
		],
		{
			Items: { main: [[{ node: 'Agent', type: NodeConnectionTypes.Main, index: 0 }]] },
			[toolName]: { [NodeConnectionTypes.AiTool]: [[{ node: 'Agent', type: NodeConnectionTypes.AiTool, index: 0 }]] },
		},
		{ ...options, destination: 'Agent' },
	);
	const agentRun = run.data.resultData.runData.Agent?.[0];
	if (!agentRun?.data) throw new Error(`the agent did not run: ${JSON.stringify(agentRun?.error ?? run.data.resultData.error)}`);
	return {
		results: (agentRun.data.main[0] ?? []).map((item) => item.json as { result?: string; thrown?: string }),
		toolRuns: run.data.resultData.runData[toolName] ?? [],
		run,
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
