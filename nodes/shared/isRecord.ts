/** A plain object (not null, not a list): what a decoded body or an error's fields can be read as. */
export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
