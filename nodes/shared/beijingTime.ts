/**
 * UCPaaS writes instants as Beijing wall-clock time without a zone: `yyyyMMddHHmmss` in replies
 * (`createDate`, sometimes sent as a number) and `yyyy-MM-dd HH:mm:ss` in pushes.
 * We hand them on as ISO-8601 with an explicit `+08:00`, so no downstream node guesses the zone.
 */
const COMPACT = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;
const SPACED = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

/** Returns the ISO-8601 form, or undefined when the value is not a valid Beijing timestamp. */
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
