/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console, @n8n/community-nodes/no-dangerous-functions -- tool code: starts and stops the n8n app and npm as child processes */
/**
 * Child processes of the e2e run. Every child gets its own process group, so that stopping it
 * also stops what it started (n8n starts a task runner), and every child is remembered until it
 * exits, so that a failure or Ctrl-C never leaves one running.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

const running = new Set<ChildProcess>();
/** Set once the run shuts down: from then on no new child may start (Ctrl-C during a step). */
let shuttingDown = false;

export interface CommandResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	ms: number;
}

export interface CommandOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	/** Kill the command (its whole process group) after this long. */
	timeoutMs?: number;
	/** Print "<label>: still running (N s)" every 20 s, for long installs. */
	heartbeat?: string;
}

/** Starts a child in its own process group and tracks it until it exits. */
export function startChild(command: string, args: string[], options: SpawnOptions): ChildProcess {
	if (shuttingDown) throw new Error(`not starting ${command}: the run is shutting down`);
	const child = spawn(command, args, { ...options, detached: true });
	running.add(child);
	child.once('exit', () => running.delete(child));
	child.once('error', () => running.delete(child));
	return child;
}

/** Sends a signal to the child's process group (the child and whatever it started). */
export function signalChild(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			// already gone
		}
	}
}

export function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
	return new Promise((resolve) => {
		const timer = setTimeout(() => resolve(false), timeoutMs);
		child.once('exit', () => {
			clearTimeout(timer);
			resolve(true);
		});
	});
}

/** SIGTERM, then SIGKILL if the child is still there after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
	signalChild(child, 'SIGTERM');
	if (!(await waitForExit(child, graceMs))) {
		signalChild(child, 'SIGKILL');
		await waitForExit(child, 2_000);
	}
	// The group may outlive its leader (a task runner that ignored SIGTERM).
	signalChild(child, 'SIGKILL');
}

export async function stopAllChildren(): Promise<void> {
	shuttingDown = true;
	await Promise.all([...running].map(async (child) => stopChild(child, 5_000)));
}

/** Synchronous last resort, for process 'exit'. */
export function killAllChildrenNow(): void {
	for (const child of running) {
		if (child.pid === undefined) continue;
		try {
			process.kill(-child.pid, 'SIGKILL');
		} catch {
			// already gone
		}
	}
}

/** Runs a command to completion and collects its output. */
export function runCommand(command: string, args: string[], options: CommandOptions = {}): Promise<CommandResult> {
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const child = startChild(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
		child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
		const timeout = options.timeoutMs
			? setTimeout(() => {
					stderr += `\n[e2e] killed after ${options.timeoutMs} ms`;
					signalChild(child, 'SIGKILL');
				}, options.timeoutMs)
			: undefined;
		const heartbeat = options.heartbeat
			? setInterval(() => console.log(`  … ${options.heartbeat}: still running (${Math.round((Date.now() - started) / 1000)} s)`), 20_000)
			: undefined;
		child.once('error', (error) => {
			clearTimeout(timeout);
			clearInterval(heartbeat);
			reject(error);
		});
		child.once('close', (code, signal) => {
			clearTimeout(timeout);
			clearInterval(heartbeat);
			resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
		});
	});
}

/** Like runCommand, but a non-zero exit is an error that carries the output's tail. */
export async function runOrThrow(command: string, args: string[], options: CommandOptions = {}): Promise<CommandResult> {
	const result = await runCommand(command, args, options);
	if (result.code !== 0) {
		const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-25).join('\n');
		throw new Error(`${[command, ...args].join(' ')} exited with ${result.code ?? result.signal}:\n${tail}`);
	}
	return result;
}

/**
 * The npm cache for the npm calls that install n8n and Node: npm's own unless UCPAAS_E2E_NPM_CACHE
 * names another folder (an empty one measures a cold install without touching ~/.npm).
 */
export function npmCacheEnv(): NodeJS.ProcessEnv {
	const cache = process.env.UCPAAS_E2E_NPM_CACHE;
	return cache ? { npm_config_cache: cache } : {};
}

/** An environment without the npm_* variables `npm run` exports, so nested npm calls see only their own flags. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (/^npm_/i.test(key) || key === 'INIT_CWD' || key === 'NODE_OPTIONS') continue;
		env[key] = value;
	}
	return { ...env, ...extra };
}
