/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tool code: writes a workflow file for the n8n app's command line */
/**
 * The workflows in ./workflows, each run headless with `n8n execute --id <id> --rawOutput`, and
 * what must be true of each run and of what the sandbox received. Callee numbers are distinct per
 * workflow (the sandbox, like UCPaaS, refuses a second call to a callee still in a call) and must
 * match the fixtures.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { DEFAULT_ACCOUNT, type Sandbox, type SimulatedCall } from '../../sandbox';
import { expectedRecordingSig, recordingWav } from '../../sandbox/recordings';
import { expectContains, expectEqual, expectMatch, expectTrue, type CheckList } from './assertions';
import type { CliRun, N8nInstance } from './n8nInstance';
import type { N8nProfile } from './n8nVersions';
import { nodeRan, outputOf, pairedIndex, workflowRunOf, type RunItem, type WorkflowRun } from './runData';
import { callBacks, calleeOf, endpointOf, expectSigned, expectSignedAndAccepted } from './sandboxRecords';

const NODE = 'UCPaaS Callback';
const CALL_ID = /^[0-9a-f]{32}$/;
const BEIJING_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;
const REFUSED_103126 = /^UCPaaS refused the request: 103126 /;

interface Execution {
	cli: CliRun;
	run: WorkflowRun;
	/** What this n8n's line does differently (n8nVersions.ts), for the checks whose expectation depends on it. */
	profile: N8nProfile;
	/** Lines a check adds, printed after the scenario's checks (e.g. the binary-data mode it saw). */
	notes: string[];
}

interface Scenario {
	workflowId: string;
	/** Fixture file in ./workflows. */
	file: string;
	/** Runs before `n8n execute`; a failure fails every check of the scenario. */
	prepare?: (sandbox: Sandbox, instance: N8nInstance) => void | Promise<void>;
	checks: Array<[name: string, assert: (execution: Execution, sandbox: Sandbox) => void | Promise<void>]>;
}

function expectSucceeded({ cli, run }: Execution): void {
	expectEqual(cli.code, 0, 'exit code of n8n execute');
	expectEqual(run.status, 'success', 'execution status');
}

function expectPlacedCall(item: RunItem, sandbox: Sandbox, to: string, userData: string): void {
	expectMatch(item.json.callId, CALL_ID, 'callId (32 lower-case hex)');
	expectEqual(item.json.respCode, '000000', 'respCode');
	expectMatch(item.json.createDate, BEIJING_ISO, 'createDate (ISO-8601, +08:00)');
	expectEqual([item.json.appId, item.json.fromClient, item.json.to, item.json.userData], [DEFAULT_ACCOUNT.appId, DEFAULT_ACCOUNT.clientNumber, to, userData], '[appId, fromClient, to, userData]');
	const call = sandbox.calls.find((c) => c.callId === item.json.callId);
	expectTrue(call, `the sandbox placed no call with callId ${String(item.json.callId)}`);
	expectEqual([call.to, call.userData], [to, userData], 'the call the sandbox placed [to, userData]');
}

const leadsTo = (prefix: string) => [`${prefix}1`, `${prefix}2`, `${prefix}3`];

/** Scenario f: a fresh callee whose call rings for 10 s, so the cancel finds it still ringing. */
const CANCEL_CALLEE = '13912340041';
const CANCEL_NODE = 'Cancel Callback';
const RING_MS = 10_000;

/** The call placed by scenario f, from the first node's output. */
function cancelledCallId(run: WorkflowRun): string {
	const [placed] = outputOf(run, NODE);
	expectTrue(placed, `"${NODE}" produced no item`);
	expectMatch(placed.json.callId, CALL_ID, 'callId (32 lower-case hex)');
	return placed.json.callId as string;
}

/**
 * Without a push URL a cancelled call ends and settles while the sandbox answers callCancel, so
 * it is over before `n8n execute` exits; one still ringing here was not cancelled (and would ring
 * on for 10 s before being answered).
 */
async function settledCall(sandbox: Sandbox, callId: string): Promise<SimulatedCall> {
	const call = sandbox.calls.find((c) => c.callId === callId);
	expectTrue(call, `the sandbox placed no call with callId ${callId}`);
	expectEqual([call.state, call.settled], ['ended', true], `call ${callId} [state, settled] once the run is over`);
	return await sandbox.whenCallSettled(callId);
}

/** Scenario g: a call recorded by the application setting (the sandbox's `record`), 3 s long. */
const RECORDED_CALLEE = '13912340061';
const RECORDED_SECONDS = 3;
const DOWNLOAD_NODE = 'Download Recording';
const FOREIGN_NODE = 'Download From Elsewhere';
const RECORDING_FILE = 'download-recording.json';
/** The fixture names the sandbox by this placeholder: its port is only known once it runs. */
const SANDBOX_PLACEHOLDER = '__SANDBOX_URL__';

/** Imports the recording workflow again with the sandbox's URL in its Recording URL expression. */
async function importWithSandboxUrl(sandbox: Sandbox, instance: N8nInstance): Promise<void> {
	const fixture = readFileSync(path.join(__dirname, 'workflows', RECORDING_FILE), 'utf8');
	expectTrue(fixture.includes(SANDBOX_PLACEHOLDER), `${RECORDING_FILE} has no ${SANDBOX_PLACEHOLDER}`);
	const file = path.join(instance.userFolder, RECORDING_FILE);
	writeFileSync(file, fixture.split(SANDBOX_PLACEHOLDER).join(sandbox.url));
	const cli = await instance.cli(['import:workflow', '--input', file]);
	expectEqual(cli.code, 0, `n8n import:workflow --input ${RECORDING_FILE} (with the sandbox URL)`);
}

function recordedCall(run: WorkflowRun, sandbox: Sandbox): SimulatedCall {
	const [placed] = outputOf(run, NODE);
	expectTrue(placed, `"${NODE}" produced no item`);
	const call = sandbox.calls.find((c) => c.callId === placed.json.callId);
	expectTrue(call, `the sandbox placed no call with callId ${String(placed.json.callId)}`);
	return call;
}

export const SCENARIOS: Scenario[] = [
	{
		workflowId: 'e2eUcpaasJson01',
		file: 'place-json.json',
		checks: [
			[
				'a. JSON: Manual Trigger → UCPaaS Callback outputs callId, respCode 000000, createDate +08:00',
				(execution, sandbox) => {
					expectSucceeded(execution);
					const items = outputOf(execution.run, NODE);
					expectEqual(items.length, 1, 'output items');
					expectPlacedCall(items[0], sandbox, '13912340001', 'e2e-json');
				},
			],
			[
				'a. JSON: the sandbox got one correctly signed JSON callBack (verdict ok)',
				(_execution, sandbox) => {
					const requests = callBacks(sandbox, ['13912340001']);
					expectEqual(requests.length, 1, 'callBack requests to 13912340001');
					expectSignedAndAccepted(requests[0], 'json');
					expectEqual(JSON.parse(requests[0].body), { callback: { appId: DEFAULT_ACCOUNT.appId, fromClient: DEFAULT_ACCOUNT.clientNumber, to: '13912340001', maxallowtime: '120', userData: 'e2e-json' } }, 'request body');
				},
			],
		],
	},
	{
		workflowId: 'e2eUcpaasXml001',
		file: 'place-xml.json',
		checks: [
			[
				'b. XML: the same call with Body Format XML outputs callId, respCode 000000, createDate +08:00',
				(execution, sandbox) => {
					expectSucceeded(execution);
					const items = outputOf(execution.run, NODE);
					expectEqual(items.length, 1, 'output items');
					expectPlacedCall(items[0], sandbox, '13912340002', 'e2e-xml');
				},
			],
			[
				'b. XML: the sandbox got one correctly signed XML callBack (format xml, verdict ok)',
				(_execution, sandbox) => {
					const requests = callBacks(sandbox, ['13912340002']);
					expectEqual(requests.length, 1, 'callBack requests to 13912340002');
					expectSignedAndAccepted(requests[0], 'xml');
					expectMatch(requests[0].body, /^<\?xml [^>]*\?><callback><appId>\w{32}<\/appId><fromClient>\d{14}<\/fromClient><to>13912340002<\/to><userData>e2e-xml<\/userData><\/callback>$/, 'request body');
				},
			],
		],
	},
	{
		workflowId: 'e2eUcpaasBatch1',
		file: 'expression-batch.json',
		checks: [
			[
				'c. expressions: Code (3 leads) → UCPaaS Callback {{ $json.phone }} / {{ $json.id }} outputs 3 calls, in order',
				(execution, sandbox) => {
					expectSucceeded(execution);
					const items = outputOf(execution.run, NODE);
					expectEqual(
						items.map((i) => [i.json.to, i.json.userData, pairedIndex(i)]),
						[
							['13912340011', 'lead-1', 0],
							['13912340012', 'lead-2', 1],
							['13912340013', 'lead-3', 2],
						],
						'[to, userData, pairedItem] per output item',
					);
					items.forEach((item, index) => expectPlacedCall(item, sandbox, leadsTo('1391234001')[index], `lead-${index + 1}`));
					expectEqual(new Set(items.map((i) => i.json.callId)).size, 3, 'distinct callIds');
				},
			],
			[
				'c. expressions: the sandbox got 3 signed callBacks, one per lead, numbers normalised (+86 139 1234 0011 → 13912340011)',
				(_execution, sandbox) => {
					const requests = callBacks(sandbox, leadsTo('1391234001'));
					expectEqual(requests.map(calleeOf), leadsTo('1391234001'), 'callees in request order');
					for (const request of requests) expectSignedAndAccepted(request, 'json');
				},
			],
		],
	},
	{
		workflowId: 'e2eUcpaasErrOut',
		file: 'error-branch.json',
		prepare: (sandbox) => sandbox.addFault({ match: { to: '13912340022' }, fault: { kind: 'respCode', code: '103126' } }),
		checks: [
			[
				'd. continue (using error output): the 103126 item lands on "Failed", the other two on "Placed"',
				(execution, sandbox) => {
					expectSucceeded(execution);
					const placed = outputOf(execution.run, 'Placed');
					const failed = outputOf(execution.run, 'Failed');
					expectEqual(placed.map((i) => i.json.to), ['13912340021', '13912340023'], 'callees on the success branch ("Placed")');
					placed.forEach((item, index) => expectPlacedCall(item, sandbox, ['13912340021', '13912340023'][index], ['lead-1', 'lead-3'][index]));
					expectEqual(failed.length, 1, 'items on the error branch ("Failed")');
					expectMatch(failed[0].json.message, REFUSED_103126, 'message of the failed item');
					// The facts as data, for an IF node: refused by the platform, so certainly no call.
					const facts = failed[0].json.error as { respCode?: unknown; callMayHaveBeenPlaced?: unknown } | undefined;
					expectEqual([facts?.respCode, facts?.callMayHaveBeenPlaced], ['103126', false], 'error.respCode and error.callMayHaveBeenPlaced of the failed item');
					expectEqual(outputOf(execution.run, NODE, 1).map(pairedIndex), [1], 'pairedItem of the error output');
					expectEqual(callBacks(sandbox, leadsTo('1391234002')).map(calleeOf), leadsTo('1391234002'), 'callBacks the sandbox received');
				},
			],
			// n8n-core merges the input item's fields into an error-output item (workflow-execute.js
			// handleNodeErrorOutput), then normalizeNodeErrors sets the JSON of every item that carries
			// an `error` property to { error: message }, dropping them again.
			[
				'd. the failed item keeps the lead\'s fields ({ message, error, …your input fields }), so a retry branch can map {{ $json.phone }}',
				(execution) => {
					const [failed] = outputOf(execution.run, 'Failed');
					expectTrue(failed, 'nothing reached "Failed"');
					expectEqual({ phone: failed.json.phone, id: failed.json.id }, { phone: '13912340022', id: 'lead-2' }, `input fields on the failed item ${JSON.stringify(Object.keys(failed.json))}`);
				},
			],
		],
	},
	{
		workflowId: 'e2eUcpaasErrStp',
		file: 'error-stops.json',
		prepare: (sandbox) => sandbox.addFault({ match: { to: '13912340032' }, fault: { kind: 'respCode', code: '103126' } }),
		checks: [
			[
				'e. without continue: the run fails, exit code ≠ 0, the console shows the 103126 message, nothing after it runs',
				({ cli, run }, sandbox) => {
					expectTrue(cli.code !== 0, `n8n execute exited with ${cli.code}; a failed run must exit non-zero`);
					expectEqual(run.status, 'error', 'execution status');
					const error = run.data.resultData.error;
					expectMatch(error?.message, REFUSED_103126, 'the run error');
					expectEqual(run.data.resultData.lastNodeExecuted, NODE, 'last node executed');
					expectTrue(!nodeRan(run, 'Placed'), '"Placed" must not run after a failed UCPaaS Callback');
					const shown = cli.logs.filter((l) => l.level === 'error').map((l) => l.message);
					expectTrue(shown.some((m) => REFUSED_103126.test(m) && /whitelist/i.test(m)), `no error line on the console names 103126 and the whitelist: ${JSON.stringify(shown)}`);
					const first = sandbox.calls.find((c) => c.to === '13912340031');
					expectTrue(first, 'the first lead was not called');
					expectContains(error?.description ?? '', `Item 1: callId ${first.callId} to 13912340031`, 'error description (calls already placed)');
					expectEqual(callBacks(sandbox, leadsTo('1391234003')).map(calleeOf), ['13912340031', '13912340032'], 'callBacks sent (sequential: none after the failure)');
				},
			],
		],
	},
	{
		workflowId: 'e2eUcpaasRetry1',
		file: 'retry-on-fail.json',
		prepare: (sandbox) => {
			// Lead 2: refused once (certainly not placed), then accepted. Lead 3: placed, its reply lost.
			sandbox.addFault({ match: { to: '13912340072' }, fault: { kind: 'respCode', code: '104113' }, times: 1 });
			sandbox.addFault({ match: { to: '13912340073' }, fault: { kind: 'reset' }, processFirst: true, times: 1 });
		},
		checks: [
			[
				'h. Retry On Fail (3 tries): every lead rang at most once; the refused lead was sent again and placed, the lead whose reply was lost was not sent again, the lead after it never',
				({ cli, run }, sandbox) => {
					const perLead = ['13912340071', '13912340072', '13912340073', '13912340074'].map((to) => [callBacks(sandbox, [to]).length, sandbox.calls.filter((c) => c.to === to).length]);
					expectEqual(perLead, [[1, 1], [2, 1], [1, 1], [0, 0]], 'per lead: [callBack requests, calls placed]');
					expectTrue(cli.code !== 0, `n8n execute exited with ${cli.code}; the run must fail on the lead whose reply was lost`);
					const error = run.data.resultData.error;
					expectMatch(error?.message, /^The connection to UCPaaS was closed before the reply was complete$/, 'the run error');
					const description = error?.description ?? '';
					expectContains(description, 'may have reached UCPaaS, and the phones may be ringing', 'error description');
					expectContains(description, 'not sent again when n8n ran this node again', 'error description');
					for (const [index, to] of [[1, '13912340071'], [2, '13912340072']] as const) {
						const call = sandbox.calls.find((c) => c.to === to);
						expectTrue(call, `lead ${index} was not called`);
						expectContains(description, `Item ${index}: callId ${call.callId} to ${to}`, 'error description (calls already placed, with their first callIds)');
					}
				},
			],
		],
	},
	{
		workflowId: 'e2eUcpaasCancel',
		file: 'place-mobile-cancel.json',
		prepare: (sandbox) =>
			sandbox.addFault({ match: { to: CANCEL_CALLEE }, fault: { kind: 'outcome', call: { outcome: 'answered', delays: { ringMs: RING_MS, talkMs: 10 } } }, times: 1 }),
		checks: [
			[
				'f. by mobile: Place Callback with Caller Given As Mobile (+86 13800138000) outputs the looked-up fromClient, callerMobile, clientCreated false',
				(execution, sandbox) => {
					expectSucceeded(execution);
					const items = outputOf(execution.run, NODE);
					expectEqual(items.length, 1, 'output items');
					expectPlacedCall(items[0], sandbox, CANCEL_CALLEE, 'e2e-cancel');
					const { fromClient, callerMobile, clientCreated } = items[0].json;
					expectEqual({ fromClient, callerMobile, clientCreated }, { fromClient: DEFAULT_ACCOUNT.clientNumber, callerMobile: DEFAULT_ACCOUNT.mobile, clientCreated: false }, 'caller fields');
				},
			],
			[
				'f. by mobile: the sandbox saw ClientsByMobile, then callBack (10 s ring), then callCancel for that callId, each signed and answered 000000',
				(execution, sandbox) => {
					const callId = cancelledCallId(execution.run);
					const seen = sandbox.requests.filter(
						(r) =>
							(endpointOf(r) === '/ClientsByMobile' && r.query.mobile === DEFAULT_ACCOUNT.mobile) ||
							(endpointOf(r) === '/Calls/callBack' && calleeOf(r) === CANCEL_CALLEE) ||
							(endpointOf(r) === '/Calls/callCancel' && r.body.includes(callId)),
					);
					expectEqual(seen.map((r) => `${r.method} ${endpointOf(r)}`), ['GET /ClientsByMobile', 'POST /Calls/callBack', 'POST /Calls/callCancel'], 'requests in order');
					const [lookup, callBack, cancel] = seen;
					expectEqual(lookup.query, { ...lookup.query, appId: DEFAULT_ACCOUNT.appId, mobile: DEFAULT_ACCOUNT.mobile }, 'ClientsByMobile query (mobile without +86)');
					expectSigned(lookup);
					expectSignedAndAccepted(callBack, 'json', 'fault:outcome');
					expectEqual(JSON.parse(callBack.body), { callback: { appId: DEFAULT_ACCOUNT.appId, fromClient: DEFAULT_ACCOUNT.clientNumber, to: CANCEL_CALLEE, userData: 'e2e-cancel' } }, 'callBack body');
					expectSignedAndAccepted(cancel, 'json');
					expectEqual(JSON.parse(cancel.body), { callCancel: { appId: DEFAULT_ACCOUNT.appId, callId } }, 'callCancel body');
				},
			],
			[
				'f. cancel: Cancel Callback ({{ $json.callId }}) outputs { callId, cancelled: true, respCode 000000, appId }; the ringing call ends with reason 8 (cancelled)',
				async (execution, sandbox) => {
					const callId = cancelledCallId(execution.run);
					expectEqual(outputOf(execution.run, CANCEL_NODE).map((i) => i.json), [{ callId, cancelled: true, respCode: '000000', appId: DEFAULT_ACCOUNT.appId }], `"${CANCEL_NODE}" output`);
					expectEqual(outputOf(execution.run, CANCEL_NODE).map(pairedIndex), [0], 'pairedItem');
					const call = await settledCall(sandbox, callId);
					expectEqual(call.simulation.delays.ringMs, RING_MS, 'ring time of the call (the outcome fault applied)');
					expectEqual({ state: call.state, reason: call.reason, length: call.length }, { state: 'ended', reason: 8, length: 0 }, 'the call as the sandbox ended it');
				},
			],
		],
	},
	{
		workflowId: 'e2eUcpaasRecord',
		file: RECORDING_FILE,
		prepare: async (sandbox, instance) => {
			sandbox.addFault({
				match: { to: RECORDED_CALLEE },
				fault: { kind: 'outcome', call: { outcome: 'answered', record: true, talkSeconds: RECORDED_SECONDS, delays: { ringMs: 10, talkMs: 10 } } },
				times: 1,
			});
			await importWithSandboxUrl(sandbox, instance);
		},
		checks: [
			[
				'g. recording: Place Callback → Wait → Download Recording outputs { callId, fileName <callId>.wav, mimeType audio/wav, bytes } and a binary "recording" kept where the line\'s default binary-data mode puts it (2.x filesystem: on disk, not in the run data; 1.x default: in memory, base64 in the run data, byte for byte)',
				(execution, sandbox) => {
					expectSucceeded(execution);
					const call = recordedCall(execution.run, sandbox);
					expectEqual([call.state, call.recordUrl], ['ended', `${sandbox.url}/recordings/${call.callId}.wav`], 'the call [state, recordUrl]');
					const items = outputOf(execution.run, DOWNLOAD_NODE);
					expectEqual(items.length, 1, `"${DOWNLOAD_NODE}" output items`);
					const bytes = recordingWav(call.callId, RECORDED_SECONDS).length;
					expectEqual(items[0].json, { callId: call.callId, fileName: `${call.callId}.wav`, mimeType: 'audio/wav', bytes }, `"${DOWNLOAD_NODE}" JSON`);
					const binary = (items[0] as { binary?: Record<string, Record<string, unknown>> }).binary?.recording;
					expectTrue(binary, `"${DOWNLOAD_NODE}" output has no binary "recording"`);
					const { mimeType, fileName, fileExtension, id, data } = binary;
					expectEqual({ mimeType, fileName, fileExtension }, { mimeType: 'audio/wav', fileName: `${call.callId}.wav`, fileExtension: 'wav' }, 'binary metadata');
					const seen = typeof id === 'string' ? id.split(':')[0] : 'default (no storage id)';
					execution.notes.push(`recording: binary-data mode seen ${seen}, ${String(data).length} characters in the run data; n8n ${execution.profile.version}'s default is ${execution.profile.binaryDataMode}`);
					if (execution.profile.binaryDataMode === 'filesystem') {
						expectMatch(id, /^filesystem(-v2)?:/, 'binary id (stored by n8n\'s filesystem mode)');
						expectTrue(typeof data === 'string' && data.length < 100, `binary data is held in the run data (${String(data).length} characters)`);
					} else {
						// 1.x's default mode: no storage id, the whole file base64 in the item (and so in the stored execution).
						expectEqual(id, undefined, 'binary id (the in-memory mode stores nothing)');
						const held = Buffer.from(String(data), 'base64');
						expectEqual([held.length, held.equals(recordingWav(call.callId, RECORDED_SECONDS))], [bytes, true], '[bytes, identical to the sandbox\'s file] of the base64 in the run data');
					}
				},
			],
			[
				'g. recording: Extract From File reads the stored file back, byte for byte the sandbox\'s WAV of that call',
				(execution, sandbox) => {
					const call = recordedCall(execution.run, sandbox);
					const [read] = outputOf(execution.run, 'Read Back');
					expectTrue(read, '"Read Back" produced no item');
					const stored = Buffer.from(String(read.json.base64), 'base64');
					const expected = recordingWav(call.callId, RECORDED_SECONDS);
					expectEqual([stored.length, stored.equals(expected)], [expected.length, true], '[bytes, identical to the sandbox\'s file]');
				},
			],
			[
				'g. recording: the sandbox got one GET /recordings/<callId>.wav, sig = MD5(sid + callId + token), no Authorization, answered with the file',
				(execution, sandbox) => {
					const call = recordedCall(execution.run, sandbox);
					const downloads = sandbox.requests.filter((r) => r.path.startsWith('/recordings/'));
					expectEqual(downloads.map((r) => `${r.method} ${r.path}`), [`GET /recordings/${call.callId}.wav`], 'recording requests');
					const [request] = downloads;
					expectEqual(request.query, { sig: expectedRecordingSig(DEFAULT_ACCOUNT.accountSid, call.callId, DEFAULT_ACCOUNT.authToken) }, 'query');
					expectEqual(Object.keys(request.headers).filter((h) => /^(authorization|x-ucpaas)/i.test(h)), [], 'Authorization or marker headers');
					expectEqual(request.verdict, { respCode: '', ok: true, reason: 'recording' }, 'sandbox verdict');
					expectTrue(!execution.cli.stdout.includes(String(request.query.sig)) && !execution.cli.stderr.includes(String(request.query.sig)), 'the recording sig appears in what n8n printed');
				},
			],
			[
				'g. recording: a Recording URL on another host is refused on the error output ("Item 1: … not the platform"), nothing sent',
				(execution) => {
					const failed = outputOf(execution.run, FOREIGN_NODE, 1);
					expectEqual(failed.length, 1, `"${FOREIGN_NODE}" error-output items`);
					expectMatch(failed[0].json.message, /^Item 1: "Recording URL" \(recordingUrl\) is on https:\/\/recordings\.example\.com, which is not the platform/, 'message');
					expectEqual(outputOf(execution.run, FOREIGN_NODE, 0), [], `"${FOREIGN_NODE}" success output`);
				},
			],
		],
	},
];

export async function runScenarios(instance: N8nInstance, sandbox: Sandbox, checks: CheckList): Promise<void> {
	for (const scenario of SCENARIOS) {
		let execution: Execution | undefined;
		let failure: unknown;
		try {
			await scenario.prepare?.(sandbox, instance);
			const cli = await instance.cli(['execute', '--id', scenario.workflowId, '--rawOutput'], 120_000);
			checks.note(`n8n execute --id ${scenario.workflowId} (${scenario.file}): exit ${cli.code ?? `by ${cli.signal}`}, ${(cli.ms / 1000).toFixed(1)} s`);
			execution = { cli, run: workflowRunOf(cli, instance.app.profile), profile: instance.app.profile, notes: [] };
		} catch (error) {
			failure = error;
		}
		for (const [name, assert] of scenario.checks) {
			await checks.check(name, () => {
				if (!execution) throw failure instanceof Error ? failure : new Error(String(failure));
				return assert(execution, sandbox);
			});
		}
		for (const note of execution?.notes ?? []) checks.note(note);
	}
}

export const scenarioCheckNames = (): string[] => SCENARIOS.flatMap((s) => s.checks.map(([name]) => name));
