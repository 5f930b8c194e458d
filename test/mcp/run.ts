/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- tool code: drives the n8n app and an MCP client from the command line */
/**
 * `npm run test:mcp`: the UCPaaS Callback node as AI tools in the real n8n app, reached the way an
 * agent reaches them, through n8n's MCP Server Trigger, with a real MCP client and no language model.
 *
 *   1. Node 24 and the pinned n8n app from the cache (installed on first use); the package built,
 *      packed and installed into a throwaway `.n8n/nodes` like n8n's installer does.
 *   2. The local UCPaaS sandbox, in this process, on loopback; the credential points at it.
 *   3. A workflow (./workflow.ts): MCP Server Trigger ← Place Callback and Cancel Callback tools,
 *      imported, then published over REST with its versionId, as n8n 2.41 requires.
 *   4. `@modelcontextprotocol/sdk` over Streamable HTTP, then over SSE: tools/list as an agent sees
 *      it, calls placed and cancelled, and the failures an agent must be able to act on (./toolChecks.ts).
 *   5. The executions n8n stored, a secret scan, and a check that nothing left loopback.
 * One line per check, the plain `N passed, N failed` line last, exit code 1 on any failure.
 * Nothing is left running and the user folder is removed, on success, failure and Ctrl-C.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { DEFAULT_ACCOUNT, startSandbox, type Sandbox } from '../../sandbox';
import { CheckList, expectEqual, expectTrue } from '../e2e/assertions';
import { writeCredentialImport } from '../e2e/credentials';
import { expectNoOutboundAttempts, expectNoTokenIn, processesInside } from '../e2e/hygieneChecks';
import { ensureN8nApp, N8N_VERSION, type N8nApp } from '../e2e/n8nApp';
import { startN8nServer, type RunningServer } from '../e2e/n8nServer';
import { cacheRoot } from '../e2e/nodeRuntime';
import { buildAndPack, installLikeN8n } from '../e2e/packageInstall';
import { Suite } from '../e2e/suite';
import type { N8nRestClient } from '../e2e/restClient';
import { throwawayInstance } from '../e2e/throwawayInstance';
import { waitFor } from '../e2e/waitFor';
import { expectNoRepeatAdvice, expectWarnsCallMayExist } from './agentText';
import { executionRun, listExecutions, loginAsOwner, publish } from './n8nSide';
import { runToolChecks, toolCheckNames } from './toolChecks';
import { CANCEL_NODE, FROM_AI, fromAiExpression, MCP_PATH, MCP_WORKFLOW_ID, PLACE_NODE, PLACE_TOOL, PLACE_TRIES, writeWorkflowImport } from './workflow';

const REPO = path.resolve(__dirname, '..', '..');

const CHECKS = {
	setup: `mcp: setup: Node 24 and n8n ${N8N_VERSION} installed and complete`,
	rules: 'mcp: self-test: the agent-text rules reject the old advice ("run the workflow again", "try again") and accept a warning that the call may exist',
	fromAi: "mcp: docs: the $fromAI() lines docs/ai-agents.md gives for the callee, the caller and the callId are the workflow's, word for word, and parse with n8n's own extractFromAICalls into key, description and type",
	install: 'mcp: package: built, packed and installed into .n8n/nodes like n8n does',
	imports: 'mcp: import: the credential (pointing at the sandbox) and the MCP workflow import',
	server: 'mcp: server: n8n start is ready on loopback; owner set up and logged in over REST',
	published: `mcp: publish: the workflow activates over REST with its versionId and /mcp/${MCP_PATH} gets registered`,
	executions: 'mcp: executions: each tool call was one webhook execution, all "success" even when the tool failed; the failure is only in the tool node\'s run',
	secrets: 'mcp: secrets: the Auth Token appears in nothing n8n printed and nothing the MCP client received',
	network: 'mcp: network: n8n sent nothing beyond loopback (every proxy points at a closed port; none was tried)',
	cleanup: 'mcp: cleanup: n8n and its task runners stopped, sandbox stopped, user folder removed',
};

const TRANSPORTS = ['http', 'sse'] as const;

const suite = new Suite('mcp', { stopping: 'stopping n8n and the sandbox, removing the user folder' });
const { cleanups } = suite;
const cleanUp = () => cleanups.run();

/** The app's own parser of `$fromAI()` calls (n8n-workflow from-ai-parse-utils.js). */
function appFromAiParser(app: N8nApp): (text: string) => Array<{ key: string; description?: string; type?: string }> {
	const requireFromN8n = createRequire(path.join(app.dir, 'node_modules', 'n8n', 'package.json'));
	const workflow = requireFromN8n('n8n-workflow') as { extractFromAICalls(text: string): Array<{ key: string; description?: string; type?: string }> };
	return (text) => workflow.extractFromAICalls(text);
}

/** Registered once an OPTIONS request with an Origin header answers with the allowed methods (webhook-request-handler.js setupCorsHeaders). */
async function mcpRegistered(url: string, origin: string): Promise<true | undefined> {
	try {
		const probe = await fetch(url, { method: 'OPTIONS', headers: { origin }, signal: AbortSignal.timeout(5_000) });
		const allowed = (probe.headers.get('access-control-allow-methods') ?? '').split(/,\s*/);
		return probe.status === 204 && allowed.includes('POST') ? true : undefined;
	} catch {
		return undefined;
	}
}

async function main(): Promise<number> {
	const list = suite.checks;
	console.log(`mcp: UCPaaS Callback as AI tools behind n8n ${N8N_VERSION}'s MCP Server Trigger (cache ${cacheRoot()})`);
	const allToolChecks = TRANSPORTS.flatMap((t) => toolCheckNames(t));

	await list.check(CHECKS.rules, () => {
		const rejects = (text: string, rule: (t: string) => void) => {
			let threw = false;
			try {
				rule(text);
			} catch {
				threw = true;
			}
			expectTrue(threw, `the rule accepted ${JSON.stringify(text)}`);
		};
		// The texts the field notes recorded before the rewrite.
		rejects('The request may have reached UCPaaS: before running the workflow again, check the UCPaaS call records (or the hang-up push) so that nobody is called twice.', expectNoRepeatAdvice);
		rejects('Fix the value (or the expression that produces it) and run again.', expectNoRepeatAdvice);
		rejects('UCPaaS reported an internal error: try again later.', expectNoRepeatAdvice);
		rejects('The network or the platform dropped the connection.', expectWarnsCallMayExist);
		expectNoRepeatAdvice('Do not send it again until the UCPaaS call records show what happened. Leave Retry On Fail off.');
		expectWarnsCallMayExist('The request may have reached UCPaaS, and the phones may be ringing. Do not send it again until the UCPaaS call records show what happened.');
	});

	let app: N8nApp | undefined;
	await list.check(CHECKS.setup, async () => {
		app = await ensureN8nApp();
	});
	if (!app) return finish(list, [CHECKS.fromAi, CHECKS.install, CHECKS.imports, CHECKS.server, CHECKS.published, ...allToolChecks, CHECKS.executions]);
	const runtime = app.runtime;

	await list.check(CHECKS.fromAi, () => {
		const parse = appFromAiParser(app as N8nApp);
		const page = readFileSync(path.join(REPO, 'docs', 'ai-agents.md'), 'utf8');
		for (const which of Object.keys(FROM_AI) as Array<keyof typeof FROM_AI>) {
			const expression = fromAiExpression(which);
			expectTrue(page.includes(expression), `docs/ai-agents.md does not give ${expression} (the line users paste and this run proves must be the same)`);
			expectEqual(parse(expression), [{ key: FROM_AI[which].key, description: FROM_AI[which].description, type: 'string' }], `parsed ${expression}`);
		}
	});

	const sandbox: Sandbox = await startSandbox({ host: '127.0.0.1', port: 0, quiet: true });
	cleanups.push(() => sandbox.stop());
	const { instance, packDir } = await throwawayInstance(app, cleanups);
	list.note(`sandbox ${sandbox.url}; N8N_USER_FOLDER ${instance.userFolder}`);
	const received: string[] = [];
	closingChecks = async (checkList) => {
		await checkList.check(CHECKS.secrets, () => {
			expectNoTokenIn(instance.transcript);
			const leaks = received.filter((text) => text.includes(DEFAULT_ACCOUNT.authToken)).length;
			expectEqual(leaks, 0, `MCP replies containing the Auth Token (of ${received.length})`);
		});
		await checkList.check(CHECKS.network, () => expectNoOutboundAttempts(instance.transcript));
		await checkList.check(CHECKS.cleanup, async () => {
			const folder = instance.userFolder;
			await cleanUp();
			expectEqual(processesInside(folder), [], 'processes left in the user folder');
			expectTrue(!existsSync(folder), `${folder} still exists`);
		});
	};

	const ready =
		(await list.check(CHECKS.install, async () => {
			const pkg = await buildAndPack(REPO, packDir);
			// A tarball without the node would only show up later, as "Unrecognized node type" on publish.
			const needed = ['dist/nodes/UcpaasCallback/UcpaasCallback.node.js', 'dist/credentials/UcpaasApi.credentials.js'];
			const missing = needed.filter((file) => !pkg.files.includes(file));
			expectEqual(missing, [], `files missing from the tarball (${pkg.files.length} files; was dist/ rebuilt by another run while this one packed?)`);
			await installLikeN8n(pkg, instance.nodesDir, runtime);
		})) &&
		(await list.check(CHECKS.imports, async () => {
			const credentials = await instance.cli(['import:credentials', '--input', writeCredentialImport(instance.userFolder, sandbox.url)]);
			expectEqual(credentials.code, 0, `import:credentials exit code (${credentials.stderr.trim().split('\n').slice(-3).join(' | ')})`);
			expectTrue(credentials.logs.some((l) => l.message === 'Successfully imported 1 credential.'), 'n8n did not report "Successfully imported 1 credential."');
			const workflow = await instance.cli(['import:workflow', '--input', writeWorkflowImport(instance.userFolder)]);
			expectEqual(workflow.code, 0, `import:workflow exit code (${workflow.stderr.trim().split('\n').slice(-3).join(' | ')})`);
			expectTrue(workflow.logs.some((l) => l.message === 'Successfully imported 1 workflow.'), 'n8n did not report "Successfully imported 1 workflow."');
		}));
	if (!ready) return finish(list, [CHECKS.server, CHECKS.published, ...allToolChecks, CHECKS.executions]);

	let server: RunningServer | undefined;
	let rest: N8nRestClient | undefined;
	cleanups.push(async () => server?.stop());
	const up = await list.check(CHECKS.server, async () => {
		server = await startN8nServer(instance);
		rest = await loginAsOwner(server);
	});
	const running = server;
	const client = rest;
	const mcpUrl = running ? `${running.url}/mcp/${MCP_PATH}` : '';
	const published =
		up &&
		running !== undefined &&
		client !== undefined &&
		(await list.check(CHECKS.published, async () => {
			await publish(client, MCP_WORKFLOW_ID);
			await waitFor(`OPTIONS ${mcpUrl} answering with POST allowed`, 30_000, () => mcpRegistered(mcpUrl, running.url), () => {
				const tail = running.logs().slice(-8);
				return tail.length ? `; server log:\n${tail.map((l) => `${l.level}: ${l.message}`).join('\n')}` : '';
			});
		}));

	const toolCalls: Array<{ transport: 'http' | 'sse'; tool: string; isError: boolean }> = [];
	if (!published || !client) {
		for (const name of [...allToolChecks, CHECKS.executions]) list.skip(name, 'the MCP workflow was not published');
	} else {
		for (const transport of TRANSPORTS) await runToolChecks(mcpUrl, transport, sandbox, list, toolCalls, received);
		await list.check(CHECKS.executions, () => checkExecutions(client, app as N8nApp, toolCalls));
	}
	await server?.stop();
	return finish(list);
}

/**
 * Every tool call is one production execution (mode webhook). n8n marks them all "success": the
 * MCP trigger answered, and a tool's failure is a result it handed back. Only the tool node's own
 * run says "error". Shown in the README, so that users know where to look.
 */
async function checkExecutions(rest: N8nRestClient, app: N8nApp, toolCalls: Array<{ tool: string; isError: boolean }>): Promise<void> {
	const stored = await waitFor(`${toolCalls.length} finished executions of ${MCP_WORKFLOW_ID}`, 30_000, async () => {
		const found = await listExecutions(rest, MCP_WORKFLOW_ID);
		return found.length >= toolCalls.length && found.every((e) => e.status !== 'running' && e.status !== 'new') ? found : undefined;
	});
	expectEqual(stored.length, toolCalls.length, `executions (one per tool call: ${toolCalls.map((c) => c.tool).join(', ')})`);
	const statuses = [...new Set(stored.map((e) => `${e.mode}/${e.status}`))];
	expectEqual(statuses, ['webhook/success'], 'mode/status of the executions');
	// The "call me" one: its Place Callback run failed, the execution did not.
	let found = false;
	for (const summary of stored) {
		const { run } = await executionRun(rest, app, summary.id);
		const placeRuns = run.resultData.runData[PLACE_NODE] ?? [];
		const input = placeRuns[0]?.inputOverride?.ai_tool?.[0]?.[0]?.json;
		if (input?.to !== 'call me') continue;
		found = true;
		// Retry On Fail tries it PLACE_TRIES times (each refused before anything is sent), one run each.
		expectEqual(placeRuns.map((r) => r.executionStatus), Array.from({ length: PLACE_TRIES }, () => 'error'), `"${PLACE_NODE}" run status in execution ${summary.id}`);
		expectTrue(run.resultData.error === undefined, `execution ${summary.id} has a workflow-level error`);
		expectTrue(!(CANCEL_NODE in run.resultData.runData), `execution ${summary.id} also ran "${CANCEL_NODE}"`);
		break;
	}
	expectTrue(found, `no stored execution holds the ${PLACE_TOOL} {"to":"call me"} run`);
}

/** Set once there is an n8n instance: the secret and network scans and the cleanup check. */
let closingChecks: ((list: CheckList) => Promise<void>) | undefined;

async function finish(list: CheckList, skipped: string[] = []): Promise<number> {
	for (const name of skipped) list.skip(name, 'an earlier step failed');
	if (closingChecks) await closingChecks(list);
	else for (const name of [CHECKS.secrets, CHECKS.network, CHECKS.cleanup]) list.skip(name, 'there was no n8n instance');
	return suite.finish();
}

suite.run(main);
