import type { DeduplicationScope, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { RepeatKey } from '../../shared/repeatKeys';
import { field, InvalidFieldError } from '../../shared/validation';
import { PLACE_OPERATIONS } from './placeOperations';

/** Node version 2 guards new nodes by default; version 1 (nodes saved before the guard) keeps today's behaviour until switched on. */
const placeCallOf = (versions: number[]) => ({ show: { operation: PLACE_OPERATIONS, '@version': versions } });
const guardOn = { show: { operation: PLACE_OPERATIONS, repeatGuard: [true] } };

const MAX_WINDOW_MINUTES = 7 * 24 * 60;

const GUARD_DESCRIPTION =
	'Whether to skip a callee this workflow already called within the window, whatever execution asks: a Retry from the Executions list, a webhook delivered twice, a double-clicked form, another worker';

export const repeatGuardProperties: INodeProperties[] = [
	{
		displayName: 'Repeat-Call Guard',
		name: 'repeatGuard',
		type: 'boolean',
		default: false,
		description: GUARD_DESCRIPTION,
		displayOptions: placeCallOf([1]),
	},
	{
		displayName: 'Repeat-Call Guard',
		name: 'repeatGuard',
		type: 'boolean',
		default: true,
		description: GUARD_DESCRIPTION,
		displayOptions: placeCallOf([2]),
	},
	{
		displayName: 'Repeat Window (Minutes)',
		name: 'repeatWindowMinutes',
		type: 'number',
		typeOptions: { minValue: 0.1, maxValue: MAX_WINDOW_MINUTES, numberPrecision: 1 },
		default: 10,
		description: 'How long after a call the same callee is not called again. A callee is held for this long and at most a fifth longer.',
		displayOptions: guardOn,
	},
	{
		displayName: 'Same Call Means',
		name: 'repeatKey',
		type: 'options',
		options: [
			{ name: 'Same Callee Number', value: 'callee', description: 'The callee number after normalising: +86 139… and 139… are one person' },
			{ name: 'Same Repeat Key', value: 'custom', description: 'A value you map, such as a CRM lead ID: one call per lead, whatever number it gives' },
		],
		default: 'callee',
		description: 'What makes two requests the same call',
		displayOptions: guardOn,
	},
	{
		displayName: 'Repeat Key',
		name: 'repeatCustomKey',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.leadId }}',
		description: 'The value that identifies the call, e.g. a CRM lead ID. Requests with the same key within the window are placed once.',
		displayOptions: { show: { operation: PLACE_OPERATIONS, repeatGuard: [true], repeatKey: ['custom'] } },
	},
	{
		displayName:
			'Within the window this workflow calls each callee once. A skipped item is not an error: it comes out with skipped: true, the reason and retryAfter (see Options > Skipped Items). Manual runs (Execute step) are guarded among themselves, apart from production, and a skipped one says how to call again at once. A call the platform refused (busy, no balance) may be placed again at once.',
		name: 'repeatGuardNotice',
		type: 'notice',
		default: '',
		displayOptions: guardOn,
	},
];

/** Options of the guard that live in the Options collection: rarely changed. */
export const repeatGuardOptionFields: INodeProperties[] = [
	{
		displayName: 'Manual Runs',
		name: 'manualRuns',
		type: 'options',
		options: [
			{
				name: 'Guarded Apart From Production',
				value: 'separate',
				description: 'Execute step and Execute workflow in the editor are guarded among themselves: they never hold back a real lead, nor are held back by one',
			},
			{ name: 'Not Guarded', value: 'unguarded', description: 'Every manual run places its calls: for testing with your own phone' },
		],
		default: 'separate',
		description: 'What the repeat-call guard does when you run the workflow by hand in the editor',
	},
	{
		displayName: 'Repeat Guard Scope',
		name: 'repeatScope',
		type: 'options',
		options: [
			{ name: 'Whole Workflow', value: 'workflow', description: 'Every Place Callback node of this workflow shares the guard' },
			{ name: 'This Node', value: 'node', description: 'Only the calls of this node count' },
		],
		default: 'workflow',
		description: 'Which calls count as "already called" for the repeat-call guard',
	},
	{
		displayName: 'Skipped Items',
		name: 'whenSkipped',
		type: 'options',
		options: [
			{ name: 'Output as Data', value: 'output', description: 'The item comes out with skipped: true, the reason and retryAfter, for an IF or Wait node' },
			{ name: 'Fail the Item', value: 'error', description: 'The item fails (or goes to the error output) with the same explanation' },
		],
		default: 'output',
		description: 'What happens to an item the repeat-call guard or the calling hours keep from being called',
	},
];

export type SkippedItems = 'output' | 'error';

export interface RepeatGuardSettings {
	key: RepeatKey;
	windowMs: number;
	scope: DeduplicationScope;
}

/**
 * The guard as set for one item: undefined when it is off (or off for manual runs). `to` is the
 * normalised callee number.
 */
export function readRepeatGuard(this: IExecuteFunctions, itemIndex: number, to: string, options: Record<string, unknown>): RepeatGuardSettings | undefined {
	if (this.getNodeParameter('repeatGuard', itemIndex, false) !== true) return undefined;
	const manual = this.getMode() === 'manual';
	if (manual && options.manualRuns === 'unguarded') return undefined;

	const minutes = this.getNodeParameter('repeatWindowMinutes', itemIndex, 10) as unknown;
	if (typeof minutes !== 'number' || !Number.isFinite(minutes) || minutes < 0.1 || minutes > MAX_WINDOW_MINUTES) {
		throw new InvalidFieldError(field('Repeat Window (Minutes)', 'repeatWindowMinutes'), `must be a number of minutes from 0.1 to ${MAX_WINDOW_MINUTES} (7 days), not ${JSON.stringify(minutes)}`);
	}

	let key: RepeatKey;
	if (this.getNodeParameter('repeatKey', itemIndex, 'callee') === 'custom') {
		const raw = this.getNodeParameter('repeatCustomKey', itemIndex, '') as unknown;
		const value = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
		if (value === '') {
			throw new InvalidFieldError(field('Repeat Key', 'repeatCustomKey'), 'is empty: map a value that identifies the call, e.g. {{ $json.leadId }}, or set Same Call Means to Same Callee Number');
		}
		key = { kind: 'custom', value, namespace: manual ? 'manual' : 'live' };
	} else {
		key = { kind: 'callee', value: to, namespace: manual ? 'manual' : 'live' };
	}
	return { key, windowMs: Math.round(minutes * 60_000), scope: options.repeatScope === 'node' ? 'node' : 'workflow' };
}

export function readSkippedItems(options: Record<string, unknown>): SkippedItems {
	return options.whenSkipped === 'error' ? 'error' : 'output';
}
