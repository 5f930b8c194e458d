/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- tool code: runs in plain Node (sandbox server, tests, scripts), never inside n8n */
/**
 * `npx tsx sandbox/cli.ts [--port 8377] [--host 127.0.0.1] [--push-url URL] [--seed N] [--latency-ms N]`
 * Runs the sandbox in the foreground so a credential's base URL can point at it.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_ACCOUNT, startSandbox } from './index';

const USAGE = `Usage: npx tsx sandbox/cli.ts [options]
  --port <n>        port to listen on (default 8377, 0 = any free port)
  --host <addr>     address to bind (default 127.0.0.1)
  --push-url <url>  where to POST call events (callreq, callestablish, callhangup)
  --seed <n>        deterministic callIds and Client numbers
  --latency-ms <n>  delay every API reply by n ms
  --help            show this text`;

function integer(name: string, text: string | undefined, fallback?: number): number | undefined {
	if (text === undefined) return fallback;
	if (!/^\d+$/.test(text)) {
		console.error(`--${name} needs a non-negative integer, got "${text}"\n\n${USAGE}`);
		process.exit(2);
	}
	return Number(text);
}

async function main(): Promise<void> {
	let values;
	try {
		({ values } = parseArgs({
			options: {
				port: { type: 'string' },
				host: { type: 'string' },
				'push-url': { type: 'string' },
				seed: { type: 'string' },
				'latency-ms': { type: 'string' },
				help: { type: 'boolean', short: 'h' },
			},
		}));
	} catch (error) {
		console.error(`${(error as Error).message}\n\n${USAGE}`);
		process.exit(2);
	}
	if (values.help) {
		console.log(USAGE);
		return;
	}
	const latencyMs = integer('latency-ms', values['latency-ms']);
	const sandbox = await startSandbox({
		port: integer('port', values.port, 8377),
		host: values.host ?? '127.0.0.1',
		pushUrl: values['push-url'],
		seed: integer('seed', values.seed),
		quiet: false,
	});
	if (latencyMs) sandbox.addFault({ fault: { kind: 'latency', ms: latencyMs } });

	console.log(`UCPaaS sandbox listening on ${sandbox.url}  (REST API 2014-06-30)
  base URL        ${sandbox.url}
  account sid     ${DEFAULT_ACCOUNT.accountSid}
  auth token      ${DEFAULT_ACCOUNT.authToken}   (the sandbox's fake token, useless anywhere else)
  appId           ${DEFAULT_ACCOUNT.appId}
  Client number   ${DEFAULT_ACCOUNT.clientNumber}
  bound mobile    ${DEFAULT_ACCOUNT.mobile}
  push URL        ${values['push-url'] ?? '(none: calls are simulated without pushes)'}
  control         ${sandbox.url}/__sandbox/{faults,requests,calls,pushes}
Ctrl-C to stop.`);

	const shutdown = (signal: string) => {
		console.log(`${signal}: stopping the sandbox`);
		void sandbox.stop().then(() => process.exit(0));
	};
	process.once('SIGINT', () => shutdown('SIGINT'));
	process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
	console.error(`sandbox failed to start: ${(error as Error).message}`);
	process.exit(1);
});
