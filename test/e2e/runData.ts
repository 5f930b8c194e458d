/**
 * Reading the run `n8n execute` prints (an IRun: `data.resultData.runData[node][run].data.main`,
 * one array per output; the error output of a node with onError "continueErrorOutput" is main[1]).
 */
import type { CliRun } from './n8nInstance';

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
	finished?: boolean;
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

/** The run printed by `n8n execute` (on failure too: it is logged before the error). */
export function workflowRunOf(cli: CliRun): WorkflowRun {
	for (const record of [...cli.logs].reverse()) {
		if (!record.message.startsWith('{')) continue;
		try {
			const parsed: unknown = JSON.parse(record.message);
			if (isWorkflowRun(parsed)) return parsed;
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
