/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console -- tool code: a command-line demo, never loaded by n8n */
/**
 * `npm run demo`: the whole product in one run, with no phone ringing and no account needed.
 * Starts the local UCPaaS sandbox, runs "Manual Trigger → UCPaaS Callback" through the real
 * n8n engine with a credential pointing at it, and prints the signed request, the callId and
 * the call events the sandbox pushed to a UCPaaS Callback Trigger (its real webhook code, in n8n-core's
 * webhook context).
 */
import { DEFAULT_ACCOUNT, startSandbox } from '../sandbox';
import { runCallbackNode, stopEngineTimers } from '../test/harness/engine';
import { startTriggerServer } from '../test/harness/webhookServer';

const CALLEE = '13912345678';

/** Not even a prefix of a token is shown: a demo's output gets pasted into issues. */
const mask = (secret: string) => `${'•'.repeat(8)} (${secret.length} characters, masked)`;

async function main(): Promise<void> {
	const credentials = { accountSid: DEFAULT_ACCOUNT.accountSid, authToken: DEFAULT_ACCOUNT.authToken, appId: DEFAULT_ACCOUNT.appId };
	const trigger = await startTriggerServer({ parameters: { events: ['callreq', 'callestablish', 'callhangup'] }, credentials });
	const sandbox = await startSandbox({ quiet: true, pushUrl: trigger.url, call: { outcome: 'answered', talkSeconds: 42 } });
	try {
		console.log(`UCPaaS sandbox   ${sandbox.url}  (account ${DEFAULT_ACCOUNT.accountSid}, app ${DEFAULT_ACCOUNT.appId})`);
		console.log(`UCPaaS Callback Trigger  ${trigger.url}  (the push address pasted in the console)`);
		console.log(`Workflow         Manual Trigger → UCPaaS Callback (Place Callback: Client ${DEFAULT_ACCOUNT.clientNumber} → ${CALLEE})\n`);

		const run = await runCallbackNode({
			parameters: { operation: 'placeCall', fromClient: DEFAULT_ACCOUNT.clientNumber, to: CALLEE, options: { userData: 'crm-lead-42', maxallowtime: 600 } },
			credentials: { ...credentials, baseUrl: sandbox.url },
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
		await trigger.idle();
		console.log(`Call events pushed by the sandbox, as the UCPaaS Callback Trigger emits them (call ${call.state}):`);
		const events = trigger.emitted().map((item) => item.json);
		for (const event of events) {
			const reason = event.reason as { code: number; text: string } | null;
			const subreason = event.subreason as { text: string } | null;
			const detail =
				event.event === 'callhangup'
					? `${event.durationSeconds}s, ${reason?.text}${subreason ? ` (${subreason.text})` : ''}, userData "${event.userData}", ${event.startTime} → ${event.stopTime}`
					: `caller ${event.caller}, callee ${event.callee}`;
			console.log(`  ${String(event.event).padEnd(14)} callId ${event.callId}  ${detail}`);
		}
		const replies = sandbox.pushes.filter((p) => p.callId === output.callId).map((p) => `${p.event} → HTTP ${p.status}, retcode ${p.retcode ?? '-'}`);
		console.log(`  trigger's replies: ${replies.join('; ')}`);
		if (!events.some((e) => e.event === 'callhangup' && e.callId === output.callId)) throw new Error('the trigger did not receive the hang-up event');
		console.log('\nDemo finished: call placed, callId returned, events delivered.');
	} finally {
		stopEngineTimers();
		await sandbox.stop();
		await trigger.stop();
	}
}

main().catch((error: unknown) => {
	console.error(`Demo failed: ${error instanceof Error ? error.message : String(error)}`);
	process.exitCode = 1;
});
