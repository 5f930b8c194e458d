import { compactBeijing } from '../beijingTime';
import { USER_DATA_MAX_BYTES } from '../defaults';
import { RESP, refuse } from '../respCodes';
import { field, wrapper } from '../wire';
import { isEmpty, isRefusal, resolveApp } from './checks';
import type { EndpointContext, EndpointResult } from './context';

const DIGITS = /^\d+$/;

/** Empty optional fields count as absent, as the platform's Java side reads them. */
function optional(value: string | undefined): string | undefined {
	return value === '' ? undefined : value;
}

/** POST /Accounts/{sid}/Calls/callBack: checks in the platform's order, then places the call. */
export function callBack(ctx: EndpointContext): EndpointResult {
	const body = wrapper(ctx.doc, 'callback');
	if (!body) return refuse(RESP.emptyValue, 'body has no "callback" wrapper');
	const app = resolveApp(ctx.state, ctx.account, field(body, 'appId'));
	if (isRefusal(app)) return app;

	const fromClient = field(body, 'fromClient');
	if (isEmpty(fromClient)) return refuse(RESP.callerClientEmpty, 'fromClient empty');
	const client = ctx.state.clients.get(fromClient);
	if (client && client.accountSid !== ctx.account.accountSid) {
		return refuse(RESP.clientNotThisAccount, `Client ${fromClient} belongs to another account`);
	}
	if (!client || client.appId !== app.appId) return refuse(RESP.clientNotInApp, `Client ${fromClient} does not exist in this application`);
	if (client.mobile === '') return refuse(RESP.callerClientNotBound, `Client ${fromClient} is not bound to a phone`);

	const to = field(body, 'to');
	if (isEmpty(to)) return refuse(RESP.emptyValue, '"to" empty');
	if (!DIGITS.test(to)) return refuse(RESP.illegalNumber, `"to" is not a phone number: "${to}"`);
	const fromSerNum = optional(field(body, 'fromSerNum'));
	const toSerNum = optional(field(body, 'toSerNum'));
	for (const [name, value] of [['fromSerNum', fromSerNum], ['toSerNum', toSerNum]] as const) {
		if (value !== undefined && !DIGITS.test(value)) return refuse(RESP.illegalDisplayNumber, `${name} is not a number: "${value}"`);
	}
	if (client.mobile === to) return refuse(RESP.callerIsCallee, 'caller and callee are the same');
	if (!app.online && !app.whitelist.has(to)) {
		return refuse(RESP.notWhitelisted, `${to} is not whitelisted and the application is not online`);
	}

	const maxallowtimeText = optional(field(body, 'maxallowtime'));
	// Positive integer only; the documented "multiple of 60" is not enforced (the vendor's own example sends 910).
	if (maxallowtimeText !== undefined && !(/^\d+$/.test(maxallowtimeText) && Number(maxallowtimeText) > 0)) {
		return refuse(RESP.illegalNumber, `maxallowtime "${maxallowtimeText}" is not a positive integer of seconds`);
	}
	const userData = optional(field(body, 'userData'));
	if (userData !== undefined && Buffer.byteLength(userData, 'utf8') > USER_DATA_MAX_BYTES) {
		return refuse(RESP.valueTooLong, `userData is ${Buffer.byteLength(userData, 'utf8')} bytes, at most ${USER_DATA_MAX_BYTES}`);
	}
	if (ctx.account.balance <= 0) return refuse(RESP.insufficientBalance, 'account balance insufficient');
	if (ctx.state.calleeBusy(ctx.account.accountSid, to)) return refuse(RESP.calleeBusy, `a call to ${to} is still in progress`);

	const { simulation, viaFault } = ctx.simulationFor(to);
	const callId = ctx.state.newCallId();
	const createDate = compactBeijing(ctx.now);
	ctx.startCall({
		callId,
		accountSid: ctx.account.accountSid,
		appId: app.appId,
		fromClient,
		callerMobile: client.mobile,
		to,
		fromSerNum,
		toSerNum,
		maxallowtime: maxallowtimeText === undefined ? undefined : Number(maxallowtimeText),
		userData,
		ringtoneID: optional(field(body, 'ringtoneID')),
		createDate,
		simulation,
		state: 'ringing',
		events: [],
		settled: false,
	});
	return {
		respCode: RESP.ok,
		reason: viaFault ? 'fault:outcome' : undefined,
		payload: { callback: { callId, createDate } },
	};
}
