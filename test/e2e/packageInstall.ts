/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- tool code: builds, packs and installs the package for the n8n app from the command line */
/**
 * Builds and packs this package, then installs the tarball into `<user folder>/.n8n/nodes` the way
 * n8n 2.41's community-package installer does (modules/community-packages/
 * community-packages.service.js, downloadPackage):
 *   - the tarball is unpacked into `nodes/node_modules/<name>` (tar --strip-components=1);
 *   - devDependencies, peerDependencies and optionalDependencies are removed from its package.json,
 *     so npm cannot fetch a second n8n-workflow;
 *   - `npm install --audit=false --fund=false --bin-links=false --install-strategy=shallow
 *     --ignore-scripts=true --package-lock=false` runs inside the package folder (we add --offline:
 *     the package claims to have no runtime dependencies, so it must install with no network);
 *   - `nodes/package.json` (n8n's ledger) lists the package and its version.
 * At start-up n8n scans `nodes/node_modules/n8n-nodes-*` (n8n-core scanDirectoryForPackages).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';

import type { NodeRuntime } from './nodeRuntime';
import { cleanEnv, runOrThrow } from './processes';

export interface PackedPackage {
	name: string;
	version: string;
	tarball: string;
	files: string[];
}

interface PackageJson {
	name: string;
	version: string;
	dependencies?: Record<string, string>;
	devDependencies?: Record<string, string>;
	peerDependencies?: Record<string, string>;
	optionalDependencies?: Record<string, string>;
	[key: string]: unknown;
}

interface Ledger {
	name: string;
	private: boolean;
	dependencies: Record<string, string>;
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

/**
 * `npm run build`, then `npm pack` into `destination`.
 * While developing a test, UCPAAS_E2E_TARBALL may name a tarball packed earlier: it is used as it
 * is (nothing is rebuilt), so several suites can run beside each other without one rebuilding
 * dist/ under another. CI never sets it.
 */
export async function buildAndPack(repo: string, destination: string): Promise<PackedPackage> {
	const prebuilt = process.env.UCPAAS_E2E_TARBALL;
	if (prebuilt) return describeTarball(prebuilt);
	const build = await runOrThrow('npm', ['run', 'build'], { cwd: repo, env: cleanEnv(), timeoutMs: 5 * 60_000 });
	console.log(`package: built in ${(build.ms / 1000).toFixed(1)} s`);
	const pack = await runOrThrow('npm', ['pack', '--json', '--pack-destination', destination], { cwd: repo, env: cleanEnv(), timeoutMs: 2 * 60_000 });
	const [info] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as Array<{ name: string; version: string; filename: string; files: Array<{ path: string }> }>;
	const tarball = path.join(destination, info.filename);
	console.log(`package: packed ${info.filename} (${info.files.length} files)`);
	return { name: info.name, version: info.version, tarball, files: info.files.map((f) => f.path) };
}

async function describeTarball(tarball: string): Promise<PackedPackage> {
	const listing = await runOrThrow('tar', ['-tzf', tarball]);
	const files = listing.stdout.split('\n').filter((line) => line && !line.endsWith('/')).map((line) => line.replace(/^package\//, ''));
	const manifest = await runOrThrow('tar', ['-xzOf', tarball, 'package/package.json']);
	const { name, version } = JSON.parse(manifest.stdout) as PackageJson;
	console.log(`package: using the prebuilt ${tarball} (UCPAAS_E2E_TARBALL; nothing rebuilt)`);
	return { name, version, tarball, files };
}

export async function installLikeN8n(pkg: PackedPackage, nodesDir: string, runtime: NodeRuntime): Promise<string> {
	const packageDir = path.join(nodesDir, 'node_modules', pkg.name);
	mkdirSync(packageDir, { recursive: true });
	await runOrThrow('tar', ['-xzf', pkg.tarball, '-C', packageDir, '--strip-components=1']);

	const manifestPath = path.join(packageDir, 'package.json');
	const manifest = readJson<PackageJson>(manifestPath);
	for (const field of ['devDependencies', 'peerDependencies', 'optionalDependencies']) delete manifest[field];
	writeFileSync(manifestPath, JSON.stringify(manifest, null, 2), 'utf8');

	await runOrThrow(
		'npm',
		['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false', '--offline'],
		{ cwd: packageDir, env: cleanEnv({ PATH: runtime.path }), timeoutMs: 2 * 60_000 },
	);

	const ledgerPath = path.join(nodesDir, 'package.json');
	const ledger = existsSync(ledgerPath) ? readJson<Ledger>(ledgerPath) : { name: 'installed-nodes', private: true, dependencies: {} };
	ledger.dependencies = { ...ledger.dependencies, [pkg.name]: pkg.version };
	writeFileSync(ledgerPath, JSON.stringify(ledger, null, 2), 'utf8');
	return packageDir;
}

/** What npm put beside the package: nothing, for a package without runtime dependencies. */
export function installedDependencies(packageDir: string): string[] {
	const modules = path.join(packageDir, 'node_modules');
	if (!existsSync(modules)) return [];
	return readdirSync(modules).filter((entry) => !entry.startsWith('.'));
}
