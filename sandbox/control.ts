/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tool code: runs in plain Node (sandbox server, tests, scripts), never inside n8n */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultBook } from './faults';
import type { FaultRule, PushRecord, RecordedRequest, SimulatedCall } from './types';

/**
 * `/__sandbox/*`: lets an out-of-process client (the demo, a workflow run by n8n itself) arrange
 * faults and read what happened. Unsigned, hence served to loopback clients only.
 */

export const CONTROL_PREFIX = '/__sandbox';

export interface ControlTarget {
	faults: FaultBook;
	requests: RecordedRequest[];
	calls: SimulatedCall[];
	pushes: PushRecord[];
	clearRequests(): void;
}

export function isLoopback(address: string | undefined): boolean {
	if (!address) return false;
	return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

function json(res: ServerResponse, status: number, value: unknown): void {
	const body = JSON.stringify(value);
	res.writeHead(status, { 'Content-Type': 'application/json;charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
	res.end(body);
}

export function handleControl(req: IncomingMessage, res: ServerResponse, pathname: string, body: string, target: ControlTarget): void {
	if (!isLoopback(req.socket.remoteAddress)) return json(res, 403, { error: 'the control endpoints serve loopback clients only' });
	const key = `${req.method} ${pathname.slice(CONTROL_PREFIX.length)}`;
	switch (key) {
		case 'GET /faults':
			return json(res, 200, target.faults.list());
		case 'POST /faults': {
			let rule: unknown;
			try {
				rule = JSON.parse(body);
				target.faults.add(rule as FaultRule);
			} catch (error) {
				return json(res, 400, { error: (error as Error).message });
			}
			return json(res, 201, { ok: true, rules: target.faults.list().length });
		}
		case 'DELETE /faults':
			target.faults.clear();
			return json(res, 200, { ok: true });
		case 'GET /requests':
			return json(res, 200, target.requests);
		case 'DELETE /requests':
			target.clearRequests();
			return json(res, 200, { ok: true });
		case 'GET /calls':
			return json(res, 200, target.calls);
		case 'GET /pushes':
			return json(res, 200, target.pushes);
		default:
			return json(res, 404, { error: `no control endpoint ${key}` });
	}
}
