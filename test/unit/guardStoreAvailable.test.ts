/**
 * The repeat-call guard says when it cannot be kept (an n8n without the deduplication store, or a
 * workflow without an id): the node then places calls as without it and marks each placed item.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { guardStoreAvailable } from '../../nodes/UcpaasCallback/actions/placeCallGate';

const context = (helpers: object, workflowId: string | undefined) => ({ helpers, getWorkflow: () => ({ id: workflowId, active: false }) }) as unknown as IExecuteFunctions;
const store = { checkProcessedAndRecord: async () => ({ new: [], processed: [] }), removeProcessed: async () => undefined };

test.each([
	['the store and a workflow id', store, 'wf-1', true],
	['no deduplication helpers (an n8n without the store)', {}, 'wf-1', false],
	['only check-and-record, no remove', { checkProcessedAndRecord: store.checkProcessedAndRecord }, 'wf-1', false],
	['a workflow without an id', store, undefined, false],
])('%s', (_name, helpers, workflowId, available) => {
	expect(guardStoreAvailable(context(helpers, workflowId))).toBe(available);
});
