import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { DEFAULT_ACCOUNT, type Sandbox } from '../../sandbox';

/** Credential data for the sandbox's seeded account. */
export function sandboxCredentials(sandbox: Sandbox, overrides: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject {
	return {
		accountSid: DEFAULT_ACCOUNT.accountSid,
		authToken: DEFAULT_ACCOUNT.authToken,
		appId: DEFAULT_ACCOUNT.appId,
		baseUrl: sandbox.url,
		...overrides,
	};
}

/** Everything a run exposed to the user or a log, as one string, to scan for the token. */
export function everythingShown(value: unknown): string {
	const seen = new WeakSet<object>();
	return JSON.stringify(value, (_key, inner: unknown) => {
		if (inner instanceof Error) {
			return { ...inner, message: inner.message, stack: inner.stack, description: (inner as { description?: unknown }).description };
		}
		if (typeof inner === 'object' && inner !== null) {
			if (seen.has(inner)) return '[circular]';
			seen.add(inner);
		}
		return inner;
	});
}
