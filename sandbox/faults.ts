/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tool code: runs in plain Node (sandbox server, tests, scripts), never inside n8n */
import type { ServerResponse } from 'node:http';
import type { CallSimulation, Fault, FaultRule, WireFormat } from './types';
import { CONTENT_TYPE, isRecord, renderReply } from './wire';

/**
 * Fault injection: the failures a real network and a real platform produce, on demand. A rule
 * is consulted after the request is recorded, so tests can always see what the client sent.
 */

export interface RequestFacts {
	method: string;
	path: string;
	/** `to` of the body, when it has one. */
	to?: string;
}

export interface FaultPlan {
	/** Sum of every matching latency rule. */
	latencyMs: number;
	/** The first matching rule that spoils or replaces the reply. */
	terminal?: FaultRule;
}

interface LiveRule {
	rule: FaultRule;
	remaining: number;
}

const HTML_502 =
	'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

const OUTCOMES = ['answered', 'rejected', 'noAnswer', 'noBalance', 'unreachable'];

export class FaultBook {
	private rules: LiveRule[] = [];

	add(rule: FaultRule): void {
		const checked = validateFaultRule(rule);
		this.rules.push({ rule: checked, remaining: checked.times ?? Infinity });
	}

	clear(): void {
		this.rules = [];
	}

	list(): FaultRule[] {
		return this.rules.map((live) => live.rule);
	}

	/** Consumes one use of every rule it returns. */
	plan(facts: RequestFacts): FaultPlan {
		const plan: FaultPlan = { latencyMs: 0 };
		for (const live of this.rules) {
			const { fault } = live.rule;
			if (fault.kind === 'outcome' || !matches(live.rule, facts)) continue;
			if (fault.kind === 'latency') {
				plan.latencyMs += fault.ms;
				this.use(live);
			} else if (!plan.terminal) {
				plan.terminal = live.rule;
				this.use(live);
			}
		}
		return plan;
	}

	/** The outcome a rule chooses for a call about to be placed; consumed only when one is. */
	takeOutcome(facts: RequestFacts): Partial<CallSimulation> | undefined {
		for (const live of this.rules) {
			const { fault } = live.rule;
			if (fault.kind === 'outcome' && matches(live.rule, facts)) {
				this.use(live);
				return fault.call;
			}
		}
		return undefined;
	}

	private use(live: LiveRule): void {
		live.remaining -= 1;
		if (live.remaining <= 0) this.rules = this.rules.filter((r) => r !== live);
	}
}

function matches(rule: FaultRule, facts: RequestFacts): boolean {
	const m = rule.match;
	if (!m) return true;
	if (m.path !== undefined && !facts.path.includes(m.path)) return false;
	if (m.method !== undefined && m.method.toUpperCase() !== facts.method.toUpperCase()) return false;
	if (m.to !== undefined && m.to !== facts.to) return false;
	return true;
}

/** Checks a rule that may come from JSON over the control endpoint; throws a readable Error. */
export function validateFaultRule(input: unknown): FaultRule {
	if (!isRecord(input)) throw new Error('a fault rule must be an object');
	const { match, fault, times, processFirst } = input;
	if (match !== undefined) {
		if (!isRecord(match)) throw new Error('match must be an object');
		for (const key of ['path', 'to', 'method'] as const) {
			if (match[key] !== undefined && typeof match[key] !== 'string') throw new Error(`match.${key} must be a string`);
		}
	}
	if (times !== undefined && !(Number.isInteger(times) && (times as number) > 0)) throw new Error('times must be a positive integer');
	if (processFirst !== undefined && typeof processFirst !== 'boolean') throw new Error('processFirst must be a boolean');
	if (!isRecord(fault)) throw new Error('fault must be an object');
	const f = fault as Record<string, unknown>;
	switch (f.kind) {
		case 'latency':
			if (typeof f.ms !== 'number' || !(f.ms >= 0)) throw new Error('latency needs ms >= 0');
			break;
		case 'status':
			if (!Number.isInteger(f.status) || (f.status as number) < 100 || (f.status as number) > 599) throw new Error('status needs an HTTP status');
			if (f.body !== undefined && typeof f.body !== 'string') throw new Error('status body must be a string');
			if (f.contentType !== undefined && typeof f.contentType !== 'string') throw new Error('status contentType must be a string');
			break;
		case 'respCode':
			if (typeof f.code !== 'string' || !/^\d{6}$/.test(f.code)) throw new Error('respCode needs a 6-digit code');
			break;
		case 'outcome':
			if (!isRecord(f.call) || (f.call.outcome !== undefined && !OUTCOMES.includes(f.call.outcome as string))) {
				throw new Error(`outcome needs call.outcome, one of ${OUTCOMES.join(', ')}`);
			}
			break;
		case 'emptyBody':
		case 'malformed':
		case 'html':
		case 'reset':
		case 'hang':
			break;
		default:
			throw new Error(`unknown fault kind ${JSON.stringify(f.kind)}`);
	}
	return structuredClone(input) as unknown as FaultRule;
}

function send(res: ServerResponse, status: number, contentType: string | undefined, body: string): void {
	const headers: Record<string, string | number> = { 'Content-Length': Buffer.byteLength(body) };
	if (contentType) headers['Content-Type'] = contentType;
	res.writeHead(status, headers);
	res.end(body);
}

/**
 * Answers with the fault instead of the platform's reply. `reply` is the reply the platform
 * produced when the rule asked to process first; otherwise a plausible success reply is spoiled.
 */
export function writeFault(res: ServerResponse, fault: Fault, format: WireFormat, reply?: string): void {
	const intact = reply ?? renderReply(format, '000000');
	switch (fault.kind) {
		case 'status':
			return send(res, fault.status, fault.contentType ?? 'text/plain;charset=utf-8', fault.body ?? '');
		case 'emptyBody':
			return send(res, 200, CONTENT_TYPE[format], '');
		case 'malformed':
			return send(res, 200, CONTENT_TYPE[format], intact.slice(0, Math.max(1, Math.floor(intact.length / 2))));
		case 'html':
			return send(res, 502, 'text/html', HTML_502);
		case 'respCode':
			return send(res, 200, CONTENT_TYPE[format], renderReply(format, fault.code));
		case 'reset': {
			// Promise the whole body, deliver half, then drop the connection: a reply cut mid-way.
			res.writeHead(200, { 'Content-Type': CONTENT_TYPE[format], 'Content-Length': Buffer.byteLength(intact) });
			res.write(intact.slice(0, Math.floor(intact.length / 2)), () => res.socket?.destroy());
			return;
		}
		case 'hang':
		case 'latency':
		case 'outcome':
			return;
	}
}
