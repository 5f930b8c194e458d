/**
 * What an agent reads in a failed tool call, and the rules it must satisfy. n8n 2.41 hands the
 * agent `${error.name}: ${error.message}\n\nDetails: ${error.description}` (n8n-core
 * get-input-connection-data.js adds the description; the MCP trigger's MessageFormatter adds the
 * name): the node's message and description are all it gets, with no panel around them.
 */
import { expectMatch, expectTrue } from '../e2e/assertions';

/**
 * Advice to repeat the request: "run (the workflow / this node) again", "try again", "retry".
 * "Retry On Fail" (the node setting) is named, not advised, so it does not count.
 */
const REPEAT_ADVICE = /\b(?:re-?run|run|running)\b[^.:;]*\bagain\b|\btry(?:ing)? (?:it )?again\b|\bretry\b(?! on fail)/i;

/** The error text splits into the node's message and its description. */
export function splitToolError(text: string): { name: string; message: string; details: string } {
	const match = /^(\w+): ([\s\S]*?)(?:\n\nDetails: ([\s\S]*))?$/.exec(text);
	expectTrue(match, `the tool error is not "<ErrorName>: <message>\\n\\nDetails: <description>": ${JSON.stringify(text.slice(0, 300))}`);
	return { name: match[1], message: match[2], details: match[3] ?? '' };
}

/**
 * Says what happened and why, with the description after it. n8n wraps whatever the node throws
 * (NodeApiError included) into a NodeOperationError before the trigger formats it.
 */
export function expectExplained(text: string): { message: string; details: string } {
	const parts = splitToolError(text);
	expectTrue(parts.name === 'NodeOperationError', `error name: expected NodeOperationError, got ${parts.name} (${JSON.stringify(text.slice(0, 200))})`);
	expectTrue(parts.details.trim() !== '', `the tool error has no description after its message: ${JSON.stringify(text)}`);
	return parts;
}

/** Never tells the reader to just run, try or retry again. */
export function expectNoRepeatAdvice(text: string): void {
	const found = REPEAT_ADVICE.exec(text);
	expectTrue(!found, `the text advises repeating the request ("${found?.[0] ?? ''}"): ${JSON.stringify(text)}`);
}

/** For a request that may have placed a call: says so, and says not to place it again before checking. */
export function expectWarnsCallMayExist(text: string): void {
	expectMatch(text, /\bmay have (?:reached UCPaaS|been placed|taken effect)\b/i, 'says the call may exist');
	expectMatch(text, /\bphones? (?:may|might) (?:be|already be) ringing\b|\bcall (?:may|might) (?:already )?(?:exist|be ringing)\b/i, 'says someone may already be rung');
	expectMatch(text, /\bdo not (?:send|place) it again\b/i, 'says not to place it again');
	expectMatch(text, /call records|Call Ended event/, 'says where to check');
}
