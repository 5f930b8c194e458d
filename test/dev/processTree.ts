/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tool code: reads /proc to see what a command left running */
/**
 * The processes a command started, however deep (npm → sh → tsx → node → n8n → its task
 * runner), read from /proc; each remembered with its start time, so that a process id the
 * kernel handed out again later is not taken for one that was left behind.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessEntry {
	pid: number;
	ppid: number;
	/** Clock ticks since boot: with the pid, names one process. */
	startTime: string;
	command: string;
}

function readEntry(pid: number): ProcessEntry | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The command name is in parentheses and may itself contain spaces or parentheses.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
		// A zombie has ended; only its parent has not read its exit status yet.
		if (fields[0] === 'Z') return undefined;
		return { pid, ppid: Number(fields[1]), startTime: fields[19], command };
	} catch {
		return undefined;
	}
}

function allProcesses(): ProcessEntry[] {
	return readdirSync('/proc')
		.filter((entry) => /^\d+$/.test(entry))
		.map((entry) => readEntry(Number(entry)))
		.filter((entry): entry is ProcessEntry => entry !== undefined);
}

/** `root` and everything below it now. */
export function processTree(root: number): ProcessEntry[] {
	const all = allProcesses();
	const found = all.filter((p) => p.pid === root);
	for (let i = 0; i < found.length; i++) found.push(...all.filter((p) => p.ppid === found[i].pid));
	return found;
}

/** Those of `entries` that still run (the same process, not a reused id). */
export function stillRunning(entries: ProcessEntry[]): ProcessEntry[] {
	return entries.filter((entry) => {
		const now = readEntry(entry.pid);
		return now !== undefined && now.startTime === entry.startTime;
	});
}
