/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tool code: watches the package's source folders for npm run dev */
/**
 * Watches the folders the package is built from and calls back once a burst of changes is over
 * (an editor's save is several events: a temporary file, a rename, a chmod). Editors' own
 * temporary and backup files do not count.
 */
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

export const WATCHED_FOLDERS = ['nodes', 'credentials', 'icons'];

const EDITOR_LEFTOVERS = /(^\.|~$|\.sw[a-p]$|^4913$|\.tmp$)/;

export interface SourceWatcher {
	close(): void;
}

/** `onChange` gets the changed files (relative to `repo`) of one burst. */
export function watchSources(repo: string, onChange: (files: string[]) => void, quietMs = 400): SourceWatcher {
	const changed = new Set<string>();
	let timer: NodeJS.Timeout | undefined;
	const watchers: FSWatcher[] = WATCHED_FOLDERS.map((folder) =>
		watch(path.join(repo, folder), { recursive: true }, (_event, name) => {
			if (!name || EDITOR_LEFTOVERS.test(path.basename(name.toString()))) return;
			changed.add(path.join(folder, name.toString()));
			clearTimeout(timer);
			timer = setTimeout(() => {
				const files = [...changed].sort();
				changed.clear();
				onChange(files);
			}, quietMs);
		}),
	);
	return {
		close: () => {
			clearTimeout(timer);
			for (const watcher of watchers) watcher.close();
		},
	};
}
