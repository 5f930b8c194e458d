/**
 * The n8n 2.41.1 editor, as a user clicks it. Selectors are the editor's own `data-test-id`s
 * (measured in /work/shared/docs/field-notes/editor-in-a-browser.md):
 *   - sign-in form: input[name=emailOrLdapLoginId], input[name=password];
 *   - node creator: canvas-add-button / node-creator-plus-button, node-creator-search-bar, its
 *     results item-iterator-item;
 *   - node details view (NDV): ndv, parameter-input-<name>, node-execute-button, output-panel,
 *     node-error-message / node-error-description, the webhook section `.webhooks`;
 *   - credential modal: editCredential-modal, credential-save-button, credential-edit-button.
 */
import type { Locator, Page } from 'playwright-core';

import { sleep } from '../e2e/waitFor';

/** Polls `read` until `done` holds for its value, and returns the last value either way. */
export async function settle<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000, everyMs = 300): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let value = await read();
	while (!done(value) && Date.now() < deadline) {
		await sleep(everyMs);
		value = await read();
	}
	return value;
}

export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
	await page.goto(`${baseUrl}/signin`);
	await page.locator('input[name=emailOrLdapLoginId]').fill(email);
	await page.locator('input[name=password]').fill(password);
	await page.locator('input[name=password]').press('Enter');
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 60_000 });
}

export async function newWorkflow(page: Page, baseUrl: string): Promise<void> {
	await page.goto(`${baseUrl}/workflow/new`);
	await page.locator('[data-test-id=canvas-add-button]').waitFor({ timeout: 120_000 });
}

const creator = (page: Page) => page.locator('[data-test-id=node-creator]');
const creatorItems = (page: Page) => creator(page).locator('[data-test-id=item-iterator-item]');

export async function openNodeCreator(page: Page): Promise<void> {
	const empty = page.locator('[data-test-id=canvas-add-button]');
	if (await empty.isVisible()) await empty.click();
	else await page.locator('[data-test-id=node-creator-plus-button]').click();
	await page.locator('[data-test-id=node-creator-search-bar]').waitFor();
}

export interface CreatorEntry {
	title: string;
	text: string;
}

async function readEntries(page: Page): Promise<CreatorEntry[]> {
	return creatorItems(page).evaluateAll((elements) =>
		elements
			.filter((element) => (element as HTMLElement).offsetParent !== null)
			.map((element) => {
				const text = (element as HTMLElement).innerText.trim();
				return { title: text.split('\n')[0].trim(), text: text.replace(/\s+/g, ' ') };
			}),
	);
}

/** Types into the node creator's search bar and returns the entries once the list stops changing. */
export async function searchNodes(page: Page, query: string): Promise<CreatorEntry[]> {
	await page.locator('[data-test-id=node-creator-search-bar]').fill(query);
	let previous = '';
	return settle(
		() => readEntries(page),
		(entries) => {
			const now = JSON.stringify(entries);
			const same = now === previous;
			previous = now;
			return same;
		},
		10_000,
		500,
	);
}

/** Clicks the node creator entry whose title is `title` (a node, or an action in a node's details). */
export async function clickEntry(page: Page, title: string): Promise<void> {
	await creatorItems(page).filter({ hasText: title }).first().click();
}

export async function creatorText(page: Page): Promise<string> {
	return creator(page).innerText();
}

export async function visibleEntries(page: Page): Promise<CreatorEntry[]> {
	return readEntries(page);
}

export const ndv = (page: Page): Locator => page.locator('[data-test-id=ndv]');

/** The labels of the parameters the NDV shows, top to bottom (a notice counts by its text). */
export async function parameterLabels(page: Page): Promise<string[]> {
	return ndv(page)
		.locator('[data-test-id=parameter-item], .parameter-item')
		.evaluateAll((elements) => {
			const labels: string[] = [];
			for (const element of elements) {
				if ((element as HTMLElement).offsetParent === null) continue;
				const label = (element as HTMLElement).innerText.split('\n')[0].trim();
				if (label && labels[labels.length - 1] !== label) labels.push(label);
			}
			return labels;
		});
}

const EXPRESSION_PREVIEW = '[data-test-id^=parameter-expression-preview]';

/**
 * The parameters pane alone (not the input or output panel), without n8n's expression previews:
 * what an expression evaluates to against the current input is the user's data, not the
 * package's text (see expressionPreviews).
 */
export async function parametersText(page: Page): Promise<string> {
	const labels = await ndv(page)
		.locator('[data-test-id=parameter-item], .parameter-item')
		.evaluateAll((elements, preview) => {
			const visible = elements.filter((e) => (e as HTMLElement).offsetParent !== null) as HTMLElement[];
			// Hidden for the read only, then shown again.
			const previews = Array.from(document.querySelectorAll<HTMLElement>(preview));
			const shown = previews.map((p) => p.style.display);
			for (const p of previews) p.style.display = 'none';
			const texts = visible.map((e) => e.innerText);
			previews.forEach((p, i) => (p.style.display = shown[i]));
			return texts;
		}, EXPRESSION_PREVIEW);
	const placeholders = await ndv(page)
		.locator('input, textarea')
		.evaluateAll((elements) => elements.filter((e) => (e as HTMLElement).offsetParent !== null).map((e) => (e as HTMLInputElement).placeholder));
	return [...labels, ...placeholders].join('\n');
}

/** n8n's previews of expression parameters: the parameter's name and what its expression gives for this input. */
export async function expressionPreviews(page: Page): Promise<string[]> {
	return ndv(page)
		.locator(`${EXPRESSION_PREVIEW}:not([data-test-id=parameter-expression-preview-value])`)
		.evaluateAll((elements) =>
			elements.filter((e) => (e as HTMLElement).offsetParent !== null).map((e) => `${e.getAttribute('data-test-id')?.replace('parameter-expression-preview-', '')}: ${(e as HTMLElement).innerText.trim()}`),
		);
}

export async function fillParameter(page: Page, name: string, value: string): Promise<void> {
	const input = ndv(page).locator(`[data-test-id=parameter-input-${name}] input`).first();
	await input.fill(value);
	await input.press('Tab');
}

export async function executeStep(page: Page): Promise<void> {
	await ndv(page).locator('[data-test-id=node-execute-button]').first().click();
}

export const outputPanel = (page: Page): Locator => page.locator('[data-test-id=output-panel]');

export async function closeNdv(page: Page): Promise<void> {
	await page.locator('[data-test-id=ndv-close-button]').first().click();
	await ndv(page).waitFor({ state: 'hidden' });
}

export const credentialModal = (page: Page): Locator => page.locator('[data-test-id=editCredential-modal]');

export async function fillCredential(page: Page, name: string, value: string): Promise<void> {
	await credentialModal(page).locator(`[data-test-id=parameter-input-${name}] input`).first().fill(value);
}

/** Clicks Save until the click lands (a click right after typing is sometimes lost). */
export async function saveCredential(page: Page): Promise<void> {
	const modal = credentialModal(page);
	const save = modal.locator('[data-test-id=credential-save-button]');
	await save.click();
	const saved = await settle(
		async () => !(await modal.isVisible()) || (await save.innerText()).trim() !== 'Save' || (await modal.locator('[data-test-id=credential-delete-button]').count()) > 0,
		(done) => done,
		5_000,
	);
	if (!saved) await save.click();
}

export async function closeCredentialModal(page: Page): Promise<void> {
	const modal = credentialModal(page);
	await modal.locator('.el-dialog__headerbtn').first().click();
	await modal.waitFor({ state: 'hidden' });
}

/** The canvas labels that are cut off (the label box is shorter than its text). */
export async function truncatedCanvasLabels(page: Page): Promise<string[]> {
	return page.locator('[data-test-id=canvas-node] [class*=_label_]').evaluateAll((elements) =>
		elements.filter((e) => e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1).map((e) => (e as HTMLElement).innerText),
	);
}
