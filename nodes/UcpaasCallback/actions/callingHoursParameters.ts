import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { CallingHoursError, DEFAULT_CALLING_HOURS, parseCallingHours, WEEKDAYS, type CallingHours } from '../../shared/callingHours';
import { field, InvalidFieldError } from '../../shared/validation';
import { PLACE_OPERATIONS } from './placeOperations';

const hoursOn = { show: { operation: PLACE_OPERATIONS, callingHours: [true] } };

const DAY_NAMES: Record<(typeof WEEKDAYS)[number], string> = {
	mon: 'Monday',
	tue: 'Tuesday',
	wed: 'Wednesday',
	thu: 'Thursday',
	fri: 'Friday',
	sat: 'Saturday',
	sun: 'Sunday',
};

const FIELDS = {
	timeZone: field('Calling Hours Time Zone', 'callingTimeZone'),
	days: field('Calling Days', 'callingDays'),
	start: field('Calling Hours Start', 'callingStart'),
	end: field('Calling Hours End', 'callingEnd'),
} as const;

export const callingHoursProperties: INodeProperties[] = [
	{
		displayName: 'Calling Hours Only',
		name: 'callingHours',
		type: 'boolean',
		default: false,
		description:
			'Whether to call only on the days and hours you set. Outside them an item is not sent: it comes out with skipped: true and the start of the next window (retryAfter), so a Wait node can hold it until then.',
		displayOptions: { show: { operation: PLACE_OPERATIONS } },
	},
	{
		displayName: 'Calling Hours Time Zone',
		name: 'callingTimeZone',
		type: 'string',
		default: 'Asia/Shanghai',
		placeholder: 'e.g. Asia/Shanghai',
		description: 'The IANA time zone the hours are in (the callee\'s, usually): Asia/Shanghai is Beijing time',
		displayOptions: hoursOn,
	},
	{
		displayName: 'Calling Days',
		name: 'callingDays',
		type: 'multiOptions',
		options: WEEKDAYS.map((day) => ({ name: DAY_NAMES[day], value: day })),
		default: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
		description: 'The days calls may start on. A window that ends after midnight belongs to the day it starts on.',
		displayOptions: hoursOn,
	},
	{
		displayName: 'Calling Hours Start',
		name: 'callingStart',
		type: 'string',
		default: '09:00',
		placeholder: 'HH:MM',
		description: 'First minute a call may be placed, as HH:MM (24-hour clock)',
		displayOptions: hoursOn,
	},
	{
		displayName: 'Calling Hours End',
		name: 'callingEnd',
		type: 'string',
		default: '21:00',
		placeholder: 'HH:MM',
		description: 'The window closes at this time, as HH:MM. Earlier than the start means the window runs past midnight (22:00 to 06:00).',
		displayOptions: hoursOn,
	},
];

/** The item's calling hours, or undefined when the option is off. */
export function readCallingHours(this: IExecuteFunctions, itemIndex: number): CallingHours | undefined {
	if (this.getNodeParameter('callingHours', itemIndex, false) !== true) return undefined;
	const param = (name: string, fallback: unknown) => this.getNodeParameter(name, itemIndex, fallback) as unknown;
	let refused: CallingHoursError | undefined;
	try {
		return parseCallingHours({
			timeZone: param('callingTimeZone', DEFAULT_CALLING_HOURS.timeZone),
			days: param('callingDays', [...DEFAULT_CALLING_HOURS.days]),
			start: param('callingStart', DEFAULT_CALLING_HOURS.start),
			end: param('callingEnd', DEFAULT_CALLING_HOURS.end),
		});
	} catch (error) {
		// parseCallingHours throws nothing else (a zone Intl does not know is one of its refusals).
		refused = error as CallingHoursError;
	}
	// As every other bad value: an error naming the item and the field, and nothing sent (itemErrors.ts).
	throw new InvalidFieldError(FIELDS[refused.field], refused.message);
}
