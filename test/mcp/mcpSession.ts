/* eslint-disable import-x/no-unresolved -- tool code: the MCP SDK's client modules are reached through its wildcard `exports` (./* → dist/cjs/*), which the lint resolver does not follow; tsc and tsx resolve them */
/**
 * One MCP client session against the MCP Server Trigger, with `@modelcontextprotocol/sdk`, over
 * either transport the trigger offers from v2 on:
 *   - Streamable HTTP: `POST /mcp/<path>` (a session id in `mcp-session-id`), `DELETE` to end it;
 *   - legacy SSE: `GET /mcp/<path>` opens the stream, whose `endpoint` event names the POST URL.
 * Everything the server sent back is kept in `received`, for the secret scan.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export type TransportName = 'http' | 'sse';

export interface ToolInfo {
	name: string;
	description?: string;
	inputSchema: Record<string, unknown>;
}

export interface ToolReply {
	isError: boolean;
	/** The text parts of the content, joined. */
	text: string;
	/** Every content part that was not text (there should be none). */
	otherContent: unknown[];
	ms: number;
}

/** Each tool call runs a whole workflow execution: on 2 busy cores that can take a while. */
const REQUEST_TIMEOUT_MS = 120_000;

export class McpSession {
	readonly received: string[] = [];

	private constructor(
		readonly transportName: TransportName,
		private readonly client: Client,
		private readonly transport: StreamableHTTPClientTransport | SSEClientTransport,
	) {}

	static async open(url: string, transportName: TransportName): Promise<McpSession> {
		const client = new Client({ name: 'n8n-nodes-ucpaas-mcp-test', version: '0.1.0' });
		const transport = transportName === 'http' ? new StreamableHTTPClientTransport(new URL(url)) : new SSEClientTransport(new URL(url));
		await client.connect(transport, { timeout: REQUEST_TIMEOUT_MS });
		return new McpSession(transportName, client, transport);
	}

	get serverVersion(): { name: string; version: string } | undefined {
		return this.client.getServerVersion();
	}

	get instructions(): string | undefined {
		return this.client.getInstructions();
	}

	get capabilities(): Record<string, unknown> | undefined {
		return this.client.getServerCapabilities();
	}

	get protocolVersion(): string | undefined {
		return this.transport instanceof StreamableHTTPClientTransport ? this.transport.protocolVersion : undefined;
	}

	get sessionId(): string | undefined {
		return this.transport instanceof StreamableHTTPClientTransport ? this.transport.sessionId : undefined;
	}

	async listTools(): Promise<ToolInfo[]> {
		const { tools } = await this.client.listTools(undefined, { timeout: REQUEST_TIMEOUT_MS });
		this.received.push(JSON.stringify(tools));
		return tools.map((tool) => ({ name: tool.name, description: tool.description, inputSchema: tool.inputSchema as Record<string, unknown> }));
	}

	async callTool(name: string, args: Record<string, unknown>): Promise<ToolReply> {
		const started = Date.now();
		const result = await this.client.callTool({ name, arguments: args }, undefined, { timeout: REQUEST_TIMEOUT_MS });
		this.received.push(JSON.stringify(result));
		const content = Array.isArray(result.content) ? (result.content as Array<{ type?: string; text?: string }>) : [];
		return {
			isError: result.isError === true,
			text: content
				.filter((part) => part.type === 'text')
				.map((part) => part.text ?? '')
				.join('\n'),
			otherContent: content.filter((part) => part.type !== 'text'),
			ms: Date.now() - started,
		};
	}

	/** Ends the session on the server (Streamable HTTP: DELETE) and closes the transport. */
	async close(): Promise<void> {
		try {
			if (this.transport instanceof StreamableHTTPClientTransport) await this.transport.terminateSession();
		} finally {
			await this.client.close();
		}
	}
}
