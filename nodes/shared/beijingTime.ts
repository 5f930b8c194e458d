/**
 * UCPaaS keeps time in Beijing wall-clock time, UTC+8 all year (China has no DST), and writes it
 * without a zone: `yyyyMMddHHmmss` in request signatures and replies (`createDate`, sometimes sent
 * as a number), `yyyy-MM-dd HH:mm:ss` in pushes. Both directions live here.
 */
const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

/**
 * How long the platform accepts a request's timestamp: older ones are refused with 101106. The node
 * cannot enforce it (the platform's clock decides), but it is why every request is signed afresh,
 * why the host clock must be right, and why a signature sent in clear text is worth stealing.
 */
export const TIMESTAMP_VALIDITY_MINUTES = 50;

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/**
 * Formats an instant as UCPaaS's `yyyyMMddHHmmss` in Beijing time.
 * Built from the UTC fields of a shifted instant, so the host's own time zone can never leak in
 * (several public SDKs got this wrong with local-time formatting or a 12-hour clock).
 */
export function beijingTimestamp(instant: Date): string {
	const shifted = new Date(instant.getTime() + BEIJING_OFFSET_MS);
	return (
		pad(shifted.getUTCFullYear(), 4) +
		pad(shifted.getUTCMonth() + 1) +
		pad(shifted.getUTCDate()) +
		pad(shifted.getUTCHours()) +
		pad(shifted.getUTCMinutes()) +
		pad(shifted.getUTCSeconds())
	);
}

const COMPACT = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;
const SPACED = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

/**
 * Returns a platform instant as ISO-8601 with an explicit `+08:00`, so no downstream node guesses
 * the zone; undefined when the value is not a valid Beijing timestamp.
 */
export function beijingToIso(value: unknown): string | undefined {
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const text = String(value).trim();
	const match = COMPACT.exec(text) ?? SPACED.exec(text);
	if (!match) return undefined;
	const [, year, month, day, hour, minute, second] = match;
	const asUtc = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}Z`);
	// Reject calendar nonsense such as month 13 or 31 February, which Date would roll over.
	if (
		Number.isNaN(asUtc.getTime()) ||
		asUtc.getUTCMonth() + 1 !== Number(month) ||
		asUtc.getUTCDate() !== Number(day) ||
		Number(hour) > 23 ||
		Number(minute) > 59 ||
		Number(second) > 59
	) {
		return undefined;
	}
	return `${year}-${month}-${day}T${hour}:${minute}:${second}+08:00`;
}
