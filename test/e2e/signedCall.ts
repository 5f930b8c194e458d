/**
 * A call placed on a sandbox straight over HTTP, signed as the package signs (JSON body, `sig` and
 * Authorization from signRequest), for suites that need a real call's pushes without a workflow
 * placing it: the trigger checks of test:e2e, test:ui and test:queue.
 */
import { signRequest } from '../../nodes/shared/signature';
import { DEFAULT_ACCOUNT, type Sandbox } from '../../sandbox';
import { expectEqual, expectMatch } from './assertions';

export async function placeSignedCall(sandbox: Pick<Sandbox, 'url'>, call: { to: string; userData: string; timeoutMs?: number }): Promise<string> {
	const { sig, authorization } = signRequest(DEFAULT_ACCOUNT.accountSid, DEFAULT_ACCOUNT.authToken, new Date());
	const response = await fetch(`${sandbox.url}/2014-06-30/Accounts/${DEFAULT_ACCOUNT.accountSid}/Calls/callBack?sig=${sig}`, {
		method: 'POST',
		headers: { accept: 'application/json', 'content-type': 'application/json;charset=utf-8', authorization },
		body: JSON.stringify({ callback: { appId: DEFAULT_ACCOUNT.appId, fromClient: DEFAULT_ACCOUNT.clientNumber, to: call.to, maxallowtime: '120', userData: call.userData } }),
		signal: AbortSignal.timeout(call.timeoutMs ?? 10_000),
	});
	const text = await response.text();
	const reply = JSON.parse(text) as { resp?: { respCode?: string; callback?: { callId?: string } } };
	expectEqual([response.status, reply.resp?.respCode], [200, '000000'], `callBack on the sandbox that pushes (${text.slice(0, 200)})`);
	const callId = reply.resp?.callback?.callId;
	expectMatch(callId, /^[0-9a-f]{32}$/, 'callId');
	return callId as string;
}
