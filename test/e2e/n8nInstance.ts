/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tool code: drives the n8n app from the command line */
/**
 * One throwaway n8n instance: a fresh N8N_USER_FOLDER (SQLite database, settings, `.n8n/nodes`),
 * one encryption key for the whole run, and the environment every n8n command of the run shares.
 *
 * Environment notes for n8n 2.41 (sources under node_modules/n8n/dist and @n8n/config/dist):
 *   - `n8n execute` prints the run through `logger.info` (commands/base-command.js `log()`), so the
 *     CLI commands need N8N_LOG_LEVEL=info; N8N_LOG_FORMAT=json makes every stdout line one JSON
 *     record, and the run is the message that parses as `{ data: { resultData } }`.
 *   - N8N_RUNNERS_ENABLED is deprecated (deprecation/deprecation.service.js): task runners are
 *     always on, and `execute` starts a task broker on N8N_RUNNERS_BROKER_PORT (default 5679), so
 *     each instance gets a free port.
 *   - Community packages load from `<user folder>/.n8n/nodes/node_modules` when
 *     N8N_COMMUNITY_PACKAGES_ENABLED is true (the default); N8N_REINSTALL_MISSING_PACKAGES stays
 *     false so nothing is fetched from npm.
 *   - bin/n8n loads `.env` from its working directory: commands run inside the user folder.
 *   - Outbound traffic: telemetry, version checks, templates and personalization are off, and
 *     every proxy variable points at a closed loopback port with NO_PROXY for loopback only, so
 *     any request that is not to 127.0.0.1/localhost fails at once instead of leaving the host.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { N8nApp } from './n8nApp';
import { cleanEnv, runCommand, type CommandResult } from './processes';
import { importArgsWithVersionIds } from './workflowImport';

export interface LogRecord {
	level: string;
	message: string;
}

export interface CliRun extends CommandResult {
	args: string[];
	/** stdout lines that are n8n JSON log records. */
	logs: LogRecord[];
}

/** A free TCP port on loopback (closed again before it is used). */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

/**
 * Console output without JSON records (lines without N8N_LOG_FORMAT, n8nVersions.ts): one record
 * per line, level unknown, except a pretty-printed JSON object (`{` … `}` at the start of lines,
 * what `n8n execute` prints), which is one record.
 */
export function parsePlainConsole(stdout: string): LogRecord[] {
	const records: LogRecord[] = [];
	let block: string[] | undefined;
	for (const line of stdout.split('\n')) {
		if (block) {
			block.push(line);
			if (line === '}') {
				records.push({ level: 'console', message: block.join('\n') });
				block = undefined;
			}
		} else if (line === '{') {
			block = [line];
		} else if (line.trim()) {
			records.push({ level: 'console', message: line.trim() });
		}
	}
	return records;
}

export function parseLogRecords(stdout: string): LogRecord[] {
	const records: LogRecord[] = [];
	for (const line of stdout.split('\n')) {
		if (!line.startsWith('{')) continue;
		try {
			const record = JSON.parse(line) as Partial<LogRecord>;
			if (typeof record.level === 'string' && typeof record.message === 'string') records.push({ level: record.level, message: record.message });
		} catch {
			// not a log record
		}
	}
	return records;
}

/** A closed port: a request sent through "the proxy" is refused at once. */
const BLACKHOLE_PROXY = 'http://127.0.0.1:9';
const LOOPBACK = 'localhost,127.0.0.1,::1';

/** A user folder kept between runs, with the encryption key its credentials were stored under. */
export interface KeptUserFolder {
	userFolder: string;
	encryptionKey: string;
}

export class N8nInstance {
	readonly userFolder: string;

	readonly nodesDir: string;

	readonly encryptionKey: string;

	/** Everything any n8n process of this instance printed, to scan for secrets. */
	readonly transcript: string[] = [];

	/** Numbers the log files of CLI commands on lines without JSON console logs. */
	private cliRuns = 0;

	private constructor(
		readonly app: N8nApp,
		private readonly brokerPort: number,
		kept?: KeptUserFolder,
	) {
		this.userFolder = kept?.userFolder ?? mkdtempSync(path.join(tmpdir(), 'n8n-nodes-ucpaas-e2e-'));
		this.encryptionKey = kept?.encryptionKey ?? randomBytes(24).toString('hex');
		this.nodesDir = path.join(this.userFolder, '.n8n', 'nodes');
	}

	/** A throwaway instance; or, given `kept`, one on a user folder that outlives the run (npm run dev). */
	static async create(app: N8nApp, kept?: KeptUserFolder): Promise<N8nInstance> {
		return new N8nInstance(app, await freePort(), kept);
	}

	env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
		return cleanEnv({
			PATH: this.app.runtime.path,
			NO_COLOR: '1',
			N8N_USER_FOLDER: this.userFolder,
			DB_TYPE: 'sqlite',
			N8N_ENCRYPTION_KEY: this.encryptionKey,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_REINSTALL_MISSING_PACKAGES: 'false',
			N8N_SSRF_PROTECTION_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
			N8N_LOG_LEVEL: 'info',
			N8N_LOG_FORMAT: 'json',
			N8N_LOG_OUTPUT: 'console',
			// Not Beijing: the credential must sign with Beijing time whatever the host's zone.
			TZ: 'America/Los_Angeles',
			GENERIC_TIMEZONE: 'America/Los_Angeles',
			HTTP_PROXY: BLACKHOLE_PROXY,
			HTTPS_PROXY: BLACKHOLE_PROXY,
			ALL_PROXY: BLACKHOLE_PROXY,
			http_proxy: BLACKHOLE_PROXY,
			https_proxy: BLACKHOLE_PROXY,
			all_proxy: BLACKHOLE_PROXY,
			NO_PROXY: LOOPBACK,
			no_proxy: LOOPBACK,
			// What this version's line needs (n8nVersions.ts: e.g. N8N_DISABLED_MODULES where the module exists).
			...this.app.profile.env,
			...extra,
		});
	}

	/** `node n8n <args>` inside the user folder, with the Node of the app's line. */
	async cli(args: string[], timeoutMs = 90_000): Promise<CliRun> {
		const given = this.app.profile.importAssignsVersionId ? args : importArgsWithVersionIds(args, this.userFolder);
		if (this.app.profile.jsonConsoleLogs) {
			const result = await runCommand(this.app.runtime.node, [this.app.bin, ...given], { cwd: this.userFolder, env: this.env(), timeoutMs });
			this.transcript.push(result.stdout, result.stderr);
			return { ...result, args, logs: parseLogRecords(result.stdout) };
		}
		// The levels come from a log file of this command's own; what the command prints itself
		// (oclif's this.log: the run of `n8n execute`) is only on stdout, and comes last.
		const logFile = `logs/cli-${++this.cliRuns}.log`;
		const env = this.env({ N8N_LOG_OUTPUT: 'console,file', N8N_LOG_FILE_LOCATION: logFile });
		const result = await runCommand(this.app.runtime.node, [this.app.bin, ...given], { cwd: this.userFolder, env, timeoutMs });
		const file = path.join(this.userFolder, '.n8n', logFile);
		const logged = existsSync(file) ? readFileSync(file, 'utf8') : '';
		this.transcript.push(result.stdout, result.stderr, logged);
		const printed = parsePlainConsole(result.stdout).filter((record) => record.message.startsWith('{\n'));
		return { ...result, args, logs: [...parseLogRecords(logged), ...printed] };
	}

	dispose(): void {
		rmSync(this.userFolder, { recursive: true, force: true, maxRetries: 3 });
	}
}
