/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tool code: watches the package's source folders for npm run dev */
/**
 * Watches the folders the package is built from and calls back once a burst of changes is over
 * (an editor's save is several steps: a temporary file, a rename, a chmod). The folders are
 * polled (size and modification time of each file, twice a second) rather than followed with
 * fs.watch: Node 20's recursive fs.watch on Linux missed every later change to a file that a
 * save had replaced by a rename (as `sed -i` and many editors save). A few hundred files cost
 * nothing to poll.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const WATCHED_FOLDERS = ['nodes', 'credentials', 'icons'];

export interface SourceWatcher {
	close(): void;
}

type Snapshot = Map<string, string>;

function snapshot(repo: string): Snapshot {
	const files: Snapshot = new Map();
	const visit = (relative: string) => {
		let entries;
		try {
			entries = readdirSync(path.join(repo, relative), { withFileTypes: true });
		} catch {
			return;
		}
		for (const entry of entries) {
			const name = path.join(relative, entry.name);
			if (entry.isDirectory()) visit(name);
			else if (entry.isFile()) {
				try {
					const stat = statSync(path.join(repo, name));
					files.set(name, `${stat.size}:${stat.mtimeMs}`);
				} catch {
					// removed meanwhile
				}
			}
		}
	};
	for (const folder of WATCHED_FOLDERS) visit(folder);
	return files;
}

/** `onChange` gets the files (relative to `repo`) changed, added or removed in one burst. */
export function watchSources(repo: string, onChange: (files: string[]) => void, everyMs = 500): SourceWatcher {
	let settled = snapshot(repo);
	let last = settled;
	const timer = setInterval(() => {
		const now = snapshot(repo);
		const moving = differences(last, now).length > 0;
		last = now;
		// Reported once nothing moved for one poll: a save is over by then.
		if (moving) return;
		const changed = differences(settled, now);
		settled = now;
		if (changed.length) onChange(changed);
	}, everyMs);
	return { close: () => clearInterval(timer) };
}

function differences(before: Snapshot, after: Snapshot): string[] {
	const changed = new Set<string>();
	for (const [file, stamp] of after) if (before.get(file) !== stamp) changed.add(file);
	for (const file of before.keys()) if (!after.has(file)) changed.add(file);
	return [...changed].sort();
}
