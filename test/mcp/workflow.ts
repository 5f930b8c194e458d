/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tool code: writes the import file for the n8n app's command line */
/**
 * The workflow an agent reaches: an MCP Server Trigger (n8n 2.41, `@n8n/n8n-nodes-langchain.mcpTrigger`
 * v2.1, production URL `/mcp/<path>`) with two UCPaaS Callback tools on its `ai_tool` input.
 *
 * The tool nodes have the type n8n synthesises for a `usableAsTool` node (`<type>Tool`,
 * n8n/dist/tool-generation/ai-tools.js). Only `$fromAI()` values become the tool's input schema
 * (n8n-core create-node-as-tool.js); everything else (the caller, the app, the options) is fixed
 * by the workflow and invisible to the agent. The `$fromAI()` lines are the ones docs/ai-agents.md
 * gives for pasting (run.ts checks they are the same), so this run proves them.
 *
 * The Place tool has Retry On Fail on (3 tries, 1 s apart), as a user who keeps the HTTP-node
 * habit sets it: n8n then retries a failing tool with the same arguments, and the node must
 * still place each call at most once.
 *
 * Both tools are saved without a `resource` parameter, as workflows made before the node had one
 * are: the automatic tool description must still come from each operation's `action`.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { DEFAULT_ACCOUNT } from '../../sandbox';
import { CREDENTIAL_ID, CREDENTIAL_NAME } from '../e2e/credentials';

export const MCP_WORKFLOW_ID = 'mcpUcpaasTools01';
export const MCP_PATH = 'ucpaas-calls';
export const MCP_WEBHOOK_ID = '7c1f3a52-4e0b-4b8e-9a7d-3f2c1b0a9e61';
export const TRIGGER_NAME = 'MCP Server Trigger';
export const TOOL_TYPE = 'n8n-nodes-ucpaas.ucpaasCallbackTool';
/** Retry On Fail's tries on the Place tool. */
export const PLACE_TRIES = 3;

/** Node names; n8n names each tool after its node (nodeNameToToolName: runs of other characters become `_`). */
export const PLACE_NODE = 'Place Callback';
export const CANCEL_NODE = 'Cancel Callback';
export const PLACE_TOOL = 'Place_Callback';
export const CANCEL_TOOL = 'Cancel_Callback';

/** What the MCP client receives as the server's instructions (the trigger's "Instructions" field). */
export const INSTRUCTIONS =
	'Every Place_Callback call rings two real phones. Never call it again after an error that says the call may have been placed: ask a person to check first. Use Cancel_Callback with the callId that Place_Callback returned to stop a call.';

/** docs/ai-agents.md's ready-to-paste `$fromAI()` lines (the editor shows them between `{{ }}`). */
export const FROM_AI = {
	to: {
		key: 'to',
		description: 'Phone number to call, digits only: a mobile such as 13800138000, or a landline with its area code such as 075512345678',
	},
	callerMobile: {
		key: 'callerMobile',
		description: 'Mobile number of the person who is rung first and then connected to the callee: 11 digits, such as 13800138000',
	},
	callId: {
		key: 'callId',
		description: 'The callId (32 letters and digits) that Place_Callback returned for the call to stop',
	},
} as const;

/** `{{ $fromAI('key', 'description', 'string') }}`, as typed into a field in expression mode. */
export function fromAiExpression(which: keyof typeof FROM_AI): string {
	const { key, description } = FROM_AI[which];
	return `{{ $fromAI('${key}', '${description}', 'string') }}`;
}

const credentials = { ucpaasApi: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } };

export function mcpWorkflow(): Record<string, unknown> {
	return {
		id: MCP_WORKFLOW_ID,
		name: 'mcp: UCPaaS Callback tools behind an MCP Server Trigger',
		active: false,
		nodes: [
			{
				id: 'b8f0c1d2-0001-4a6e-9c1b-6d2e3f4a5b01',
				name: TRIGGER_NAME,
				type: '@n8n/n8n-nodes-langchain.mcpTrigger',
				typeVersion: 2.1,
				position: [0, 0],
				webhookId: MCP_WEBHOOK_ID,
				parameters: { path: MCP_PATH, instructions: INSTRUCTIONS },
			},
			{
				id: 'b8f0c1d2-0002-4a6e-9c1b-6d2e3f4a5b02',
				name: PLACE_NODE,
				type: TOOL_TYPE,
				typeVersion: 1,
				position: [-200, 220],
				parameters: {
					operation: 'placeCall',
					to: `=${fromAiExpression('to')}`,
					callerType: 'clientNumber',
					fromClient: DEFAULT_ACCOUNT.clientNumber,
					options: {},
				},
				credentials,
				retryOnFail: true,
				maxTries: PLACE_TRIES,
				waitBetweenTries: 1000,
			},
			{
				id: 'b8f0c1d2-0003-4a6e-9c1b-6d2e3f4a5b03',
				name: CANCEL_NODE,
				type: TOOL_TYPE,
				typeVersion: 1,
				position: [200, 220],
				parameters: {
					operation: 'cancelCall',
					callId: `=${fromAiExpression('callId')}`,
					options: {},
				},
				credentials,
			},
		],
		connections: {
			[PLACE_NODE]: { ai_tool: [[{ node: TRIGGER_NAME, type: 'ai_tool', index: 0 }]] },
			[CANCEL_NODE]: { ai_tool: [[{ node: TRIGGER_NAME, type: 'ai_tool', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
		tags: [],
	};
}

/** Writes the `n8n import:workflow` file into `folder` and returns its path. */
export function writeWorkflowImport(folder: string): string {
	const file = path.join(folder, 'mcp-workflow.json');
	writeFileSync(file, `${JSON.stringify(mcpWorkflow(), null, 2)}\n`);
	return file;
}
