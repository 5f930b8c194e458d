/* eslint-disable no-console, @n8n/community-nodes/no-restricted-globals -- tool code: prints how a suite run ends and exits the process */
/**
 * The frame of one real-parts suite run (e2e, MCP, UI, queue): its check list, its cleanups, and
 * how it ends. However the run ends (its checks done, a crash, Ctrl-C, or the SIGTERM of a CI
 * timeout), the cleanups run once and the last line is the plain `label: N passed, N failed`
 * summary CI reads; a crash counts as one more failure.
 */
import { CheckList } from './assertions';
import { createCleanups, type Cleanups } from './cleanups';
import { killAllChildrenNow } from './processes';

export interface SuiteOptions {
	/** Printed after the signal's name when the run is interrupted: what is being stopped. */
	stopping: string;
	/** Whether child processes are stopped before or after the cleanup steps (see createCleanups). */
	stopChildren?: 'first' | 'last';
}

export class Suite {
	readonly checks: CheckList;
	readonly cleanups: Cleanups;
	private readonly started = Date.now();
	private crashed = false;

	constructor(readonly label: string, private readonly options: SuiteOptions) {
		this.checks = new CheckList(label);
		this.cleanups = createCleanups({ stopChildren: options.stopChildren ?? 'last' });
	}

	/** Whether the run has failed so far: a check failed, or the run crashed (a cleanup step may keep the logs then). */
	get failed(): boolean {
		return this.crashed || this.checks.failed > 0;
	}

	/**
	 * Marks the checks that can no longer run as skipped, prints the run's time and then the
	 * summary line, last and alone, and returns the exit code.
	 */
	finish(skipped: string[] = [], why = 'setup failed', note = ''): number {
		for (const name of skipped) this.checks.skip(name, why);
		console.log(`${this.label}: finished in ${((Date.now() - this.started) / 1000).toFixed(0)} s${note}`);
		console.log(this.checks.summary());
		return this.checks.failed === 0 ? 0 : 1;
	}

	/** Runs `main`, then the cleanups, and exits with main's code. */
	run(main: () => Promise<number>): void {
		// A second signal must not meet Node's default handler, which ends the process at once and
		// orphans the children (Ctrl-C reaches tsx and this process both, and tsx relays it too):
		// it kills every child process group now instead, and exits.
		let stopping = false;
		const onSignal = (signal: NodeJS.Signals) => {
			if (stopping) {
				console.log(`${this.label}: ${signal} again: killing every child process now; temporary folders may remain`);
				killAllChildrenNow();
				process.exit(130);
			}
			stopping = true;
			this.checks.quiet = true;
			console.log(`\n${this.label}: ${signal}: ${this.options.stopping}`);
			void this.cleanups.run().finally(() => process.exit(130));
		};
		process.on('SIGINT', onSignal);
		process.on('SIGTERM', onSignal);
		process.once('exit', killAllChildrenNow);

		main()
			.then(async (code) => {
				await this.cleanups.run();
				process.exit(code);
			})
			.catch(async (error: unknown) => {
				this.crashed = true;
				console.log(`${this.label}: crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
				await this.cleanups.run();
				console.log(`${this.label}: ${this.checks.passed} passed, ${this.checks.failed + 1} failed`);
				process.exit(1);
			});
	}
}
