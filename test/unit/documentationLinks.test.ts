/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: reads the README and the codex files from the repository */
/**
 * The editor's "Docs" links (codex files, the credential's documentationUrl) point into the README
 * by heading anchor. A renamed heading breaks them silently, so each anchor must name a heading
 * that the README has, slugged the way GitHub slugs it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { UcpaasApi } from '../../credentials/UcpaasApi.credentials';

const ROOT = join(__dirname, '..', '..');
const REPO_URL = 'https://github.com/n8n-nodes-ucpaas/n8n-nodes-ucpaas';

/** GitHub's heading slug: lower case, punctuation dropped, spaces to dashes. */
const slug = (heading: string) =>
	heading
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N} _-]/gu, '')
		.replace(/ /g, '-');

function readmeAnchors(): Set<string> {
	const readme = readFileSync(join(ROOT, 'README.md'), 'utf8').replace(/```[\s\S]*?```/g, '');
	return new Set([...readme.matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) => slug(heading)));
}

function codexLinks(): Array<[string, string]> {
	const links: Array<[string, string]> = [];
	for (const folder of readdirSync(join(ROOT, 'nodes'))) {
		const files = readdirSync(join(ROOT, 'nodes', folder)).filter((file) => file.endsWith('.node.json'));
		for (const file of files) {
			const codex = JSON.parse(readFileSync(join(ROOT, 'nodes', folder, file), 'utf8')) as {
				resources?: Record<string, Array<{ url: string }>>;
			};
			for (const entries of Object.values(codex.resources ?? {})) {
				for (const { url } of entries) links.push([`${folder}/${file}`, url]);
			}
		}
	}
	return links;
}

describe('documentation links', () => {
	const anchors = readmeAnchors();
	const links: Array<[string, string]> = [...codexLinks(), ['UcpaasApi credential', new UcpaasApi().documentationUrl]];

	test('there are links to check', () => {
		expect(links.length).toBeGreaterThanOrEqual(4);
	});

	test.each(links)('%s → %s names a README heading', (_where, url) => {
		expect(url.startsWith(`${REPO_URL}#`)).toBe(true);
		expect(anchors).toContain(url.slice(REPO_URL.length + 1));
	});
});
