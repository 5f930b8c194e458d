/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tool code: keeps npm run dev's n8n user folder on disk */
/**
 * The n8n user folder of `npm run dev`, kept in the cache between runs so that the workflows and
 * credentials a user made survive a restart. Beside n8n's own files it holds `dev-state.json`
 * (mode 0600): the owner's login and the encryption key the credentials are stored under, both
 * made on the first run. One folder per n8n version: a newer n8n migrates the database, and an
 * older one cannot open it again.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { KeptUserFolder } from '../../test/e2e/n8nInstance';
import { cacheRoot } from '../../test/e2e/nodeRuntime';

export interface Owner {
	email: string;
	firstName: string;
	lastName: string;
	password: string;
}

export interface DevState extends KeptUserFolder {
	owner: Owner;
}

const STATE_FILE = 'dev-state.json';

export function defaultUserFolder(n8nVersion: string): string {
	return path.join(cacheRoot(), 'dev', `n8n-${n8nVersion}`);
}

/** The folder's state, made on first use; `fresh` removes the folder first. */
export function openUserFolder(userFolder: string, fresh: boolean): DevState & { created: boolean } {
	if (fresh) rmSync(userFolder, { recursive: true, force: true, maxRetries: 3 });
	mkdirSync(userFolder, { recursive: true });
	const file = path.join(userFolder, STATE_FILE);
	if (existsSync(file)) {
		const saved = JSON.parse(readFileSync(file, 'utf8')) as Omit<DevState, 'userFolder'>;
		return { ...saved, userFolder, created: false };
	}
	const state: Omit<DevState, 'userFolder'> = {
		// n8n wants 8–64 characters with a digit and a capital; random, since the folder outlives the run.
		owner: { email: 'dev@n8n-nodes-ucpaas.test', firstName: 'Dev', lastName: 'Owner', password: `Dev1-${randomBytes(9).toString('base64url')}` },
		encryptionKey: randomBytes(24).toString('hex'),
	};
	writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
	return { ...state, userFolder, created: true };
}
