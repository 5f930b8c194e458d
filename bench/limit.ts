/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tool code: the benchmark's raw-HTTP baseline, never loaded by n8n */
/**
 * The physical limit the node is measured against: the same signed callBack requests, sent with
 * nothing but node:http and a keep-alive agent, at a given concurrency.
 */
import { Agent, request } from 'node:http';

import { encodeBody } from '../nodes/shared/codec';
import { signRequest } from '../nodes/shared/signature';

export interface LimitRunOptions {
	baseUrl: string;
	accountSid: string;
	authToken: string;
	appId: string;
	fromClient: string;
	callees: string[];
	concurrency: number;
}

export interface LimitRunResult {
	wallMs: number;
	latenciesMs: number[];
	failures: number;
}

function post(agent: Agent, url: URL, body: string, headers: Record<string, string>): Promise<number> {
	return new Promise((resolve, reject) => {
		const req = request(url, { method: 'POST', agent, headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } }, (res) => {
			let text = '';
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => (text += chunk));
			res.on('end', () => resolve(text.includes('"000000"') ? 200 : 0));
		});
		req.on('error', reject);
		req.end(body);
	});
}

export async function runLimit(options: LimitRunOptions): Promise<LimitRunResult> {
	const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
	const latenciesMs: number[] = [];
	let failures = 0;
	let next = 0;
	const started = performance.now();
	const worker = async () => {
		while (next < options.callees.length) {
			const to = options.callees[next++];
			const sent = performance.now();
			const { sig, authorization } = signRequest(options.accountSid, options.authToken, new Date());
			const url = new URL(`/2014-06-30/Accounts/${options.accountSid}/Calls/callBack?sig=${sig}`, options.baseUrl);
			const body = encodeBody('json', 'callback', { appId: options.appId, fromClient: options.fromClient, to });
			const ok = await post(agent, url, body, {
				Accept: 'application/json',
				'Content-Type': 'application/json;charset=utf-8',
				Authorization: authorization,
			});
			if (!ok) failures++;
			latenciesMs.push(performance.now() - sent);
		}
	};
	await Promise.all(Array.from({ length: options.concurrency }, worker));
	const wallMs = performance.now() - started;
	agent.destroy();
	return { wallMs, latenciesMs, failures };
}
