/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- tool code: takes the docs' pictures in the real editor from the command line */
/**
 * `npm run docs:images`: the docs' pictures, taken in the real n8n editor by the UI suite's own
 * machinery (test/ui: Debian's Chromium, the editor helpers; test/e2e: the cached app, the packed
 * package installed like n8n does, the throwaway instance):
 *   - docs/images/workflow.png (README): the canvas of ./docs-images/readmeWorkflow.ts after a
 *     run: a web form's lead called back by UCPaaS Callback, and the UCPaaS Callback Trigger's
 *     hang-up branch;
 *   - docs/images/node-panel.png (README): the UCPaaS Callback panel of that run: the lead in,
 *     Place Callback with the callee expression, the caller and the options, the callId out;
 *   - docs/images/place-and-wait.png (docs/place-and-wait.md): the canvas of the one-workflow flow
 *     of ./docs-images/placeAndWaitWorkflow.ts (the e2e fixture) after Execute workflow: three
 *     leads through Loop Over Items into Place Callback and Wait, each run resumed by its Call
 *     Ended, which the sandbox pushes to a published UCPaaS Callback Trigger workflow; two
 *     answered, one not.
 * The calls go to the local sandbox (seeded, so the callIds are the same on every run). Only these
 * three files are written, and only when all pictures were taken; nothing is left running.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { Page } from 'playwright-core';

import { startSandbox, type Sandbox } from '../sandbox';
import { expectContains, expectEqual, expectTrue } from '../test/e2e/assertions';
import { processesInside } from '../test/e2e/hygieneChecks';
import { ensureN8nApp, N8N_VERSION } from '../test/e2e/n8nApp';
import type { N8nInstance } from '../test/e2e/n8nInstance';
import { startN8nServer } from '../test/e2e/n8nServer';
import { buildAndPack, installLikeN8n } from '../test/e2e/packageInstall';
import type { N8nRestClient } from '../test/e2e/restClient';
import type { WorkflowRun } from '../test/e2e/runData';
import { Suite } from '../test/e2e/suite';
import { ensureDebianPackages } from '../test/e2e/systemPackages';
import { throwawayInstance } from '../test/e2e/throwawayInstance';
import { flattedParse } from '../test/e2e/triggerChecks';
import { waitFor } from '../test/e2e/waitFor';
import { EditorBrowser } from '../test/ui/browser';
import { closeNdv, executeStep, ndv, outputPanel, settle, signIn } from '../test/ui/editor';
import { signInOwner, upsertSandboxCredential } from './dev/editorAccount';
import {
	ANSWERED_NODE,
	NOT_ANSWERED_NODE,
	placeAndWaitWorkflow,
	TRIGGER_WEBHOOK_ID,
	triggerWorkflow,
	UNANSWERED_LEAD,
	WAIT_LEADS,
	WAIT_NODE,
} from './docs-images/placeAndWaitWorkflow';
import { CALLBACK_NODE, LEAD, readmeWorkflow, SAVE_NODE } from './docs-images/readmeWorkflow';

const REPO = path.resolve(__dirname, '..');
const OUT = path.join(REPO, 'docs', 'images');
/** Tall enough for the panel to show Place Callback's options whole. */
const VIEWPORT = { width: 1280, height: 880 };
/** Around the nodes, in the canvas picture. */
const CANVAS_MARGIN = 40;
const MAX_BYTES = 250 * 1024;
const CREDENTIAL_NAME = 'UCPaaS account';
const OWNER = { email: 'owner@docs.n8n-nodes-ucpaas.test', firstName: 'Docs', lastName: 'Owner', password: 'Docs-images-1' };

const IMAGES = {
	workflow: 'workflow.png',
	panel: 'node-panel.png',
	waitFlow: 'place-and-wait.png',
};

const CLEANUP = 'cleanup: the browser, n8n and its task runner, and the sandbox stopped; the user folder removed';

const suite = new Suite('docs:images', { stopping: 'stopping the browser, n8n and the sandbox' });
const { cleanups } = suite;

const canvasNode = (page: Page, name: string) => page.locator('[data-test-id=canvas-node]').filter({ hasText: name }).first();

/** n8n's toasts ("Node executed successfully") would sit on top of the pictures. */
async function closeToasts(page: Page): Promise<void> {
	for (const close of await page.locator('.el-notification .el-notification__closeBtn').all()) await close.click().catch(() => undefined);
	await page.locator('.el-notification').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
}

/**
 * The whole workflow zoomed to fit, cut to its nodes (and the labels under them) with a margin.
 * With `edges`, the connections count too (a loop's way back runs below and right of the nodes),
 * what the user does not see does not (the trigger's Execute button shows on hover only), and the
 * canvas's own buttons on the right are hidden.
 */
async function shootCanvas(tab: Page, file: string, nodeCount: number, { edges = false } = {}): Promise<void> {
	await closeToasts(tab);
	await tab.keyboard.press('1');
	await tab.waitForTimeout(800);
	await tab.mouse.move(1, VIEWPORT.height - 1);
	const boxes = await tab.locator('[data-test-id=canvas-node]').evaluateAll(
		(nodes, seenOnly) =>
			nodes.map((node) => {
				// The label under a node is outside its box.
				const elements = [node, ...Array.from(node.querySelectorAll('*'))].filter((e) => !seenOnly || e.checkVisibility({ opacityProperty: true, visibilityProperty: true }));
				const parts = elements.map((e) => e.getBoundingClientRect()).filter((r) => r.width > 0);
				return { left: Math.min(...parts.map((r) => r.left)), top: Math.min(...parts.map((r) => r.top)), right: Math.max(...parts.map((r) => r.right)), bottom: Math.max(...parts.map((r) => r.bottom)) };
			}),
		edges,
	);
	expectEqual(boxes.length, nodeCount, 'nodes on the canvas');
	if (edges) {
		await tab.locator('[class*=nodeButtonsWrapper]').evaluateAll((all) => all.forEach((e) => ((e as HTMLElement).style.visibility = 'hidden')));
		boxes.push(
			...(await tab.locator('.vue-flow__edge').evaluateAll((all) =>
				all.map((edge) => edge.getBoundingClientRect()).filter((r) => r.width > 0 || r.height > 0).map((r) => ({ left: r.left, top: r.top, right: r.right, bottom: r.bottom })),
			)),
		);
	}
	const canvas = await tab.locator('[data-test-id=canvas-wrapper]').boundingBox();
	expectTrue(canvas, 'the canvas has no box on the page');
	const left = Math.max(canvas.x, Math.min(...boxes.map((b) => b.left)) - CANVAS_MARGIN);
	const top = Math.max(canvas.y, Math.min(...boxes.map((b) => b.top)) - CANVAS_MARGIN);
	const right = Math.min(canvas.x + canvas.width, Math.max(...boxes.map((b) => b.right)) + CANVAS_MARGIN);
	const bottom = Math.min(canvas.y + canvas.height, Math.max(...boxes.map((b) => b.bottom)) + CANVAS_MARGIN);
	await tab.screenshot({ path: file, animations: 'disabled', clip: { x: left, y: top, width: right - left, height: bottom - top } });
}

/**
 * Saves `workflow` and publishes it as this line's editor does (2.41: POST …/activate {versionId}),
 * then waits until `webhookUrl` is registered (an OPTIONS with an Origin answers 204 allowing POST).
 */
async function publish(instance: N8nInstance, rest: N8nRestClient, workflow: unknown, webhookUrl: string, origin: string): Promise<string> {
	const created = await rest.request<{ data?: { id?: string; versionId?: string } }>('POST', '/rest/workflows', workflow);
	expectEqual(created.status, 200, `POST /rest/workflows (${created.text.slice(0, 200)})`);
	const { id, versionId } = created.body.data ?? {};
	expectTrue(id && versionId, `the saved workflow has no id or versionId (${created.text.slice(0, 200)})`);
	const request = instance.app.profile.activation.request(id, versionId);
	const activated = await rest.request<{ data?: { active?: boolean } }>(request.method, request.path, request.body);
	expectEqual([activated.status, activated.body.data?.active], [200, true], `${request.method} ${request.path} [status, active]`);
	await waitFor(`POST ${webhookUrl} registered`, 30_000, async () => {
		const probe = await fetch(webhookUrl, { method: 'OPTIONS', headers: { origin }, signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
		return probe?.status === 204 && (probe.headers.get('access-control-allow-methods') ?? '').split(/,\s*/).includes('POST') ? true : undefined;
	});
	return id;
}

async function main(): Promise<number> {
	const list = suite.checks;
	console.log(`docs:images: the docs' pictures from the n8n ${N8N_VERSION} editor into ${path.relative(REPO, OUT)}/`);
	const shots = mkdtempSync(path.join(tmpdir(), 'n8n-nodes-ucpaas-docs-images-'));
	cleanups.push(() => rmSync(shots, { recursive: true, force: true }));

	let page: Page | undefined;
	let browser: EditorBrowser | undefined;
	let userFolder = '';
	let workflowId = '';
	let n8nUrl = '';
	let sandbox: Sandbox | undefined;
	let instance: N8nInstance | undefined;
	let rest: N8nRestClient | undefined;
	let credentialId = '';
	const ready = await list.check('setup: Chromium, Node 24, n8n; the package built, packed and installed; n8n started with the sandbox credential and the workflow', async () => {
		await ensureDebianPackages(['chromium', 'fonts-wqy-microhei']);
		const app = await ensureN8nApp();
		const platform = await startSandbox({ host: '127.0.0.1', port: 0, quiet: true, seed: 7 });
		sandbox = platform;
		cleanups.push(() => platform.stop());
		const throwaway = await throwawayInstance(app, cleanups);
		instance = throwaway.instance;
		userFolder = instance.userFolder;
		await installLikeN8n(await buildAndPack(REPO, throwaway.packDir), instance.nodesDir, app.runtime);
		const server = await startN8nServer(instance, { env: { N8N_VERIFIED_PACKAGES_ENABLED: 'false' } });
		cleanups.push(() => server.stop());
		n8nUrl = server.url;
		rest = await signInOwner(server.url, OWNER);
		const credential = await upsertSandboxCredential(rest, platform.url, CREDENTIAL_NAME);
		credentialId = credential.id;
		const created = await rest.request<{ data?: { id?: string } }>('POST', '/rest/workflows', readmeWorkflow({ id: credential.id, name: CREDENTIAL_NAME }));
		expectEqual(created.status, 200, 'POST /rest/workflows');
		workflowId = created.body.data?.id ?? '';
		const editor = await EditorBrowser.launch(shots, VIEWPORT);
		browser = editor;
		cleanups.push(() => editor.close());
		page = editor.page;
		await signIn(page, server.url, OWNER.email, OWNER.password);
	});
	if (!ready || !page) return suite.finish([IMAGES.panel, IMAGES.workflow, IMAGES.waitFlow, 'written', CLEANUP]);
	const tab = page;

	let callId = '';
	const panel = await list.check(`${IMAGES.panel}: the UCPaaS Callback panel after Execute step: the lead in, Place Callback's fields, the callId out`, async () => {
		await tab.goto(`${n8nUrl}/workflow/${workflowId}`);
		await canvasNode(tab, SAVE_NODE).waitFor({ timeout: 120_000 });
		// Run up to the node after it, so the whole row has run on the canvas too.
		await canvasNode(tab, SAVE_NODE).dblclick();
		await ndv(tab).waitFor();
		await executeStep(tab);
		await settle(() => outputPanel(tab).innerText(), (text) => /callId/.test(text), 60_000);
		await closeNdv(tab);
		await canvasNode(tab, CALLBACK_NODE).dblclick();
		await ndv(tab).waitFor();
		await outputPanel(tab).getByText('JSON', { exact: true }).first().click();
		const output = await settle(() => outputPanel(tab).innerText(), (text) => /"callId": "[0-9a-f]{32}"/.test(text), 30_000);
		callId = /\b[0-9a-f]{32}\b/.exec(output)?.[0] ?? '';
		expectTrue(callId, `no callId in the output panel: ${output.slice(0, 300)}`);
		expectContains(await ndv(tab).innerText(), LEAD.phone, 'the panel (the lead\'s phone, in and as the callee preview)');
		await closeToasts(tab);
		await tab.mouse.move(1, VIEWPORT.height - 1);
		// The neighbours' icons at the panel's edges are half outside the picture.
		await ndv(tab).locator('[data-test-id=floating-nodes]').evaluate((aside) => ((aside as HTMLElement).style.visibility = 'hidden'));
		const box = await ndv(tab).boundingBox();
		const addOption = await ndv(tab).locator('[data-test-id=collection-parameter-add]').first().boundingBox();
		expectTrue(box && addOption, 'the panel or its Add Option button has no box on the page');
		// Down to the options: the Retry notice below them would be cut in half.
		const height = Math.min(box.height, addOption.y + addOption.height + 10 - box.y);
		await tab.screenshot({ path: path.join(shots, IMAGES.panel), animations: 'disabled', clip: { ...box, height } });
		await closeNdv(tab);
	});

	const workflow = await list.check(`${IMAGES.workflow}: the canvas of the whole workflow, zoomed to fit, names readable`, async () => {
		await shootCanvas(tab, path.join(shots, IMAGES.workflow), readmeWorkflow({ id: '', name: '' }).nodes.length);
	});

	let waitExecution = '';
	const waitFlow = await list.check(
		`${IMAGES.waitFlow}: the canvas of the one-workflow flow (the e2e fixture) after Execute workflow: three leads through Loop Over Items and Place Callback and Wait, each resumed by its Call Ended via a published trigger workflow; two answered, one not`,
		async () => {
			expectTrue(sandbox && instance && rest, 'the setup left no sandbox, instance or REST client');
			const client = rest;
			const credential = { id: credentialId, name: CREDENTIAL_NAME };
			const pushUrl = `${n8nUrl}/webhook/${TRIGGER_WEBHOOK_ID}/webhook`;
			await publish(instance, rest, triggerWorkflow(credential), pushUrl, n8nUrl);
			// The UCPaaS console: its push address is the trigger's Production URL; one lead does not pick up.
			sandbox.setPushUrl(pushUrl);
			sandbox.addFault({ match: { to: UNANSWERED_LEAD.phone }, fault: { kind: 'outcome', call: { outcome: 'noAnswer' } } });
			const lead = placeAndWaitWorkflow(credential);
			const created = await rest.request<{ data?: { id?: string } }>('POST', '/rest/workflows', lead);
			expectEqual(created.status, 200, 'POST /rest/workflows (the lead workflow)');
			const leadWorkflowId = created.body.data?.id ?? '';
			await tab.goto(`${n8nUrl}/workflow/${leadWorkflowId}`);
			await canvasNode(tab, WAIT_NODE).waitFor({ timeout: 120_000 });
			await tab.locator('[data-test-id=execute-workflow-button]').click();
			const filter = encodeURIComponent(JSON.stringify({ workflowId: leadWorkflowId }));
			const finished = await waitFor('the lead workflow\'s execution to finish', 120_000, async () => {
				const listed = await client.request<{ data?: { results?: Array<{ id: string; mode?: string; status?: string }> } }>('GET', `/rest/executions?filter=${filter}`);
				const newest = listed.body.data?.results?.[0];
				return newest && !['new', 'running', 'waiting'].includes(newest.status ?? '') ? newest : undefined;
			});
			expectEqual([finished.mode, finished.status], ['manual', 'success'], 'the execution [mode, status]');
			waitExecution = finished.id;
			const detail = await rest.request<{ data?: { data?: string } }>('GET', `/rest/executions/${finished.id}`);
			const run = flattedParse(instance)(detail.body.data?.data ?? '[]') as WorkflowRun['data'];
			const outcomes = (node: string) => (run.resultData.runData[node] ?? []).flatMap((r) => r.data?.main?.[0] ?? []).map((i) => [i.json.outcome, i.json.to]);
			expectEqual(
				{ answered: outcomes(ANSWERED_NODE), notAnswered: outcomes(NOT_ANSWERED_NODE) },
				{ answered: [WAIT_LEADS[0], WAIT_LEADS[2]].map((l) => ['answered', l.phone]), notAnswered: [['notAnswered', UNANSWERED_LEAD.phone]] },
				'[outcome, to] on each branch',
			);
			// The editor shows the same run: every node with its green check.
			const succeeded = await settle(() => tab.locator('[data-test-id=canvas-node-status-success]').count(), (n) => n === lead.nodes.length, 30_000);
			expectEqual(succeeded, lead.nodes.length, 'nodes with a success mark on the canvas');
			const collapse = tab.locator('[data-test-id=logs-panel]').getByRole('button', { name: 'Collapse panel' });
			if (await collapse.isVisible()) await collapse.click();
			// With the focus on that button the canvas ignores its "1" shortcut: fit with the canvas's own button.
			await tab.waitForTimeout(500);
			await tab.locator('[data-test-id=zoom-to-fit]').click();
			await shootCanvas(tab, path.join(shots, IMAGES.waitFlow), lead.nodes.length, { edges: true });
		},
	);
	sandbox?.setPushUrl(undefined);

	await list.check(`written: ${Object.values(IMAGES).map((name) => `docs/images/${name}`).join(', ')}, each a PNG under ${MAX_BYTES / 1024} KB`, () => {
		expectTrue(panel && workflow && waitFlow, 'a picture was not taken; docs/images/ is left as it was');
		const sizes = Object.values(IMAGES).map((name) => statSync(path.join(shots, name)).size);
		expectEqual(sizes.filter((size) => size > MAX_BYTES), [], 'pictures over the size limit (bytes)');
		mkdirSync(OUT, { recursive: true });
		for (const name of Object.values(IMAGES)) copyFileSync(path.join(shots, name), path.join(OUT, name));
		list.note(Object.values(IMAGES).map((name, i) => `${path.relative(REPO, path.join(OUT, name))} ${(sizes[i] / 1024).toFixed(0)} KB`).join(', ') + `; callId ${callId}; the lead workflow's execution ${waitExecution}`);
		expectTrue(Object.values(IMAGES).every((name) => existsSync(path.join(OUT, name))), 'the pictures are not in docs/images/');
	});

	await list.check(CLEANUP, async () => {
		await cleanups.run();
		expectEqual(processesInside(userFolder), [], 'processes left in the user folder');
		expectTrue(!existsSync(userFolder), `${userFolder} still exists`);
		expectTrue(!browser?.browser.isConnected(), 'the browser is still running');
	});
	return suite.finish();
}

suite.run(main);
