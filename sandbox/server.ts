/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- tool code: runs in plain Node (sandbox server, tests, scripts), never inside n8n */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallSimulator } from './callSimulator';
import { CONTROL_PREFIX, handleControl } from './control';
import {
	DEFAULT_CALL,
	MAX_BODY_BYTES,
	MAX_TIMESTAMP_AGE_MS,
	MAX_TIMESTAMP_FUTURE_MS,
	PUSH_TIMEOUT_MS,
	SOFT_VERSION,
	defaultAccounts,
} from './defaults';
import { accountInfo } from './endpoints/accountInfo';
import { callBack } from './endpoints/callBack';
import { callCancel } from './endpoints/callCancel';
import { clientsByMobile, createClient } from './endpoints/clients';
import type { EndpointContext, EndpointResult } from './endpoints/context';
import { FaultBook, writeFault, type RequestFacts } from './faults';
import { randomIds, seededIds } from './ids';
import { PushSender } from './pushSender';
import { recordRequest } from './recorder';
import { isRecordingPath, recordingUrl, serveRecording } from './recordings';
import { RESP } from './respCodes';
import { route, type Endpoint } from './router';
import { SandboxState } from './state';
import { Timers } from './timers';
import type {
	CallSimulation,
	PushRecord,
	RecordedRequest,
	ResolvedCallSimulation,
	Sandbox,
	SandboxOptions,
	Verdict,
	WireFormat,
} from './types';
import { verifySignature } from './verifySignature';
import { CONTENT_TYPE, bodyFormat, negotiateFormat, parseDocument, renderReply, sniffTo } from './wire';

const ENDPOINTS: Record<Endpoint, (ctx: EndpointContext) => EndpointResult> = {
	accountInfo,
	clientsByMobile,
	createClient,
	callBack,
	callCancel,
};

/** What the platform answered, before any fault spoils it. */
interface Reply {
	status: number;
	headers: Record<string, string | number>;
	body: string;
	verdict: Verdict;
}

function resolveSimulation(base: ResolvedCallSimulation, override: Partial<CallSimulation> | undefined): ResolvedCallSimulation {
	return {
		outcome: override?.outcome ?? base.outcome,
		talkSeconds: override?.talkSeconds ?? base.talkSeconds,
		delays: {
			ringMs: override?.delays?.ringMs ?? base.delays.ringMs,
			talkMs: override?.delays?.talkMs ?? base.delays.talkMs,
		},
		hangupBy: override?.hangupBy ?? base.hangupBy,
		record: override?.record ?? base.record,
		pushesLost: override?.pushesLost ?? base.pushesLost,
	};
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) {
				reject(new BodyTooLarge());
				req.pause();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

function sendReply(res: ServerResponse, reply: Pick<Reply, 'status' | 'headers' | 'body'>): void {
	res.writeHead(reply.status, { ...reply.headers, 'Content-Length': Buffer.byteLength(reply.body) });
	res.end(reply.body);
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const now = options.now ?? (() => new Date());
	// Under jest a log line per request is noise; the CLI turns logging on explicitly.
	const quiet = options.quiet ?? Boolean(process.env.JEST_WORKER_ID);
	const logSink = options.log ?? ((line: string) => console.log(line));
	const log = (line: string) => {
		if (!quiet) logSink(line);
	};
	const ids = options.seed === undefined ? randomIds() : seededIds(options.seed);
	const state = new SandboxState(options.accounts ?? defaultAccounts(), ids, now());
	const baseSimulation = resolveSimulation(DEFAULT_CALL, options.call);
	const maxAgeMs = options.maxTimestampAgeMs ?? MAX_TIMESTAMP_AGE_MS;
	const maxFutureMs = options.maxTimestampFutureMs ?? MAX_TIMESTAMP_FUTURE_MS;

	const requests: RecordedRequest[] = [];
	const pushes: PushRecord[] = [];
	const faults = new FaultBook();
	const timers = new Timers();
	const sender = new PushSender(options.pushTimeoutMs ?? PUSH_TIMEOUT_MS);
	// Known once the server listens; recordings are only ever announced after that.
	let selfUrl = '';
	const simulator = new CallSimulator({ state, now, timers, sender, pushes, log, recordingUrl: (callId) => recordingUrl(selfUrl, callId) });
	// Emptied in place so references held by tests stay live.
	const clearRequests = () => void requests.splice(0, requests.length);

	function refusal(format: WireFormat, respCode: string, reason: string): Reply {
		return platformReply(format, { respCode, reason });
	}

	function platformReply(format: WireFormat, result: EndpointResult): Reply {
		return {
			status: 200,
			headers: { 'Content-Type': CONTENT_TYPE[format] },
			body: renderReply(format, result.respCode, result.payload),
			verdict: { respCode: result.respCode, ok: result.respCode === RESP.ok, ...(result.reason ? { reason: result.reason } : {}) },
		};
	}

	function httpFailure(status: number, reason: string, headers: Record<string, string> = {}): Reply {
		return { status, headers, body: '', verdict: { respCode: '', ok: false, reason } };
	}

	/** The platform proper: route, version, headers, signature, body, business rules. */
	function handlePlatform(req: IncomingMessage, url: URL, body: string, format: WireFormat, facts: RequestFacts): Reply {
		const method = req.method ?? 'GET';
		const routed = route(method, url.pathname);
		if (routed.kind === 'notFound') return httpFailure(404, 'unknown path');
		if (routed.kind === 'methodNotAllowed') return httpFailure(405, `method ${method} not allowed`, { Allow: routed.allow });
		if (routed.version !== SOFT_VERSION) return refusal(format, RESP.wrongSoftVersion, `SoftVersion ${routed.version} is not ${SOFT_VERSION}`);
		if (routed.accountSid === '') return refusal(format, RESP.accountSidEmpty, 'account sid in the path is empty');

		// Our guess: the platform's web layer refuses other media types before any business check.
		const posted = method === 'POST' ? bodyFormat(req.headers['content-type']) : undefined;
		if (method === 'POST' && !posted) return httpFailure(400, `unsupported Content-Type ${JSON.stringify(req.headers['content-type'] ?? '')}`);

		const signature = verifySignature({
			pathSid: routed.accountSid,
			authorization: req.headers.authorization,
			sig: url.searchParams.get('sig') ?? undefined,
			now: now(),
			findAccount: (sid) => state.accounts.get(sid),
			maxAgeMs,
			maxFutureMs,
		});
		if (!signature.ok) return refusal(format, signature.respCode, signature.reason);

		let doc: Record<string, unknown> = {};
		if (posted) {
			const parsed = parseDocument(body, posted);
			if (!parsed.ok) return refusal(format, RESP.internalError, parsed.reason);
			doc = parsed.doc;
		}
		const query: Record<string, string> = {};
		for (const [key, value] of url.searchParams) if (!(key in query)) query[key] = value;

		const ctx: EndpointContext = {
			state,
			account: signature.account,
			query,
			doc,
			now: now(),
			facts,
			simulationFor: (to) => {
				const override = faults.takeOutcome({ ...facts, to });
				return { simulation: resolveSimulation(baseSimulation, override), viaFault: override !== undefined };
			},
			startCall: (call) => {
				state.addCall(call);
				const app = state.apps.get(call.appId);
				simulator.start(call, call.simulation.pushesLost ? undefined : (app?.pushUrl ?? options.pushUrl));
			},
			cancelCall: (callId) => simulator.cancel(callId),
		};
		return platformReply(format, ENDPOINTS[routed.endpoint](ctx));
	}

	function tagged(verdict: Verdict, tags: string[]): Verdict {
		if (tags.length === 0) return verdict;
		const tag = tags.join(',');
		const reason = verdict.reason && verdict.reason !== tag ? `${tag} (${verdict.reason})` : tag;
		return { ...verdict, reason };
	}

	async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
		let body: string;
		try {
			body = await readBody(req);
		} catch (error) {
			if (error instanceof BodyTooLarge) {
				res.writeHead(413, { Connection: 'close', 'Content-Length': 0 });
				res.end();
				log(`${req.method} ${url.pathname} -> HTTP 413`);
			}
			return;
		}
		if (url.pathname === CONTROL_PREFIX || url.pathname.startsWith(`${CONTROL_PREFIX}/`)) {
			return handleControl(req, res, url.pathname, body, { faults, requests, calls: state.callList, pushes, clearRequests });
		}

		const format = negotiateFormat(url.pathname, req.headers.accept, req.headers['content-type']);
		const record = recordRequest(req, url, body, format, now(), state.authTokens());
		requests.push(record);
		const facts: RequestFacts = { method: req.method ?? 'GET', path: url.pathname, to: sniffTo(body, bodyFormat(req.headers['content-type'])) };
		const plan = faults.plan(facts);
		const tags: string[] = [];
		if (plan.latencyMs > 0) {
			tags.push('fault:latency');
			await timers.delay(plan.latencyMs);
		}
		const terminal = plan.terminal;
		if (terminal) tags.push(`fault:${terminal.fault.kind}`);

		if (isRecordingPath(url.pathname)) {
			const served = serveRecording(req.method ?? 'GET', url, state, options.recordingChunked === true);
			record.verdict = tagged(served.verdict, tags);
			if (terminal?.fault.kind === 'reset' && served.status === 200) {
				// Half the file, then the connection drops: a download cut mid-way.
				res.writeHead(200, { ...served.headers, 'Content-Length': served.body.length });
				res.write(served.body.subarray(0, Math.floor(served.body.length / 2)), () => res.socket?.destroy());
			} else if (terminal) {
				writeFault(res, terminal.fault, 'json');
			} else {
				res.writeHead(served.status, served.headers);
				res.end(served.body);
			}
			log(`${record.method} ${record.path} -> HTTP ${served.status}${served.verdict.reason ? ` (${served.verdict.reason})` : ''}${tags.length ? ` [${tags.join(',')}]` : ''}`);
			return;
		}

		if (terminal && !terminal.processFirst) {
			const code = terminal.fault.kind === 'respCode' ? terminal.fault.code : '';
			record.verdict = tagged({ respCode: code, ok: code === RESP.ok }, tags);
			writeFault(res, terminal.fault, format);
			log(`${record.method} ${record.path} -> ${record.verdict.reason}`);
			return;
		}

		const reply = handlePlatform(req, url, body, format, facts);
		record.verdict = tagged(reply.verdict, tags);
		if (terminal) writeFault(res, terminal.fault, format, reply.body);
		else sendReply(res, reply);
		log(`${record.method} ${record.path} -> ${reply.verdict.respCode || `HTTP ${reply.status}`}${tags.length ? ` [${tags.join(',')}]` : ''}`);
	}

	const server = http.createServer((req, res) => {
		onRequest(req, res).catch((error: unknown) => {
			// A sandbox bug must show up as a failed request, never as a dead server.
			log(`internal error: ${(error as Error).stack ?? String(error)}`);
			if (!res.headersSent) sendReply(res, { status: 500, headers: {}, body: '' });
			else res.destroy();
		});
	});
	// Keep idle keep-alive sockets around longer than the node's agent would, like a real gateway.
	server.keepAliveTimeout = 30_000;

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	const address = server.address() as AddressInfo;
	const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
	selfUrl = `http://${host}:${address.port}`;
	let stopping: Promise<void> | undefined;

	return {
		url: selfUrl,
		port: address.port,
		requests,
		clearRequests,
		addFault: (rule) => faults.add(rule),
		clearFaults: () => faults.clear(),
		calls: state.callList,
		pushes,
		whenCallSettled: (callId) => simulator.whenSettled(callId),
		setPushUrl: (url) => {
			for (const app of state.apps.values()) app.pushUrl = url;
		},
		stop: () =>
			(stopping ??= new Promise<void>((resolve) => {
				timers.stop();
				sender.stop();
				simulator.stop();
				server.close(() => resolve());
				// Hanging requests and idle keep-alive sockets would otherwise hold close() open.
				server.closeAllConnections();
			})),
	};
}
