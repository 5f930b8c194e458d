/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: opens loopback ports and times a late start to prove what was (not) sent */
import { createServer, type AddressInfo } from 'node:net';

import { DEFAULT_ACCOUNT, startSandbox, type FaultRule, type Sandbox } from '../../sandbox';
import { RESP_CODES } from '../../nodes/shared/respCodes';
import { runCallbackNode, type NodeRunOptions } from '../harness/engine';
import { sandboxCredentials } from '../harness/sandboxAccount';
import { calleesFrom, useSandbox } from '../harness/testSandbox';

/**
 * Remote faults from the sandbox's fault injection, in both formats: each must give a clear
 * NodeApiError with the item index; the process never crashes or hangs; a request that may have
 * reached the platform is never sent twice, and one that provably never left may be.
 */

let sandbox: Sandbox;
useSandbox((started) => (sandbox = started), { call: { delays: { ringMs: 1, talkMs: 1 } } });
afterAll(() => {
	process.stdout.write(`remote faults injected: ${injected}\n`);
});

let injected = 0;
const freshCallee = calleesFrom(13600000000);

function place(options: Record<string, unknown>, extra: Partial<NodeRunOptions> = {}) {
	return runCallbackNode({
		parameters: { operation: 'placeCall', fromClient: DEFAULT_ACCOUNT.clientNumber, to: freshCallee(), options } as NodeRunOptions['parameters'],
		credentials: sandboxCredentials(sandbox),
		...extra,
	});
}

const callBacks = () => sandbox.requests.filter((r) => r.path.endsWith('/Calls/callBack'));

const FAULTS: Array<[string, FaultRule['fault'], RegExp]> = [
	['HTTP 500', { kind: 'status', status: 500 }, /^UCPaaS answered HTTP 500 instead of a result$/],
	['HTTP 502', { kind: 'status', status: 502 }, /^UCPaaS answered HTTP 502 instead of a result$/],
	['HTTP 503', { kind: 'status', status: 503 }, /^UCPaaS answered HTTP 503 instead of a result$/],
	['an HTML error page', { kind: 'html' }, /^UCPaaS answered HTTP 502 instead of a result$/],
	['HTML with HTTP 200', { kind: 'status', status: 200, body: '<html><body>Gateway error</body></html>', contentType: 'text/html' }, /^UCPaaS sent a reply that cannot be read: /],
	['an empty body', { kind: 'emptyBody' }, /^UCPaaS sent a reply that cannot be read: the body is empty$/],
	['a malformed body', { kind: 'malformed' }, /^UCPaaS sent a reply that cannot be read: /],
	['a reset mid-reply', { kind: 'reset' }, /^The connection to UCPaaS was closed before the reply was complete$/],
	['a reply that never comes', { kind: 'hang' }, /^UCPaaS did not answer within 1000 ms$/],
];

describe.each(['json', 'xml'])('%s', (format) => {
	test.each(FAULTS)('%s is a clear NodeApiError, sent once', async (_name, fault, message) => {
		sandbox.addFault({ fault });
		injected++;
		const run = await place({ format, timeout: 1000 });
		expect(run.error?.name).toBe('NodeApiError');
		expect(run.error?.message).toMatch(message);
		expect(run.error?.description).toMatch(/may have reached UCPaaS/);
		expect(run.error?.context?.itemIndex).toBe(0);
		expect(callBacks()).toHaveLength(1);
	});

	test.each(Object.keys(RESP_CODES).filter((code) => code.startsWith('101')))('auth respCode %s explains itself', async (code) => {
		sandbox.addFault({ fault: { kind: 'respCode', code } });
		injected++;
		const run = await place({ format });
		expect(run.error?.name).toBe('NodeApiError');
		// English in the message; the vendor's text once, in the description, for searching the console.
		expect(run.error?.message).toBe(`UCPaaS refused the request: ${code} ${RESP_CODES[code].en}`);
		expect(run.error?.description).toContain(`(UCPaaS: "${RESP_CODES[code].zh}")`);
		expect(callBacks()).toHaveLength(1);
	});
});

test('an expired timestamp (host clock 51 minutes behind the platform) gives 101106 and a clock hint', async () => {
	const ahead = await startSandbox({ quiet: true, now: () => new Date(Date.now() + 51 * 60 * 1000) });
	injected++;
	try {
		const run = await runCallbackNode({
			parameters: { operation: 'placeCall', fromClient: DEFAULT_ACCOUNT.clientNumber, to: freshCallee(), options: {} },
			credentials: sandboxCredentials(ahead),
		});
		expect(run.error?.message).toMatch(/^UCPaaS refused the request: 101106 /);
		expect(run.error?.description).toMatch(/clock/i);
	} finally {
		await ahead.stop();
	}
});

describe('nothing lost, nothing doubled', () => {
	test('a call placed whose reply is lost is reported, not re-sent', async () => {
		sandbox.addFault({ fault: { kind: 'reset' }, processFirst: true, times: 1 });
		injected++;
		const to = freshCallee();
		const run = await runCallbackNode({
			parameters: { operation: 'placeCall', fromClient: DEFAULT_ACCOUNT.clientNumber, to, options: {} },
			credentials: sandboxCredentials(sandbox),
		});
		expect(run.error?.description).toMatch(/may have reached UCPaaS, and the phones may be ringing\. Do not send it again until/);
		expect(callBacks()).toHaveLength(1);
		expect(sandbox.calls.filter((c) => c.to === to)).toHaveLength(1);
	});

	test('a refused connection is retried, because nothing left the machine', async () => {
		// Reserve a free port, leave it closed, and open the sandbox there while the node retries.
		const port = await new Promise<number>((resolve) => {
			const probe = createServer().listen(0, '127.0.0.1', () => {
				const { port: free } = probe.address() as AddressInfo;
				probe.close(() => resolve(free));
			});
		});
		injected++;
		const late = new Promise<Sandbox>((resolve) => {
			setTimeout(() => resolve(startSandbox({ quiet: true, port })), 100);
		});
		const run = await runCallbackNode({
			parameters: { operation: 'placeCall', fromClient: DEFAULT_ACCOUNT.clientNumber, to: freshCallee(), options: {} },
			credentials: sandboxCredentials(sandbox, { baseUrl: `http://127.0.0.1:${port}` }),
		});
		const lateSandbox = await late;
		try {
			expect(run.error).toBeUndefined();
			expect(run.output[0].json.callId).toMatch(/^[0-9a-f]{32}$/);
			expect(lateSandbox.requests.filter((r) => r.path.endsWith('/Calls/callBack'))).toHaveLength(1);
		} finally {
			await lateSandbox.stop();
		}
	});

	test.each([1, 5])('when item 3 of 6 fails (batch size %i), the error lists every call already placed', async (batchSize) => {
		const callees = Array.from({ length: 6 }, freshCallee);
		sandbox.addFault({ match: { to: callees[3] }, fault: { kind: 'status', status: 503 } });
		injected++;
		const run = await runCallbackNode({
			parameters: {
				operation: 'placeCall',
				fromClient: DEFAULT_ACCOUNT.clientNumber,
				to: '={{ $json.to }}',
				options: { batching: { batch: { batchSize } } },
			},
			items: callees.map((to) => ({ to })),
			credentials: sandboxCredentials(sandbox),
		});
		expect(run.error?.context?.itemIndex).toBe(3);
		const placed = sandbox.calls.filter((c) => callees.includes(c.to));
		const placedItems = placed.map((c) => callees.indexOf(c.to)).sort();
		if (batchSize === 1) {
			// Sequential: items 0–2 placed, 4–5 never sent.
			expect(placedItems).toEqual([0, 1, 2]);
		} else {
			// Five slots: items 0–4 start together; item 5 only if a slot freed up before item 3 failed.
			expect(placedItems.slice(0, 4)).toEqual([0, 1, 2, 4]);
		}
		for (const call of placed) {
			expect(run.error?.description).toContain(`Item ${callees.indexOf(call.to) + 1}: callId ${call.callId} to ${call.to}`);
		}
		// Every request sent is either a placed call or the failed item: nothing sent twice or lost.
		expect(callBacks()).toHaveLength(placed.length + 1);
	});

	test('with continue on fail and a batch size of 5, every placed call is in the output, in order', async () => {
		const callees = Array.from({ length: 6 }, freshCallee);
		sandbox.addFault({ match: { to: callees[3] }, fault: { kind: 'reset' } });
		sandbox.addFault({ match: { to: callees[1] }, fault: { kind: 'latency', ms: 150 } });
		injected += 2;
		const run = await runCallbackNode({
			parameters: { operation: 'placeCall', fromClient: DEFAULT_ACCOUNT.clientNumber, to: '={{ $json.to }}', options: { batching: { batch: { batchSize: 5 } } } },
			items: callees.map((to) => ({ to })),
			credentials: sandboxCredentials(sandbox),
			onError: 'continueErrorOutput',
		});
		expect(run.output.map((i) => [i.json.to, i.pairedItem])).toEqual([0, 1, 2, 4, 5].map((k) => [callees[k], { item: k }]));
		expect(run.errorOutput.map((i) => i.pairedItem)).toEqual([{ item: 3 }]);
	});
});
