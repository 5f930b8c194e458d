/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tool code: updates the installed package for npm run dev */
/**
 * Brings a freshly installed copy of the package (installed beside the live one, on the same
 * disk) into the folder n8n loads it from. Each changed file arrives by a rename, so n8n's hot
 * reload watcher never sees half a file, and files the new build no longer has are removed.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';

function filesUnder(root: string, relative = ''): string[] {
	const folder = path.join(root, relative);
	if (!existsSync(folder)) return [];
	return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
		const name = path.join(relative, entry.name);
		if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : filesUnder(root, name);
		return [name];
	});
}

const same = (a: string, b: string) => existsSync(b) && readFileSync(a).equals(readFileSync(b));

/** Makes `live` hold the files of `staged` (node_modules aside); returns the files that changed or went away. */
export function syncPackage(staged: string, live: string): string[] {
	const stagedFiles = filesUnder(staged);
	const changed: string[] = [];
	for (const file of stagedFiles) {
		const from = path.join(staged, file);
		const to = path.join(live, file);
		if (same(from, to)) continue;
		mkdirSync(path.dirname(to), { recursive: true });
		renameSync(from, to);
		changed.push(file);
	}
	const keep = new Set(stagedFiles);
	for (const file of filesUnder(live)) {
		if (keep.has(file)) continue;
		rmSync(path.join(live, file), { force: true });
		changed.push(file);
	}
	return changed.sort();
}
