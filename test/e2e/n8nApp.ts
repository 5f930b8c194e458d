/* eslint-disable @n8n/community-nodes/no-restricted-imports, no-console, @n8n/community-nodes/require-node-api-error -- tool code: installs the n8n app a suite runs from the command line; its errors are for the person running it, not a node */
/**
 * The n8n app a suite runs, one cache folder per version (`<cache>/n8n-<version>`), installed on
 * first use with the Node its line needs (n8nVersions.ts, n8nInstall.ts). A complete install has
 * a marker file, written only after the last step succeeded; without it, each step checks what is
 * there and does only what is missing.
 *
 * `ensureN8nApp()` is the newest pinned line; `ensureN8nApp('1.123.81')` any version from the
 * minimum on; `ensureN8nApp('newest')` the newest n8n on the registry that installs here, saying
 * which newer ones could not be installed and why.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { diskUsage, ensureNativeModules, gigabytes, InstallRefused, installedVersion, npmInstallN8n, recentRefusal } from './n8nInstall';
import { compareVersions, NEWEST_PINNED, NEWEST_REQUEST, parseVersion, profileFor, type N8nProfile } from './n8nVersions';
import { cacheRoot, ensureNode, majorOf, type NodeRuntime } from './nodeRuntime';
import { cleanEnv, npmCacheEnv, runOrThrow } from './processes';

/** The newest pinned line: what a suite runs when it asks for no version. */
export const N8N_VERSION = NEWEST_PINNED;

const MARKER = '.e2e-install-complete.json';

export interface N8nApp {
	version: string;
	/** The install folder (package.json, node_modules). */
	dir: string;
	/** node_modules/n8n/bin/n8n, run with `runtime.node`. */
	bin: string;
	/** node_modules/n8n/dist, for reading the app's own source. */
	dist: string;
	runtime: NodeRuntime;
	/** What differs on this version's line (n8nVersions.ts). */
	profile: N8nProfile;
	/** Asked for the newest: the newer versions that could not be installed here, and why. */
	notInstallable?: Array<{ version: string; reason: string }>;
}

interface Marker {
	n8n?: string;
	node?: string;
	installSeconds?: number;
	bytes?: number;
	completedAt?: string;
}

const appDir = (version: string) => path.join(cacheRoot(), `n8n-${version}`);
const markerOf = (version: string) => path.join(appDir(version), MARKER);

function readMarker(version: string): Marker | undefined {
	try {
		return JSON.parse(readFileSync(markerOf(version), 'utf8')) as Marker;
	} catch {
		return undefined;
	}
}

/** When a remembered refusal was found, and how to try again before a day has passed. */
const refusalAge = (refusal: { at: string; file: string }) => `found ${refusal.at}; tried again after a day, or at once if ${refusal.file} is deleted`;

/** Whether `version` is installed, complete, in the cache (for any Node). */
export function isInstalled(version: string): boolean {
	return readMarker(version)?.n8n === version && installedVersion(appDir(version)) === version;
}

async function installVersion(version: string): Promise<N8nApp> {
	const profile = profileFor(version);
	const node = await ensureNode(profile.nodeMajor);
	const dir = appDir(version);
	const app: N8nApp = {
		version,
		dir,
		bin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		dist: path.join(dir, 'node_modules', 'n8n', 'dist'),
		runtime: node,
		profile,
	};
	const marker = readMarker(version);
	if (isInstalled(version)) {
		if (majorOf(marker?.node ?? '0') === profile.nodeMajor) {
			console.log(`n8n: using the cached n8n ${version} in ${dir}`);
			return app;
		}
		console.log(`n8n: the cached install was built for Node ${marker?.node ?? '?'}; checking it for Node ${node.version}`);
	}

	// The figures of a cold install: npm install and the native builds, and the folder's size after them.
	const started = Date.now();
	let figures = { installSeconds: marker?.installSeconds, bytes: marker?.bytes };
	const cold = installedVersion(dir) !== version;
	if (cold) await npmInstallN8n(dir, profile, node);
	else console.log(`n8n: n8n ${version} is already installed in ${dir}`);
	await ensureNativeModules(dir, node);
	if (cold) {
		figures = { installSeconds: Math.round((Date.now() - started) / 1000), bytes: await diskUsage(dir) };
		console.log(`n8n: n8n ${version} ready in ${figures.installSeconds} s (npm install and native modules), ${gigabytes(figures.bytes)}`);
	}
	const complete: Marker = { n8n: version, node: node.version, ...figures, completedAt: new Date().toISOString() };
	writeFileSync(markerOf(version), `${JSON.stringify(complete, null, 2)}\n`);
	return app;
}

/** Release versions of n8n on the registry from `floor` up to npm `latest`, newest first, and `latest` itself. */
async function registryVersions(floor: string): Promise<{ latest: string; candidates: string[] }> {
	const result = await runOrThrow('npm', ['view', 'n8n', 'versions', 'dist-tags', '--json'], { env: cleanEnv(npmCacheEnv()), timeoutMs: 120_000 });
	const info = JSON.parse(result.stdout) as { versions: string[]; 'dist-tags': { latest: string } };
	const latest = info['dist-tags'].latest;
	const candidates = info.versions
		.filter((v) => parseVersion(v) && compareVersions(v, floor) >= 0 && compareVersions(v, latest) <= 0)
		.sort((a, b) => compareVersions(b, a));
	return { latest, candidates };
}

/**
 * The newest n8n that installs here: npm `latest` first, then each older release down to the
 * newest pinned line. A version refused earlier today is skipped with its reason; a refusal now is
 * printed and remembered.
 */
async function installNewest(): Promise<N8nApp> {
	const { latest, candidates } = await registryVersions(NEWEST_PINNED);
	console.log(`n8n: the newest n8n on the registry is ${latest} (npm latest)`);
	const refused: Array<{ version: string; reason: string }> = [];
	for (const version of candidates) {
		if (!isInstalled(version)) {
			const earlier = recentRefusal(version);
			if (earlier) {
				console.log(`n8n: NOT INSTALLABLE: n8n ${version}: ${earlier.reason} (${refusalAge(earlier)})`);
				refused.push({ version, reason: earlier.reason });
				continue;
			}
		}
		try {
			const app = await installVersion(version);
			if (refused.length) console.log(`n8n: using n8n ${version}, the newest that installs here (not installable: ${refused.map((r) => r.version).join(', ')})`);
			return { ...app, notInstallable: refused };
		} catch (error) {
			if (!(error instanceof InstallRefused)) throw error;
			console.log(`n8n: NOT INSTALLABLE: ${error.message}`);
			refused.push({ version, reason: error.reason });
		}
	}
	throw new Error(`no n8n from ${NEWEST_PINNED} to ${latest} installs here (${refused.map((r) => r.version).join(', ')}); see the lines above`);
}

/** The app for `request`: a version, `newest`, or nothing (the newest pinned line). */
export async function ensureN8nApp(request?: string): Promise<N8nApp> {
	if (request === undefined) return await installVersion(NEWEST_PINNED);
	if (request === NEWEST_REQUEST) return await installNewest();
	const earlier = isInstalled(request) ? undefined : recentRefusal(request);
	if (earlier) throw new InstallRefused(request, `${earlier.reason} (${refusalAge(earlier)})`);
	return await installVersion(request);
}

/** The install's figures recorded by the marker: how long the cold install took (npm install and native modules) and the disk it takes. */
export function installFigures(app: N8nApp): { installSeconds?: number; bytes?: number } {
	const marker = readMarker(app.version);
	return { installSeconds: marker?.installSeconds, bytes: marker?.bytes };
}
