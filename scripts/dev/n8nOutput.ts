/* eslint-disable no-console, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tool code: relays what n8n prints to npm run dev's terminal */
/**
 * What `n8n start` prints, for `npm run dev`: its JSON log records (N8N_LOG_FORMAT=json) are read
 * line by line; warnings and errors are shown, the rest is kept quiet, and a caller can wait for
 * a record (the hot reload's). Lines that are not records (stderr) are shown as they are.
 */
import type { ChildProcess } from 'node:child_process';

import { parseLogRecords, type LogRecord } from '../../test/e2e/n8nInstance';

interface Waiter {
	pattern: RegExp;
	resolve(record: LogRecord): void;
}

export class N8nOutput {
	private waiters: Waiter[] = [];

	/** Follows a newly started n8n (each restart is a new child). */
	follow(child: ChildProcess): void {
		this.lines(child.stdout, (line) => {
			const [record] = parseLogRecords(line);
			if (record) this.onRecord(record);
			else if (line.trim()) console.log(`n8n: ${line}`);
		});
		this.lines(child.stderr, (line) => {
			if (line.trim()) console.log(`n8n: ${line}`);
		});
	}

	/** Resolves with the first record whose message matches, or undefined after `timeoutMs`. */
	waitFor(pattern: RegExp, timeoutMs: number): Promise<LogRecord | undefined> {
		return new Promise((resolve) => {
			const waiter: Waiter = {
				pattern,
				resolve: (record) => {
					clearTimeout(timer);
					resolve(record);
				},
			};
			const timer = setTimeout(() => {
				this.waiters = this.waiters.filter((w) => w !== waiter);
				resolve(undefined);
			}, timeoutMs);
			this.waiters.push(waiter);
		});
	}

	private onRecord(record: LogRecord): void {
		if (record.level === 'warn' || record.level === 'error') console.log(`n8n: ${record.level}: ${record.message}`);
		const matched = this.waiters.filter((w) => w.pattern.test(record.message));
		this.waiters = this.waiters.filter((w) => !matched.includes(w));
		for (const waiter of matched) waiter.resolve(record);
	}

	private lines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
		let rest = '';
		stream?.on('data', (chunk: Buffer | string) => {
			const lines = (rest + chunk.toString()).split('\n');
			rest = lines.pop() ?? '';
			for (const line of lines) onLine(line);
		});
	}
}
