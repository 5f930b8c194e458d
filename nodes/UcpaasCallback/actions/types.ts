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
}
