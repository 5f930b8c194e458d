/* eslint-disable @n8n/community-nodes/no-restricted-globals -- tool code: runs in plain Node (sandbox server, tests, scripts), never inside n8n */
import { DEFAULT_ACCOUNT, startSandbox, type RecordedRequest, type Sandbox } from '../../sandbox';
import { decodeDocument } from '../../nodes/shared/codec';
import { runCallbackNode, type NodeRunOptions } from '../harness/engine';
import { sandboxCredentials } from '../harness/sandboxAccount';

/**
 * Every parameter of every operation, fed every kind of bad value through an expression (as a
 * mapped CRM field would arrive), in both body formats. Each value must either be normalised
 * or refused with a NodeOperationError naming the item and the field, and the sandbox's request
 * log must show nothing was sent for a refused item and nothing injected for an accepted one.
 */

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({ quiet: true, call: { delays: { ringMs: 1, talkMs: 1 } } });
});
afterAll(async () => sandbox.stop());

const fullWidth = (text: string) => text.replace(/[0-9+]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** The bad values, built around a unique valid core so accepted values never collide. */
function badValues(core: string): Array<[string, unknown]> {
	return [
		['empty', ''],
		['whitespace', '   \t '],
		['letters', 'abcdefgh'],
		['too long', core.repeat(30)],
		['full-width digits', fullWidth(core)],
		['+86 prefix', `+86 ${core}`],
		['0086 prefix', `0086${core}`],
		['padded', `  ${core}  `],
		['XML/JSON specials', `${core}<>&"'`],
		['CDATA end', `]]>${core}`],
		['CR/LF', `${core}\r\nX-Injected: 1`],
		['number', Number(core)],
		['null', null],
		['object', { value: core }],
		['list', [core]],
		['boolean', true],
		['emoji', `📞${core}`],
		['10 kB string', 'x'.repeat(10240)],
		['JSON breakout', `","to":"110`],
		['XML breakout', `</to><to>110`],
	];
}

interface FieldCase {
	operation: 'placeCall' | 'cancelCall';
	label: string;
	name: string;
	/** Where the parameter lives (options.* for the Options collection). */
	path: string;
	/** A valid core value for this field, made unique per run. */
	core: (n: number) => string;
	extra?: Record<string, unknown>;
}

const FIELDS: FieldCase[] = [
	{ operation: 'placeCall', label: 'Callee Number', name: 'to', path: 'to', core: (n) => `1390${String(n).padStart(7, '0')}` },
	{ operation: 'placeCall', label: 'Caller Client Number', name: 'fromClient', path: 'fromClient', core: () => DEFAULT_ACCOUNT.clientNumber },
	{ operation: 'placeCall', label: 'Caller Mobile Number', name: 'callerMobile', path: 'callerMobile', core: () => DEFAULT_ACCOUNT.mobile, extra: { callerType: 'mobile' } },
	{ operation: 'placeCall', label: 'App ID', name: 'appId', path: 'appId', core: () => DEFAULT_ACCOUNT.appId },
	{ operation: 'placeCall', label: 'Caller Display Number', name: 'fromSerNum', path: 'options.fromSerNum', core: () => '4001234567' },
	{ operation: 'placeCall', label: 'Callee Display Number', name: 'toSerNum', path: 'options.toSerNum', core: () => '075512345678' },
	{ operation: 'placeCall', label: 'Max Call Duration (Seconds)', name: 'maxallowtime', path: 'options.maxallowtime', core: () => '120' },
	{ operation: 'placeCall', label: 'User Data', name: 'userData', path: 'options.userData', core: (n) => `crm-${n}` },
	{ operation: 'placeCall', label: 'Ringtone ID', name: 'ringtoneID', path: 'options.ringtoneID', core: () => 'ring_01' },
	{ operation: 'cancelCall', label: 'Call ID', name: 'callId', path: 'callId', core: () => 'ffffffffffffffffffffffffffffffff' },
	{ operation: 'cancelCall', label: 'App ID', name: 'appId', path: 'appId', core: () => DEFAULT_ACCOUNT.appId },
];

const ALLOWED_BODY_FIELDS: Record<string, string[]> = {
	callback: ['appId', 'fromClient', 'to', 'fromSerNum', 'toSerNum', 'maxallowtime', 'userData', 'ringtoneID'],
	callCancel: ['appId', 'callId'],
};

/** Sets `options.userData`-style paths on the parameter object. */
function withParameter(parameters: Record<string, unknown>, path: string, value: unknown) {
	const [head, tail] = path.split('.');
	if (!tail) return { ...parameters, [head]: value };
	return { ...parameters, [head]: { ...(parameters[head] as object), [tail]: value } };
}

function checkNoInjection(request: RecordedRequest, accountPath: string) {
	expect(request.path.startsWith(accountPath)).toBe(true);
	expect(Object.keys(request.query).sort()).toEqual(request.method === 'GET' ? ['appId', 'mobile', 'sig'] : ['sig']);
	expect(Object.keys(request.headers).some((h) => /injected/i.test(h))).toBe(false);
	if (request.method !== 'POST') return;
	const document = decodeDocument(request.format, request.body);
	const [root, ...others] = Object.keys(document);
	expect(others).toEqual([]);
	if (root === 'client') return;
	const fields = document[root] as Record<string, unknown>;
	for (const [name, value] of Object.entries(fields)) {
		expect(ALLOWED_BODY_FIELDS[root]).toContain(name);
		expect(typeof value === 'string' || typeof value === 'number').toBe(true);
	}
}

let tried = 0;
let refused = 0;
let normalised = 0;
afterAll(() => {
	process.stdout.write(`bad inputs: ${tried} tried, ${refused} refused before sending, ${normalised} normalised and sent\n`);
});

let unique = 1;
describe.each(FIELDS)('$operation: "$label" ($name)', (field) => {
	test.each(['json', 'xml'])('every bad value is normalised or refused, in %s', async (format) => {
		sandbox.clearRequests();
		const values = badValues(field.core(unique));
		const items = values.map(([, value]) => ({ value, to: `1380${String(unique++).padStart(7, '0')}` }));
		const base: Record<string, unknown> =
			field.operation === 'placeCall'
				? { operation: 'placeCall', fromClient: DEFAULT_ACCOUNT.clientNumber, to: '={{ $json.to }}', options: { format } }
				: { operation: 'cancelCall', callId: 'ffffffffffffffffffffffffffffffff', options: { format } };
		const parameters = withParameter({ ...base, ...field.extra }, field.path, '={{ $json.value }}');
		const run = await runCallbackNode({
			parameters: parameters as NodeRunOptions['parameters'],
			items: items as NodeRunOptions['items'],
			credentials: sandboxCredentials(sandbox),
			onError: 'continueErrorOutput',
		});

		expect(run.error).toBeUndefined();
		expect(run.output.length + run.errorOutput.length).toBe(values.length);
		const refusedItems = new Set<number>();
		for (const item of run.errorOutput) {
			const index = (item.pairedItem as { item: number }).item;
			const message = String(item.json.message);
			// Refused by validation or by the platform's answer: either way no call was placed.
			expect(item.json.error).toMatchObject(field.operation === 'placeCall' ? { callMayHaveBeenPlaced: false } : { mayHaveBeenCancelled: false });
			if (message.startsWith('Item ')) {
				// Refused by validation, before sending.
				refusedItems.add(index);
				expect(message).toMatch(new RegExp(`^Item ${index + 1}: "${field.label.replace(/[()]/g, '\\$&')}" \\(${field.name}\\) `));
			} else {
				// Accepted by validation, then answered by the platform (e.g. an unknown callId or mobile).
				expect(message).toMatch(/^(UCPaaS refused the request: \d{6} |No UCPaaS Client is bound)/);
			}
		}
		tried += values.length;
		refused += refusedItems.size;
		normalised += values.length - refusedItems.size;

		const accountPath = `/2014-06-30/Accounts/${DEFAULT_ACCOUNT.accountSid}`;
		for (const request of sandbox.requests) checkNoInjection(request, accountPath);
		const calls = sandbox.requests.filter((r) => /\/Calls\/(callBack|callCancel)$/.test(r.path));
		expect(calls).toHaveLength(values.length - refusedItems.size);
		if (field.operation === 'placeCall') {
			// Nothing went out for a refused item: its unique callee never reached the sandbox.
			const sentCallees = new Set(calls.map((r) => String((decodeDocument(r.format, r.body).callback as Record<string, unknown>).to)));
			for (const index of refusedItems) if (field.name !== 'to') expect(sentCallees.has(items[index].to)).toBe(false);
		}
	});
});
