/**
 * What a user of `npm run dev` finds in the editor without clicking: the owner account (set up
 * on the first run, when GET /rest/settings says the instance has none; signed in with on every
 * run) and a UCPaaS credential pointing at this run's sandbox. The credential is found by its
 * name and reset to the sandbox's values on every start, since the sandbox's port may change
 * between runs; other credentials are left alone.
 * REST calls as test/e2e/restClient.ts describes them for n8n 2.41; POST /rest/credentials
 * {name, type, data} creates one, PATCH /rest/credentials/:id with the same fields replaces it.
 */
import { CREDENTIAL_TYPE, sandboxCredentialData } from '../../test/e2e/credentials';
import { N8nRestClient } from '../../test/e2e/restClient';
import type { Owner } from './userFolder';

export const DEV_CREDENTIAL_NAME = 'UCPaaS sandbox (npm run dev)';

/** Sets the owner up if this instance has none yet, and signs in. */
export async function signInOwner(url: string, owner: Owner): Promise<N8nRestClient> {
	const rest = new N8nRestClient(url);
	const settings = await rest.request<{ data?: { userManagement?: { showSetupOnFirstLoad?: boolean } } }>('GET', '/rest/settings');
	if (settings.body.data?.userManagement?.showSetupOnFirstLoad) {
		const setup = await rest.request('POST', '/rest/owner/setup', owner);
		if (setup.status !== 200) throw new Error(`POST /rest/owner/setup answered ${setup.status}: ${setup.text.slice(0, 200)}`);
		rest.forgetCookie();
	}
	const login = await rest.request('POST', '/rest/login', { emailOrLdapLoginId: owner.email, password: owner.password });
	if (login.status !== 200) {
		throw new Error(`signing in as ${owner.email} failed (${login.status}); if the password was changed in n8n, run again with --fresh (a new user folder)`);
	}
	return rest;
}

interface CredentialEntry {
	id: string;
	name: string;
	type: string;
}

/** Creates or resets the sandbox credential called `name`; returns its id and whether it was made now. */
export async function upsertSandboxCredential(rest: N8nRestClient, sandboxUrl: string, name = DEV_CREDENTIAL_NAME): Promise<{ id: string; created: boolean }> {
	const body = { name, type: CREDENTIAL_TYPE, data: sandboxCredentialData(sandboxUrl) };
	const list = await rest.request<{ data?: CredentialEntry[] }>('GET', '/rest/credentials');
	if (list.status !== 200) throw new Error(`GET /rest/credentials answered ${list.status}`);
	const existing = (list.body.data ?? []).find((c) => c.name === name && c.type === CREDENTIAL_TYPE);
	const reply = existing
		? await rest.request<{ data?: { id?: string } }>('PATCH', `/rest/credentials/${existing.id}`, body)
		: await rest.request<{ data?: { id?: string } }>('POST', '/rest/credentials', body);
	const id = reply.body.data?.id ?? existing?.id;
	if (reply.status !== 200 || !id) throw new Error(`${existing ? 'PATCH' : 'POST'} /rest/credentials answered ${reply.status}`);
	return { id, created: !existing };
}
