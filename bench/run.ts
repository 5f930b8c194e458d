/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console, @n8n/community-nodes/no-dangerous-functions -- tool code: the benchmark, run from the command line */
/**
 * `npm run bench`: this node against the route a user builds without it (Code node signing +
 * HTTP Request node) and against the raw-HTTP limit, on the same sandbox, the same N items, at
 * the same concurrency, with the sandbox adding 0 ms and then 50 ms per request. Prints a table.
 *
 *   npm run bench -- [--items 2000] [--latencies 0,50] [--concurrency 1,10]
 *
 * Throughput is what a workflow sees: N divided by the route's own execution time (the n8n nodes'
 * executionTime from n8n's run data; the limit's wall time). Per-item latency is measured at the
 * sandbox for every route alike: the gap between a request's arrival and the arrival of the next
 * request on the same concurrent slot. Memory is the peak RSS (VmHWM) of the process doing the
 * work: the n8n process, or the limit's own process.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';

import { startSandbox, type Sandbox } from '../sandbox';
import { writeCredentialImport } from '../test/e2e/credentials';
import { ensureN8nApp } from '../test/e2e/n8nApp';
import { N8nInstance, parseLogRecords } from '../test/e2e/n8nInstance';
import { buildAndPack, installLikeN8n } from '../test/e2e/packageInstall';
import { workflowRunOf } from '../test/e2e/runData';
import { builtEntries, measureRequire, tarballBytes } from './startupCost';
import { nodeRoute, peerRoute } from './workflows';

const REPO = path.resolve(__dirname, '..');
/** The node's own default batch size (Options → Batching). */
const NODE_DEFAULT_BATCH = 1;

function flag(name: string, fallback: string): string {
	const at = process.argv.indexOf(`--${name}`);
	return at > 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

const ITEMS = Number(flag('items', '2000'));
const LATENCIES = flag('latencies', '0,50').split(',').map(Number);
const CONCURRENCIES = flag('concurrency', '1,10').split(',').map(Number);

interface Measured {
	route: string;
	concurrency: string;
	itemsPerSecond: number;
	p50: number;
	p99: number;
	nodeMs?: number;
	peakMb: number;
	failures: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] ?? NaN;

/** Throughput and per-slot gaps from the sandbox's record of callBack arrivals. */
function atTheSandbox(sandbox: Sandbox, concurrency: number): { p50: number; p99: number; accepted: number } {
	const calls = sandbox.requests.filter((r) => r.path.endsWith('/Calls/callBack'));
	const arrivals = calls.map((r) => r.at.getTime()).sort((a, b) => a - b);
	const gaps: number[] = [];
	for (let k = 0; k + concurrency < arrivals.length; k++) gaps.push(arrivals[k + concurrency] - arrivals[k]);
	gaps.sort((a, b) => a - b);
	return {
		p50: percentile(gaps, 0.5),
		p99: percentile(gaps, 0.99),
		accepted: calls.filter((r) => r.verdict.ok).length,
	};
}

/** Runs a command, sampling its peak resident memory (VmHWM) until it exits. */
function runSampled(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ code: number; stdout: string; stderr: string; peakKb: number }> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		let peakKb = 0;
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
		const sample = () => {
			try {
				const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
				if (match) peakKb = Math.max(peakKb, Number(match[1]));
			} catch {
				// exited between two samples
			}
		};
		const timer = setInterval(sample, 50);
		child.on('error', reject);
		child.on('exit', (code) => {
			clearInterval(timer);
			resolve({ code: code ?? 1, stdout, stderr, peakKb });
		});
	});
}

async function main(): Promise<void> {
	console.log(`bench: ${ITEMS} items, sandbox latency ${LATENCIES.join(' and ')} ms, concurrency ${CONCURRENCIES.join(', ')} (node default ${NODE_DEFAULT_BATCH})`);
	const app = await ensureN8nApp();
	const sandbox = await startSandbox({ quiet: true, call: { delays: { ringMs: 1, talkMs: 1 } } });
	const instance = await N8nInstance.create(app);
	const scratch = mkdtempSync(path.join(tmpdir(), 'ucpaas-bench-'));
	// `n8n execute` prints the run at log level info, which the e2e environment already sets.
	const env = instance.env({ NODE_FUNCTION_ALLOW_BUILTIN: 'crypto' });
	const results: Array<{ latency: number; rows: Measured[] }> = [];
	try {
		const pkg = await buildAndPack(REPO, scratch);
		await installLikeN8n(pkg, instance.nodesDir, app.runtime);
		await instance.cli(['import:credentials', '--input', writeCredentialImport(instance.userFolder, sandbox.url)]);

		// One workflow per route and concurrency; each run gets its own callees (the platform refuses a busy one).
		let nextCallee = 13000000000;
		const plan: Array<{ latency: number; route: 'node' | 'peer'; batch: number | undefined; label: string; id: string; first: number }> = [];
		const folder = path.join(scratch, 'workflows');
		mkdirSync(folder);
		for (const latency of LATENCIES) {
			const settings: Array<[number | undefined, string]> = CONCURRENCIES.includes(NODE_DEFAULT_BATCH)
				? [[undefined, `${NODE_DEFAULT_BATCH} (default)`], ...CONCURRENCIES.filter((c) => c !== NODE_DEFAULT_BATCH).map((c): [number, string] => [c, String(c)])]
				: [[undefined, `${NODE_DEFAULT_BATCH} (default)`], ...CONCURRENCIES.map((c): [number, string] => [c, String(c)])];
			for (const [batch, label] of settings) {
				for (const route of ['node', 'peer'] as const) {
					const id = `bench${route}${latency}x${batch ?? 'd'}`;
					const first = nextCallee;
					nextCallee += ITEMS;
					const workflow = route === 'node' ? nodeRoute(id, ITEMS, first, batch) : peerRoute(id, ITEMS, first, batch ?? NODE_DEFAULT_BATCH, sandbox.url);
					writeFileSync(path.join(folder, `${id}.json`), JSON.stringify(workflow));
					plan.push({ latency, route, batch, label, id, first });
				}
			}
		}
		await instance.cli(['import:workflow', '--separate', '--input', folder]);

		for (const latency of LATENCIES) {
			sandbox.clearFaults();
			if (latency > 0) sandbox.addFault({ fault: { kind: 'latency', ms: latency } });
			const rows: Measured[] = [];
			for (const step of plan.filter((p) => p.latency === latency)) {
				const concurrency = step.batch ?? NODE_DEFAULT_BATCH;
				sandbox.clearRequests();
				const run = await runSampled(app.runtime.node, [app.bin, 'execute', '--id', step.id, '--rawOutput'], { cwd: instance.userFolder, env });
				const args = ['execute', '--id', step.id];
				const workflowRun = workflowRunOf({ ...run, args, ms: 0, signal: null, logs: parseLogRecords(run.stdout) } as unknown as Parameters<typeof workflowRunOf>[0]);
				const runData = workflowRun.data.resultData.runData as Record<string, Array<{ executionTime?: number }>>;
				const nodeMs = step.route === 'node' ? runData['UCPaaS Callback']?.[0]?.executionTime : (runData.Sign?.[0]?.executionTime ?? 0) + (runData['HTTP Request']?.[0]?.executionTime ?? 0);
				const measured = atTheSandbox(sandbox, concurrency);
				rows.push({
					route: step.route === 'node' ? 'this node (n8n app)' : 'Code + HTTP Request (n8n app)',
					concurrency: step.label,
					itemsPerSecond: nodeMs ? (ITEMS * 1000) / nodeMs : NaN,
					...measured,
					nodeMs,
					peakMb: run.peakKb / 1024,
					failures: ITEMS - measured.accepted,
				});
				console.log(`  ${latency} ms, ${step.route}, concurrency ${step.label}: ${nodeMs} ms`);
			}
			for (const concurrency of [...new Set([NODE_DEFAULT_BATCH, ...CONCURRENCIES])]) {
				sandbox.clearRequests();
				const first = nextCallee;
				nextCallee += ITEMS;
				const tsx = path.join(REPO, 'node_modules/.bin/tsx');
				const run = await runSampled(tsx, [path.join(__dirname, 'limitCli.ts'), sandbox.url, String(concurrency), String(first), String(ITEMS)], { cwd: REPO, env: process.env });
				const { wallMs } = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { wallMs: number };
				const measured = atTheSandbox(sandbox, concurrency);
				rows.push({ route: 'limit: node:http + keep-alive', concurrency: String(concurrency), itemsPerSecond: (ITEMS * 1000) / wallMs, ...measured, nodeMs: wallMs, peakMb: run.peakKb / 1024, failures: ITEMS - measured.accepted });
				console.log(`  ${latency} ms, limit, concurrency ${concurrency}: ${wallMs.toFixed(0)} ms`);
			}
			results.push({ latency, rows });
		}
	} finally {
		await sandbox.stop();
		instance.dispose();
		rmSync(scratch, { recursive: true, force: true });
	}

	report(results);
}

function report(results: Array<{ latency: number; rows: Measured[] }>): void {
	const f = (value: number | undefined, digits = 0) => (value === undefined || Number.isNaN(value) ? '-' : value.toFixed(digits));
	console.log(`\nMachine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; ${ITEMS} items per run; n8n 2.41.1 on Node 24`);
	for (const { latency, rows } of results) {
		console.log(`\nSandbox latency ${latency} ms`);
		console.log('| route | concurrency | items/s | per-item p50 ms | p99 ms | route time ms | peak RSS MB | failed |');
		console.log('|---|---|---|---|---|---|---|---|');
		for (const row of rows) {
			console.log(`| ${row.route} | ${row.concurrency} | ${f(row.itemsPerSecond)} | ${f(row.p50)} | ${f(row.p99)} | ${f(row.nodeMs)} | ${f(row.peakMb)} | ${row.failures} |`);
		}
		const byRoute = (route: string, concurrency: string) => rows.find((r) => r.route.startsWith(route) && r.concurrency.split(' ')[0] === concurrency);
		for (const concurrency of [...new Set(rows.map((r) => r.concurrency.split(' ')[0]))]) {
			const node = byRoute('this node', concurrency);
			const peer = byRoute('Code + HTTP', concurrency);
			const limit = byRoute('limit', concurrency);
			if (!node) continue;
			console.log(
				`concurrency ${concurrency}: node/limit ${f(limit ? node.itemsPerSecond / limit.itemsPerSecond : NaN, 2)}, node/peer ${f(peer ? node.itemsPerSecond / peer.itemsPerSecond : NaN, 2)}`,
			);
		}
	}
	console.log('\nStart-up cost (require in a fresh Node process with n8n-workflow loaded, median of 7):');
	for (const file of builtEntries()) {
		const cost = measureRequire(file);
		console.log(`  ${file}: ${cost.medianMs.toFixed(1)} ms (max ${cost.maxMs.toFixed(1)} ms)`);
	}
	console.log(`Packed tarball: ${(tarballBytes() / 1024).toFixed(1)} kB`);
}

main().catch((error: unknown) => {
	console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
	process.exitCode = 1;
});
