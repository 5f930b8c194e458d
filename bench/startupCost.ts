/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- tool code: measures the built package from the outside */
/**
 * What the package adds to every n8n start: the time to `require` each built node and credential
 * file (in a fresh Node process, with n8n-workflow already loaded, as it is in n8n), and the size
 * of the packed tarball.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

export interface RequireCost {
	file: string;
	medianMs: number;
	maxMs: number;
}

/** Median of `runs` fresh processes: the first require of a file is what n8n pays at start. */
export function measureRequire(file: string, runs = 7): RequireCost {
	const script = `
		require('n8n-workflow');
		const started = process.hrtime.bigint();
		require(${JSON.stringify(path.join(ROOT, file))});
		process.stdout.write(String(Number(process.hrtime.bigint() - started) / 1e6));`;
	const samples = Array.from({ length: runs }, () => Number(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' })));
	samples.sort((a, b) => a - b);
	return { file, medianMs: samples[Math.floor(runs / 2)], maxMs: samples[runs - 1] };
}

export function builtEntries(): string[] {
	const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { n8n: { nodes: string[]; credentials: string[] } };
	return [...pkg.n8n.nodes, ...pkg.n8n.credentials];
}

/** `npm pack` of the current dist/, in bytes. */
export function tarballBytes(): number {
	const destination = mkdtempSync(path.join(tmpdir(), 'ucpaas-pack-'));
	try {
		const output = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
		const [{ filename }] = JSON.parse(output) as Array<{ filename: string }>;
		return statSync(path.join(destination, filename)).size;
	} finally {
		rmSync(destination, { recursive: true, force: true });
	}
}
