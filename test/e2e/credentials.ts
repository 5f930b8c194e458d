/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tool code: writes import files for the n8n app's command line */
/**
 * The UCPaaS API credential the workflows use, as an `n8n import:credentials` file. In n8n 2.41
 * (commands/import/credentials.js) the file is an array; a `data` given as an object is encrypted
 * with the instance's key on import, so the file holds the fake sandbox token in clear and lives
 * only in the throwaway user folder. The `id` is fixed so the workflow fixtures can name it, and
 * the credential goes to the instance owner's personal project (the owner row exists from the
 * first migration on, before anyone sets it up).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { DEFAULT_ACCOUNT } from '../../sandbox';

export const CREDENTIAL_ID = 'ucpaasE2eSandbox';
export const CREDENTIAL_NAME = 'UCPaaS sandbox (e2e)';
export const CREDENTIAL_TYPE = 'ucpaasApi';

export interface UcpaasCredentialData {
	accountSid: string;
	authToken: string;
	appId: string;
	baseUrl: string;
	[key: string]: string;
}

export function sandboxCredentialData(sandboxUrl: string, overrides: Partial<UcpaasCredentialData> = {}): UcpaasCredentialData {
	return {
		accountSid: DEFAULT_ACCOUNT.accountSid,
		authToken: DEFAULT_ACCOUNT.authToken,
		appId: DEFAULT_ACCOUNT.appId,
		baseUrl: sandboxUrl,
		...overrides,
	};
}

/** Writes the import file into `folder` and returns its path. */
export function writeCredentialImport(folder: string, sandboxUrl: string): string {
	const file = path.join(folder, 'credentials.json');
	const credentials = [{ id: CREDENTIAL_ID, name: CREDENTIAL_NAME, type: CREDENTIAL_TYPE, data: sandboxCredentialData(sandboxUrl) }];
	writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
	return file;
}
