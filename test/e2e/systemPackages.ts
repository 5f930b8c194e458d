/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console -- tool code: installs Debian packages the real-parts tests need */
/**
 * The Debian packages a test needs (redis-server, postgresql, chromium, a CJK font), installed
 * on first use so that a fresh machine needs nothing but `npm ci`. Idempotent: a package already
 * installed costs one `dpkg-query`. apt's lock is retried, since another apt run (the machine's
 * own, or a parallel test) may hold it for a minute.
 */
import { cleanEnv, runCommand } from './processes';
import { sleep } from './waitFor';

async function installed(name: string): Promise<boolean> {
	const result = await runCommand('dpkg-query', ['-W', '-f=${Status}', name], { env: cleanEnv() });
	return result.code === 0 && result.stdout.includes('install ok installed');
}

async function apt(args: string[], label: string): Promise<void> {
	const env = cleanEnv({ DEBIAN_FRONTEND: 'noninteractive' });
	for (let attempt = 1; ; attempt++) {
		const result = await runCommand('apt-get', args, { env, timeoutMs: 15 * 60_000, heartbeat: label });
		if (result.code === 0) return;
		const output = `${result.stdout}\n${result.stderr}`;
		if (/Could not get lock|Unable to lock|dpkg was interrupted/i.test(output) && attempt < 20) {
			await sleep(6_000);
			continue;
		}
		throw new Error(`apt-get ${args.join(' ')} exited with ${result.code}:\n${output.trim().split('\n').slice(-15).join('\n')}`);
	}
}

/** Installs whichever of `names` is missing (as root, the way this project's machines run). */
export async function ensureDebianPackages(names: string[]): Promise<void> {
	const missing: string[] = [];
	for (const name of names) if (!(await installed(name))) missing.push(name);
	if (missing.length === 0) {
		console.log(`system: ${names.join(', ')} already installed`);
		return;
	}
	if (typeof process.getuid === 'function' && process.getuid() !== 0) {
		throw new Error(`missing Debian packages ${missing.join(', ')}: install them with "sudo apt-get install ${missing.join(' ')}", or run as root`);
	}
	console.log(`system: installing ${missing.join(', ')} with apt-get (a few minutes on a fresh machine)`);
	await apt(['update'], 'apt-get update');
	await apt(['install', '-y', '--no-install-recommends', ...missing], `apt-get install ${missing.join(' ')}`);
}
