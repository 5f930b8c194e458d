/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- tool code: copies the working tree (git ls-files) for the npm run dev check */
/**
 * A copy of this working tree (tracked and untracked files, as they are now, without what git
 * ignores) in which the dev check may edit a source file without touching the real tree. Its
 * node_modules holds a link to each installed package of the real one, but a folder of its own
 * for `.cache`, where the build compiles: two builds must not share it.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export function copyWorkingTree(repo: string): string {
	const copy = mkdtempSync(path.join(tmpdir(), 'n8n-nodes-ucpaas-dev-check-'));
	const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repo, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
	for (const file of listed.split('\0')) {
		// A tracked file deleted in the working tree is listed too.
		if (!file || !existsSync(path.join(repo, file))) continue;
		mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
		copyFileSync(path.join(repo, file), path.join(copy, file));
	}
	const modules = path.join(copy, 'node_modules');
	mkdirSync(path.join(modules, '.cache'), { recursive: true });
	for (const entry of readdirSync(path.join(repo, 'node_modules'))) {
		if (entry !== '.cache') symlinkSync(path.join(repo, 'node_modules', entry), path.join(modules, entry));
	}
	return copy;
}
