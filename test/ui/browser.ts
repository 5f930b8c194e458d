/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- tool code: drives Debian's Chromium with playwright-core */
/// <reference lib="dom" />
/**
 * Debian's Chromium, driven by playwright-core (which never downloads a browser here: it is given
 * the system binary). What the page does is recorded for the checks: page errors, console errors,
 * every request and where it went, failed requests, and the text of every JSON reply n8n sent.
 *
 * Flags (measured with n8n 2.41.1, /work/shared/docs/field-notes/editor-in-a-browser.md):
 *   - `--proxy-server=http://127.0.0.1:9`: a closed port, so anything that is not loopback fails at
 *     once. Chromium bypasses a proxy for loopback by itself; `--proxy-bypass-list=<-loopback>`
 *     would send 127.0.0.1 to the dead proxy too, so it is not given.
 *   - `--disable-dev-shm-usage`: the Debian wrapper's own /dev/shm probe misreads this host.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const BLACKHOLE_PROXY = 'http://127.0.0.1:9';

export interface PageEvent {
	/** The step that was running (the screenshot prefix). */
	step: string;
	kind: 'pageerror' | 'console' | 'requestfailed';
	text: string;
	url: string;
}

export interface SeenRequest {
	step: string;
	method: string;
	url: string;
}

export interface SeenReply {
	url: string;
	status: number;
	text: string;
}

/** The browser and what it saw. `step` is set by the run, so each event says when it happened. */
export class EditorBrowser {
	step = 'setup';

	readonly events: PageEvent[] = [];

	readonly requests: SeenRequest[] = [];

	readonly replies: SeenReply[] = [];

	private readonly pending: Array<Promise<void>> = [];

	private constructor(
		readonly browser: Browser,
		readonly context: BrowserContext,
		readonly page: Page,
		readonly shotsDir: string,
	) {}

	/** `viewport`: the suite's 1600×1000 shows whole panels; the README's pictures are smaller. */
	static async launch(shotsDir: string, viewport = { width: 1600, height: 1000 }): Promise<EditorBrowser> {
		if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (apt-get install chromium)`);
		mkdirSync(shotsDir, { recursive: true });
		const browser = await chromium.launch({
			executablePath: CHROMIUM,
			headless: true,
			timeout: 120_000,
			args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', `--proxy-server=${BLACKHOLE_PROXY}`, '--lang=en-US'],
		});
		try {
			const context = await browser.newContext({ viewport, locale: 'en-US', timezoneId: 'America/Los_Angeles' });
			context.setDefaultTimeout(60_000);
			context.setDefaultNavigationTimeout(120_000);
			const page = await context.newPage();
			const editor = new EditorBrowser(browser, context, page, shotsDir);
			editor.record();
			return editor;
		} catch (error) {
			await browser.close();
			throw error;
		}
	}

	private record(): void {
		const { page, context } = this;
		page.on('pageerror', (error) => this.events.push({ step: this.step, kind: 'pageerror', text: error.message, url: page.url() }));
		page.on('console', (message: ConsoleMessage) => {
			if (message.type() !== 'error') return;
			this.events.push({ step: this.step, kind: 'console', text: message.text(), url: message.location().url });
		});
		context.on('request', (request) => this.requests.push({ step: this.step, method: request.method(), url: request.url() }));
		context.on('requestfailed', (request) =>
			this.events.push({ step: this.step, kind: 'requestfailed', text: request.failure()?.errorText ?? 'failed', url: request.url() }),
		);
		context.on('response', (response) => {
			const type = response.headers()['content-type'] ?? '';
			if (!/json|text|xml/.test(type)) return;
			this.pending.push(
				response
					.text()
					.then((text) => void this.replies.push({ url: response.url(), status: response.status(), text }))
					.catch(() => undefined),
			);
		});
	}

	/** Waits for reply bodies still being read. */
	async settled(): Promise<void> {
		await Promise.all(this.pending.splice(0));
	}

	/** A full-window screenshot under artifacts/ui/. Returns its path. */
	async screenshot(name: string): Promise<string> {
		const file = path.join(this.shotsDir, `${name}.png`);
		await this.page.screenshot({ path: file, animations: 'disabled' });
		return file;
	}

	/** Everything a user can read on the page now: the text, and the placeholders, values and titles of its fields. */
	async readableText(): Promise<string> {
		return this.page.evaluate(() => {
			const parts = [document.body.innerText];
			for (const element of Array.from(document.querySelectorAll('input, textarea'))) {
				const field = element as HTMLInputElement;
				if (field.offsetParent === null) continue;
				if (field.placeholder) parts.push(field.placeholder);
				if (field.type !== 'password' && field.value) parts.push(field.value);
			}
			for (const element of Array.from(document.querySelectorAll('[title]'))) {
				if ((element as HTMLElement).offsetParent !== null) parts.push(element.getAttribute('title') ?? '');
			}
			return parts.join('\n');
		});
	}

	async close(): Promise<void> {
		await this.browser.close();
	}
}

/** Placeholder-ish leftovers no panel may show, and JSON where prose belongs. */
export function textDefects(text: string): string[] {
	const defects: string[] = [];
	for (const word of ['undefined', 'NaN', '[object Object]']) {
		const pattern = new RegExp(`(^|[^\\w])${word.replace(/[[\]]/g, '\\$&')}($|[^\\w])`);
		if (pattern.test(text)) defects.push(`"${word}" in: ${excerpt(text, word)}`);
	}
	const json = /[{[]\s*"[^"\n]{1,40}"\s*:/.exec(text);
	if (json) defects.push(`raw JSON in: ${excerpt(text, json[0])}`);
	return defects;
}

function excerpt(text: string, needle: string): string {
	const at = text.indexOf(needle);
	return JSON.stringify(text.slice(Math.max(0, at - 60), at + needle.length + 60));
}
