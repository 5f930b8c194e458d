import { RESP } from '../respCodes';
import type { EndpointContext, EndpointResult } from './context';

/** GET /Accounts/{sid}: read-only, which is why credentials are tested with it. */
export function accountInfo(ctx: EndpointContext): EndpointResult {
	const { account } = ctx;
	return {
		respCode: RESP.ok,
		payload: {
			account: {
				friendlyName: account.friendlyName,
				// Our guesses at the platform's enumerations: 0 = ordinary developer account, 1 = active.
				type: '0',
				status: '1',
				balance: String(account.balance),
				createDate: account.createDate,
			},
		},
	};
}
