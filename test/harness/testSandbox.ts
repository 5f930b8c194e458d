import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox';

/**
 * One sandbox for a test file: started before its tests, its requests and faults cleared before
 * each test, stopped after the last. `use` receives it, so the file keeps a plain variable.
 */
export function useSandbox(use: (sandbox: Sandbox) => void, options: SandboxOptions = {}): void {
	let started: Sandbox | undefined;
	beforeAll(async () => {
		started = await startSandbox({ quiet: true, ...options });
		use(started);
	});
	beforeEach(() => {
		started?.clearRequests();
		started?.clearFaults();
	});
	afterAll(async () => started?.stop());
}

/**
 * Callee numbers counted up from `first`, a fresh one per call: the sandbox, like the platform,
 * refuses a second call to a callee still in a call. Each test file starts from its own range.
 */
export function calleesFrom(first: number): () => string {
	let next = first;
	return () => String(next++);
}
