/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions, no-console -- test code: builds the package and loads it in child processes, one per n8n-workflow version */
/**
 * The built package under the n8n-workflow of every n8n line we support, and of the line just
 * below: what fails first when a change uses a symbol an older n8n lacks, and what decides the
 * minimum n8n the README states.
 *
 * Each version is an aliased devDependency ("n8n-workflow-1.83": "npm:n8n-workflow@1.83.0"), and
 * each runs in its own Node process whose `require('n8n-workflow')` is redirected to it
 * (n8nWorkflowRedirect.js), so two versions never meet in one module cache. The dist/ under test
 * is built in a private copy of the repository (privateBuild.ts): other suites rebuild the
 * repository's own dist/ at any moment, and a fresh clone has none.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { buildPrivately, type PrivateBuild } from './privateBuild';

const REPO = path.resolve(__dirname, '..', '..');

interface Manifest {
	devDependencies: Record<string, string>;
	n8n: { nodes: string[]; credentials: string[] };
}

const manifest = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as Manifest;

function pinnedVersion(alias: string): string {
	const spec = manifest.devDependencies[alias] ?? '';
	const match = /^npm:n8n-workflow@(\d+\.\d+\.\d+)$/.exec(spec);
	if (!match) throw new Error(`package.json devDependencies.${alias} is "${spec}", not an exact npm:n8n-workflow@X.Y.Z alias`);
	return match[1];
}

/**
 * Which n8n-workflow each n8n line ships (`npm view n8n@X dependencies.n8n-workflow`):
 * n8n 1.85.3 → 1.83.0 (the oldest n8n on the registry whose n8n-workflow has NodeConnectionTypes;
 * 1.82.3 before it ships 1.80.1), n8n 1.123.81 → 1.120.31, n8n 2.0.3 → 2.0.1, n8n 2.41.3 (npm
 * `latest`) → 2.41.0. The versions themselves are read from package.json, so the two cannot drift.
 */
const SUPPORTED = [
	{ line: 'oldest supported, n8n 1.85', alias: 'n8n-workflow-1.83' },
	{ line: 'n8n 1.123.81', alias: 'n8n-workflow-1.120' },
	{ line: 'n8n 2.0.3', alias: 'n8n-workflow-2.0' },
	{ line: 'newest, n8n 2.41.3', alias: 'n8n-workflow-2.41' },
].map((entry) => ({ ...entry, version: pinnedVersion(entry.alias) }));
const BELOW_MINIMUM = { line: 'below the minimum, the release before 1.83.0', alias: 'n8n-workflow-1.82' };

interface Entry {
	file: string;
	kind: 'node' | 'credential';
	className: string;
	ok: boolean;
	error?: string;
	name?: string;
	inputs?: string[];
	outputs?: string[];
	properties?: string[];
	authenticate?: string;
	test?: boolean;
	ms: number;
}
interface LoadReport {
	node: string;
	n8nWorkflow: { resolved: string; name: string; version: string; hasNodeConnectionTypes: boolean } | null;
	copiesLoaded: string[];
	usage: { requires: number; bindings: number; symbols: string[]; missing: string[] } | null;
	entries: Entry[];
	ms: { n8nWorkflow?: number; entries?: number };
	crash?: string;
}

let build: PrivateBuild | undefined;
const timings: string[] = [];

async function loadUnder(alias: string, root = build?.root): Promise<{ report: LoadReport; wallMs: number }> {
	if (!root) throw new Error('the private build did not complete');
	const started = Date.now();
	const output = await new Promise<string>((resolve, reject) => {
		execFile(
			process.execPath,
			['--require', path.join(__dirname, 'n8nWorkflowRedirect.js'), path.join(__dirname, 'loadPackage.js'), root],
			// NODE_OPTIONS cleared: nothing of jest's process may preload into the child.
			{ env: { ...process.env, NODE_OPTIONS: '', UCPAAS_N8N_WORKFLOW_DIR: path.join(REPO, 'node_modules', alias) }, timeout: 60_000, maxBuffer: 4 * 1024 * 1024 },
			(error, stdout, stderr) => {
				const line = stdout.split('\n').find((text) => text.startsWith('LOAD-REPORT '));
				if (line) return resolve(line.slice('LOAD-REPORT '.length));
				reject(new Error(`the load child for ${alias} printed no report (${error?.message ?? 'exit 0'})\n${stdout}\n${stderr}`));
			},
		);
	});
	return { report: JSON.parse(output) as LoadReport, wallMs: Date.now() - started };
}

function recordTiming(label: string, report: LoadReport, wallMs: number) {
	const workflow = report.n8nWorkflow?.version ?? '?';
	timings.push(
		`  n8n-workflow ${workflow} (${label}): ${(wallMs / 1000).toFixed(2)} s in all, of which require('n8n-workflow') ${((report.ms.n8nWorkflow ?? 0) / 1000).toFixed(2)} s and the ${report.entries.length} entries ${((report.ms.entries ?? 0) / 1000).toFixed(2)} s`,
	);
}

/** What the assertion messages lead with: the version the dist's require really got. */
function resolvedLabel(report: LoadReport): string {
	const workflow = report.n8nWorkflow;
	return workflow ? `n8n-workflow ${workflow.version} from ${path.relative(REPO, workflow.resolved)}` : `no n8n-workflow (${report.crash ?? 'unknown'})`;
}

function expectResolvedTo(report: LoadReport, alias: string) {
	const folder = path.join(REPO, 'node_modules', alias);
	const label = resolvedLabel(report);
	// A second copy in the cache (the repository's own 2.11.1, say) would make the check prove nothing.
	expect({ label, crash: report.crash, version: report.n8nWorkflow?.version, fromAlias: report.n8nWorkflow?.resolved.startsWith(folder + path.sep), copiesLoaded: report.copiesLoaded }).toEqual({
		label,
		crash: undefined,
		version: pinnedVersion(alias),
		fromAlias: true,
		copiesLoaded: [folder],
	});
}

beforeAll(async () => {
	build = await buildPrivately(REPO);
	timings.push(`  private build (gulp build in a copy of the repository): ${(build.ms / 1000).toFixed(1)} s`);
}, 240_000);

afterAll(() => {
	build?.remove();
	console.log(`load check on Node ${process.version}:\n${timings.join('\n')}`);
});

describe('the built package under the n8n-workflow of each supported n8n line', () => {
	test.each(SUPPORTED)('$line, n8n-workflow $version: loads, every node and the credential instantiate, every n8n-workflow symbol dist/ uses exists', async ({ line, alias }) => {
		const { report, wallMs } = await loadUnder(alias);
		recordTiming(line, report, wallMs);
		expectResolvedTo(report, alias);
		const label = resolvedLabel(report);

		expect({ label, hasNodeConnectionTypes: report.n8nWorkflow?.hasNodeConnectionTypes }).toEqual({ label, hasNodeConnectionTypes: true });
		expect({ label, entries: report.entries.map((entry) => [entry.file, entry.ok, entry.error]) }).toEqual({
			label,
			entries: [...manifest.n8n.credentials, ...manifest.n8n.nodes].map((file) => [file, true, undefined]),
		});

		const nodes = report.entries.filter((entry) => entry.kind === 'node');
		for (const node of nodes) {
			// The trigger has no input; every other connection is a resolved 'main'.
			expect({ label, node: node.className, outputs: node.outputs }).toEqual({ label, node: node.className, outputs: ['main'] });
			expect({ label, node: node.className, inputs: node.inputs }).toEqual({ label, node: node.className, inputs: node.className.endsWith('Trigger') ? [] : ['main'] });
			expect(node.properties?.length).toBeGreaterThan(0);
		}
		expect(nodes.map((node) => node.name).sort()).toEqual(['ucpaasCallback', 'ucpaasCallbackTrigger']);
		const [credential] = report.entries.filter((entry) => entry.kind === 'credential');
		expect({ label, name: credential.name, authenticate: credential.authenticate, test: credential.test }).toEqual({ label, name: 'ucpaasApi', authenticate: 'function', test: true });
		expect(credential.properties).toEqual(expect.arrayContaining(['accountSid', 'authToken', 'appId']));

		// A symbol read only inside execute() would load fine and fail in a user's workflow.
		expect(report.usage?.requires).toBeGreaterThan(0);
		expect({ label, bindings: report.usage?.bindings, missing: report.usage?.missing }).toEqual({ label, bindings: report.usage?.requires, missing: [] });
		expect(report.usage?.symbols).toContain('NodeConnectionTypes');
	});
});

describe('the line below the minimum', () => {
	test(`${BELOW_MINIMUM.line}, n8n-workflow ${pinnedVersion(BELOW_MINIMUM.alias)}: the nodes fail to load because n8n-workflow has no NodeConnectionTypes`, async () => {
		const { report, wallMs } = await loadUnder(BELOW_MINIMUM.alias);
		recordTiming(BELOW_MINIMUM.line, report, wallMs);
		expectResolvedTo(report, BELOW_MINIMUM.alias);
		const label = resolvedLabel(report);

		expect({ label, hasNodeConnectionTypes: report.n8nWorkflow?.hasNodeConnectionTypes, missing: report.usage?.missing }).toEqual({
			label,
			hasNodeConnectionTypes: false,
			missing: expect.arrayContaining(['NodeConnectionTypes']),
		});
		// What n8n's loader meets: the class body reads NodeConnectionTypes.Main while the file loads.
		expect({ label, nodes: report.entries.filter((entry) => entry.kind === 'node').map((entry) => [entry.className, entry.ok, entry.error]) }).toEqual({
			label,
			nodes: manifest.n8n.nodes.map((file) => [path.basename(file).split('.')[0], false, "Cannot read properties of undefined (reading 'Main')"]),
		});
	});
});

describe('the symbol check itself', () => {
	test('a planted use of a symbol the oldest line lacks, read only inside a function, is reported though every entry loads', async () => {
		if (!build) throw new Error('the private build did not complete');
		const planted = mkdtempSync(path.join(tmpdir(), 'n8n-nodes-ucpaas-planted-'));
		try {
			cpSync(path.join(build.root, 'dist'), path.join(planted, 'dist'), { recursive: true });
			cpSync(path.join(build.root, 'package.json'), path.join(planted, 'package.json'));
			const trigger = path.join(planted, manifest.n8n.nodes[manifest.n8n.nodes.length - 1]);
			const code = readFileSync(trigger, 'utf8');
			const binding = /var ([\w$]+) = require\("n8n-workflow"\);/.exec(code);
			expect(binding).not.toBeNull();
			// sanitizeFilename: in n8n-workflow 2.41.0 and 1.120.31, not in 1.83.0 nor 2.0.1.
			writeFileSync(trigger, `${code}\nfunction plantedLaterSymbol() { return ${binding![1]}.sanitizeFilename; }\n`);

			const { report } = await loadUnder(SUPPORTED[0].alias, planted);
			const label = resolvedLabel(report);
			expect({ label, missing: report.usage?.missing, loaded: report.entries.every((entry) => entry.ok) }).toEqual({ label, missing: ['sanitizeFilename'], loaded: true });
		} finally {
			rmSync(planted, { recursive: true, force: true });
		}
	});
});
