import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { cancelCall } from './actions/cancelCall.operation';
import { placeCall } from './actions/placeCall.operation';
import { route } from './actions/router';

export class UcpaasCallback implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'UCPaaS Callback',
		name: 'ucpaasCallback',
		icon: { light: 'file:../../icons/ucpaas.svg', dark: 'file:../../icons/ucpaas.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ { placeCall: "Place Callback", cancelCall: "Cancel Callback" }[$parameter["operation"]] }}',
		description: 'Place a UCPaaS (云之讯) two-way callback call: ring the caller, then the callee, and bridge them',
		defaults: { name: 'UCPaaS Callback' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'ucpaasApi', required: true }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Place Callback',
						value: 'placeCall',
						action: 'Place a two way callback call',
						description: 'Ring the caller, then the callee, and bridge them. Each run places the calls again.',
					},
					{
						name: 'Cancel Callback',
						value: 'cancelCall',
						action: 'Cancel a callback call',
						description: 'Stop a call placed by Place Callback, by its callId',
					},
				],
				default: 'placeCall',
			},
			...placeCall.description,
			...cancelCall.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return route.call(this);
	}
}
