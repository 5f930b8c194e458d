/* eslint-disable no-console -- tool code: prints one line per check of the e2e run */
/**
 * One line per check, and a one-line summary. A check is a named async function that throws
 * when something is wrong; the small `expect*` helpers throw with a message that says what was
 * expected and what came.
 */

export interface CheckResult {
	name: string;
	ok: boolean;
	ms: number;
	error?: string;
}

export class CheckList {
	readonly results: CheckResult[] = [];

	/** Set when the run is interrupted: checks still finishing are no longer printed. */
	quiet = false;

	/** The one-word prefix of the summary line (`e2e: N passed, N failed`). */
	constructor(readonly label = 'e2e') {}

	/** A progress line between checks. */
	note(text: string): void {
		if (!this.quiet) console.log(`  ·     ${text}`);
	}

	/** Runs one check, prints its line, never throws. Returns whether it passed. */
	async check(name: string, body: () => unknown): Promise<boolean> {
		const started = Date.now();
		try {
			await body();
			const ms = Date.now() - started;
			this.results.push({ name, ok: true, ms });
			if (!this.quiet) console.log(`  ok    ${name}  (${(ms / 1000).toFixed(1)} s)`);
			return true;
		} catch (error) {
			const ms = Date.now() - started;
			const message = error instanceof Error ? error.message : String(error);
			this.results.push({ name, ok: false, ms, error: message });
			if (!this.quiet) console.log(`  FAIL  ${name}\n${message.replace(/^/gm, '        ')}`);
			return false;
		}
	}

	/** Records a check that could not run because an earlier step failed. */
	skip(name: string, reason: string): void {
		this.results.push({ name, ok: false, ms: 0, error: `not run: ${reason}` });
		if (!this.quiet) console.log(`  FAIL  ${name}  (not run: ${reason})`);
	}

	get passed(): number {
		return this.results.filter((r) => r.ok).length;
	}

	get failed(): number {
		return this.results.length - this.passed;
	}

	summary(): string {
		return `${this.label}: ${this.passed} passed, ${this.failed} failed`;
	}
}

const show = (value: unknown): string => {
	const text = JSON.stringify(value);
	return text === undefined ? String(value) : text.length > 400 ? `${text.slice(0, 400)}…` : text;
};

export function expectTrue(condition: unknown, message: string): asserts condition {
	if (!condition) throw new Error(message);
}

export function expectEqual<T>(actual: T, expected: T, what: string): void {
	if (show(actual) !== show(expected)) throw new Error(`${what}: expected ${show(expected)}, got ${show(actual)}`);
}

export function expectMatch(actual: unknown, pattern: RegExp, what: string): void {
	if (typeof actual !== 'string' || !pattern.test(actual)) throw new Error(`${what}: expected to match ${pattern}, got ${show(actual)}`);
}

export function expectContains(haystack: string, needle: string, what: string): void {
	if (!haystack.includes(needle)) throw new Error(`${what}: expected to contain ${show(needle)}, got ${show(haystack)}`);
}
