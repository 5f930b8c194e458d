/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tool code: runs in plain Node (sandbox server, tests, scripts), never inside n8n */
import http from 'node:http';
import https from 'node:https';

/**
 * Delivers one push the way the platform does: an XML POST whose reply is read in full. Never
 * throws: a dead receiver is a fact to record, not a reason for the sandbox to fall over.
 */

export interface PushReply {
	status: number | null;
	reply: string;
	error?: string;
}

export class PushSender {
	private readonly inFlight = new Set<http.ClientRequest>();
	private stopped = false;

	constructor(private readonly timeoutMs: number) {}

	send(url: string, body: string): Promise<PushReply> {
		return new Promise((resolve) => {
			if (this.stopped) return resolve({ status: null, reply: '', error: 'sandbox stopped' });
			let target: URL;
			try {
				target = new URL(url);
			} catch {
				return resolve({ status: null, reply: '', error: `invalid push URL ${url}` });
			}
			const transport = target.protocol === 'https:' ? https : http;
			const payload = Buffer.from(body, 'utf8');
			let settled = false;
			const finish = (result: PushReply) => {
				if (settled) return;
				settled = true;
				this.inFlight.delete(request);
				resolve(result);
			};
			// agent: false, so no pooled socket outlives the push and stop() has nothing to wait for.
			const request = transport.request(
				target,
				{
					method: 'POST',
					agent: false,
					headers: { 'Content-Type': 'text/xml;charset=utf-8', 'Content-Length': payload.length, Connection: 'close' },
				},
				(response) => {
					const chunks: Buffer[] = [];
					response.on('data', (chunk: Buffer) => chunks.push(chunk));
					response.on('end', () => finish({ status: response.statusCode ?? null, reply: Buffer.concat(chunks).toString('utf8') }));
					response.on('error', (error) => finish({ status: null, reply: '', error: error.message }));
				},
			);
			this.inFlight.add(request);
			request.setTimeout(this.timeoutMs, () => request.destroy(new Error(`push receiver did not answer within ${this.timeoutMs} ms`)));
			request.on('error', (error) => finish({ status: null, reply: '', error: error.message }));
			request.end(payload);
		});
	}

	stop(): void {
		this.stopped = true;
		for (const request of this.inFlight) request.destroy(new Error('sandbox stopped'));
		this.inFlight.clear();
	}
}
