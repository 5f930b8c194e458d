/* eslint-disable @n8n/community-nodes/no-restricted-imports, no-console -- tool code: installs n8n apps from npm into the cache from the command line */
/**
 * The npm side of installing one n8n version into its cache folder:
 *   1. `npm install --ignore-scripts n8n@<version>` with the profile's `overrides` in the folder's
 *      package.json (1.8–2.9 GB, 4–7 minutes). Install scripts stay off: several of n8n's optional
 *      native modules fail to build and none is needed here.
 *   2. The native modules the app loads, checked under the Node it runs on and built from source
 *      (against that Node's own headers) only when they do not load: sqlite3 (its database), and
 *      isolated-vm where the line has it (1.123.x's `vm` expression engine; its package ships
 *      prebuilt binaries for Node 22 and 24, so a build is a fallback).
 * A version npm cannot install here (a dependency missing from the registry, a tarball on a host
 * that is not reachable) fails in seconds to minutes with one sentence saying why; the whole npm
 * output goes to install.log, and the refusal is remembered for a day so that asking for the
 * newest version does not try it again on every run.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { N8nProfile } from './n8nVersions';
import { cacheRoot, type NodeRuntime } from './nodeRuntime';
import { cleanEnv, npmCacheEnv, runCommand, runOrThrow } from './processes';

/** npm could not install this version from the registry reachable here. */
export class InstallRefused extends Error {
	constructor(
		readonly version: string,
		readonly reason: string,
	) {
		super(`n8n ${version} cannot be installed from the npm registry reachable here: ${reason}`);
	}
}

/** npm and node-gyp with the app's Node first on PATH and its headers as nodedir (a user .npmrc may point elsewhere). */
export function npmEnv(runtime: NodeRuntime): NodeJS.ProcessEnv {
	return cleanEnv({ PATH: runtime.path, npm_config_nodedir: runtime.nodeDir, npm_config_update_notifier: 'false', ...npmCacheEnv() });
}

/** The one-sentence reason in npm's error output (`npm error code …` and its explanation) for installing n8n@`version`. */
export function npmFailureReason(output: string, version: string): string {
	const lines = output.split('\n').map((line) => line.replace(/^npm (error|ERR!) ?/, '').trim());
	const code = /^code (\S+)/.exec(lines.find((line) => /^code \S+/.test(line)) ?? '')?.[1];
	if (code === 'ETARGET') {
		const wanted = /No matching version found for (\S+?)\.?$/.exec(lines.find((line) => line.includes('No matching version found for')) ?? '')?.[1];
		if (wanted === `n8n@${version}`) return `the registry has no n8n ${version} (npm ETARGET)`;
		return `it needs ${wanted ?? 'a package version'}, which the registry does not have (npm ETARGET)`;
	}
	if (code === 'E404') {
		const what = /'(.+?)' is not in this registry|'(.+?)' could not be found/.exec(output);
		return `${what?.[1] ?? what?.[2] ?? 'a package it needs'} is not on the registry (npm E404)`;
	}
	if (code && /^(ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|ECONNRESET)$/.test(code)) {
		const host = /(?:getaddrinfo \S+|connect \S+|request to) (\S+)/.exec(output)?.[1];
		return `a dependency is fetched from ${host ?? 'a host'} that is not reachable (npm ${code})`;
	}
	const last = lines.filter((line) => line && !/^(A complete log|code |errno |syscall )/.test(line)).slice(-2).join(' ');
	return `npm failed${code ? ` (${code})` : ''}: ${last.slice(0, 300)}`;
}

interface Refusals {
	[version: string]: { reason: string; at: string };
}

const REFUSALS_FILE = () => path.join(cacheRoot(), 'uninstallable-n8n.json');
const REFUSAL_TTL_MS = 24 * 60 * 60_000;

function readRefusals(): Refusals {
	try {
		return JSON.parse(readFileSync(REFUSALS_FILE(), 'utf8')) as Refusals;
	} catch {
		return {};
	}
}

/** The reason `version` could not be installed, when that was found out less than a day ago. */
export function recentRefusal(version: string): { reason: string; at: string; file: string } | undefined {
	const entry = readRefusals()[version];
	if (!entry || Date.now() - Date.parse(entry.at) > REFUSAL_TTL_MS) return undefined;
	return { ...entry, file: REFUSALS_FILE() };
}

function rememberRefusal(version: string, reason: string): void {
	mkdirSync(cacheRoot(), { recursive: true });
	writeFileSync(REFUSALS_FILE(), `${JSON.stringify({ ...readRefusals(), [version]: { reason, at: new Date().toISOString() } }, null, 2)}\n`);
}

export function installedVersion(dir: string): string | undefined {
	try {
		return (JSON.parse(readFileSync(path.join(dir, 'node_modules', 'n8n', 'package.json'), 'utf8')) as { version?: string }).version;
	} catch {
		return undefined;
	}
}

/** Bytes of disk `dir` takes (du, blocks rather than file lengths), for the line that reports what an install cost. */
export async function diskUsage(dir: string): Promise<number | undefined> {
	const result = await runCommand('du', ['-s', '-B1', dir], { env: cleanEnv(), timeoutMs: 120_000 });
	const bytes = Number(result.stdout.split(/\s/)[0]);
	return result.code === 0 && Number.isFinite(bytes) ? bytes : undefined;
}

export const gigabytes = (bytes: number | undefined): string => (bytes === undefined ? '? GB' : `${(bytes / 1e9).toFixed(1)} GB`);

/** Step 1: `npm install n8n@<version>` into `dir`. Throws InstallRefused when the registry cannot provide it. */
export async function npmInstallN8n(dir: string, profile: N8nProfile, runtime: NodeRuntime): Promise<void> {
	const fresh = !existsSync(dir);
	mkdirSync(dir, { recursive: true });
	const packageJson = path.join(dir, 'package.json');
	const manifest = existsSync(packageJson) ? (JSON.parse(readFileSync(packageJson, 'utf8')) as Record<string, unknown>) : { name: 'n8n-app-cache', private: true };
	if (Object.keys(profile.installOverrides).length) manifest.overrides = profile.installOverrides;
	else delete manifest.overrides;
	writeFileSync(packageJson, `${JSON.stringify(manifest, null, 2)}\n`);

	const overrides = Object.entries(profile.installOverrides).map(([name, version]) => `${name} → ${version}`);
	console.log(`n8n: installing n8n@${profile.version} into ${dir}${overrides.length ? ` (overrides: ${overrides.join(', ')})` : ''}: 1.8–2.9 GB, 4–7 minutes`);
	const result = await runCommand('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--save-exact', `n8n@${profile.version}`], {
		cwd: dir,
		env: npmEnv(runtime),
		timeoutMs: 30 * 60_000,
		heartbeat: `npm install n8n@${profile.version}`,
	});
	const log = `${result.stdout}\n${result.stderr}`;
	if (result.code !== 0) {
		const reason = npmFailureReason(log, profile.version);
		// A refusal leaves nothing worth keeping; a folder that held an older install keeps its log.
		if (fresh || !installedVersion(dir)) rmSync(dir, { recursive: true, force: true });
		else writeFileSync(path.join(dir, 'install.log'), log);
		// Only the registry's answer is remembered; a network fault is tried again next time.
		if (!/not reachable/.test(reason)) rememberRefusal(profile.version, reason);
		throw new InstallRefused(profile.version, reason);
	}
	writeFileSync(path.join(dir, 'install.log'), log);
	console.log(`n8n: npm install n8n@${profile.version} took ${Math.round(result.ms / 1000)} s`);
}

interface NativeModule {
	name: string;
	/** Exits 0 when the module loads and works under the Node running it. */
	probe: string;
}

const NATIVE_MODULES: NativeModule[] = [
	{
		name: 'sqlite3',
		probe: "const s=require('sqlite3');const d=new s.Database(':memory:');d.get('select sqlite_version() v',(e,r)=>{if(e)process.exit(1);console.log(r.v);d.close();});",
	},
	{
		name: 'isolated-vm',
		probe: "const ivm=require('isolated-vm');const i=new ivm.Isolate({memoryLimit:16});const v=i.compileScriptSync('6*7').runSync(i.createContextSync());if(v!==42)process.exit(1);console.log(v);",
	},
];

async function loads(dir: string, runtime: NodeRuntime, module: NativeModule): Promise<boolean> {
	const result = await runCommand(runtime.node, ['-e', module.probe], { cwd: dir, env: cleanEnv(), timeoutMs: 30_000 });
	return result.code === 0;
}

/** Step 2: every native module of NATIVE_MODULES the install has loads under `runtime`, built from source if needed. */
export async function ensureNativeModules(dir: string, runtime: NodeRuntime): Promise<void> {
	for (const module of NATIVE_MODULES) {
		if (!existsSync(path.join(dir, 'node_modules', module.name, 'package.json'))) continue;
		if (await loads(dir, runtime, module)) {
			console.log(`n8n: ${module.name} loads under Node ${runtime.version}`);
			continue;
		}
		console.log(`n8n: building ${module.name} from source for Node ${runtime.version} (a minute or more)`);
		const result = await runOrThrow('npm', ['rebuild', module.name, '--build-from-source', '--ignore-scripts=false', '--foreground-scripts=false'], {
			cwd: dir,
			env: npmEnv(runtime),
			timeoutMs: 20 * 60_000,
			heartbeat: `npm rebuild ${module.name}`,
		});
		writeFileSync(path.join(dir, `rebuild-${module.name}.log`), `${result.stdout}\n${result.stderr}`);
		if (!(await loads(dir, runtime, module))) throw new Error(`${module.name} was rebuilt but still does not load under Node ${runtime.version}; see ${dir}/rebuild-${module.name}.log`);
		console.log(`n8n: ${module.name} built in ${Math.round(result.ms / 1000)} s`);
	}
}
