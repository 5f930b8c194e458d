/**
 * Calling hours: the days and hours during which a call may be placed, in an IANA time zone, as
 * pure functions. Only `Intl` knows the zones' rules here (no library, no host time zone), so the
 * answers are the same on any n8n host.
 *
 * The window is [start, end) in the zone's wall-clock time. An end at or before the start
 * (22:00–06:00) runs past midnight and belongs to the day it starts on.
 */

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export interface CallingHours {
	timeZone: string;
	days: readonly Weekday[];
	/** 'HH:MM' */
	start: string;
	/** 'HH:MM', or '24:00' for the end of the day */
	end: string;
}

/** A common rule of Chinese call centres: every day, 09:00 to 21:00 Beijing time. */
export const DEFAULT_CALLING_HOURS: CallingHours = { timeZone: 'Asia/Shanghai', days: WEEKDAYS, start: '09:00', end: '21:00' };

export class CallingHoursError extends Error {
	constructor(
		readonly field: 'timeZone' | 'days' | 'start' | 'end',
		problem: string,
	) {
		super(problem);
		this.name = 'CallingHoursError';
	}
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Checks and normalises what the user set; messages read after the field's name ("… is not a time zone"). */
export function parseCallingHours(input: { timeZone: unknown; days: unknown; start: unknown; end: unknown }): CallingHours {
	const timeZone = typeof input.timeZone === 'string' ? input.timeZone.trim() : '';
	if (timeZone === '' || !knownZone(timeZone)) {
		throw new CallingHoursError('timeZone', `is not a time zone: use an IANA name such as Asia/Shanghai (got ${JSON.stringify(input.timeZone)})`);
	}
	const given = Array.isArray(input.days) ? input.days : typeof input.days === 'string' ? input.days.split(',') : [];
	const names = given.map((day) => String(day).trim().toLowerCase().slice(0, 3));
	const unknown = names.filter((day) => !WEEKDAYS.includes(day as Weekday));
	if (unknown.length > 0) throw new CallingHoursError('days', `has days that are not weekdays: ${unknown.join(', ')}`);
	const days = WEEKDAYS.filter((day) => names.includes(day));
	if (days.length === 0) throw new CallingHoursError('days', 'has no day: pick at least one');
	const start = parseTime(input.start, false, 'start');
	const end = parseTime(input.end, true, 'end');
	if (start === end) throw new CallingHoursError('end', 'is the same as the start: the window would be empty (for the whole day, use 00:00 to 24:00)');
	return { timeZone, days, start, end };
}

function parseTime(value: unknown, isEnd: boolean, field: 'start' | 'end'): string {
	const match = typeof value === 'string' ? /^\s*(\d{1,2}):(\d{2})\s*$/.exec(value) : null;
	const hours = Number(match?.[1]);
	const minutes = Number(match?.[2]);
	const valid = match !== null && ((hours <= 23 && minutes <= 59) || (isEnd && hours === 24 && minutes === 0));
	if (!valid) throw new CallingHoursError(field, `must be a time as HH:MM on a 24-hour clock, e.g. ${isEnd ? '21:00' : '09:00'} (got ${JSON.stringify(value)})`);
	return `${String(hours).padStart(2, '0')}:${match[2]}`;
}

export function isWithinCallingHours(hours: CallingHours, atMs: number): boolean {
	const local = wallClock(atMs, hours.timeZone);
	const minute = local.hour * 60 + local.minute;
	const [start, end] = [minutesOf(hours.start), minutesOf(hours.end)];
	const today = WEEKDAYS[local.weekday];
	if (start < end) return hours.days.includes(today) && minute >= start && minute < end;
	// Past midnight: today's window from its start, or yesterday's until its end.
	const yesterday = WEEKDAYS[(local.weekday + 6) % 7];
	return (hours.days.includes(today) && minute >= start) || (hours.days.includes(yesterday) && minute < end);
}

export type CallingHoursVerdict = { open: true } | { open: false; nextWindowStartMs: number };

export function checkCallingHours(hours: CallingHours, atMs: number): CallingHoursVerdict {
	return isWithinCallingHours(hours, atMs) ? { open: true } : { open: false, nextWindowStartMs: nextWindowStart(hours, atMs) };
}

/** The first instant at or after `atMs` at which the window is open. */
export function nextWindowStart(hours: CallingHours, atMs: number): number {
	if (isWithinCallingHours(hours, atMs)) return atMs;
	const local = wallClock(atMs, hours.timeZone);
	const startMinute = minutesOf(hours.start);
	// Candidate days in the zone's calendar: today and the week after (one more for a window that began yesterday).
	for (let offset = 0; offset <= 8; offset++) {
		const date = new Date(Date.UTC(local.year, local.month - 1, local.day + offset));
		const weekday = (date.getUTCDay() + 6) % 7;
		if (!hours.days.includes(WEEKDAYS[weekday])) continue;
		const opens = instantOf(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), startMinute, hours.timeZone);
		if (opens >= atMs) return opens;
	}
	throw new Error(`no calling window within 8 days of ${new Date(atMs).toISOString()}`);
}

/** ISO 8601 in the zone's own offset, to the second: '2026-12-07T09:00:00+08:00'. */
export function isoInZone(atMs: number, timeZone: string): string {
	const local = wallClock(atMs, timeZone);
	const offsetMinutes = Math.round(offsetMs(atMs, timeZone) / MINUTE);
	const sign = offsetMinutes < 0 ? '-' : '+';
	const abs = Math.abs(offsetMinutes);
	const two = (n: number) => String(n).padStart(2, '0');
	return `${local.year}-${two(local.month)}-${two(local.day)}T${two(local.hour)}:${two(local.minute)}:${two(local.second)}${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

const SHORT_NAMES: Record<Weekday, string> = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };

/** 'Mon–Fri 09:00–21:00 (Asia/Shanghai)', 'every day …', 'Mon, Wed, Sat …'. */
export function describeCallingHours(hours: CallingHours): string {
	const indexes = WEEKDAYS.map((day, index) => (hours.days.includes(day) ? index : -1)).filter((index) => index >= 0);
	let days: string;
	if (indexes.length === WEEKDAYS.length) days = 'every day';
	else if (indexes.length >= 3 && indexes[indexes.length - 1] - indexes[0] === indexes.length - 1) days = `${SHORT_NAMES[WEEKDAYS[indexes[0]]]}–${SHORT_NAMES[WEEKDAYS[indexes[indexes.length - 1]]]}`;
	else days = indexes.map((index) => SHORT_NAMES[WEEKDAYS[index]]).join(', ');
	return `${days} ${hours.start}–${hours.end} (${hours.timeZone})`;
}

function minutesOf(time: string): number {
	const [hours, minutes] = time.split(':').map(Number);
	return hours * 60 + minutes;
}

interface WallClock {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
	/** 0 = Monday … 6 = Sunday */
	weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
	let formatter = formatters.get(timeZone);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
			second: 'numeric',
		});
		formatters.set(timeZone, formatter);
	}
	return formatter;
}

function knownZone(timeZone: string): boolean {
	try {
		formatterFor(timeZone);
		return true;
	} catch {
		return false;
	}
}

function wallClock(atMs: number, timeZone: string): WallClock {
	const parts: Record<string, number> = {};
	for (const part of formatterFor(timeZone).formatToParts(new Date(atMs))) {
		if (part.type !== 'literal') parts[part.type] = Number(part.value);
	}
	const { year, month, day, hour, minute, second } = parts;
	// The weekday of the zone's calendar date, not of the instant in UTC.
	const weekday = (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
	return { year, month, day, hour, minute, second, weekday };
}

/** The zone's offset from UTC at `atMs` (positive east of Greenwich). */
function offsetMs(atMs: number, timeZone: string): number {
	const local = wallClock(atMs, timeZone);
	const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
	return asUtc - Math.floor(atMs / 1000) * 1000;
}

/** The wall-clock time of `atMs` as if it were UTC: comparable across offsets. */
function wallAsUtc(atMs: number, timeZone: string): number {
	const local = wallClock(atMs, timeZone);
	return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
}

/**
 * The instant at which the zone's clock reads `minuteOfDay` on that date. A repeated time (the
 * hour the clocks go back) is its first occurrence; a time the clocks skip (they go forward over
 * it) is the first instant after the gap.
 */
function instantOf(year: number, month: number, day: number, minuteOfDay: number, timeZone: string): number {
	const wanted = Date.UTC(year, month - 1, day) + minuteOfDay * MINUTE;
	// The offsets either side of the date bound every offset the zone uses on it.
	const offsets = new Set([offsetMs(wanted - DAY, timeZone), offsetMs(wanted, timeZone), offsetMs(wanted + DAY, timeZone)]);
	const candidates = [...offsets].map((offset) => wanted - offset).sort((a, b) => a - b);
	const exact = candidates.find((candidate) => wallAsUtc(candidate, timeZone) === wanted);
	if (exact !== undefined) return exact;
	// In a gap: the clock jumps past `wanted` between the candidates; find the jump to the minute.
	let [low, high] = [candidates[0], candidates[candidates.length - 1]];
	while (high - low > MINUTE) {
		const middle = low + Math.floor((high - low) / 2 / MINUTE) * MINUTE;
		if (wallAsUtc(middle, timeZone) >= wanted) high = middle;
		else low = middle;
	}
	return high;
}
