/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: reads the README, docs/ and the codex files from the repository */
/**
 * Links break silently: a renamed heading or a moved page still renders, it just leads nowhere.
 * - The editor's "Docs" links (codex files, the credential's documentationUrl) are GitHub URLs:
 *   each is mapped to the file it names in this repository, which must exist and, for an anchor,
 *   have that heading, slugged the way GitHub slugs it.
 * - Every relative link and image in README.md, docs/*.md, CHANGELOG.md and sandbox/README.md must
 *   reach an existing file (and heading, for an anchor), and so must any absolute link into this
 *   repository.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

import { UcpaasApi } from '../../credentials/UcpaasApi.credentials';

const ROOT = join(__dirname, '..', '..');
const REPO_URL = 'https://github.com/n8n-nodes-ucpaas/n8n-nodes-ucpaas';
const BLOB_PREFIXES = [`${REPO_URL}/blob/main/`, `${REPO_URL}/tree/main/`];
const RAW_PREFIX = 'https://raw.githubusercontent.com/n8n-nodes-ucpaas/n8n-nodes-ucpaas/main/';

/** Where each "Docs" link must lead: the page that documents that node or the credential. */
const EXPECTED_PAGES: Record<string, string> = {
	'UcpaasCallback/UcpaasCallback.node.json primaryDocumentation': 'docs/callback-node.md',
	'UcpaasCallback/UcpaasCallback.node.json credentialDocumentation': 'docs/credentials.md',
	'UcpaasCallbackTrigger/UcpaasCallbackTrigger.node.json primaryDocumentation': 'docs/trigger.md',
	'UcpaasCallbackTrigger/UcpaasCallbackTrigger.node.json credentialDocumentation': 'docs/credentials.md',
	'UcpaasApi credential documentationUrl': 'docs/credentials.md',
};

/** Markdown without fenced code blocks, where neither headings nor links count. */
const withoutFences = (markdown: string) => markdown.replace(/^[ \t]*(```|~~~)[^\n]*\n[\s\S]*?^[ \t]*\1[^\n]*$/gm, '');

/**
 * GitHub's heading slug: the heading's text (link targets and inline-code marks dropped), lower
 * case, every character that is not a letter, digit, mark, space, `-` or `_` dropped, each space
 * a dash; a repeated slug gets -1, -2… in order.
 */
function slug(heading: string): string {
	return heading
		.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{M}\p{N} _-]/gu, '')
		.replace(/ /g, '-');
}

function anchorsOf(file: string): Set<string> {
	const seen = new Map<string, number>();
	const anchors = new Set<string>();
	for (const [, heading] of withoutFences(readFileSync(file, 'utf8')).matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
		const base = slug(heading);
		const count = seen.get(base) ?? 0;
		seen.set(base, count + 1);
		anchors.add(count === 0 ? base : `${base}-${count}`);
	}
	return anchors;
}

interface Target {
	file: string;
	anchor?: string;
}

/** The repository file a GitHub URL names, or undefined for a URL outside this repository. */
function fromGitHubUrl(url: string): Target | undefined {
	const [address, anchor] = url.split('#', 2) as [string, string | undefined];
	if (address === REPO_URL || address === `${REPO_URL}/`) return { file: join(ROOT, 'README.md'), anchor };
	const prefix = [...BLOB_PREFIXES, RAW_PREFIX].find((p) => address.startsWith(p));
	if (!prefix) return undefined;
	return { file: join(ROOT, decodeURIComponent(address.slice(prefix.length))), anchor };
}

/** Why a target does not resolve, or undefined when it does. */
function problemWith({ file, anchor }: Target): string | undefined {
	if (!resolve(file).startsWith(resolve(ROOT))) return `${file} is outside the repository`;
	if (!existsSync(file)) return `${relative(ROOT, file)} does not exist`;
	if (anchor === undefined || anchor === '') return undefined;
	if (statSync(file).isDirectory() || !file.endsWith('.md')) return `${relative(ROOT, file)} is not a Markdown page, so it has no #${anchor}`;
	const anchors = anchorsOf(file);
	return anchors.has(anchor) ? undefined : `${relative(ROOT, file)} has no heading #${anchor} (it has: ${[...anchors].join(', ')})`;
}

function codexLinks(): Array<[string, string]> {
	const links: Array<[string, string]> = [];
	for (const folder of readdirSync(join(ROOT, 'nodes'))) {
		const files = readdirSync(join(ROOT, 'nodes', folder)).filter((file) => file.endsWith('.node.json'));
		for (const file of files) {
			const codex = JSON.parse(readFileSync(join(ROOT, 'nodes', folder, file), 'utf8')) as {
				resources?: Record<string, Array<{ url: string }>>;
			};
			for (const [kind, entries] of Object.entries(codex.resources ?? {})) {
				for (const { url } of entries) links.push([`${folder}/${file} ${kind}`, url]);
			}
		}
	}
	return links;
}

const markdownPages = () => [
	join(ROOT, 'README.md'),
	join(ROOT, 'CHANGELOG.md'),
	join(ROOT, 'sandbox', 'README.md'),
	...readdirSync(join(ROOT, 'docs'))
		.filter((file) => file.endsWith('.md'))
		.map((file) => join(ROOT, 'docs', file)),
];

/** Every `[text](target)` and `![alt](target)` of a page, outside code. */
function linksIn(page: string): string[] {
	const text = withoutFences(readFileSync(page, 'utf8')).replace(/`[^`\n]*`/g, '``');
	return [...text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map(([, target]) => target);
}

/** What a link in `page` leads to; undefined for a link outside this repository. */
function targetOf(page: string, link: string): Target | undefined {
	if (/^[a-z][a-z0-9+.-]*:/i.test(link)) return fromGitHubUrl(link);
	const [path, anchor] = link.split('#', 2) as [string, string | undefined];
	const file = path === '' ? page : resolve(dirname(page), decodeURIComponent(path.split('?')[0]));
	return { file, anchor };
}

describe('documentation links', () => {
	describe('the editor\'s Docs links', () => {
		const links: Array<[string, string]> = [...codexLinks(), ['UcpaasApi credential documentationUrl', new UcpaasApi().documentationUrl]];

		test('there are links to check: each node\'s and the credential\'s', () => {
			expect(links.map(([where]) => where).sort()).toEqual(Object.keys(EXPECTED_PAGES).sort());
		});

		test.each(links)('%s → %s leads to an existing page and heading in this repository', (where, url) => {
			const target = fromGitHubUrl(url);
			expect(target).toBeDefined();
			expect(problemWith(target!)).toBeUndefined();
			expect(relative(ROOT, target!.file)).toBe(EXPECTED_PAGES[where]);
		});
	});

	describe('links in README.md, docs/, CHANGELOG.md and sandbox/README.md', () => {
		const pages = markdownPages();

		test('there are pages and links to check', () => {
			expect(pages.length).toBeGreaterThan(5);
			expect(pages.flatMap(linksIn).length).toBeGreaterThan(50);
		});

		test.each(pages.map((page) => [relative(ROOT, page), page]))('%s: every link into the repository resolves', (_name, page) => {
			const broken = linksIn(page).flatMap((link) => {
				const target = targetOf(page, link);
				const problem = target && problemWith(target);
				return problem ? [`${link}: ${problem}`] : [];
			});
			expect(broken).toEqual([]);
		});
	});

	describe('the checks themselves', () => {
		test('slugs follow GitHub: punctuation and code marks dropped, spaces to dashes, case folded', () => {
			expect(slug('`$fromAI()` lines, ready to paste')).toBe('fromai-lines-ready-to-paste');
			expect(slug('Call outcomes behind NAT (no public URL)')).toBe('call-outcomes-behind-nat-no-public-url');
			expect(slug('Fix the caller and the app; do not leave them to the agent')).toBe('fix-the-caller-and-the-app-do-not-leave-them-to-the-agent');
			expect(slug('Set-up')).toBe('set-up');
			expect(slug('n8n 3.0')).toBe('n8n-30');
		});

		test('a missing page, a missing heading and a link outside the repository are told apart', () => {
			const readme = join(ROOT, 'README.md');
			expect(problemWith({ file: join(ROOT, 'docs', 'no-such-page.md') })).toMatch(/does not exist/);
			expect(problemWith({ file: readme, anchor: 'no-such-heading' })).toMatch(/has no heading #no-such-heading/);
			expect(problemWith({ file: readme, anchor: 'install' })).toBeUndefined();
			expect(fromGitHubUrl('https://github.com/someone-else/repo/blob/main/README.md')).toBeUndefined();
			expect(fromGitHubUrl(`${REPO_URL}/blob/main/docs/trigger.md#set-up`)).toEqual({ file: join(ROOT, 'docs', 'trigger.md'), anchor: 'set-up' });
		});
	});
});
