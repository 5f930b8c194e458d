/* eslint-disable @n8n/community-nodes/no-restricted-globals -- tool code: polls a running app */
/** Resolves after `ms`: the one pause every suite and tool script polls with. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Calls `probe` until it returns something, or throws with `what` (and `detail()`) after `timeoutMs`. */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, detail: () => string = () => ''): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const found = await probe();
		if (found !== undefined) return found;
		if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms${detail()}`);
		await sleep(200);
	}
}
