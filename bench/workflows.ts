/**
 * The benchmark's workflows, generated so that every route does the same work: N items from a
 * Code node, each placing one callBack to its own callee.
 */
import { DEFAULT_ACCOUNT } from '../sandbox';
import { CREDENTIAL_ID, CREDENTIAL_NAME } from '../test/e2e/credentials';

const trigger = { id: 'b0000000-0000-4000-8000-000000000001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };

function items(count: number, firstCallee: number) {
	return {
		id: 'b0000000-0000-4000-8000-000000000002',
		name: 'Items',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [200, 0],
		parameters: { jsCode: `return Array.from({ length: ${count} }, (_, i) => ({ json: { to: String(${firstCallee} + i) } }));` },
	};
}

function workflow(id: string, nodes: object[]) {
	const names = nodes.map((node) => (node as { name: string }).name);
	const connections = Object.fromEntries(names.slice(0, -1).map((name, i) => [name, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }]));
	return { id, name: id, active: false, nodes, connections, settings: { executionOrder: 'v1' }, pinData: {} };
}

export function nodeRoute(id: string, count: number, firstCallee: number, batchSize: number | undefined) {
	return workflow(id, [
		trigger,
		items(count, firstCallee),
		{
			id: 'b0000000-0000-4000-8000-000000000003',
			name: 'UCPaaS Callback',
			type: 'n8n-nodes-ucpaas.ucpaasCallback',
			typeVersion: 1,
			position: [400, 0],
			parameters: {
				operation: 'placeCall',
				fromClient: DEFAULT_ACCOUNT.clientNumber,
				to: '={{ $json.to }}',
				options: batchSize === undefined ? {} : { batching: { batch: { batchSize } } },
			},
			credentials: { ucpaasApi: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } },
		},
	]);
}

/**
 * What a user without this package builds: sign in a Code node, send with the HTTP Request node.
 * (The token sits in the Code node's source, as it must on that route: one more reason for a node.)
 */
const signCode = (baseUrl: string) => `
const crypto = require('crypto');
const sid = ${JSON.stringify(DEFAULT_ACCOUNT.accountSid)};
const token = ${JSON.stringify(DEFAULT_ACCOUNT.authToken)};
const base = ${JSON.stringify(baseUrl)};
const pad = (n) => String(n).padStart(2, '0');
return $input.all().map((item) => {
  const t = new Date(Date.now() + 8 * 3600 * 1000);
  const ts = t.getUTCFullYear() + pad(t.getUTCMonth() + 1) + pad(t.getUTCDate()) + pad(t.getUTCHours()) + pad(t.getUTCMinutes()) + pad(t.getUTCSeconds());
  const sig = crypto.createHash('md5').update(sid + token + ts).digest('hex').toUpperCase();
  return { json: {
    url: base + '/2014-06-30/Accounts/' + sid + '/Calls/callBack?sig=' + sig,
    authorization: Buffer.from(sid + ':' + ts).toString('base64'),
    body: JSON.stringify({ callback: { appId: ${JSON.stringify(DEFAULT_ACCOUNT.appId)}, fromClient: ${JSON.stringify(DEFAULT_ACCOUNT.clientNumber)}, to: item.json.to } }),
  } };
});`;

export function peerRoute(id: string, count: number, firstCallee: number, batchSize: number | undefined, baseUrl: string) {
	return workflow(id, [
		trigger,
		items(count, firstCallee),
		{ id: 'b0000000-0000-4000-8000-000000000004', name: 'Sign', type: 'n8n-nodes-base.code', typeVersion: 2, position: [400, 0], parameters: { jsCode: signCode(baseUrl) } },
		{
			id: 'b0000000-0000-4000-8000-000000000005',
			name: 'HTTP Request',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			position: [600, 0],
			parameters: {
				method: 'POST',
				url: '={{ $json.url }}',
				sendHeaders: true,
				headerParameters: {
					parameters: [
						{ name: 'Accept', value: 'application/json' },
						{ name: 'Authorization', value: '={{ $json.authorization }}' },
					],
				},
				sendBody: true,
				contentType: 'raw',
				rawContentType: 'application/json;charset=utf-8',
				body: '={{ $json.body }}',
				options: batchSize === undefined ? {} : { batching: { batch: { batchSize, batchInterval: 0 } } },
			},
		},
	]);
}
