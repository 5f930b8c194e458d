import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { chooseAppId } from '../../shared/appId';
import { field, InvalidFieldError, normaliseAppId } from '../../shared/validation';
import type { UcpaasAccount } from '../transport/credential';

/** The App ID parameter of an operation: empty means the credential's default. */
export function appIdProperty(operations: string[], purpose: string): INodeProperties {
	return {
		displayName: 'App ID',
		name: 'appId',
		type: 'string',
		default: '',
		placeholder: "Leave empty for the credential's default",
		description: `The UCPaaS application that ${purpose}: its 32-character ID (console: 应用管理). Leave empty to use the Default App ID of the credential.`,
		displayOptions: { show: { operation: operations } },
	};
}

/** The item's application: the node's App ID, else the credential's; a call cannot go without one. */
export function readAppId(this: IExecuteFunctions, itemIndex: number, account: UcpaasAccount): string {
	const chosen = chooseAppId(this.getNodeParameter('appId', itemIndex, ''), account.appId);
	if (chosen.appId === '') {
		throw new InvalidFieldError(field('App ID', 'appId'), "is empty, and the credential has no Default App ID: enter the application's 32-character ID (console: 应用管理)");
	}
	return normaliseAppId(chosen.appId, chosen.field);
}
