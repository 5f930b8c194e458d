import { field, readText, type FieldName } from './validation';

const NODE_APP_ID = field('App ID', 'appId');
const CREDENTIAL_APP_ID = field('Default App ID of the credential', 'appId');

export interface ChosenAppId {
	/** Trimmed, not yet checked; empty when neither the node nor the credential names one. */
	appId: string;
	/** Where it came from, so a malformed value is reported against the field the user must fix. */
	field: FieldName;
}

/**
 * The one rule for which UCPaaS application a node works with: the node's own App ID wins, the
 * credential's Default App ID fills in. The caller decides what "none" means (a call needs an
 * application, the trigger then accepts any) and checks the format with normaliseAppId.
 */
export function chooseAppId(fromNode: unknown, fromCredential: unknown): ChosenAppId {
	const own = readText(fromNode, NODE_APP_ID);
	if (own !== '') return { appId: own, field: NODE_APP_ID };
	return { appId: readText(fromCredential ?? '', CREDENTIAL_APP_ID), field: CREDENTIAL_APP_ID };
}
