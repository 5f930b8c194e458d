import { RESP, refuse } from '../respCodes';
import { field, wrapper } from '../wire';
import { isEmpty, isRefusal, resolveApp } from './checks';
import type { EndpointContext, EndpointResult } from './context';

/** POST /Accounts/{sid}/Calls/callCancel: the body shape is a guess (only one public client has it). */
export function callCancel(ctx: EndpointContext): EndpointResult {
	const body = wrapper(ctx.doc, 'callCancel');
	if (!body) return refuse(RESP.emptyValue, 'body has no "callCancel" wrapper');
	const app = resolveApp(ctx.state, ctx.account, field(body, 'appId'));
	if (isRefusal(app)) return app;
	const callId = field(body, 'callId');
	if (isEmpty(callId)) return refuse(RESP.callIdEmpty, 'callId empty');
	const call = ctx.state.calls.get(callId);
	// Another application's call is as unknown to this one as a call that never existed.
	if (!call || call.appId !== app.appId) return refuse(RESP.cancelFailed, `no call ${callId} in this application`);
	if (!ctx.cancelCall(callId)) return refuse(RESP.cancelFailed, `call ${callId} has already ended`);
	return { respCode: RESP.ok };
}
