/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tool code: temporary folders for one suite run */
/**
 * What every real-app suite starts from: a throwaway n8n instance (its own user folder) and a
 * folder to pack the package into. Both go with the run's cleanups, and the user folder is first
 * checked for processes still running in it, so a suite cannot leave n8n or a task runner behind.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { Cleanups } from './cleanups';
import { processesInside } from './hygieneChecks';
import type { N8nApp } from './n8nApp';
import { N8nInstance } from './n8nInstance';

export interface ThrowawayInstance {
	instance: N8nInstance;
	/** Where `npm pack` writes the tarball. */
	packDir: string;
}

export async function throwawayInstance(app: N8nApp, cleanups: Cleanups): Promise<ThrowawayInstance> {
	const instance = await N8nInstance.create(app);
	cleanups.push(() => {
		const left = processesInside(instance.userFolder);
		instance.dispose();
		if (left.length) throw new Error(`processes still running in the user folder: ${left.join(', ')}`);
	});
	const packDir = mkdtempSync(path.join(tmpdir(), 'n8n-nodes-ucpaas-pack-'));
	cleanups.push(() => rmSync(packDir, { recursive: true, force: true }));
	return { instance, packDir };
}
