import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { RequestEffect } from '../../shared/apiErrors';
import type { CallerDirectory } from './callerDirectory';

/** What lives for one execution of the node and is shared by its items. */
export interface ExecutionSession {
	callers: CallerDirectory;
}

export interface OperationResult {
	json: IDataObject;
	/** Files the item carries (Download Recording), under their output field names. */
	binary?: IBinaryKeyData;
	/** One line for the reconciliation list when a later item fails, e.g. `callId 3f… to 13800138000`. */
	summary: string;
}

/**
 * One operation of the node. `prepare` reads and checks an item's parameters without any I/O to
 * UCPaaS, so a bad item is refused before anything is sent; `run` does the requests.
 */
export interface Operation<Prepared> {
	description: INodeProperties[];
	/** Past-tense phrase for what `run` did, used in the reconciliation list ("calls placed"). */
	doneLabel: string;
	/** What the operation's own request does on the platform: it decides what a failed item may have done. */
	effect: RequestEffect;
	prepare(this: IExecuteFunctions, itemIndex: number): Promise<Prepared>;
	run(this: IExecuteFunctions, prepared: Prepared, itemIndex: number, session: ExecutionSession): Promise<OperationResult>;
	/**
	 * What stands between a prepared item and its request across executions (Place Callback's
	 * repeat-call guard and calling hours). Asked once per node run, for the items this run would
	 * send; undefined when nothing stands in the way.
	 */
	gate?(this: IExecuteFunctions, items: ReadonlyMap<number, Prepared>): Promise<ItemGate | undefined>;
}

/** What the gate decided for one item before anything was sent. */
export type GateVerdict =
	| { kind: 'send' }
	/** Not sent, and not an error: the item comes out on the main output as data saying why. */
	| { kind: 'skip'; result: OperationResult }
	/** Not sent, and an error for the item (the user asked skipped items to fail, or the gate could not decide). */
	| { kind: 'fail'; error: Error };

/** What became of an item the gate let through. */
export type SendOutcome = { kind: 'done'; result: OperationResult } | { kind: 'failed'; mayHaveTakenEffect: boolean };

export interface ItemGate {
	verdicts: ReadonlyMap<number, GateVerdict>;
	settled(itemIndex: number, outcome: SendOutcome): void;
	/** Ends the run's part in the gate (gives back what was reserved for items never placed); never throws. */
	close(): Promise<void>;
	/** The end of a sentence for the error that stops a run: what a new execution does with the items already done (undefined: it repeats them). */
	acrossExecutions?: string;
}
