import { RESP, refuse } from '../respCodes';
import type { ClientState } from '../state';
import { field, wrapper, type ReplyValue } from '../wire';
import { checkMobile, isRefusal, resolveApp } from './checks';
import type { EndpointContext, EndpointResult } from './context';

function describe(client: ClientState): Record<string, ReplyValue> {
	return {
		clientNumber: client.clientNumber,
		clientPwd: client.clientPwd,
		clientType: client.clientType,
		friendlyName: client.friendlyName,
		mobile: client.mobile,
		balance: String(client.balance),
		createDate: client.createDate,
	};
}

/** GET /Accounts/{sid}/ClientsByMobile?mobile=…&appId=…: the first step of every callBack integration. */
export function clientsByMobile(ctx: EndpointContext): EndpointResult {
	const app = resolveApp(ctx.state, ctx.account, ctx.query.appId);
	if (isRefusal(app)) return app;
	const mobile = ctx.query.mobile;
	const bad = checkMobile(mobile);
	if (bad) return bad;
	const client = ctx.state.clientByMobile(app.appId, mobile);
	if (!client) return refuse(RESP.noData, `no Client bound to ${mobile} in this application`);
	return { respCode: RESP.ok, payload: { client: describe(client) } };
}

/** POST /Accounts/{sid}/Clients: binds a mobile to a new Client number. */
export function createClient(ctx: EndpointContext): EndpointResult {
	const body = wrapper(ctx.doc, 'client');
	if (!body) return refuse(RESP.emptyValue, 'body has no "client" wrapper');
	const app = resolveApp(ctx.state, ctx.account, field(body, 'appId'));
	if (isRefusal(app)) return app;
	if (!app.online) return refuse(RESP.testAppMayNotCreateClients, 'a test application may not create Clients');
	const mobile = field(body, 'mobile');
	const bad = checkMobile(mobile);
	if (bad) return bad;
	const clientType = field(body, 'clientType') || '0';
	if (clientType !== '0' && clientType !== '1') return refuse(RESP.wrongEnum, `clientType "${clientType}" is not 0 or 1`);
	const charge = field(body, 'charge') || '0';
	if (!/^\d+$/.test(charge)) return refuse(RESP.notInteger, `charge "${charge}" is not an integer`);
	if (ctx.state.clientByMobile(app.appId, mobile as string)) {
		return refuse(RESP.mobileAlreadyBound, `${mobile} is already bound in this application`);
	}
	const client = ctx.state.createClient(
		{
			appId: app.appId,
			accountSid: ctx.account.accountSid,
			mobile: mobile as string,
			friendlyName: field(body, 'friendlyName') ?? '',
			balance: Number(charge),
			clientType,
		},
		ctx.now,
	);
	return { respCode: RESP.ok, payload: { client: describe(client) } };
}
