/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- tool code: takes the README's pictures in the real editor from the command line */
/**
 * `npm run docs:images`: the README's two pictures, taken in the real n8n editor by the UI
 * suite's own machinery (test/ui: Debian's Chromium, the editor helpers; test/e2e: the cached
 * app, the packed package installed like n8n does, the throwaway instance):
 *   - docs/images/workflow.png: the canvas of ./docs-images/readmeWorkflow.ts after a run: a web
 *     form's lead called back by UCPaaS Callback, and the UCPaaS Callback Trigger's hang-up branch;
 *   - docs/images/node-panel.png: the UCPaaS Callback panel of that run: the lead in, Place
 *     Callback with the callee expression, the caller and the options, the callId out.
 * The call goes to the local sandbox (seeded, so the callId is the same on every run). Only these
 * two files are written, and only when both pictures were taken; nothing is left running.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { Page } from 'playwright-core';

import { startSandbox } from '../sandbox';
import { expectContains, expectEqual, expectTrue } from '../test/e2e/assertions';
import { processesInside } from '../test/e2e/hygieneChecks';
import { ensureN8nApp, N8N_VERSION } from '../test/e2e/n8nApp';
import { startN8nServer } from '../test/e2e/n8nServer';
import { buildAndPack, installLikeN8n } from '../test/e2e/packageInstall';
import { Suite } from '../test/e2e/suite';
import { ensureDebianPackages } from '../test/e2e/systemPackages';
import { throwawayInstance } from '../test/e2e/throwawayInstance';
import { EditorBrowser } from '../test/ui/browser';
import { closeNdv, executeStep, ndv, outputPanel, settle, signIn } from '../test/ui/editor';
import { signInOwner, upsertSandboxCredential } from './dev/editorAccount';
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

async function main(): Promise<number> {
	const list = suite.checks;
	console.log(`docs:images: the README's pictures from the n8n ${N8N_VERSION} editor into ${path.relative(REPO, OUT)}/`);
	const shots = mkdtempSync(path.join(tmpdir(), 'n8n-nodes-ucpaas-docs-images-'));
	cleanups.push(() => rmSync(shots, { recursive: true, force: true }));

	let page: Page | undefined;
	let browser: EditorBrowser | undefined;
	let userFolder = '';
	let workflowId = '';
	let n8nUrl = '';
	const ready = await list.check('setup: Chromium, Node 24, n8n; the package built, packed and installed; n8n started with the sandbox credential and the workflow', async () => {
		await ensureDebianPackages(['chromium', 'fonts-wqy-microhei']);
		const app = await ensureN8nApp();
		const sandbox = await startSandbox({ host: '127.0.0.1', port: 0, quiet: true, seed: 7 });
		cleanups.push(() => sandbox.stop());
		const { instance, packDir } = await throwawayInstance(app, cleanups);
		userFolder = instance.userFolder;
		await installLikeN8n(await buildAndPack(REPO, packDir), instance.nodesDir, app.runtime);
		const server = await startN8nServer(instance, { env: { N8N_VERIFIED_PACKAGES_ENABLED: 'false' } });
		cleanups.push(() => server.stop());
		n8nUrl = server.url;
		const rest = await signInOwner(server.url, OWNER);
		const credential = await upsertSandboxCredential(rest, sandbox.url, CREDENTIAL_NAME);
		const created = await rest.request<{ data?: { id?: string } }>('POST', '/rest/workflows', readmeWorkflow({ id: credential.id, name: CREDENTIAL_NAME }));
		expectEqual(created.status, 200, 'POST /rest/workflows');
		workflowId = created.body.data?.id ?? '';
		const editor = await EditorBrowser.launch(shots, VIEWPORT);
		browser = editor;
		cleanups.push(() => editor.close());
		page = editor.page;
		await signIn(page, server.url, OWNER.email, OWNER.password);
	});
	if (!ready || !page) return suite.finish([IMAGES.panel, IMAGES.workflow, 'written', CLEANUP]);
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
		await closeToasts(tab);
		await tab.keyboard.press('1');
		await tab.waitForTimeout(800);
		await tab.mouse.move(1, VIEWPORT.height - 1);
		const boxes = await tab.locator('[data-test-id=canvas-node]').evaluateAll((nodes) =>
			nodes.map((node) => {
				// The label under a node is outside its box.
				const parts = [node, ...Array.from(node.querySelectorAll('*'))].map((e) => e.getBoundingClientRect()).filter((r) => r.width > 0);
				return { left: Math.min(...parts.map((r) => r.left)), top: Math.min(...parts.map((r) => r.top)), right: Math.max(...parts.map((r) => r.right)), bottom: Math.max(...parts.map((r) => r.bottom)) };
			}),
		);
		expectEqual(boxes.length, readmeWorkflow({ id: '', name: '' }).nodes.length, 'nodes on the canvas');
		const canvas = await tab.locator('[data-test-id=canvas-wrapper]').boundingBox();
		expectTrue(canvas, 'the canvas has no box on the page');
		const left = Math.max(canvas.x, Math.min(...boxes.map((b) => b.left)) - CANVAS_MARGIN);
		const top = Math.max(canvas.y, Math.min(...boxes.map((b) => b.top)) - CANVAS_MARGIN);
		const right = Math.min(canvas.x + canvas.width, Math.max(...boxes.map((b) => b.right)) + CANVAS_MARGIN);
		const bottom = Math.min(canvas.y + canvas.height, Math.max(...boxes.map((b) => b.bottom)) + CANVAS_MARGIN);
		await tab.screenshot({ path: path.join(shots, IMAGES.workflow), animations: 'disabled', clip: { x: left, y: top, width: right - left, height: bottom - top } });
	});

	await list.check(`written: docs/images/${IMAGES.workflow} and docs/images/${IMAGES.panel}, each a PNG under ${MAX_BYTES / 1024} KB`, () => {
		expectTrue(panel && workflow, 'a picture was not taken; docs/images/ is left as it was');
		const sizes = Object.values(IMAGES).map((name) => statSync(path.join(shots, name)).size);
		expectEqual(sizes.filter((size) => size > MAX_BYTES), [], 'pictures over the size limit (bytes)');
		mkdirSync(OUT, { recursive: true });
		for (const name of Object.values(IMAGES)) copyFileSync(path.join(shots, name), path.join(OUT, name));
		list.note(Object.values(IMAGES).map((name, i) => `${path.relative(REPO, path.join(OUT, name))} ${(sizes[i] / 1024).toFixed(0)} KB`).join(', ') + `; callId ${callId}`);
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
