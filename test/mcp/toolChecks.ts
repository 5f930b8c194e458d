/**
 * The tools as an agent meets them, over one MCP transport: what tools/list shows, a call placed
 * and cancelled, and the failures an agent must be able to act on. Each tool call is one
 * production execution of the workflow (n8n 2.41: McpServer.js runs the workflow with the call as
 * the trigger item); the sandbox records what reached "UCPaaS".
 */
import { DEFAULT_ACCOUNT, type RecordedRequest, type Sandbox } from '../../sandbox';
import { expectContains, expectEqual, expectMatch, expectTrue, type CheckList } from '../e2e/assertions';
import { callBacks, calleeOf, endpointOf, expectSigned } from '../e2e/sandboxRecords';
import { expectExplained, expectNoRepeatAdvice, expectWarnsCallMayExist } from './agentText';
import { McpSession, type ToolInfo, type ToolReply, type TransportName } from './mcpSession';
import { CANCEL_TOOL, FROM_AI, INSTRUCTIONS, PLACE_TOOL, PLACE_TRIES } from './workflow';

/** n8n 2.41's automatic tool description: `<operation action> in <node defaults.name>` (n8n-workflow makeDescription). */
export const EXPECTED_DESCRIPTIONS: Record<string, string> = {
	[PLACE_TOOL]: 'Place a callback that rings the caller then the callee in UCPaaS Callback',
	[CANCEL_TOOL]: 'Cancel a callback that is ringing or in progress in UCPaaS Callback',
};

/** Rings long enough to be cancelled (the sandbox's default is 20 ms). */
const LONG_RING = { outcome: 'answered' as const, delays: { ringMs: 120_000, talkMs: 1_000 } };

/** Callees per transport, so the two runs never share a number (a callee stays busy while it rings). */
function callees(transport: TransportName) {
	const base = transport === 'http' ? 13912340100 : 13912340200;
	return { placed: String(base + 1), extra: String(base + 2), busy: String(base + 3), lost: String(base + 4), cancelLost: String(base + 5), http503: String(base + 6), internal: String(base + 7) };
}

export function toolCheckNames(transport: TransportName): string[] {
	const t = `mcp: [${transport}]`;
	return [
		`${t} connect: initialize names the server MCP_Server_Trigger, offers tools, and hands over the trigger's Instructions`,
		`${t} tools/list: exactly ${CANCEL_TOOL} and ${PLACE_TOOL}, each described by its own operation (Cancel as cancelling), each asking for its one $fromAI argument with the README's description`,
		`${t} ${PLACE_TOOL} {to}: returns the callId; the sandbox saw exactly one signed callBack to that number, from the workflow's fixed caller`,
		`${t} ${CANCEL_TOOL} {callId}: the ringing call is cancelled (one signed callCancel, 000000; the call ended with reason 8)`,
		`${t} ${PLACE_TOOL} with invented arguments (fromClient, maxallowtime): ignored; the call goes from the fixed caller with no maxallowtime`,
		`${t} ${PLACE_TOOL} {to: "call me"}: a tool error naming the field, the value and that nothing was sent; the sandbox received nothing`,
		`${t} ${PLACE_TOOL} {} and ${CANCEL_TOOL} {}: tool errors naming the missing argument; the sandbox received nothing`,
		`${t} ${CANCEL_TOOL} with an unknown callId: a tool error (100108) that says there is no call left to cancel, without advice to repeat it`,
		`${t} ${PLACE_TOOL} to a callee still ringing: 104113 as a tool error that says nothing was placed by it and the callee is in a call, without advice to repeat it; Retry On Fail sends it ${PLACE_TRIES} times, since nothing was placed`,
		`${t} ${PLACE_TOOL} whose reply is lost after the call was placed: a tool error that warns the call may exist and says not to place it again; sent once despite Retry On Fail (${PLACE_TRIES} tries), and the call does exist; the agent's next tools/call (a new execution) is sent`,
		`${t} ${PLACE_TOOL} met by a platform failure (HTTP 503, then respCode 100699): tool errors that warn the call may exist, without "try again later"; each sent once despite Retry On Fail`,
		`${t} ${CANCEL_TOOL} whose reply is lost after the call was cancelled: a tool error that says the call may still ring and cancelling again is safe; cancelling again then answers 100108`,
	];
}

interface Context {
	sandbox: Sandbox;
	checks: CheckList;
	session: McpSession;
	/** Tool calls that reached n8n (each one execution), for the executions check. */
	toolCalls: Array<{ transport: TransportName; tool: string; isError: boolean }>;
}

function requestsSince(sandbox: Sandbox, before: number): RecordedRequest[] {
	return sandbox.requests.slice(before);
}

const describeRequests = (requests: RecordedRequest[]) => requests.map((r) => `${r.method} ${endpointOf(r)} ${r.verdict.respCode}`);

async function call(context: Context, tool: string, args: Record<string, unknown>): Promise<ToolReply> {
	const reply = await context.session.callTool(tool, args);
	context.toolCalls.push({ transport: context.session.transportName, tool, isError: reply.isError });
	expectEqual(reply.otherContent, [], `non-text content in the ${tool} reply`);
	return reply;
}

/** A successful tool reply: JSON text of the node's output items, one item here. */
function successItem(reply: ToolReply, tool: string): Record<string, unknown> {
	expectTrue(!reply.isError, `${tool} failed: ${reply.text}`);
	let parsed: unknown;
	try {
		parsed = JSON.parse(reply.text);
	} catch {
		parsed = undefined;
	}
	expectTrue(parsed !== undefined, `${tool} answered text that is not JSON: ${JSON.stringify(reply.text.slice(0, 300))}`);
	expectTrue(Array.isArray(parsed) && parsed.length === 1, `${tool} answered ${JSON.stringify(parsed)}, not one output item`);
	return parsed[0] as Record<string, unknown>;
}

function expectToolError(reply: ToolReply, tool: string): string {
	expectTrue(reply.isError, `${tool} did not fail: ${reply.text}`);
	return reply.text;
}

function callBackFields(request: RecordedRequest): Record<string, unknown> {
	return (JSON.parse(request.body) as { callback?: Record<string, unknown> }).callback ?? {};
}

/** Places a call that keeps ringing, through the tool; returns its callId. */
async function placeRinging(context: Context, to: string): Promise<string> {
	context.sandbox.addFault({ match: { to }, fault: { kind: 'outcome', call: LONG_RING } });
	const item = successItem(await call(context, PLACE_TOOL, { to }), PLACE_TOOL);
	expectMatch(item.callId, /^[0-9a-f]{32}$/, 'callId');
	return item.callId as string;
}

/** Cancels through the tool and checks the sandbox ended the call. */
async function cancelThroughTool(context: Context, callId: string): Promise<void> {
	const { sandbox } = context;
	const before = sandbox.requests.length;
	const item = successItem(await call(context, CANCEL_TOOL, { callId }), CANCEL_TOOL);
	expectEqual({ callId: item.callId, cancelled: item.cancelled, respCode: item.respCode }, { callId, cancelled: true, respCode: '000000' }, 'Cancel_Callback result');
	const sent = requestsSince(sandbox, before);
	expectEqual(describeRequests(sent), [`POST /Calls/callCancel 000000`], 'what the sandbox received');
	expectSigned(sent[0]);
	expectEqual(JSON.parse(sent[0].body), { callCancel: { appId: DEFAULT_ACCOUNT.appId, callId } }, 'callCancel body');
	const ended = sandbox.calls.find((c) => c.callId === callId);
	expectEqual([ended?.state, ended?.reason], ['ended', 8], `the sandbox call ${callId} [state, reason]`);
}

export async function runToolChecks(mcpUrl: string, transport: TransportName, sandbox: Sandbox, checks: CheckList, toolCalls: Context['toolCalls'], received: string[]): Promise<void> {
	const names = toolCheckNames(transport);
	const [connect, list, place, cancel, invented, badNumber, missing, unknownCall, busy, lost, platform, cancelLost] = names;
	const numbers = callees(transport);

	let session: McpSession | undefined;
	const connected = await checks.check(connect, async () => {
		session = await McpSession.open(mcpUrl, transport);
		expectEqual(session.serverVersion?.name, 'MCP_Server_Trigger', 'server name');
		expectTrue(session.capabilities?.tools, `no tools capability: ${JSON.stringify(session.capabilities)}`);
		expectEqual(session.instructions, INSTRUCTIONS, 'server instructions');
		if (transport === 'http') expectMatch(session.sessionId, /\S/, 'mcp-session-id');
		checks.note(`${transport}: protocol ${session.protocolVersion ?? '?'}${session.sessionId ? `, session ${session.sessionId}` : ''}`);
	});
	const open = session;
	if (!connected || !open) {
		for (const name of names.slice(1)) checks.skip(name, `the ${transport} session did not open`);
		return;
	}
	const context: Context = { sandbox, checks, session: open, toolCalls };
	try {
		await checks.check(list, async () => {
			const tools = (await open.listTools()).sort((a, b) => a.name.localeCompare(b.name));
			checks.note(`${transport}: tools/list ${JSON.stringify(tools)}`);
			expectEqual(tools.map((t) => t.name), [CANCEL_TOOL, PLACE_TOOL], 'tool names');
			const byName = new Map<string, ToolInfo>(tools.map((t) => [t.name, t]));
			for (const [name, description] of Object.entries(EXPECTED_DESCRIPTIONS)) expectEqual(byName.get(name)?.description, description, `${name} description`);
			const schemaOf = (tool: string) => {
				// Streamable HTTP adds the JSON Schema dialect, SSE leaves it out; the agent reads the rest.
				const schema = { ...byName.get(tool)?.inputSchema };
				delete schema.$schema;
				return schema;
			};
			const oneString = (key: string, description: string) => ({ type: 'object', properties: { [key]: { type: 'string', description } }, required: [key], additionalProperties: true });
			expectEqual(schemaOf(PLACE_TOOL), oneString(FROM_AI.to.key, FROM_AI.to.description), `${PLACE_TOOL} input schema`);
			expectEqual(schemaOf(CANCEL_TOOL), oneString(FROM_AI.callId.key, FROM_AI.callId.description), `${CANCEL_TOOL} input schema`);
		});

		let placedCallId: string | undefined;
		await checks.check(place, async () => {
			const to = numbers.placed;
			context.sandbox.addFault({ match: { to }, fault: { kind: 'outcome', call: LONG_RING } });
			const before = sandbox.requests.length;
			const reply = await call(context, PLACE_TOOL, { to });
			const item = successItem(reply, PLACE_TOOL);
			checks.note(`${transport}: ${PLACE_TOOL} ${JSON.stringify({ to })} → ${reply.text} (${reply.ms} ms)`);
			expectMatch(item.callId, /^[0-9a-f]{32}$/, 'callId');
			expectEqual({ respCode: item.respCode, to: item.to, fromClient: item.fromClient, appId: item.appId }, { respCode: '000000', to, fromClient: DEFAULT_ACCOUNT.clientNumber, appId: DEFAULT_ACCOUNT.appId }, 'Place_Callback result');
			const sent = requestsSince(sandbox, before);
			expectEqual(describeRequests(sent), ['POST /Calls/callBack 000000'], 'what the sandbox received');
			expectEqual(callBacks(sandbox, [to]).length, 1, `callBacks to ${to} in the whole run`);
			expectSigned(sent[0], 'fault:outcome');
			expectEqual(callBackFields(sent[0]), { appId: DEFAULT_ACCOUNT.appId, fromClient: DEFAULT_ACCOUNT.clientNumber, to }, 'callBack body');
			const simulated = sandbox.calls.find((c) => c.callId === item.callId);
			expectEqual(simulated?.state, 'ringing', 'the sandbox call');
			placedCallId = item.callId as string;
		});

		if (!placedCallId) checks.skip(cancel, 'no call was placed');
		else await checks.check(cancel, () => cancelThroughTool(context, placedCallId as string));

		await checks.check(invented, async () => {
			const to = numbers.extra;
			const before = sandbox.requests.length;
			const item = successItem(await call(context, PLACE_TOOL, { to, fromClient: '61207000000099', maxallowtime: 60, appId: 'f'.repeat(32) }), PLACE_TOOL);
			expectEqual([item.to, item.fromClient, item.appId], [to, DEFAULT_ACCOUNT.clientNumber, DEFAULT_ACCOUNT.appId], 'Place_Callback result [to, fromClient, appId]');
			const sent = requestsSince(sandbox, before);
			expectEqual(describeRequests(sent), ['POST /Calls/callBack 000000'], 'what the sandbox received');
			expectEqual(callBackFields(sent[0]), { appId: DEFAULT_ACCOUNT.appId, fromClient: DEFAULT_ACCOUNT.clientNumber, to }, 'callBack body');
		});

		await checks.check(badNumber, async () => {
			const before = sandbox.requests.length;
			const text = expectToolError(await call(context, PLACE_TOOL, { to: 'call me' }), PLACE_TOOL);
			checks.note(`${transport}: ${PLACE_TOOL} {"to":"call me"} → ${JSON.stringify(text)}`);
			const { message, details } = expectExplained(text);
			expectContains(message, '"Callee Number" (to) must be a phone number', 'message');
			expectContains(message, 'got "call me"', 'message');
			expectMatch(details, /^Nothing was sent\b/, 'description');
			expectEqual(describeRequests(requestsSince(sandbox, before)), [], 'what the sandbox received');
		});

		await checks.check(missing, async () => {
			const before = sandbox.requests.length;
			for (const [tool, key] of [[PLACE_TOOL, FROM_AI.to.key], [CANCEL_TOOL, FROM_AI.callId.key]]) {
				const text = expectToolError(await call(context, tool, {}), tool);
				checks.note(`${transport}: ${tool} {} → ${JSON.stringify(text)}`);
				expectMatch(text, /did not match expected schema/, `${tool} {} error`);
				expectMatch(text, new RegExp(`\\bat ${key}\\b`), `${tool} {} error names the argument`);
			}
			expectEqual(describeRequests(requestsSince(sandbox, before)), [], 'what the sandbox received');
		});

		await checks.check(unknownCall, async () => {
			const before = sandbox.requests.length;
			const text = expectToolError(await call(context, CANCEL_TOOL, { callId: '0123456789abcdef0123456789abcdef' }), CANCEL_TOOL);
			checks.note(`${transport}: ${CANCEL_TOOL} unknown callId → ${JSON.stringify(text)}`);
			const { message, details } = expectExplained(text);
			expectMatch(message, /^UCPaaS refused the request: 100108 /, 'message');
			expectMatch(details, /\bno call\b[^.]*\bcancel\b/i, 'description says there is no call to cancel');
			expectNoRepeatAdvice(text);
			expectEqual(describeRequests(requestsSince(sandbox, before)), ['POST /Calls/callCancel 100108'], 'what the sandbox received');
		});

		await checks.check(busy, async () => {
			const to = numbers.busy;
			const first = await placeRinging(context, to);
			const before = sandbox.requests.length;
			const text = expectToolError(await call(context, PLACE_TOOL, { to }), PLACE_TOOL);
			checks.note(`${transport}: ${PLACE_TOOL} to a ringing callee → ${JSON.stringify(text)}`);
			const { message, details } = expectExplained(text);
			expectMatch(message, /^UCPaaS refused the request: 104113 /, 'message');
			expectMatch(details, /\bno call was placed\b/i, 'description says this request placed nothing');
			expectMatch(details, /\balready in a call\b/i, 'description says the callee is in a call');
			expectNoRepeatAdvice(text);
			expectEqual(describeRequests(requestsSince(sandbox, before)), Array.from({ length: PLACE_TRIES }, () => 'POST /Calls/callBack 104113'), 'what the sandbox received (refused, so each try of Retry On Fail is sent)');
			expectEqual(sandbox.calls.filter((c) => c.to === to).length, 1, `calls to ${to} the sandbox placed`);
			await cancelThroughTool(context, first);
		});

		await checks.check(lost, async () => {
			const to = numbers.lost;
			sandbox.addFault({ match: { to }, fault: { kind: 'reset' }, processFirst: true, times: 1 });
			const before = sandbox.requests.length;
			const text = expectToolError(await call(context, PLACE_TOOL, { to }), PLACE_TOOL);
			checks.note(`${transport}: ${PLACE_TOOL} with its reply lost → ${JSON.stringify(text)}`);
			const { message } = expectExplained(text);
			expectEqual(message, 'The connection to UCPaaS was closed before the reply was complete', 'message');
			expectWarnsCallMayExist(text);
			expectNoRepeatAdvice(text);
			const sent = requestsSince(sandbox, before);
			expectEqual(sent.map((r) => [endpointOf(r), calleeOf(r), r.verdict.reason]), [['/Calls/callBack', to, 'fault:reset']], `what the sandbox received (sent once: n8n's ${PLACE_TRIES - 1} retries sent nothing)`);
			expectEqual(sandbox.calls.filter((c) => c.to === to).length, 1, `calls to ${to} the sandbox placed: the warning is true`);
			// An agent that calls again anyway makes a new tools/call, which n8n runs as a new execution:
			// a new intention, sent (the first call has ended by now: the sandbox rings for 20 ms).
			await sandbox.whenCallSettled(sandbox.calls.find((c) => c.to === to)?.callId ?? '');
			successItem(await call(context, PLACE_TOOL, { to }), PLACE_TOOL);
			expectEqual(sandbox.calls.filter((c) => c.to === to).length, 2, `calls to ${to} after the agent's deliberate second tools/call`);
		});

		await checks.check(platform, async () => {
			const cases: Array<[string, Parameters<Sandbox['addFault']>[0]['fault'], RegExp]> = [
				[numbers.http503, { kind: 'status', status: 503 }, /^UCPaaS answered HTTP 503 instead of a result$/],
				[numbers.internal, { kind: 'respCode', code: '100699' }, /^UCPaaS refused the request: 100699 /],
			];
			for (const [to, fault, expected] of cases) {
				sandbox.addFault({ match: { to }, fault, times: 1 });
				const before = sandbox.requests.length;
				const text = expectToolError(await call(context, PLACE_TOOL, { to }), PLACE_TOOL);
				checks.note(`${transport}: ${PLACE_TOOL} met by ${fault.kind} → ${JSON.stringify(text)}`);
				const { message } = expectExplained(text);
				expectMatch(message, expected, 'message');
				expectWarnsCallMayExist(text);
				expectNoRepeatAdvice(text);
				const sent = requestsSince(sandbox, before);
				expectEqual(sent.map((r) => [endpointOf(r), calleeOf(r)]), [['/Calls/callBack', to]], `what the sandbox received for ${fault.kind} (sent once despite Retry On Fail)`);
			}
		});

		await checks.check(cancelLost, async () => {
			const callId = await placeRinging(context, numbers.cancelLost);
			sandbox.addFault({ match: { path: '/Calls/callCancel' }, fault: { kind: 'reset' }, processFirst: true, times: 1 });
			const before = sandbox.requests.length;
			const text = expectToolError(await call(context, CANCEL_TOOL, { callId }), CANCEL_TOOL);
			checks.note(`${transport}: ${CANCEL_TOOL} with its reply lost → ${JSON.stringify(text)}`);
			const { message, details } = expectExplained(text);
			expectEqual(message, 'The connection to UCPaaS was closed before the reply was complete', 'message');
			expectMatch(details, /\bmay have reached UCPaaS\b/, 'says the cancel may have arrived');
			expectMatch(details, /\bmay still be ringing\b/, 'says the call may still ring');
			expectMatch(details, /\bcancel again is safe\b/, 'says cancelling again is safe');
			expectNoRepeatAdvice(text);
			const sent = requestsSince(sandbox, before);
			expectEqual(sent.map((r) => [endpointOf(r), r.verdict.reason]), [['/Calls/callCancel', 'fault:reset']], 'what the sandbox received (sent once, not retried)');
			const ended = sandbox.calls.find((c) => c.callId === callId);
			expectEqual([ended?.state, ended?.reason], ['ended', 8], 'the sandbox call [state, reason] (the cancel did arrive)');
			// The advice holds: the same cancel again changes nothing and says why.
			const again = expectToolError(await call(context, CANCEL_TOOL, { callId }), CANCEL_TOOL);
			expectMatch(again, /^NodeOperationError: UCPaaS refused the request: 100108 /, 'the second cancel');
			expectEqual(describeRequests(requestsSince(sandbox, before)).slice(1), ['POST /Calls/callCancel 100108'], 'what the second cancel sent');
		});
	} finally {
		received.push(...open.received);
		await open.close().catch(() => undefined);
	}
}
