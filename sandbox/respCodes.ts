/**
 * The respCodes the sandbox answers, named so handlers read as prose. Texts follow the platform's
 * table; the project's full table lives with the node, this is only what the stand-in needs.
 */
export const RESP = {
	ok: '000000',
	notInteger: '100000',
	insufficientBalance: '100001',
	illegalNumber: '100002',
	emptyValue: '100003',
	wrongEnum: '100004',
	illegalMobile: '100006',
	noData: '100007',
	mobileEmpty: '100008',
	valueTooLong: '100020',
	cancelFailed: '100108',
	internalError: '100699',
	authorizationEmpty: '101100',
	authorizationNotBase64: '101101',
	authorizationSidEmpty: '101102',
	authorizationTsEmpty: '101103',
	authorizationMalformed: '101104',
	sidIllegalChars: '101105',
	timestampExpired: '101106',
	wrongSoftVersion: '101107',
	accountClosed: '101108',
	accountNotActivated: '101109',
	accountLocked: '101110',
	accountUnknown: '101111',
	accountSidEmpty: '101112',
	sidMismatch: '101113',
	sigEmpty: '101114',
	sigMismatch: '101116',
	appIdEmpty: '102100',
	appIdIllegal: '102101',
	appUnknown: '102102',
	testAppMayNotCreateClients: '102104',
	appNotThisAccount: '102105',
	clientNotThisAccount: '103107',
	mobileAlreadyBound: '103114',
	clientNotInApp: '103119',
	notWhitelisted: '103126',
	callerClientEmpty: '104100',
	callerClientNotBound: '104101',
	illegalDisplayNumber: '104103',
	calleeBusy: '104113',
	callerIsCallee: '104130',
	callIdEmpty: '104132',
} as const;

export interface Refusal {
	respCode: string;
	reason: string;
}

export function refuse(respCode: string, reason: string): Refusal {
	return { respCode, reason };
}
