/* eslint-disable no-console -- tool code: reports a cleanup step that failed */
/**
 * The cleanups of one suite run (e2e, MCP, UI, queue): each runs once, newest first, whether the
 * run ends normally, fails or is interrupted, and one failing step does not stop the others.
 * Child processes still running are stopped by their process groups, after the steps (so a step
 * can stop its own service gracefully, e.g. Postgres) or before them (so a step can check that
 * nothing is left in a folder it removes).
 */
import { stopAllChildren } from './processes';

export interface Cleanups {
	push(task: () => Promise<void> | void): void;
	/** Runs everything once; later calls return the same promise. */
	run(): Promise<void>;
}

export function createCleanups(options: { stopChildren: 'first' | 'last' } = { stopChildren: 'last' }): Cleanups {
	const tasks: Array<() => Promise<void> | void> = [];
	let running: Promise<void> | undefined;
	return {
		push: (task) => {
			tasks.push(task);
		},
		run: () => {
			running ??= (async () => {
				if (options.stopChildren === 'first') await stopAllChildren();
				for (const task of tasks.reverse()) {
					try {
						await task();
					} catch (error) {
						console.log(`  cleanup: ${error instanceof Error ? error.message : String(error)}`);
					}
				}
				if (options.stopChildren === 'last') await stopAllChildren();
			})();
			return running;
		},
	};
}
