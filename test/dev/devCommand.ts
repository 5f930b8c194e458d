/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tool code: runs npm run dev as a user does, in its own process group */
/**
 * `npm run dev` as a user runs it in a terminal: in a process group of its own (the terminal's
 * foreground group), so that "Ctrl-C" is SIGINT to that whole group, as the terminal sends it.
 * What it prints is kept, and can be waited for.
 */
import type { ChildProcess } from 'node:child_process';

import { cleanEnv, signalChild, startChild, waitForExit } from '../e2e/processes';
import { sleep } from '../e2e/waitFor';
import { processTree, stillRunning, type ProcessEntry } from './processTree';

export class DevCommand {
	output = '';

	private readonly child: ChildProcess;

	/** Every process seen below the command while it ran. */
	private readonly seen = new Map<string, ProcessEntry>();

	private readonly sampler: NodeJS.Timeout;

	constructor(cwd: string, args: string[]) {
		this.child = startChild('npm', ['run', 'dev', '--', ...args], { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
		this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.output += chunk));
		this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.output += chunk));
		this.sampler = setInterval(() => this.sample(), 500);
	}

	private sample(): void {
		if (this.child.pid === undefined || this.exited) return;
		for (const entry of processTree(this.child.pid)) this.seen.set(`${entry.pid}/${entry.startTime}`, entry);
	}

	get exited(): boolean {
		return this.child.exitCode !== null || this.child.signalCode !== null;
	}

	get exitCode(): number | null {
		return this.child.exitCode;
	}

	get exitSignal(): NodeJS.Signals | null {
		return this.child.signalCode;
	}

	/** The output from `from` on, once it matches; throws with the output's tail after `timeoutMs`. */
	async waitFor(pattern: RegExp, timeoutMs: number, from = 0): Promise<RegExpExecArray> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const match = pattern.exec(this.output.slice(from));
			if (match) return match;
			if (this.exited || Date.now() > deadline) {
				const why = this.exited ? `npm run dev exited (${this.child.exitCode ?? this.child.signalCode})` : `${timeoutMs / 1000} s passed`;
				throw new Error(`${why} before it printed ${pattern}; its last lines:\n${this.output.trim().split('\n').slice(-15).join('\n')}`);
			}
			await sleep(250);
		}
	}

	/** The processes the command started (sampled twice a second while it ran). */
	processes(): ProcessEntry[] {
		this.sample();
		return [...this.seen.values()];
	}

	/** Ctrl-C, as a terminal sends it, and the wait for the command to end. */
	async interrupt(timeoutMs: number): Promise<boolean> {
		this.sample();
		clearInterval(this.sampler);
		signalChild(this.child, 'SIGINT');
		return waitForExit(this.child, timeoutMs);
	}

	/** Last resort, for a check that failed half-way: nothing of it may outlive the run. */
	async kill(): Promise<void> {
		clearInterval(this.sampler);
		if (!this.exited) await this.interrupt(30_000);
		signalChild(this.child, 'SIGKILL');
		// n8n runs in a group of its own: whatever is left of the tree goes one by one.
		for (const entry of stillRunning(this.processes())) {
			try {
				process.kill(entry.pid, 'SIGKILL');
			} catch {
				// gone meanwhile
			}
		}
	}
}
