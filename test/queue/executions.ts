/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tool code: reads n8n's execution records from Postgres and the processes of a group */
/**
 * n8n's execution records, read straight from Postgres (`execution_entity`, `execution_data`):
 * status, mode and timings per execution, and the stored run data (a `flatted` string, read with
 * the app's own copy of flatted).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import type { N8nApp } from '../e2e/n8nApp';
import { sleep } from '../e2e/waitFor';
import type { Psql } from './infra';

export interface ExecutionRow {
	id: number;
	status: string;
	mode: string;
	createdAt: number;
	startedAt?: number;
	stoppedAt?: number;
}

const epoch = (value: string | undefined) => (value === undefined || value === '' ? undefined : Number(value));

export async function maxExecutionId(psql: Psql): Promise<number> {
	const rows = await psql.query('select coalesce(max(id), 0) from execution_entity');
	return Number(rows[0][0]);
}

export async function executionsOf(psql: Psql, workflowId: string, since: number): Promise<ExecutionRow[]> {
	const ms = (column: string) => `(extract(epoch from "${column}") * 1000)::bigint`;
	const rows = await psql.query(
		`select id, status, mode, ${ms('createdAt')}, ${ms('startedAt')}, ${ms('stoppedAt')} from execution_entity where "workflowId" = '${workflowId}' and id > ${since} order by id`,
	);
	return rows.map(([id, status, mode, createdAt, startedAt, stoppedAt]) => ({
		id: Number(id),
		status,
		mode,
		createdAt: Number(createdAt),
		startedAt: epoch(startedAt),
		stoppedAt: epoch(stoppedAt),
	}));
}

/** Statuses of an execution that is still going (n8n 2.41 ExecutionStatus). */
export const UNFINISHED = new Set(['new', 'running', 'waiting', 'unknown']);

/** Waits until `count` executions exist and none of them is unfinished. */
export async function waitForExecutions(psql: Psql, workflowId: string, since: number, count: number, timeoutMs: number): Promise<ExecutionRow[]> {
	const deadline = Date.now() + timeoutMs;
	let rows: ExecutionRow[] = [];
	while (Date.now() < deadline) {
		rows = await executionsOf(psql, workflowId, since);
		if (rows.length >= count && rows.every((row) => !UNFINISHED.has(row.status))) return rows;
		await sleep(500);
	}
	const statuses: Record<string, number> = {};
	for (const row of rows) statuses[row.status] = (statuses[row.status] ?? 0) + 1;
	throw new Error(`${count} finished executions of ${workflowId} (id > ${since}): not within ${timeoutMs / 1000} s; found ${rows.length}: ${JSON.stringify(statuses)}`);
}

/** The raw (flatted) run data of the executions, by id. */
export async function executionData(psql: Psql, ids: number[]): Promise<Map<number, string>> {
	const data = new Map<number, string>();
	if (ids.length === 0) return data;
	const rows = await psql.query(`select "executionId", data from execution_data where "executionId" in (${ids.join(',')})`);
	for (const [id, text] of rows) data.set(Number(id), text);
	return data;
}

export function flattedParser(app: N8nApp): (text: string) => unknown {
	const requireFromN8n = createRequire(path.join(app.dir, 'node_modules', 'n8n', 'package.json'));
	return (requireFromN8n('flatted') as { parse(text: string): unknown }).parse;
}

/** Processes whose process group is `pgid` (a child started by startChild leads its own group). */
export function processGroupMembers(pgid: number): number[] {
	const members: number[] = [];
	let entries: string[] = [];
	try {
		entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
	} catch {
		return members;
	}
	for (const pid of entries) {
		try {
			const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
			// pid (comm) state ppid pgrp …: comm may hold spaces, so split after its closing parenthesis.
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			if (Number(fields[2]) === pgid && fields[0] !== 'Z') members.push(Number(pid));
		} catch {
			// gone
		}
	}
	return members;
}
