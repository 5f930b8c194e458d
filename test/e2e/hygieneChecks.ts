/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tool code: inspects the processes and output of the n8n app it started */
/**
 * Checks over everything n8n printed during the run, and over what the run leaves behind.
 */
import { readdirSync, readlinkSync } from 'node:fs';

import { DEFAULT_ACCOUNT } from '../../sandbox';
import { expectEqual, expectTrue } from './assertions';

/** The token never appears in any CLI output or server log (README: "never appears in any output, error, description or log line"). */
export function expectNoTokenIn(transcript: string[]): void {
	expectTrue(transcript.length > 0, 'no n8n output was collected');
	const leaks = transcript.filter((text) => text.includes(DEFAULT_ACCOUNT.authToken)).length;
	expectEqual(leaks, 0, `outputs containing the Auth Token (of ${transcript.length})`);
}

/** Every proxy variable points at 127.0.0.1:9: a refusal from there means n8n tried to leave loopback. */
export function expectNoOutboundAttempts(transcript: string[]): void {
	const attempts = transcript.flatMap((text) => text.split('\n')).filter((line) => /ECONNREFUSED 127\.0\.0\.1:9(?!\d)/.test(line));
	expectEqual(attempts.length, 0, `output lines showing a request beyond loopback${attempts.length ? `: ${attempts[0].slice(0, 300)}` : ''}`);
}

/** Processes (other than this one) whose working directory is inside `folder`: n8n and its task runners run there. */
export function processesInside(folder: string): string[] {
	let entries: string[];
	try {
		entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid);
	} catch {
		return [];
	}
	const found: string[] = [];
	for (const pid of entries) {
		try {
			const cwd = readlinkSync(`/proc/${pid}/cwd`);
			if (cwd === folder || cwd.startsWith(`${folder}/`)) found.push(pid);
		} catch {
			// gone, or not ours to read
		}
	}
	return found;
}
