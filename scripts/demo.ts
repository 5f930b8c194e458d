/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- tool code: a command-line demo, never loaded by n8n */
/**
 * `npm run demo`: the whole product in one run, with no phone ringing and no account needed.
 * Starts the local UCPaaS sandbox, runs "Manual Trigger → UCPaaS Callback" through the real
 * n8n engine with a credential pointing at it, and prints the signed request, the callId and
 * the call events the sandbox pushed.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { DEFAULT_ACCOUNT, startSandbox, type PushRecord } from '../sandbox';
import { runCallbackNode, stopEngineTimers } from '../test/harness/engine';

const CALLEE = '13912345678';

/** Answers every push the way a UCPaaS push URL must: XML retcode 0, at once. */
function startPushReceiver(): Promise<Server> {
	const server = createServer((request, response) => {
		request.resume();
		request.on('end', () => {
			response.writeHead(200, { 'Content-Type': 'text/xml;charset=utf-8' });
			response.end('<?xml version="1.0" encoding="UTF-8"?><response><retcode>0</retcode></response>');
		});
	});
	return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const mask = (secret: string) => `${secret.slice(0, 4)}${'•'.repeat(Math.max(0, secret.length - 4))}`;

function describePush(push: PushRecord): string {
	const fields = Object.fromEntries([...push.body.matchAll(/<(\w+)>([^<]*)<\/\1>/g)].map(([, name, value]) => [name, value]));
	const detail =
		push.event === 'callhangup'
			? `length ${fields.length}s, reason ${fields.reason}/${fields.subreason}, userData "${fields.userData ?? ''}", ${fields.starttime} → ${fields.stoptime}`
			: `caller ${fields.caller ?? fields.callernum ?? ''}, called ${fields.called ?? ''}`;
	return `  ${push.event.padEnd(14)} callid ${push.callId}  ${detail}  (reply HTTP ${push.status}, retcode ${push.retcode ?? '-'})`;
}

async function main(): Promise<void> {
	const receiver = await startPushReceiver();
	const pushUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/ucpaas/events`;
	const sandbox = await startSandbox({ quiet: true, pushUrl, call: { outcome: 'answered', talkSeconds: 42 } });
	try {
		console.log(`UCPaaS sandbox   ${sandbox.url}  (account ${DEFAULT_ACCOUNT.accountSid}, app ${DEFAULT_ACCOUNT.appId})`);
		console.log(`Push receiver    ${pushUrl}`);
		console.log(`Workflow         Manual Trigger → UCPaaS Callback (Place Callback: Client ${DEFAULT_ACCOUNT.clientNumber} → ${CALLEE})\n`);

		const run = await runCallbackNode({
			parameters: { operation: 'placeCall', fromClient: DEFAULT_ACCOUNT.clientNumber, to: CALLEE, options: { userData: 'crm-lead-42', maxallowtime: 600 } },
			credentials: { accountSid: DEFAULT_ACCOUNT.accountSid, authToken: DEFAULT_ACCOUNT.authToken, appId: DEFAULT_ACCOUNT.appId, baseUrl: sandbox.url },
		});
		if (run.error) throw new Error(`the node failed: ${run.error.message}${run.error.description ? ` (${run.error.description})` : ''}`);

		const request = sandbox.requests.find((r) => r.path.endsWith('/Calls/callBack'));
		if (!request) throw new Error('the sandbox received no callBack request');
		const authorization = request.headers.authorization ?? '';
		console.log('Signed request (the auth token never travels; it only feeds the MD5 of sig):');
		console.log(`  ${request.method} ${request.path}?sig=${request.query.sig}`);
		console.log(`  Accept: ${request.headers.accept}`);
		console.log(`  Content-Type: ${request.headers['content-type']}`);
		console.log(`  Authorization: ${authorization}  (= base64 "${Buffer.from(authorization, 'base64').toString()}")`);
		console.log(`  ${request.body}`);
		console.log(`  auth token used to sign: ${mask(DEFAULT_ACCOUNT.authToken)}`);
		console.log(`  sandbox verdict: respCode ${request.verdict.respCode}\n`);

		const output = run.output[0]?.json;
		console.log('Node output:');
		console.log(`  ${JSON.stringify(output)}\n`);
		if (typeof output?.callId !== 'string') throw new Error('the node output has no callId');

		const call = await sandbox.whenCallSettled(output.callId);
		console.log(`Call events pushed by the sandbox (call ${call.state}):`);
		for (const push of sandbox.pushes.filter((p) => p.callId === output.callId)) console.log(describePush(push));
		const hangup = sandbox.pushes.find((p) => p.callId === output.callId && p.event === 'callhangup');
		if (!hangup || hangup.status !== 200) throw new Error('the hang-up event was not delivered');
		console.log('\nDemo finished: call placed, callId returned, events delivered.');
	} finally {
		stopEngineTimers();
		await sandbox.stop();
		await new Promise((resolve) => receiver.close(resolve));
	}
}

main().catch((error: unknown) => {
	console.error(`Demo failed: ${error instanceof Error ? error.message : String(error)}`);
	process.exitCode = 1;
});
