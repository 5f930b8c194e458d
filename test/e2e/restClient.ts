/**
 * The few REST calls the editor makes that the e2e checks need, as n8n 2.41 defines them:
 *   - POST /rest/owner/setup {email, firstName, lastName, password} (controllers/owner.controller.js,
 *     @n8n/api-types OwnerSetupRequestDto: password 8–64 characters with a digit and a capital);
 *   - POST /rest/login {emailOrLdapLoginId, password} (controllers/auth.controller.js): sets the
 *     `n8n-auth` cookie. The JWT remembers the `browser-id` header, and every later request must
 *     send the same one (auth/auth.service.js validateBrowserId), as the editor does;
 *   - GET /rest/credentials/:id?includeData=true: the credential as the editor shows it, secrets
 *     replaced by CREDENTIAL_BLANKING_VALUE;
 *   - POST /rest/credentials/test {credentials: {id, name, type, data}}
 *     (credentials/credentials.controller.js, TestCredentialRequestDto): the stored credential must
 *     exist, and blanked values in `data` are filled from it (credentials.service.js unredact);
 *   - GET /types/nodes.json and /types/credentials.json: behind the auth cookie in 2.41 (server.js
 *     protectTypeFiles; from 1.120 on, n8nVersions.ts TYPE_FILES_NEED_LOGIN); icons under
 *     /icons/<package>/… stay public.
 * The same routes and bodies hold on 1.85.3, 1.123.81 and 2.0.3 (controllers/owner.controller.js,
 * auth.controller.js, credentials/credentials.controller.js of each); what differs by line is in
 * n8nVersions.ts.
 * Replies are wrapped as `{ data }`.
 */
import { randomUUID } from 'node:crypto';

export interface HttpReply<T> {
	status: number;
	contentType: string;
	body: T;
	text: string;
}

export class N8nRestClient {
	private cookie = '';

	private readonly browserId = randomUUID();

	constructor(readonly baseUrl: string) {}

	async request<T = unknown>(method: string, path: string, body?: unknown): Promise<HttpReply<T>> {
		const headers: Record<string, string> = { 'browser-id': this.browserId, accept: 'application/json' };
		if (this.cookie) headers.cookie = this.cookie;
		if (body !== undefined) headers['content-type'] = 'application/json';
		const response = await fetch(`${this.baseUrl}${path}`, {
			method,
			headers,
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(30_000),
		});
		const auth = response.headers
			.getSetCookie()
			.map((line) => line.split(';')[0])
			.find((pair) => pair.startsWith('n8n-auth='));
		if (auth) this.cookie = auth;
		const text = await response.text();
		let parsed: unknown = text;
		try {
			parsed = JSON.parse(text);
		} catch {
			// not JSON: keep the text
		}
		return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: parsed as T, text };
	}

	get hasAuthCookie(): boolean {
		return this.cookie !== '';
	}

	forgetCookie(): void {
		this.cookie = '';
	}
}
