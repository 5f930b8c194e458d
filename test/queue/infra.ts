/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/require-node-api-error -- tool code: runs Redis and a private Postgres cluster for the queue-mode test */
/**
 * The two services n8n's queue mode needs, each started by this run as its own process on a free
 * loopback port, and stopped by it again:
 *   - Redis (Debian's redis-server): no persistence, bound to 127.0.0.1;
 *   - a private PostgreSQL 15 cluster (Debian's postgresql): `initdb` into a throwaway folder, then
 *     `postgres` in the foreground, TCP on 127.0.0.1 only, no Unix socket. initdb refuses to run as
 *     root, so when this runs as root the binaries run as the `postgres` user (`runuser`), and the
 *     folder belongs to that user. Trust authentication on loopback: the cluster lives only as long
 *     as the run. fsync is off (a throwaway cluster on a shared disk; n8n's figures below are
 *     measured with it off).
 * `psql` (the Debian client) is the only way the test talks to Postgres.
 */
import type { ChildProcess } from 'node:child_process';
import { chownSync, createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { freePort } from '../e2e/n8nInstance';
import { cleanEnv, runCommand, runOrThrow, signalChild, startChild, stopChild, waitForExit } from '../e2e/processes';
import { sleep } from '../e2e/waitFor';

export const PG_BIN = '/usr/lib/postgresql/15/bin';

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** A service process with its output kept in memory and in a log file. */
export interface Service {
	name: string;
	port: number;
	child: ChildProcess;
	output(): string;
	stop(): Promise<void>;
}

function capture(child: ChildProcess, logFile: string): () => string {
	let text = '';
	const file = createWriteStream(logFile, { flags: 'a' });
	const add = (chunk: string) => {
		text += chunk;
		file.write(chunk);
	};
	child.stdout?.setEncoding('utf8').on('data', add);
	child.stderr?.setEncoding('utf8').on('data', add);
	child.once('close', () => file.end());
	return () => text;
}

/** Sends PING over plain TCP and waits for +PONG. */
export function redisPing(port: number, timeoutMs = 2_000): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect({ host: '127.0.0.1', port });
		let reply = '';
		const done = (ok: boolean) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(timeoutMs, () => done(false));
		socket.once('error', () => done(false));
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk) => {
			reply += chunk.toString('utf8');
			if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
		});
	});
}

export async function startRedis(dir: string, logDir: string): Promise<Service> {
	const port = await freePort();
	const child = startChild('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'yes', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'], {
		cwd: dir,
		env: cleanEnv(),
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const output = capture(child, path.join(logDir, 'redis.log'));
	const deadline = Date.now() + 30_000;
	while (!(await redisPing(port))) {
		if (child.exitCode !== null || Date.now() > deadline) {
			await stopChild(child, 2_000);
			throw new Error(`redis-server did not answer PING on 127.0.0.1:${port}:\n${output().slice(-1500)}`);
		}
		await sleep(200);
	}
	return { name: 'redis', port, child, output, stop: () => stopChild(child, 10_000) };
}

/** `command args` as the postgres user when this runs as root. */
function asPostgres(command: string, args: string[]): [string, string[]] {
	return isRoot() ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
	const uid = await runOrThrow('id', ['-u', 'postgres'], { env: cleanEnv() });
	const gid = await runOrThrow('id', ['-g', 'postgres'], { env: cleanEnv() });
	return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export interface Postgres extends Service {
	dataDir: string;
	psql: Psql;
	/** Removes the cluster's folder (after stop). */
	remove(): void;
}

export async function startPostgres(logDir: string): Promise<Postgres> {
	// Its own folder straight under the temp dir: the postgres user must be able to reach it.
	const dataDir = mkdtempSync(path.join(tmpdir(), 'n8n-nodes-ucpaas-queue-pg-'));
	const remove = () => rmSync(dataDir, { recursive: true, force: true, maxRetries: 3 });
	try {
		if (isRoot()) {
			const { uid, gid } = await postgresIds();
			chownSync(dataDir, uid, gid);
		}
		const [initCommand, initArgs] = asPostgres(path.join(PG_BIN, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
		await runOrThrow(initCommand, initArgs, { cwd: '/', env: cleanEnv({ LC_ALL: 'C.UTF-8' }), timeoutMs: 120_000 });
	} catch (error) {
		remove();
		throw error;
	}

	const port = await freePort();
	const settings = ['listen_addresses=127.0.0.1', 'unix_socket_directories=', 'max_connections=200', 'fsync=off', 'synchronous_commit=off', 'full_page_writes=off'];
	const [command, args] = asPostgres(path.join(PG_BIN, 'postgres'), ['-D', dataDir, '-p', String(port), ...settings.flatMap((s) => ['-c', s])]);
	const child = startChild(command, args, { cwd: '/', env: cleanEnv({ LC_ALL: 'C.UTF-8' }), stdio: ['ignore', 'pipe', 'pipe'] });
	const output = capture(child, path.join(logDir, 'postgres.log'));
	const stop = async () => {
		// SIGINT is Postgres's fast shutdown: it disconnects clients and exits with a checkpoint.
		signalChild(child, 'SIGINT');
		if (!(await waitForExit(child, 20_000))) await stopChild(child, 5_000);
		else signalChild(child, 'SIGKILL');
	};
	const admin = new Psql(port, 'postgres', 'postgres');
	const deadline = Date.now() + 60_000;
	for (;;) {
		if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
			await stop();
			remove();
			throw new Error(`postgres did not accept connections on 127.0.0.1:${port}:\n${output().slice(-1500)}`);
		}
		if ((await admin.tryQuery('select 1'))?.[0]?.[0] === '1') break;
		await sleep(300);
	}
	await admin.query("create role n8n login password 'n8n'");
	await admin.query('create database n8n owner n8n');
	return { name: 'postgres', port, child, output, stop, dataDir, psql: new Psql(port, 'n8n', 'n8n'), remove: () => existsSync(dataDir) && remove() };
}

const FIELD = '\x1f';
const RECORD = '\x1e';

/** `psql` against the cluster: unaligned rows, fields and records split on control characters. */
export class Psql {
	constructor(
		readonly port: number,
		readonly user: string,
		readonly database: string,
	) {}

	private args(sql: string): string[] {
		return ['-X', '-q', '-h', '127.0.0.1', '-p', String(this.port), '-U', this.user, '-d', this.database, '-v', 'ON_ERROR_STOP=1', '-A', '-t', '-F', FIELD, '-R', RECORD, '-c', sql];
	}

	async tryQuery(sql: string): Promise<string[][] | undefined> {
		const result = await runCommand('psql', this.args(sql), { env: cleanEnv({ PGCONNECT_TIMEOUT: '5' }), timeoutMs: 60_000 });
		if (result.code !== 0) return undefined;
		return parseRows(result.stdout);
	}

	async query(sql: string): Promise<string[][]> {
		const result = await runCommand('psql', this.args(sql), { env: cleanEnv({ PGCONNECT_TIMEOUT: '5' }), timeoutMs: 60_000 });
		if (result.code !== 0) throw new Error(`psql: ${sql.slice(0, 200)}: exited with ${result.code}: ${result.stderr.trim().slice(0, 500)}`);
		return parseRows(result.stdout);
	}
}

function parseRows(stdout: string): string[][] {
	return stdout
		.split(RECORD)
		.map((record) => record.replace(/^\n+|\n+$/g, ''))
		.filter((record) => record !== '')
		.map((record) => record.split(FIELD));
}
