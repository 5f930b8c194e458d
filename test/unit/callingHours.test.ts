/**
 * Calling hours in any host time zone (npm test runs this file under UTC, Asia/Shanghai and
 * America/Los_Angeles): every instant here is fixed in UTC, every answer is in the zone asked for.
 */
import {
	CallingHoursError,
	checkCallingHours,
	DEFAULT_CALLING_HOURS,
	describeCallingHours,
	isoInZone,
	isWithinCallingHours,
	nextWindowStart,
	parseCallingHours,
	type CallingHours,
} from '../../nodes/shared/callingHours';

const SHANGHAI: CallingHours = DEFAULT_CALLING_HOURS;
const WEEKDAYS_9_TO_9: CallingHours = { ...SHANGHAI, days: ['mon', 'tue', 'wed', 'thu', 'fri'] };
/** Beijing wall-clock time as an instant (UTC+8, no daylight saving). */
const beijing = (y: number, mo: number, d: number, h: number, mi = 0) => Date.UTC(y, mo - 1, d, h - 8, mi);

describe('inside or outside (Asia/Shanghai, 09:00–21:00)', () => {
	test.each([
		['exactly the start', beijing(2026, 12, 7, 9, 0), true],
		['one minute before the start', beijing(2026, 12, 7, 8, 59), false],
		['one minute before the end', beijing(2026, 12, 7, 20, 59), true],
		['exactly the end', beijing(2026, 12, 7, 21, 0), false],
		['2 a.m.', beijing(2026, 12, 7, 2, 0), false],
	])('%s', (_name, at, open) => {
		expect(isWithinCallingHours(SHANGHAI, at)).toBe(open);
	});

	test('a weekday is the zone\'s: Monday 08:30 in Beijing is still Sunday in UTC, and open on Mon–Fri from 09:00', () => {
		expect(isWithinCallingHours(WEEKDAYS_9_TO_9, beijing(2026, 12, 7, 9, 30))).toBe(true);
		expect(isWithinCallingHours({ ...WEEKDAYS_9_TO_9, start: '00:00', end: '24:00' }, beijing(2026, 12, 7, 1, 0))).toBe(true);
		expect(isWithinCallingHours({ ...WEEKDAYS_9_TO_9, start: '00:00', end: '24:00' }, beijing(2026, 12, 6, 23, 0))).toBe(false);
	});
});

describe('next window start', () => {
	test('is now when the window is open', () => {
		const at = beijing(2026, 12, 7, 10, 15);
		expect(nextWindowStart(SHANGHAI, at)).toBe(at);
		expect(checkCallingHours(SHANGHAI, at)).toEqual({ open: true });
	});

	test('at 2 a.m. it is 09:00 the same day; after 21:00, 09:00 the next day', () => {
		expect(isoInZone(nextWindowStart(SHANGHAI, beijing(2026, 12, 7, 2, 0)), 'Asia/Shanghai')).toBe('2026-12-07T09:00:00+08:00');
		expect(isoInZone(nextWindowStart(SHANGHAI, beijing(2026, 12, 7, 21, 0)), 'Asia/Shanghai')).toBe('2026-12-08T09:00:00+08:00');
		expect(checkCallingHours(SHANGHAI, beijing(2026, 12, 7, 23, 59))).toEqual({ open: false, nextWindowStartMs: beijing(2026, 12, 8, 9, 0) });
	});

	test('Friday 21:00 with Mon–Fri: Monday 09:00', () => {
		// 2026-12-11 is a Friday.
		expect(isoInZone(nextWindowStart(WEEKDAYS_9_TO_9, beijing(2026, 12, 11, 21, 0)), 'Asia/Shanghai')).toBe('2026-12-14T09:00:00+08:00');
	});

	test('a window past midnight belongs to the day it starts on', () => {
		const fridayNights: CallingHours = { timeZone: 'Asia/Shanghai', days: ['fri'], start: '22:00', end: '06:00' };
		expect(isWithinCallingHours(fridayNights, beijing(2026, 12, 11, 23, 30))).toBe(true);
		expect(isWithinCallingHours(fridayNights, beijing(2026, 12, 12, 5, 59))).toBe(true);
		expect(isWithinCallingHours(fridayNights, beijing(2026, 12, 12, 6, 0))).toBe(false);
		expect(isWithinCallingHours(fridayNights, beijing(2026, 12, 12, 22, 30))).toBe(false);
		// Friday 05:00 belongs to Thursday's window, which is not set.
		expect(isWithinCallingHours(fridayNights, beijing(2026, 12, 11, 5, 0))).toBe(false);
		expect(isoInZone(nextWindowStart(fridayNights, beijing(2026, 12, 12, 6, 0)), 'Asia/Shanghai')).toBe('2026-12-18T22:00:00+08:00');
	});

	test('in another zone than the host\'s and Beijing: New York, in winter and in summer time', () => {
		const newYork: CallingHours = { timeZone: 'America/New_York', days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00' };
		// Saturday 2026-12-05 12:00 UTC: 07:00 in New York (UTC-5).
		expect(isoInZone(nextWindowStart(newYork, Date.UTC(2026, 11, 5, 12)), 'America/New_York')).toBe('2026-12-07T09:00:00-05:00');
		expect(isoInZone(nextWindowStart(newYork, Date.UTC(2026, 6, 7, 12)), 'America/New_York')).toBe('2026-07-07T09:00:00-04:00');
		expect(isWithinCallingHours(newYork, Date.UTC(2026, 6, 7, 13))).toBe(true);
	});

	test('a start the clocks skip (Berlin, 29 March 2026, 02:00 → 03:00) opens when the clocks go on', () => {
		const berlin: CallingHours = { timeZone: 'Europe/Berlin', days: ['sun'], start: '02:30', end: '05:00' };
		const opens = nextWindowStart(berlin, Date.UTC(2026, 2, 28, 12));
		expect(new Date(opens).toISOString()).toBe('2026-03-29T01:00:00.000Z');
		expect(isoInZone(opens, 'Europe/Berlin')).toBe('2026-03-29T03:00:00+02:00');
	});

	test('a start the clocks repeat (Berlin, 25 October 2026, 03:00 → 02:00) opens at its first occurrence', () => {
		const berlin: CallingHours = { timeZone: 'Europe/Berlin', days: ['sun'], start: '02:30', end: '05:00' };
		const opens = nextWindowStart(berlin, Date.UTC(2026, 9, 24, 12));
		expect(new Date(opens).toISOString()).toBe('2026-10-25T00:30:00.000Z');
		expect(isoInZone(opens, 'Europe/Berlin')).toBe('2026-10-25T02:30:00+02:00');
	});
});

describe('written out', () => {
	test('ISO dates carry the zone\'s offset', () => {
		const at = Date.UTC(2026, 11, 6, 1, 2, 3);
		expect(isoInZone(at, 'Asia/Shanghai')).toBe('2026-12-06T09:02:03+08:00');
		expect(isoInZone(at, 'America/New_York')).toBe('2026-12-05T20:02:03-05:00');
		expect(isoInZone(at, 'UTC')).toBe('2026-12-06T01:02:03+00:00');
		expect(isoInZone(at, 'Asia/Kolkata')).toBe('2026-12-06T06:32:03+05:30');
	});

	test.each([
		[SHANGHAI, 'every day 09:00–21:00 (Asia/Shanghai)'],
		[WEEKDAYS_9_TO_9, 'Mon–Fri 09:00–21:00 (Asia/Shanghai)'],
		[{ timeZone: 'Europe/Berlin', days: ['mon', 'wed', 'sat'], start: '22:00', end: '06:00' } as CallingHours, 'Mon, Wed, Sat 22:00–06:00 (Europe/Berlin)'],
		[{ ...SHANGHAI, days: ['sat', 'sun'] } as CallingHours, 'Sat, Sun 09:00–21:00 (Asia/Shanghai)'],
	])('%o → %s', (hours, text) => {
		expect(describeCallingHours(hours)).toBe(text);
	});
});

describe('what the user set', () => {
	test('is normalised: H:MM padded, days de-duplicated in week order', () => {
		expect(parseCallingHours({ timeZone: ' Asia/Shanghai ', days: ['fri', 'mon', 'fri'], start: '9:00', end: '24:00' })).toEqual({
			timeZone: 'Asia/Shanghai',
			days: ['mon', 'fri'],
			start: '09:00',
			end: '24:00',
		});
	});

	test.each([
		[{ timeZone: 'Mars/Olympus', days: ['mon'], start: '09:00', end: '21:00' }, 'timeZone', /^is not a time zone: use an IANA name such as Asia\/Shanghai/],
		[{ timeZone: '', days: ['mon'], start: '09:00', end: '21:00' }, 'timeZone', /^is not a time zone/],
		[{ timeZone: 'Asia/Shanghai', days: [], start: '09:00', end: '21:00' }, 'days', /^has no day/],
		[{ timeZone: 'Asia/Shanghai', days: ['someday'], start: '09:00', end: '21:00' }, 'days', /^has days that are not weekdays: som/],
		[{ timeZone: 'Asia/Shanghai', days: ['mon'], start: '9 am', end: '21:00' }, 'start', /^must be a time as HH:MM/],
		[{ timeZone: 'Asia/Shanghai', days: ['mon'], start: '24:00', end: '21:00' }, 'start', /^must be a time as HH:MM/],
		[{ timeZone: 'Asia/Shanghai', days: ['mon'], start: '09:00', end: '21:60' }, 'end', /^must be a time as HH:MM/],
		[{ timeZone: 'Asia/Shanghai', days: ['mon'], start: '09:00', end: '09:00' }, 'end', /^is the same as the start/],
	])('%o is refused, naming %s', (input, fieldName, message) => {
		let thrown: unknown;
		try {
			parseCallingHours(input);
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeInstanceOf(CallingHoursError);
		expect((thrown as CallingHoursError).field).toBe(fieldName);
		expect((thrown as CallingHoursError).message).toMatch(message);
	});
});
