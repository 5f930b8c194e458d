/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tool code: starts and signals the n8n processes of a queue-mode cluster */
/**
 * The n8n processes of a queue-mode cluster: `n8n start` (main), `n8n worker`, `n8n webhook`. Each
 * process is an N8nInstance of its own (user folder with `.n8n/nodes`, task-broker port), started
 * with the instance's environment (telemetry off, proxies to a black hole, …) plus what queue mode
 * needs, the same for all (n8n 2.41, @n8n/config):
 *   - EXECUTIONS_MODE=queue, QUEUE_BULL_REDIS_HOST/PORT, DB_TYPE=postgresdb and DB_POSTGRESDB_*;
 *   - one N8N_ENCRYPTION_KEY (credentials are decrypted on the workers);
 *   - N8N_WEBHOOK_URL (WEBHOOK_URL is deprecated in 2.41) pointing at the webhook process;
 *   - QUEUE_WORKER_LOCK_DURATION / _LOCK_RENEW_TIME / _STALLED_INTERVAL: Bull's job lock and stalled
 *     check (scaling-mode.config.js; defaults 60 s / 10 s / 30 s). n8n hard-codes
 *     `maxStalledCount: 0` (scaling/scaling.service.js setupQueue), so a crashed worker's jobs are
 *     failed, never re-run; shorter values only make that happen sooner. After the stalled error
 *     the process that enqueued the job re-reads the execution for up to 30 s
 *     (workflow-runner.js MAX_STALLED_COUNT_GRACE_WINDOW_MS, not configurable) before it stores it
 *     as failed, with the error only (`runData: {}`: the request that started it is not kept).
 * Workers answer /healthz/readiness on QUEUE_HEALTH_CHECK_PORT; main and webhook on N8N_PORT.
 * Each process's output goes to a log file and stays in memory for the checks.
 */
import type { ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';

import { freePort, type N8nInstance } from '../e2e/n8nInstance';
import { startChild, stopChild, waitForExit } from '../e2e/processes';
import { sleep } from '../e2e/waitFor';

export type Role = 'main' | 'worker' | 'webhook';

export interface ClusterSettings {
	encryptionKey: string;
	postgresPort: number;
	redisPort: number;
	mainUrl: string;
	webhookUrl: string;
	/** Bull job lock and stalled-check timings, in ms. */
	lockDurationMs: number;
	lockRenewMs: number;
	stalledIntervalMs: number;
}

export const COMMAND: Record<Role, string> = { main: 'start', worker: 'worker', webhook: 'webhook' };

function clusterEnv(settings: ClusterSettings): Record<string, string> {
	return {
		EXECUTIONS_MODE: 'queue',
		N8N_ENCRYPTION_KEY: settings.encryptionKey,
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(settings.postgresPort),
		DB_POSTGRESDB_DATABASE: 'n8n',
		DB_POSTGRESDB_USER: 'n8n',
		DB_POSTGRESDB_PASSWORD: 'n8n',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(settings.redisPort),
		QUEUE_WORKER_LOCK_DURATION: String(settings.lockDurationMs),
		QUEUE_WORKER_LOCK_RENEW_TIME: String(settings.lockRenewMs),
		QUEUE_WORKER_STALLED_INTERVAL: String(settings.stalledIntervalMs),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_SECURE_COOKIE: 'false',
		N8N_EDITOR_BASE_URL: `${settings.mainUrl}/`,
		N8N_WEBHOOK_URL: `${settings.webhookUrl}/`,
		// Explicit: the default will change to false in a later n8n (deprecation notice in 2.41).
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_LOG_LEVEL: 'info',
	};
}

export class N8nProcess {
	private text = '';

	readonly startedAt = Date.now();

	constructor(
		readonly name: string,
		readonly role: Role,
		readonly instance: N8nInstance,
		readonly child: ChildProcess,
		/** N8N_PORT of main and webhook; the health-check port of a worker. */
		readonly port: number,
		readonly logFile: string,
	) {
		const file = createWriteStream(logFile, { flags: 'a' });
		const add = (chunk: string) => {
			this.text += chunk;
			file.write(chunk);
		};
		child.stdout?.setEncoding('utf8').on('data', add);
		child.stderr?.setEncoding('utf8').on('data', add);
		child.once('close', () => file.end());
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	get pid(): number {
		return this.child.pid ?? -1;
	}

	output(): string {
		return this.text;
	}

	get running(): boolean {
		return this.child.exitCode === null && this.child.signalCode === null;
	}

	/** Execution ids from this worker's own "Worker started execution N (job M)" lines. */
	startedExecutions(): number[] {
		return [...this.text.matchAll(/Worker started execution (\d+) /g)].map((m) => Number(m[1]));
	}

	/**
	 * Each job this worker took, in its log's order: "Worker started execution N (job M)". A run that
	 * waited and was resumed is two jobs of one execution (Bull job ids only grow: the later job is
	 * the resumed part).
	 */
	startedJobs(): Array<{ executionId: number; jobId: number }> {
		return [...this.text.matchAll(/Worker started execution (\d+) \(job (\d+)\)/g)].map((m) => ({ executionId: Number(m[1]), jobId: Number(m[2]) }));
	}

	/** Jobs this process (main or a webhook process) put on the queue: "Enqueued execution N (job M)". */
	enqueuedJobs(): Array<{ executionId: number; jobId: number }> {
		return [...this.text.matchAll(/Enqueued execution (\d+) \(job (\d+)\)/g)].map((m) => ({ executionId: Number(m[1]), jobId: Number(m[2]) }));
	}

	finishedExecutions(): number[] {
		return [...this.text.matchAll(/Worker finished execution (\d+) /g)].map((m) => Number(m[1]));
	}

	/** Started, not finished, with an id above `since`. */
	activeExecutions(since: number): number[] {
		const finished = new Set(this.finishedExecutions());
		return this.startedExecutions().filter((id) => id > since && !finished.has(id));
	}

	async waitReady(timeoutMs: number): Promise<number> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (!this.running) throw new Error(`${this.name} (n8n ${COMMAND[this.role]}) exited with ${this.child.exitCode ?? this.child.signalCode} before it was ready:\n${this.tail()}`);
			try {
				const response = await fetch(`${this.url}/healthz/readiness`, { signal: AbortSignal.timeout(3_000) });
				if (response.status === 200) return Date.now() - this.startedAt;
			} catch {
				// not listening yet
			}
			await sleep(300);
		}
		throw new Error(`${this.name} (n8n ${COMMAND[this.role]}) was not ready within ${timeoutMs / 1000} s:\n${this.tail()}`);
	}

	tail(lines = 15): string {
		return this.text.trim().split('\n').slice(-lines).join('\n');
	}

	/** A signal to the n8n process alone, as an orchestrator or the kernel sends it (not its process group). */
	signal(signal: NodeJS.Signals): void {
		if (this.running) process.kill(this.pid, signal);
	}

	waitForExit(timeoutMs: number): Promise<boolean> {
		return waitForExit(this.child, timeoutMs);
	}

	/** SIGTERM, then SIGKILL after `graceMs`; then whatever is left of its process group (a task runner). */
	async stop(graceMs = 30_000): Promise<void> {
		await stopChild(this.child, graceMs);
		this.killGroup();
	}

	/** SIGKILL to the process group, also after its leader is gone (stopChild skips an exited child). */
	killGroup(): void {
		try {
			process.kill(-this.pid, 'SIGKILL');
		} catch {
			// the group is empty
		}
	}
}

export async function startN8nProcess(
	name: string,
	role: Role,
	instance: N8nInstance,
	settings: ClusterSettings,
	logDir: string,
	options: { port?: number; extraEnv?: Record<string, string> } = {},
): Promise<N8nProcess> {
	const port = options.port ?? (await freePort());
	const own: Record<string, string> =
		role === 'worker'
			? { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(port), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' }
			: { N8N_PORT: String(port) };
	const env = instance.env({ ...clusterEnv(settings), ...own, ...options.extraEnv });
	const child = startChild(instance.app.runtime.node, [instance.app.bin, COMMAND[role]], { cwd: instance.userFolder, env, stdio: ['ignore', 'pipe', 'pipe'] });
	return new N8nProcess(name, role, instance, child, port, path.join(logDir, `${name}.log`));
}
