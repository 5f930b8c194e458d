/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-dangerous-functions -- tool code: starts Node processes in other time zones; the values are the API doc's fake worked example */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

import { beijingTimestamp } from '../../nodes/shared/beijingTime';
import { signRequest } from '../../nodes/shared/signature';

// The worked example of shared/docs/ucpaas-api.md §2 (fake values).
const SID = '2c9e1f3a4b5d6e7f8a9b0c1d2e3f4a5b';
const TOKEN = '0123456789abcdef0123456789abcdef';
const INSTANT = new Date('2024-01-15T01:30:00Z');
const EXPECTED = {
	timestamp: '20240115093000',
	sig: '43E6222B801F219EF59D999631F963EE',
	authorization: 'MmM5ZTFmM2E0YjVkNmU3ZjhhOWIwYzFkMmUzZjRhNWI6MjAyNDAxMTUwOTMwMDA=',
};

/**
 * Runs the signer in a fresh Node process whose host time zone is `zone`: jest gives each test
 * file a copy of process.env, so switching TZ in-process would prove nothing.
 */
function signInZone(zone: string): { localHour: number; signature: unknown } {
	const script = `
		const { signRequest } = require('./nodes/shared/signature');
		const instant = new Date('${INSTANT.toISOString()}');
		process.stdout.write(JSON.stringify({ localHour: instant.getHours(), signature: signRequest('${SID}', '${TOKEN}', instant) }));`;
	const tsx = path.join(ROOT, 'node_modules/.bin/tsx');
	const output = execFileSync(tsx, ['-e', script], { cwd: ROOT, env: { ...process.env, TZ: zone }, encoding: 'utf8' });
	return JSON.parse(output) as { localHour: number; signature: unknown };
}

const ROOT = path.resolve(__dirname, '../..');

describe('signRequest', () => {
	test('matches the worked example of the API doc', () => {
		expect(signRequest(SID, TOKEN, INSTANT)).toEqual(EXPECTED);
	});

	test.each([
		['UTC', 1],
		['America/Los_Angeles', 17],
		['Asia/Kolkata', 7],
		['Asia/Shanghai', 9],
	])('gives the same signature when the host runs in %s', (zone, localHour) => {
		const result = signInZone(zone);
		// The local hour proves the child really ran in that zone.
		expect(result.localHour).toBe(localHour);
		expect(result.signature).toEqual(EXPECTED);
	});

	test('uses the 24-hour clock, month before minute, and no milliseconds', () => {
		expect(beijingTimestamp(new Date('2024-12-31T15:59:59.999Z'))).toBe('20241231235959');
		expect(beijingTimestamp(new Date('2024-12-31T16:00:00.000Z'))).toBe('20250101000000');
		expect(beijingTimestamp(new Date('2024-02-29T05:07:08Z'))).toBe('20240229130708');
	});

	test('sig is upper-case hex and Authorization carries no Basic prefix', () => {
		const { sig, authorization } = signRequest(SID, TOKEN, new Date());
		expect(sig).toMatch(/^[0-9A-F]{32}$/);
		expect(Buffer.from(authorization, 'base64').toString()).toMatch(new RegExp(`^${SID}:\\d{14}$`));
	});

	test('a different instant gives a different signature', () => {
		expect(signRequest(SID, TOKEN, new Date(INSTANT.getTime() + 1000)).sig).not.toBe(EXPECTED.sig);
	});
});
