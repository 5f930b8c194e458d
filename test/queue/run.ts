/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- tool code: runs a queue-mode n8n cluster from the command line */
/**
 * `npm run test:queue`: the package in n8n's queue mode (scale-out), on a real cluster on loopback.
 *
 *   1. Debian's redis-server and postgresql (installed on first use), Node 24 and n8n 2.41.1 from
 *      the cache test:e2e uses, `npm run build` + `npm pack`.
 *   2. Redis and a private Postgres cluster, each its own process on a free port; the local UCPaaS
 *      sandbox; `n8n start` (main), two `n8n worker`, one `n8n webhook`, one encryption key, the
 *      tarball installed into each process's own user folder like n8n's installer does.
 *   3. Over main's REST API: owner, the UCPaaS credential, four workflows, published.
 *   4. The checks: a fan-out of webhook requests placing calls, leads placed with Place Callback
 *      and Wait and resumed by the trigger's forwarded Call Ended, a burst of UCPaaS pushes into the
 *      UCPaaS Callback Trigger, a worker SIGKILLed while its calls wait at the sandbox (and how to
 *      reconcile what n8n then reports), a worker stopped with SIGTERM mid-run, and the logs of every
 *      process (package loaded, no Auth Token, nothing beyond loopback).
 * One line per check, the figures, then the plain `queue: N passed, N failed` line, last and alone.
 * Everything it started is stopped by PID (process groups), and its folders removed, on success,
 * failure and Ctrl-C.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { startSandbox, type Sandbox } from '../../sandbox';
import { expectEqual, expectTrue } from '../e2e/assertions';
import { expectNoOutboundAttempts, expectNoTokenIn, processesInside } from '../e2e/hygieneChecks';
import { ensureN8nApp, N8N_VERSION, type N8nApp } from '../e2e/n8nApp';
import { freePort, N8nInstance } from '../e2e/n8nInstance';
import { cacheRoot } from '../e2e/nodeRuntime';
import { buildAndPack, installLikeN8n, type PackedPackage } from '../e2e/packageInstall';
import { Suite } from '../e2e/suite';
import { N8nRestClient } from '../e2e/restClient';
import { ensureDebianPackages } from '../e2e/systemPackages';
import { startN8nProcess, type ClusterSettings, type N8nProcess } from './cluster';
import { processGroupMembers } from './executions';
import { PG_BIN, startPostgres, startRedis, type Postgres, type Service } from './infra';
import {
	crashWorker,
	drainWorker,
	fanOut,
	PLACE_GAP_MS,
	foreignPush,
	placeUrl,
	reconcile,
	retryOnWorker,
	triggerBurst,
	triggerUrl,
	type Cluster,
	type CrashOutcome,
	type DrainOutcome,
	type FanOutFigures,
	type RetryFigures,
	type TriggerFigures,
} from './phases';
import { startPushReceiver, type PushReceiver } from './pushReceiver';
import { placeAndWaitLeads, waitUrl, type WaitFigures } from './placeAndWaitPhase';
import { guardedPairs, guardUrl, type GuardFigures } from './repeatGuardPhase';
import { CALLBACK_TYPE, createWorkflows, setUpOwner, TRIGGER_TYPE, waitRegistered } from './workflows';

const REPO = path.resolve(__dirname, '..', '..');
const PACKAGE = 'n8n-nodes-ucpaas';

const FAN_OUT = 100;
const RETRY_REQUESTS = 12;
const GUARD_LEADS = 20;
const WAIT_LEADS = 6;
const CONCURRENCY = 10;
const TRIGGER_CALLS = 30;
const CRASH_REQUESTS = 30;
const CRASH_LATENCY_MS = 3_000;
const DRAIN_REQUESTS = 40;
const DRAIN_LATENCY_MS = 1_500;
/** Bull's job lock and stalled check, shortened from 60 s / 10 s / 30 s so a crash is detected in seconds. */
const LOCKS = { lockDurationMs: 15_000, lockRenewMs: 3_000, stalledIntervalMs: 5_000 };
/** Against `503 Database is not ready!` under push bursts (the default pool is 2). */
const WEBHOOK_POOL_SIZE = '20';
const READY_MS = 300_000;

const CHECKS = {
	setup: `setup: Debian redis-server and postgresql, Node 24 and n8n ${N8N_VERSION}, npm run build + npm pack`,
	cluster: 'cluster: Redis and a private Postgres 15 on loopback; n8n main, 2 workers and a webhook process ready, one encryption key, the tarball in each own user folder',
	workflows: 'workflows: owner, credential and 4 workflows created over main\'s REST API and published; main lists both node types; every path served by the webhook process',
	fanOut: `fan-out: ${FAN_OUT} webhook requests (concurrency ${CONCURRENCY}, distinct callees) at the webhook process → UCPaaS Callback → Respond to Webhook: ${FAN_OUT} successes, exactly one callBack per callee, both workers used`,
	retry: `retry: Retry On Fail on a worker (${RETRY_REQUESTS} webhook requests; a third refused once with 104113, a sixth placed with the reply lost): refused calls placed on the retry, lost replies never sent again, every callee rung exactly once, each execution on one worker`,
	guard: `repeat guard: ${GUARD_LEADS} leads each POSTed twice at the same moment (${GUARD_LEADS * 2} executions, UCPaaS Callback v2, guard on by default) across both workers: every callee rung exactly once, counted at the sandbox; each pair answers one placed call and one skipped item`,
	wait: `place and wait: ${WAIT_LEADS} leads, each its own POST and execution (UCPaaS Callback v2 Place Callback and Wait; half answered, half not), the sandbox pushing to the trigger on the webhook process: every execution waits, the trigger forwards each Call Ended to n8n's resume address it works out (N8N_WEBHOOK_URL/webhook-waiting), the webhook process takes the resume and enqueues the rest, a worker finishes it with the lead's outcome; each callee called exactly once`,
	trigger: `trigger: ${TRIGGER_CALLS} calls (one every ${PLACE_GAP_MS} ms) × 3 events pushed at the webhook process (DB pool ${WEBHOOK_POOL_SIZE}): the exact XML reply to every push, one execution per (call, event), run on the workers`,
	foreign: 'trigger: a push for another account gets 403 from the webhook process and starts nothing',
	crash: `crash: a worker SIGKILLed while its callBack requests wait at the sandbox (${CRASH_LATENCY_MS / 1000} s latency): n8n re-runs nothing, no call doubled, the caller gets HTTP 500`,
	reconcile: 'crash: reconcilable: each failed execution shows n8n\'s stalled-job error; every call that rang anyway sent a Call Ended push carrying the caller\'s request id as userData, and the requests that never reached UCPaaS sent none',
	drain: `drain: a worker stopped with SIGTERM mid-run (${DRAIN_LATENCY_MS / 1000} s latency): it finishes what it runs and exits 0; ${DRAIN_REQUESTS}/${DRAIN_REQUESTS} succeed, each callee called once`,
	packages: 'package: every n8n process has it (no "Unrecognized node type" in any log, the package in every user folder)',
	secrets: 'secrets: the Auth Token appears in no log of any process (n8n ×5, Redis, Postgres)',
	network: 'network: no n8n process sent anything beyond loopback (every proxy points at a closed port; none was tried)',
	cleanup: 'cleanup: every process stopped (process groups empty), temp folders removed',
};

const suite = new Suite('queue', { stopping: 'stopping n8n, the workers, Redis and Postgres, removing the folders' });
const { cleanups } = suite;
const cleanUp = () => cleanups.run();

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const rounded = (ms: number) => `${Math.round(ms)} ms`;

interface Run {
	app: N8nApp;
	pkg: PackedPackage;
	runDir: string;
	logDir: string;
	redis?: Service;
	postgres?: Postgres;
	receiver?: PushReceiver;
	apiSandbox?: Sandbox;
	instances: N8nInstance[];
	processes: N8nProcess[];
}

async function stopCluster(run: Run): Promise<void> {
	// n8n first (in parallel: a webhook process may wait its 30 s graceful-shutdown timeout), then what they use.
	await Promise.all(run.processes.map((p) => p.stop(35_000)));
	await run.apiSandbox?.stop();
	await run.receiver?.stop();
	await run.redis?.stop();
	await run.postgres?.stop();
}

async function main(): Promise<number> {
	const list = suite.checks;
	console.log(`queue: n8n-nodes-ucpaas in n8n ${N8N_VERSION} queue mode (cache ${cacheRoot()})`);

	const runDir = mkdtempSync(path.join(tmpdir(), 'n8n-nodes-ucpaas-queue-'));
	cleanups.push(() => rmSync(runDir, { recursive: true, force: true, maxRetries: 3 }));
	const logDir = path.join(runDir, 'logs');
	mkdirSync(logDir);
	// On failure the logs are kept for a person to read (artifacts/ is git-ignored).
	cleanups.push(() => {
		if (!suite.failed) return;
		const kept = path.join(REPO, 'artifacts', `queue-${new Date().toISOString().replace(/[:.]/g, '-')}`);
		cpSync(logDir, kept, { recursive: true });
		console.log(`  logs kept in ${kept}`);
	});

	let app: N8nApp | undefined;
	let pkg: PackedPackage | undefined;
	await list.check(CHECKS.setup, async () => {
		await ensureDebianPackages(['redis-server', 'postgresql']);
		expectTrue(existsSync(path.join(PG_BIN, 'initdb')), `${PG_BIN}/initdb is missing: this test expects Debian bookworm's PostgreSQL 15`);
		app = await ensureN8nApp();
		pkg = await buildAndPack(REPO, runDir);
	});
	if (!app || !pkg) return suite.finish(Object.values(CHECKS).slice(1));

	const run: Run = { app, pkg, runDir, logDir, instances: [], processes: [] };
	cleanups.push(() => {
		for (const instance of run.instances) instance.dispose();
		run.postgres?.remove();
	});
	cleanups.push(() => stopCluster(run));

	let cluster: Cluster | undefined;
	let settings: ClusterSettings | undefined;
	const up = await list.check(CHECKS.cluster, async () => {
		const redisDir = path.join(runDir, 'redis');
		mkdirSync(redisDir);
		run.redis = await startRedis(redisDir, logDir);
		run.postgres = await startPostgres(logDir);
		run.receiver = await startPushReceiver();
		run.apiSandbox = await startSandbox({ host: '127.0.0.1', port: 0, quiet: true, pushUrl: run.receiver.url });
		const runtime = run.app.runtime;
		const instances = await Promise.all(['main', 'w1', 'w2', 'webhook'].map(() => N8nInstance.create(run.app)));
		run.instances.push(...instances);
		const key = instances[0].encryptionKey;
		await Promise.all(instances.map((instance) => installLikeN8n(run.pkg, instance.nodesDir, runtime)));
		const [mainPort, webhookPort] = [await freePort(), await freePort()];
		settings = {
			encryptionKey: key,
			postgresPort: run.postgres.port,
			redisPort: run.redis.port,
			mainUrl: `http://127.0.0.1:${mainPort}`,
			webhookUrl: `http://127.0.0.1:${webhookPort}`,
			...LOCKS,
		};
		list.note(`Redis :${run.redis.port}, Postgres :${run.postgres.port}, sandbox ${run.apiSandbox.url}, main :${mainPort}, webhook :${webhookPort}; logs in ${logDir}`);
		// Main first: it migrates the empty database; the others start once it is ready.
		const main = await startN8nProcess('main', 'main', instances[0], settings, logDir, { port: mainPort });
		run.processes.push(main);
		const mainReady = await main.waitReady(READY_MS);
		const w1 = await startN8nProcess('w1', 'worker', instances[1], settings, logDir);
		const w2 = await startN8nProcess('w2', 'worker', instances[2], settings, logDir);
		const webhook = await startN8nProcess('webhook', 'webhook', instances[3], settings, logDir, { port: webhookPort, extraEnv: { DB_POSTGRESDB_POOL_SIZE: WEBHOOK_POOL_SIZE } });
		run.processes.push(w1, w2, webhook);
		const ready = await Promise.all([w1, w2, webhook].map((p) => p.waitReady(READY_MS)));
		list.note(`ready after: main ${seconds(mainReady)} (migrations), w1 ${seconds(ready[0])}, w2 ${seconds(ready[1])}, webhook ${seconds(ready[2])}`);
		const clusterSettings = settings;
		cluster = {
			app: run.app,
			psql: run.postgres.psql,
			main,
			webhook,
			workers: new Map([
				['w1', w1],
				['w2', w2],
			]),
			all: run.processes,
			apiSandbox: run.apiSandbox,
			pushReceiverUrl: run.receiver.url,
			restartWorker: async (old, name) => {
				const replacement = await startN8nProcess(name, 'worker', old.instance, clusterSettings, logDir, { extraEnv: { N8N_RUNNERS_BROKER_PORT: String(await freePort()) } });
				run.processes.push(replacement);
				cluster?.workers.set(name, replacement);
				return replacement;
			},
		};
	});

	const ready = up && cluster ? cluster : undefined;
	let published = false;
	if (ready) {
		published = await list.check(CHECKS.workflows, async () => {
			const rest = new N8nRestClient(ready.main.url);
			await setUpOwner(rest);
			const types = await rest.request<Array<{ name: string }>>('GET', '/types/nodes.json');
			expectEqual(types.status, 200, 'GET /types/nodes.json on main');
			const ours = types.body.map((t) => t.name).filter((name) => name.startsWith(`${PACKAGE}.`));
			expectTrue(ours.includes(CALLBACK_TYPE) && ours.includes(TRIGGER_TYPE), `main lists ${JSON.stringify(ours)}`);
			await createWorkflows(rest, ready.apiSandbox.url);
			const placeMs = await waitRegistered(placeUrl(ready), ready.main.url, 60_000);
			const triggerMs = await waitRegistered(triggerUrl(ready), ready.main.url, 60_000);
			const guardMs = await waitRegistered(guardUrl(ready), ready.main.url, 60_000);
			const waitMs = await waitRegistered(waitUrl(ready), ready.main.url, 60_000);
			list.note(
				`webhook process serves ${placeUrl(ready)} (after ${rounded(placeMs)}), ${triggerUrl(ready)} (after ${rounded(triggerMs)}), ${guardUrl(ready)} (after ${rounded(guardMs)}) and ${waitUrl(ready)} (after ${rounded(waitMs)})`,
			);
		});
	} else {
		list.skip(CHECKS.workflows, 'the cluster did not come up');
	}

	const figures: Figures = {};
	if (ready && published) {
		await list.check(CHECKS.fanOut, async () => {
			figures.fanOut = await fanOut(ready, FAN_OUT, CONCURRENCY);
		});
		await list.check(CHECKS.retry, async () => {
			figures.retry = await retryOnWorker(ready, RETRY_REQUESTS);
		});
		await list.check(CHECKS.guard, async () => {
			figures.guard = await guardedPairs(ready, GUARD_LEADS);
		});
		// Before the crash and the drain: it needs both workers.
		await list.check(CHECKS.wait, async () => {
			figures.wait = await placeAndWaitLeads(ready, WAIT_LEADS);
		});
		await list.check(CHECKS.trigger, async () => {
			figures.trigger = await triggerBurst(ready, TRIGGER_CALLS);
		});
		await list.check(CHECKS.foreign, () => foreignPush(ready));
		await list.check(CHECKS.crash, async () => {
			figures.crash = await crashWorker(ready, ready.workers.get('w1') as N8nProcess, CRASH_REQUESTS, CRASH_LATENCY_MS);
		});
		const crash = figures.crash;
		if (crash)
			await list.check(CHECKS.reconcile, async () => {
				figures.reconcile = await reconcile(ready, crash);
			});
		else list.skip(CHECKS.reconcile, 'the crash check did not complete');
		await list.check(CHECKS.drain, async () => {
			const replacement = [...ready.workers.values()].find((w) => w.name.endsWith('-restarted'));
			expectTrue(replacement, 'no replacement worker is running (the crash check did not get that far)');
			const readyMs = await replacement.waitReady(READY_MS);
			list.note(`${replacement.name} (same user folder as the killed worker) ready ${seconds(readyMs)} after its start`);
			figures.drain = await drainWorker(ready, ready.workers.get('w2') as N8nProcess, DRAIN_REQUESTS, DRAIN_LATENCY_MS);
		});
	} else {
		for (const name of [CHECKS.fanOut, CHECKS.retry, CHECKS.guard, CHECKS.wait, CHECKS.trigger, CHECKS.foreign, CHECKS.crash, CHECKS.reconcile, CHECKS.drain]) list.skip(name, 'the cluster or its workflows are not up');
	}

	const logs = () => run.processes.map((p) => p.output());
	if (run.processes.length > 0) {
		await list.check(CHECKS.packages, () => {
			const unrecognized = run.processes.filter((p) => p.output().includes('Unrecognized node type')).map((p) => p.name);
			expectEqual(unrecognized, [], 'processes whose log says "Unrecognized node type"');
			const silent = run.processes.filter((p) => p.output().trim() === '').map((p) => p.name);
			expectEqual(silent, [], 'processes that logged nothing');
			for (const instance of run.instances) {
				const manifest = path.join(instance.nodesDir, 'node_modules', PACKAGE, 'package.json');
				expectTrue(existsSync(manifest), `${manifest} is missing`);
				expectEqual((JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version, run.pkg.version, `version in ${manifest}`);
			}
			list.note(`${run.processes.length} n8n processes: ${run.processes.map((p) => p.name).join(', ')}`);
		});
		await list.check(CHECKS.secrets, () => expectNoTokenIn([...logs(), run.redis?.output() ?? '', run.postgres?.output() ?? '']));
		await list.check(CHECKS.network, () => expectNoOutboundAttempts(logs()));
	} else {
		for (const name of [CHECKS.packages, CHECKS.secrets, CHECKS.network]) list.skip(name, 'no n8n process ran');
	}

	printFigures(figures);
	await list.check(CHECKS.cleanup, async () => {
		const folders = [runDir, ...run.instances.map((i) => i.userFolder), ...(run.postgres ? [run.postgres.dataDir] : [])];
		const groups = [...run.processes.map((p) => p.pid), run.redis?.child.pid, run.postgres?.child.pid].filter((pid): pid is number => typeof pid === 'number');
		await cleanUp();
		const left = folders.flatMap((folder) => processesInside(folder).map((pid) => `${pid} in ${folder}`));
		expectEqual(left, [], 'processes left in the run folders');
		const members = groups.flatMap((pgid) => processGroupMembers(pgid));
		expectEqual(members, [], 'processes left in the process groups started');
		expectEqual(folders.filter((folder) => existsSync(folder)), [], 'folders left');
	});
	return suite.finish();
}

interface Figures {
	fanOut?: FanOutFigures;
	retry?: RetryFigures;
	guard?: GuardFigures;
	wait?: WaitFigures;
	trigger?: TriggerFigures;
	crash?: CrashOutcome;
	drain?: DrainOutcome;
	reconcile?: string;
}

function printFigures(figures: Figures): void {
	const { fanOut: f, retry: r, guard: g, wait: w, trigger: t, crash: c, drain: d } = figures;
	if (f)
		console.log(
			`queue: figures: fan-out ${f.n} requests, concurrency ${f.concurrency}: ${f.clientPerSecond.toFixed(2)} executions/s at the webhook (${seconds(f.wallMs)} wall), ` +
				`${f.dbPerSecond.toFixed(2)}/s in Postgres (first created → last stopped); per execution p50 ${rounded(f.runP50)}, p99 ${rounded(f.runP99)} ` +
				`(execution_entity stoppedAt − startedAt), queue wait p50 ${rounded(f.queueWaitP50)}; client p50 ${rounded(f.clientP50)}, p99 ${rounded(f.clientP99)}; worker split ${f.split}`,
		);
	if (r)
		console.log(
			`queue: figures: retry on a worker: ${r.n} requests (${r.refusedOnce} refused once, ${r.replyLost} replies lost): ` +
				`${r.requests} callBack requests, ${r.calls} calls placed (one per callee); worker split ${r.split}`,
		);
	if (g)
		console.log(
			`queue: figures: repeat guard: ${g.leads} leads × 2 simultaneous requests = ${g.requests} executions (${g.splitPairs} pairs ran on both workers): ` +
				`${g.callBacks} callBack requests, ${g.calls} calls placed (the same pairs on a v1 node without the guard: ${g.unguardedCalls} calls); slower reply of a pair p50 ${rounded(g.replyP50)}`,
		);
	if (w)
		console.log(
			`queue: figures: place and wait: ${w.executions} executions, ${w.waited} waited, ${w.resumes} resumed by a forwarded Call Ended (resume base ${w.waitingBase}; resumed parts enqueued by ${w.resumeEnqueuedBy}); ` +
				`outcomes ${Object.entries(w.outcomes).map(([o, n]) => `${o} ${n}`).join(' / ')}; placed on ${w.placedOn}, continued on ${w.resumedOn} (${w.switchedWorker} on the other worker); ` +
				`Call Ended push sent → execution finished p50 ${rounded(w.lagP50)}, max ${rounded(w.lagMax)}; phase ${seconds(w.wallMs)}`,
		);
	if (t)
		console.log(
			`queue: figures: trigger ${t.calls} calls, ${t.pushes} pushes in ${seconds(t.burstMs)} (${(t.pushes / (t.burstMs / 1000)).toFixed(1)} pushes/s); ` +
				`n8n's reply to callreq p50 ${rounded(t.callreqP50)}, max ${rounded(t.callreqMax)}; webhook process CPU ${t.webhookCpuSeconds.toFixed(1)} s; ` +
				`per execution p50 ${rounded(t.runP50)}, p99 ${rounded(t.runP99)}; worker split ${t.split}`,
		);
	if (c)
		console.log(
			`queue: figures: SIGKILL ${c.victim} with ${c.activeAtKill.length} executions running (${c.activeAtKill.join(', ')}): ${c.ok}/${c.n} succeeded, ` +
				`${c.failed.length} answered HTTP 500 ${c.failed[0]?.text.trim().slice(0, 60)} ${seconds(c.replyAfterKill[0])}–${seconds(c.replyAfterKill[1])} after the kill ` +
				`(executions marked ${[...new Set(c.failedRows.map((r) => r.status))].join('/')} ${seconds(c.markedAfterKill[0])}–${seconds(c.markedAfterKill[1])} after it); ` +
				`${c.rang.length} of those calls rang anyway, ${c.notPlaced.length} never reached UCPaaS; no re-run, no call doubled; ${c.runnerExit}`,
		);
	if (figures.reconcile) console.log(`queue: figures: reconciled: ${figures.reconcile}`);
	if (d)
		console.log(
			`queue: figures: SIGTERM ${d.victim} with ${d.activeAtSignal.length} executions running: "${d.waitingLine.trim()}", exit code ${d.exitCode} after ${seconds(d.exitMs)}; ` +
				`it ran ${d.drainedByVictim} of ${d.n} to the end, the others ${d.bySurvivors}; task runner ${d.runnerStopped ? 'stopped with it' : 'still running after 5 s (killed by the test)'}`,
		);
}

suite.run(main);
