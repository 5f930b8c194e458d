import type {
	IAuthenticateRuleResponseSuccessBody,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { DEFAULT_BASE_URL } from '../nodes/shared/baseUrl';
import { accountPath, ENDPOINTS } from '../nodes/shared/endpoints';
import { RESP_CODES, SUCCESS_CODE, type RespCodeInfo } from '../nodes/shared/respCodes';
import { signRequestOptions } from '../nodes/shared/signRequestOptions';

/** What the credential modal shows: the code, what it means, what to check, and the vendor's text. */
function testFailureMessage(code: string, info: RespCodeInfo): string {
	return `UCPaaS refused the credentials: ${code} ${info.en}. ${info.hint ?? 'Check the Account SID, Auth Token and Base URL.'} (UCPaaS: "${info.zh}")`;
}

/**
 * n8n's test rules can only say "fail when this key equals that value". So every documented
 * failure code gets its own readable rule, and a last rule fails any reply that lacks the
 * account object only a successful (000000) answer carries.
 */
const testRules: IAuthenticateRuleResponseSuccessBody[] = [
	...Object.entries(RESP_CODES)
		.filter(([code]) => code !== SUCCESS_CODE)
		.map(([code, info]) => ({
			type: 'responseSuccessBody' as const,
			properties: { key: 'resp.respCode', value: code, message: testFailureMessage(code, info) },
		})),
	{
		type: 'responseSuccessBody',
		properties: { key: 'resp.account', value: undefined, message: 'UCPaaS did not confirm the account: check the Base URL, Account SID and Auth Token' },
	},
];

export class UcpaasApi implements ICredentialType {
	name = 'ucpaasApi';

	displayName = 'UCPaaS API';

	documentationUrl = 'https://github.com/n8n-nodes-ucpaas/n8n-nodes-ucpaas/blob/main/docs/credentials.md#fields';

	icon: Icon = { light: 'file:../icons/ucpaas.svg', dark: 'file:../icons/ucpaas.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName: 'Account SID',
			name: 'accountSid',
			type: 'string',
			default: '',
			required: true,
			placeholder: '32 letters and digits',
			description: 'The main account ID (console: 开发者账号 / Account Sid) from the UCPaaS console overview',
		},
		{
			displayName: 'Auth Token',
			name: 'authToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The account token (Auth Token) from the UCPaaS console overview. It signs each request and is never sent.',
		},
		{
			displayName: 'Default App ID',
			name: 'appId',
			type: 'string',
			default: '',
			placeholder: 'Optional: 32 characters',
			description: 'The application (console: 应用管理) used when a node leaves its App ID empty',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			description: 'Leave as is for the real platform. Plain http is accepted only for localhost, e.g. the local UCPaaS sandbox.',
		},
	];

	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => signRequestOptions(credentials, requestOptions);

	test: ICredentialTestRequest = {
		// The account itself: read-only, no call, no cost, and it fails on every credential problem.
		request: {
			baseURL: `={{$credentials.baseUrl || "${DEFAULT_BASE_URL}"}}`,
			url: `=${accountPath('{{$credentials.accountSid.trim()}}', ENDPOINTS.accountInfo)}`,
			method: ENDPOINTS.accountInfo.method,
			headers: { Accept: 'application/json' },
		},
		rules: testRules,
	};
}
