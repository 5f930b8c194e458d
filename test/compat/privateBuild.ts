/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- test code: copies the sources into a temporary folder and runs the project's gulp build there */
/**
 * Runs the project's own build (gulpfile.js: tsc, esbuild, icons, codex) in a throwaway copy of
 * the repository, so that a test reads a dist/ nobody else writes to. Building in place would
 * race the suites that run `npm run build` at the same moment (gulp's first step deletes dist/),
 * and reading the repository's dist/ as it is would test whatever the last build left, or
 * nothing on a fresh clone.
 *
 * The copy holds what gulpfile.js and tsconfig.build.json read. Its node_modules is a real folder
 * of links to the repository's packages, all but `.cache`: gulp compiles into
 * node_modules/.cache, and that folder must be private too.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Everything the build reads, relative to the repository root. */
const BUILD_INPUTS = ['package.json', 'gulpfile.js', 'tsconfig.json', 'tsconfig.build.json', 'credentials', 'nodes', 'icons'];

export interface PrivateBuild {
	/** The copy's root: its package.json and dist/ are what `npm pack` would ship. */
	root: string;
	ms: number;
	remove(): void;
}

function mirror(repo: string): string {
	const root = mkdtempSync(path.join(tmpdir(), 'n8n-nodes-ucpaas-build-'));
	for (const entry of BUILD_INPUTS) cpSync(path.join(repo, entry), path.join(root, entry), { recursive: true });
	const modules = path.join(root, 'node_modules');
	mkdirSync(modules);
	for (const entry of readdirSync(path.join(repo, 'node_modules'))) {
		if (entry !== '.cache') symlinkSync(path.join(repo, 'node_modules', entry), path.join(modules, entry));
	}
	return root;
}

export async function buildPrivately(repo: string): Promise<PrivateBuild> {
	const started = Date.now();
	const root = mirror(repo);
	// fs.rm unlinks the links in node_modules without following them into the repository.
	const remove = () => rmSync(root, { recursive: true, force: true });
	const gulp = path.join(root, 'node_modules', 'gulp', 'bin', 'gulp.js');
	await new Promise<void>((resolve, reject) => {
		execFile(process.execPath, [gulp, 'build'], { cwd: root, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
			if (!error) return resolve();
			remove();
			reject(new Error(`the build (gulp build in a copy of the repository) failed: ${error.message}\n${stdout}\n${stderr}`));
		});
	});
	return { root, ms: Date.now() - started, remove };
}
