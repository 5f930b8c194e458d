/* eslint-disable @n8n/community-nodes/no-restricted-imports, no-console -- tool code: installs the pinned n8n app from the command line */
/**
 * The pinned n8n app, installed once into the cache folder. A complete install has a marker file,
 * written only after the last step succeeded; without it, each step checks what is there and
 * does only what is missing:
 *   1. `npm install --ignore-scripts n8n@<version>` (2.9 GB, 3–4 minutes). Install scripts stay
 *      off: several of n8n's optional native modules fail to build and none is needed here.
 *   2. `npm rebuild sqlite3 --build-from-source`: the one native module the app needs (its SQLite
 *      database), built for Node 24 against Node 24's own headers.
 */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

import { cacheRoot, type NodeRuntime } from './nodeRuntime';
import { cleanEnv, runCommand, runOrThrow } from './processes';

export const N8N_VERSION = '2.41.1';

const MARKER = '.e2e-install-complete.json';

export interface N8nApp {
	version: string;
	/** The install folder (package.json, node_modules). */
	dir: string;
	/** node_modules/n8n/bin/n8n, run with the Node 24 binary. */
	bin: string;
	/** node_modules/n8n/dist, for reading the app's own source. */
	dist: string;
	runtime: NodeRuntime;
}

function installedVersion(dir: string): string | undefined {
	try {
		return (JSON.parse(readFileSync(path.join(dir, 'node_modules', 'n8n', 'package.json'), 'utf8')) as { version?: string }).version;
	} catch {
		return undefined;
	}
}

/** npm and node-gyp with Node 24 first on PATH and its headers as nodedir (a user .npmrc may point elsewhere). */
function npmEnv(runtime: NodeRuntime): NodeJS.ProcessEnv {
	return cleanEnv({ PATH: runtime.path, npm_config_nodedir: runtime.nodeDir, npm_config_update_notifier: 'false' });
}

async function sqliteLoads(dir: string, runtime: NodeRuntime): Promise<boolean> {
	const probe = "const s=require('sqlite3');const d=new s.Database(':memory:');d.get('select sqlite_version() v',(e,r)=>{if(e)process.exit(1);console.log(r.v);d.close();});";
	const result = await runCommand(runtime.node, ['-e', probe], { cwd: dir, env: cleanEnv(), timeoutMs: 30_000 });
	return result.code === 0;
}

export async function ensureN8nApp(runtime: NodeRuntime): Promise<N8nApp> {
	const dir = path.join(cacheRoot(), `n8n-${N8N_VERSION}`);
	const app: N8nApp = {
		version: N8N_VERSION,
		dir,
		bin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		dist: path.join(dir, 'node_modules', 'n8n', 'dist'),
		runtime,
	};
	const marker = path.join(dir, MARKER);
	if (existsSync(marker) && installedVersion(dir) === N8N_VERSION) {
		const recorded = JSON.parse(readFileSync(marker, 'utf8')) as { node?: string };
		if (recorded.node?.split('.')[0] === runtime.version.split('.')[0]) {
			console.log(`n8n: using the cached n8n ${N8N_VERSION} in ${dir}`);
			return app;
		}
		console.log(`n8n: the cached install was built for Node ${recorded.node ?? '?'}; rebuilding for Node ${runtime.version}`);
	}

	mkdirSync(dir, { recursive: true });
	const packageJson = path.join(dir, 'package.json');
	if (!existsSync(packageJson)) writeFileSync(packageJson, `${JSON.stringify({ name: 'n8n-app-cache', private: true }, null, 2)}\n`);

	const found = installedVersion(dir);
	if (found === N8N_VERSION) {
		console.log(`n8n: n8n ${N8N_VERSION} is already installed in ${dir}`);
	} else {
		console.log(`n8n: installing n8n@${N8N_VERSION} into ${dir}${found ? ` (found ${found})` : ''}: about 2.9 GB, 3–4 minutes`);
		const result = await runOrThrow('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--save-exact', `n8n@${N8N_VERSION}`], {
			cwd: dir,
			env: npmEnv(runtime),
			timeoutMs: 20 * 60_000,
			heartbeat: `npm install n8n@${N8N_VERSION}`,
		});
		writeFileSync(path.join(dir, 'install.log'), `${result.stdout}\n${result.stderr}`);
		console.log(`n8n: installed in ${Math.round(result.ms / 1000)} s`);
	}

	if (await sqliteLoads(dir, runtime)) {
		console.log('n8n: sqlite3 already loads under this Node');
	} else {
		console.log(`n8n: building sqlite3 from source for Node ${runtime.version} (about a minute)`);
		const result = await runOrThrow('npm', ['rebuild', 'sqlite3', '--build-from-source', '--ignore-scripts=false', '--foreground-scripts=false'], {
			cwd: dir,
			env: npmEnv(runtime),
			timeoutMs: 15 * 60_000,
			heartbeat: 'npm rebuild sqlite3',
		});
		writeFileSync(path.join(dir, 'rebuild-sqlite3.log'), `${result.stdout}\n${result.stderr}`);
		if (!(await sqliteLoads(dir, runtime))) throw new Error(`sqlite3 was rebuilt but still does not load under Node ${runtime.version}; see ${dir}/rebuild-sqlite3.log`);
		console.log(`n8n: sqlite3 built in ${Math.round(result.ms / 1000)} s`);
	}

	writeFileSync(marker, `${JSON.stringify({ n8n: N8N_VERSION, node: runtime.version, completedAt: new Date().toISOString() }, null, 2)}\n`);
	return app;
}
