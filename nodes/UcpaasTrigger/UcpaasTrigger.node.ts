import { UcpaasCallbackTrigger } from '../UcpaasCallbackTrigger/UcpaasCallbackTrigger.node';

/**
 * The trigger's first type name, `ucpaasTrigger`, kept so that workflows saved with it still load
 * and run. Hidden from the node creator: new workflows get UCPaaS Callback Trigger, whose name
 * pairs it with the UCPaaS Callback node. Same behaviour, same parameters.
 */
export class UcpaasTrigger extends UcpaasCallbackTrigger {
	constructor() {
		super();
		this.description = {
			...this.description,
			displayName: 'UCPaaS Trigger (Old Name)',
			name: 'ucpaasTrigger',
			hidden: true,
			defaults: { name: 'UCPaaS Trigger' },
		};
	}
}
