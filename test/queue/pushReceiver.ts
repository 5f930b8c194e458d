/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tool code: a loopback HTTP receiver for the sandbox's pushes */
/**
 * Where the API sandbox sends the pushes of the calls the workflow places: a plain receiver on
 * loopback that acknowledges each with retcode 0, as a customer's own endpoint (or a second n8n
 * workflow) would. The sandbox records every push it sent (`sandbox.pushes`); the reconciliation
 * check reads the Call Ended pushes there.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PushReceiver {
	url: string;
	received: number;
	stop(): Promise<void>;
}

const ACK = '<?xml version="1.0" encoding="UTF-8"?><response><retcode>0</retcode></response>';

export async function startPushReceiver(): Promise<PushReceiver> {
	let received = 0;
	const server: Server = createServer((req, res) => {
		req.resume();
		req.once('end', () => {
			received++;
			res.writeHead(200, { 'content-type': 'text/xml;charset=utf-8' });
			res.end(ACK);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/ucpaas-events`,
		get received() {
			return received;
		},
		stop: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}
