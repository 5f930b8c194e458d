/**
 * Reading the run `n8n execute` prints (an IRun: `data.resultData.runData[node][run].data.main`,
 * one array per output; the error output of a node with onError "continueErrorOutput" is main[1]).
 */
import type { CliRun } from './n8nInstance';
import type { N8nProfile } from './n8nVersions';

export interface RunItem {
	json: Record<string, unknown>;
	pairedItem?: { item: number } | Array<{ item: number }>;
}

export interface ErrorInfo {
	message?: string;
	description?: string;
	node?: { name?: string };
	context?: Record<string, unknown>;
}

interface NodeRun {
	executionStatus?: string;
	data?: { main?: Array<RunItem[] | null> };
	error?: ErrorInfo;
}

export interface WorkflowRun {
	status?: string;
	/** The status as printed, where the line prints "running" for a finished run (n8nVersions.ts CLI_PRINTS_FINAL_STATUS). */
	printedStatus?: string;
	finished?: boolean;
	waitTill?: string;
	data: {
		resultData: {
			runData: Record<string, NodeRun[]>;
			lastNodeExecuted?: string;
			error?: ErrorInfo;
		};
	};
}

const isWorkflowRun = (value: unknown): value is WorkflowRun =>
	typeof value === 'object' && value !== null && typeof (value as WorkflowRun).data?.resultData?.runData === 'object';

/**
 * The status n8n-core's processSuccessExecution gave the run (workflow-execute.js): `error` with
 * resultData.error, `waiting` with waitTill, `success` when finished.
 */
function finalStatus(run: WorkflowRun): string | undefined {
	if (run.data.resultData.error) return 'error';
	if (run.waitTill) return 'waiting';
	return run.finished === true ? 'success' : run.status;
}

/**
 * The run printed by `n8n execute` (on failure too: it is logged before the error). On a line
 * whose CLI prints "running" for a finished run (`profile`), `status` is the final one and the
 * printed one is kept in `printedStatus`.
 */
export function workflowRunOf(cli: CliRun, profile?: N8nProfile): WorkflowRun {
	for (const record of [...cli.logs].reverse()) {
		if (!record.message.startsWith('{')) continue;
		try {
			const parsed: unknown = JSON.parse(record.message);
			if (isWorkflowRun(parsed)) return profile && !profile.cliPrintsFinalStatus ? { ...parsed, status: finalStatus(parsed), printedStatus: parsed.status } : parsed;
		} catch {
			// another JSON-looking message
		}
	}
	const tail = `${cli.stdout}\n${cli.stderr}`.trim().split('\n').slice(-15).join('\n');
	throw new Error(`n8n ${cli.args.join(' ')} (exit ${cli.code}) printed no workflow run:\n${tail}`);
}

export function nodeRan(run: WorkflowRun, node: string): boolean {
	return (run.data.resultData.runData[node]?.length ?? 0) > 0;
}

/** Items a node put on one of its outputs in its first run; [] when it did not run. */
export function outputOf(run: WorkflowRun, node: string, output = 0): RunItem[] {
	return run.data.resultData.runData[node]?.[0]?.data?.main?.[output] ?? [];
}

export function pairedIndex(item: RunItem): number | undefined {
	const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
	return paired?.item;
}
