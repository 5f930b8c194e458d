import { RESP, refuse, type Refusal } from '../respCodes';
import type { AccountState, AppState, SandboxState } from '../state';

/** Checks several endpoints share, each answering the platform's own code. */

export const MOBILE = /^1[3-9]\d{9}$/;

export function isEmpty(value: string | undefined): value is undefined | '' {
	return value === undefined || value === '';
}

export function resolveApp(state: SandboxState, account: AccountState, appId: string | undefined): AppState | Refusal {
	if (isEmpty(appId)) return refuse(RESP.appIdEmpty, 'appId empty');
	if (!/^[0-9a-fA-F]{32}$/.test(appId)) return refuse(RESP.appIdIllegal, 'appId is not 32 hex characters');
	const app = state.apps.get(appId);
	if (!app) return refuse(RESP.appUnknown, 'application does not exist');
	if (app.accountSid !== account.accountSid) return refuse(RESP.appNotThisAccount, 'application belongs to another account');
	return app;
}

export function checkMobile(mobile: string | undefined): Refusal | undefined {
	if (isEmpty(mobile)) return refuse(RESP.mobileEmpty, 'mobile empty');
	if (!MOBILE.test(mobile)) return refuse(RESP.illegalMobile, `illegal mobile number "${mobile}"`);
	return undefined;
}

export function isRefusal(value: object): value is Refusal {
	return 'respCode' in value;
}
