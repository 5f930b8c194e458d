/**
 * Beijing time (UTC+8, no DST) computed from UTC by hand, so the host's TZ never leaks in: a
 * client that formats local time is exactly the bug the sandbox must catch.
 */
const BEIJING_OFFSET_MS = 8 * 3600_000;

function pad(n: number, width = 2): string {
	return String(n).padStart(width, '0');
}

function parts(at: Date) {
	const b = new Date(at.getTime() + BEIJING_OFFSET_MS);
	return {
		y: pad(b.getUTCFullYear(), 4),
		mo: pad(b.getUTCMonth() + 1),
		d: pad(b.getUTCDate()),
		h: pad(b.getUTCHours()),
		mi: pad(b.getUTCMinutes()),
		s: pad(b.getUTCSeconds()),
	};
}

/** `yyyyMMddHHmmss`: signature timestamps and the callBack createDate. */
export function compactBeijing(at: Date): string {
	const p = parts(at);
	return `${p.y}${p.mo}${p.d}${p.h}${p.mi}${p.s}`;
}

/** `yyyy-MM-dd HH:mm:ss`: push starttime/stoptime. */
export function readableBeijing(at: Date): string {
	const p = parts(at);
	return `${p.y}-${p.mo}-${p.d} ${p.h}:${p.mi}:${p.s}`;
}

/** The instant a `yyyyMMddHHmmss` Beijing timestamp names; undefined unless it is a real date. */
export function parseCompactBeijing(ts: string): Date | undefined {
	const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(ts);
	if (!m) return undefined;
	const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
	const wall = Date.UTC(y, mo - 1, d, h, mi, s);
	// Date.UTC rolls 20240230 over to March: round-tripping rejects such non-dates.
	if (compactBeijing(new Date(wall - BEIJING_OFFSET_MS)) !== ts) return undefined;
	return new Date(wall - BEIJING_OFFSET_MS);
}
