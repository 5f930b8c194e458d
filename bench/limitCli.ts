/* eslint-disable @n8n/community-nodes/no-restricted-globals -- tool code: a child process of the benchmark */
/** Runs the raw-HTTP limit in its own process, so its memory is measured apart: prints one JSON line. */
import { DEFAULT_ACCOUNT } from '../sandbox';
import { runLimit } from './limit';

async function main() {
	const [baseUrl, concurrency, first, count] = process.argv.slice(2);
	const callees = Array.from({ length: Number(count) }, (_, i) => String(Number(first) + i));
	const result = await runLimit({ ...DEFAULT_ACCOUNT, fromClient: DEFAULT_ACCOUNT.clientNumber, baseUrl, callees, concurrency: Number(concurrency) });
	process.stdout.write(`${JSON.stringify(result)}\n`);
}

void main();
