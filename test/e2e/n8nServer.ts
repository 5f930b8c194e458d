/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tool code: starts and stops `n8n start` on loopback */
/**
 * `n8n start` on a free loopback port. Ready means `/healthz/readiness` and then `/rest/settings`
 * answer 200. n8n 2.41 answers readiness only once the database is migrated and the server fully
 * configured (abstract-server.js setupHealthCheck, `fullyReady`); 1.123.81 and 2.0.3 answer it as
 * soon as the database is migrated, while start() is still in configure(), before the REST
 * controllers are mounted (a POST /rest/owner/setup then gets 404). server.js configure() mounts
 * `/rest/settings` after the controllers (ControllerRegistry.activate) on every line.
 */
import type { ChildProcess } from 'node:child_process';

import { freePort, parseLogRecords, parsePlainConsole, type LogRecord, type N8nInstance } from './n8nInstance';
import { startChild, stopChild } from './processes';
import { sleep } from './waitFor';

export interface RunningServer {
	url: string;
	child: ChildProcess;
	logs(): LogRecord[];
	stop(): Promise<void>;
}

export interface ServerOptions {
	timeoutMs?: number;
	/** A fixed port (npm run dev keeps its URL across restarts); a free one when absent. */
	port?: number;
	/** Added to the server's environment last. */
	env?: NodeJS.ProcessEnv;
}

export async function startN8nServer(instance: N8nInstance, options: ServerOptions = {}): Promise<RunningServer> {
	const timeoutMs = options.timeoutMs ?? 120_000;
	const port = options.port ?? (await freePort());
	const url = `http://127.0.0.1:${port}`;
	const child = startChild(instance.app.runtime.node, [instance.app.bin, 'start'], {
		cwd: instance.userFolder,
		env: instance.env({
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			N8N_EDITOR_BASE_URL: `${url}/`,
			N8N_SECURE_COOKIE: 'false',
			N8N_LOG_LEVEL: 'warn',
			...options.env,
		}),
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
	child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
	const stop = async () => {
		await stopChild(child, 20_000);
		instance.transcript.push(stdout, stderr);
	};

	// Lines without JSON console logs print bare messages (n8nVersions.ts JSON_CONSOLE_LOGS).
	const logs = () => (instance.app.profile.jsonConsoleLogs ? parseLogRecords(stdout) : parsePlainConsole(stdout));
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null || child.signalCode !== null) {
			await stop();
			throw new Error(`n8n start exited with ${child.exitCode ?? child.signalCode} before it was ready:\n${`${stdout}\n${stderr}`.trim().split('\n').slice(-20).join('\n')}`);
		}
		try {
			const readiness = await fetch(`${url}/healthz/readiness`, { signal: AbortSignal.timeout(2_000) });
			const settings = readiness.status === 200 ? await fetch(`${url}/rest/settings`, { signal: AbortSignal.timeout(5_000) }) : undefined;
			if (settings?.status === 200) return { url, child, logs, stop };
		} catch {
			// not listening yet
		}
		await sleep(250);
	}
	await stop();
	throw new Error(`n8n start was not ready within ${timeoutMs} ms:\n${`${stdout}\n${stderr}`.trim().split('\n').slice(-20).join('\n')}`);
}
