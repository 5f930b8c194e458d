/**
 * The language policy (README, "Language"): every text a user reads in n8n is English; the
 * vendor's Chinese appears only where it helps a user act: a console label to look for, written
 * "(console: …)", and the vendor's own respCode text, quoted once in an error's description as
 * (UCPaaS: "…"). Search aliases (the codex files) are not shown as text and may carry 云之讯.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { UcpaasApi } from '../../credentials/UcpaasApi.credentials';
import { respCodeFailure } from '../../nodes/shared/apiErrors';
import { RESP_CODES } from '../../nodes/shared/respCodes';
import { UcpaasCallback } from '../../nodes/UcpaasCallback/UcpaasCallback.node';
import { UcpaasCallbackTrigger } from '../../nodes/UcpaasCallbackTrigger/UcpaasCallbackTrigger.node';

const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;
/** What remains of a text once the allowed quotations are taken out. */
const outsideAllowedQuotes = (text: string) => text.replace(/\(console: [^)]*\)/g, '').replace(/\(UCPaaS: "[^"]*"\)/g, '');

/** Every string n8n shows for a parameter: names, help, hints, placeholders, option labels, actions. */
function shownTexts(properties: Array<INodeProperties | INodePropertyOptions>, where: string): Array<[string, string]> {
	const texts: Array<[string, string]> = [];
	for (const property of properties) {
		const here = `${where} › ${'displayName' in property ? property.displayName : property.name}`;
		for (const key of ['displayName', 'name', 'description', 'hint', 'placeholder', 'action'] as const) {
			const value = (property as unknown as Record<string, unknown>)[key];
			if (typeof value === 'string') texts.push([`${here} (${key})`, value]);
		}
		const children = (property as INodeProperties).options ?? (property as unknown as { values?: INodeProperties[] }).values;
		if (Array.isArray(children)) texts.push(...shownTexts(children as Array<INodeProperties | INodePropertyOptions>, here));
	}
	return texts;
}

describe('English first', () => {
	const nodes = [new UcpaasCallback(), new UcpaasCallbackTrigger()];
	const credential = new UcpaasApi();
	const texts: Array<[string, string]> = [
		...nodes.flatMap((node) => {
			const d = node.description;
			const header: Array<[string, string]> = [
				[`${d.displayName} (displayName)`, d.displayName],
				[`${d.displayName} (description)`, d.description],
				[`${d.displayName} (subtitle)`, d.subtitle ?? ''],
				[`${d.displayName} (activationMessage)`, d.activationMessage ?? ''],
				[`${d.displayName} (eventTriggerDescription)`, d.eventTriggerDescription ?? ''],
			];
			return [...header, ...shownTexts(d.properties, d.displayName)];
		}),
		[credential.displayName, credential.displayName],
		...shownTexts(credential.properties, credential.displayName),
		...(credential.test.rules ?? []).map((rule): [string, string] => [`credential test rule`, (rule.properties as { message: string }).message]),
	];

	test('there is something to check', () => {
		expect(texts.length).toBeGreaterThan(60);
	});

	test('every text a user reads is English; Chinese only as "(console: …)" or the vendor\'s quoted respCode text', () => {
		const offending = texts.filter(([, text]) => CJK.test(outsideAllowedQuotes(text))).map(([where, text]) => `${where}: ${text}`);
		expect(offending).toEqual([]);
	});

	test('respCode errors: the message is English only, the description quotes the vendor once', () => {
		for (const code of Object.keys(RESP_CODES).filter((c) => c !== '000000')) {
			const { message, description } = respCodeFailure(code);
			expect(CJK.test(message)).toBe(false);
			expect(description.match(/\(UCPaaS: "/g)).toHaveLength(1);
			expect(description).toContain(`(UCPaaS: "${RESP_CODES[code].zh}")`);
		}
	});
});
