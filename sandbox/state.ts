import { readableBeijing } from './beijingTime';
import { DEFAULT_ACCOUNT_BALANCE } from './defaults';
import type { IdSource } from './ids';
import type { AccountSeed, AccountStatus, SimulatedCall } from './types';

/**
 * Everything the platform would keep in its database, held in plain maps: each request touches
 * only its own entries, so hundreds in flight never wait on one another.
 */

export interface AccountState {
	accountSid: string;
	authToken: string;
	status: AccountStatus;
	balance: number;
	friendlyName: string;
	createDate: string;
}

export interface AppState {
	appId: string;
	accountSid: string;
	online: boolean;
	whitelist: Set<string>;
	pushUrl?: string;
}

export interface ClientState {
	clientNumber: string;
	clientPwd: string;
	appId: string;
	accountSid: string;
	mobile: string;
	friendlyName: string;
	balance: number;
	clientType: string;
	createDate: string;
}

export class SandboxState {
	readonly accounts = new Map<string, AccountState>();
	readonly apps = new Map<string, AppState>();
	readonly clients = new Map<string, ClientState>();
	/** appId → mobile → Client: a mobile is bound at most once per application. */
	private readonly clientsByMobile = new Map<string, Map<string, ClientState>>();
	readonly calls = new Map<string, SimulatedCall>();
	/** Public, append-only list of calls in the order they were placed. */
	readonly callList: SimulatedCall[] = [];
	/** `accountSid:to` → callId of the call still ringing or talking to that callee. */
	private readonly busyCallees = new Map<string, string>();

	constructor(
		seeds: AccountSeed[],
		private readonly ids: IdSource,
		created: Date,
	) {
		for (const seed of seeds) {
			this.accounts.set(seed.accountSid, {
				accountSid: seed.accountSid,
				authToken: seed.authToken,
				status: seed.status ?? 'active',
				balance: seed.balance ?? DEFAULT_ACCOUNT_BALANCE,
				friendlyName: seed.friendlyName ?? seed.accountSid,
				createDate: readableBeijing(created),
			});
			for (const app of seed.apps) {
				this.apps.set(app.appId, {
					appId: app.appId,
					accountSid: seed.accountSid,
					online: app.online ?? true,
					whitelist: new Set(app.whitelist ?? []),
					pushUrl: app.pushUrl,
				});
				for (const client of app.clients ?? []) {
					this.addClient({
						clientNumber: client.clientNumber,
						clientPwd: client.clientPwd ?? this.ids.hex(8),
						appId: app.appId,
						accountSid: seed.accountSid,
						mobile: client.mobile ?? '',
						friendlyName: client.friendlyName ?? '',
						balance: client.balance ?? 0,
						clientType: '0',
						createDate: readableBeijing(created),
					});
				}
			}
		}
	}

	/** Every auth token, so the recorder can make sure none is ever stored. */
	authTokens(): string[] {
		return [...this.accounts.values()].map((a) => a.authToken).filter((t) => t !== '');
	}

	clientByMobile(appId: string, mobile: string): ClientState | undefined {
		return this.clientsByMobile.get(appId)?.get(mobile);
	}

	createClient(init: Omit<ClientState, 'clientNumber' | 'clientPwd' | 'createDate'>, at: Date): ClientState {
		let clientNumber: string;
		// Retrying keeps numbers unique without giving up determinism: the PRNG sequence is fixed.
		do clientNumber = `6${this.ids.digits(13)}`;
		while (this.clients.has(clientNumber));
		const client: ClientState = { ...init, clientNumber, clientPwd: this.ids.hex(8), createDate: readableBeijing(at) };
		this.addClient(client);
		return client;
	}

	private addClient(client: ClientState): void {
		this.clients.set(client.clientNumber, client);
		if (client.mobile === '') return;
		let byMobile = this.clientsByMobile.get(client.appId);
		if (!byMobile) this.clientsByMobile.set(client.appId, (byMobile = new Map()));
		byMobile.set(client.mobile, client);
	}

	newCallId(): string {
		let callId: string;
		do callId = this.ids.hex(32);
		while (this.calls.has(callId));
		return callId;
	}

	calleeBusy(accountSid: string, to: string): boolean {
		return this.busyCallees.has(`${accountSid}:${to}`);
	}

	addCall(call: SimulatedCall): void {
		this.calls.set(call.callId, call);
		this.callList.push(call);
		this.busyCallees.set(`${call.accountSid}:${call.to}`, call.callId);
	}

	/** The callee may be called again once the call hangs up. */
	releaseCallee(call: SimulatedCall): void {
		const key = `${call.accountSid}:${call.to}`;
		if (this.busyCallees.get(key) === call.callId) this.busyCallees.delete(key);
	}
}
