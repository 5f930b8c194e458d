/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console -- tool code: a command-line demo, never loaded by n8n */
/**
 * `npm run demo`: the whole product in one run, with no phone ringing and no account needed.
 * Starts the local UCPaaS sandbox, runs "Manual Trigger → UCPaaS Callback" through the real
 * n8n engine with a credential pointing at it, and prints the signed request, the callId and
 * the call events the sandbox pushed to a UCPaaS Callback Trigger (its real webhook code, in n8n-core's
 * webhook context).
 */
import { DEFAULT_ACCOUNT, startSandbox } from '../sandbox';
import { deduplicationStore } from '../test/harness/deduplicationStore';
import { itemsNode, runCallbackNode, stopEngineTimers, ucpaasNode } from '../test/harness/engine';
import { WaitingEngine } from '../test/harness/waitingEngine';
import { startTriggerServer } from '../test/harness/webhookServer';

const CALLEE = '13912345678';
const WAITING_CALLEE = '13912345679';

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

		// The same call in one workflow: the run waits, and continues with the outcome the trigger forwards.
		await deduplicationStore();
		const engine = await new WaitingEngine({ ...credentials, baseUrl: sandbox.url }).start();
		const forwarder = await startTriggerServer({ parameters: { events: ['callhangup'], options: { waitingBaseUrl: engine.baseUrl } }, credentials });
		sandbox.setPushUrl(forwarder.url);
		try {
			console.log(`\nWorkflow 2       Items → UCPaaS Callback (Place Callback and Wait → ${WAITING_CALLEE}); the trigger forwards Call Ended to the waiting run`);
			const to = [{ node: 'Call and Wait', type: 'main' as const, index: 0 }];
			const { executionId, run: waiting } = await engine.run(
				[itemsNode([{ phone: WAITING_CALLEE }]), ucpaasNode('Call and Wait', 'n8n-nodes-ucpaas.ucpaasCallback', { operation: 'placeCallAndWait', fromClient: DEFAULT_ACCOUNT.clientNumber, to: '={{ $json.phone }}', options: { userData: 'crm-lead-43' } }, { typeVersion: 2 })],
				{ Items: { main: [to] } },
			);
			if (!waiting.waitTill) throw new Error(`the run did not wait: ${JSON.stringify(waiting.data.resultData.error ?? null)}`);
			const placed = sandbox.calls.find((c) => c.to === WAITING_CALLEE);
			console.log(`  execution ${executionId} waits (at most until ${waiting.waitTill.toISOString()}); the call's User Data as sent: "${placed?.userData}"`);
			const finished = await engine.whenFinished(executionId);
			const outcome = finished.data.resultData.runData['Call and Wait']?.at(-1)?.data?.main[0]?.[0]?.json;
			if (outcome?.outcome !== 'answered') throw new Error(`the run did not continue with an answered outcome: ${JSON.stringify(outcome)}`);
			console.log(`  resumed with: outcome ${outcome.outcome}, answered ${outcome.answered}, ${outcome.durationSeconds}s, ${(outcome.hangupReason as { text: string }).text}, userData "${outcome.userData}", callId ${outcome.callId}`);
		} finally {
			await forwarder.stop();
			await engine.stop();
		}
		console.log('\nDemo finished: call placed, callId returned, events delivered; a waiting run continued with its outcome.');
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
