/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tool code: writes import files for the n8n app's command line */
/**
 * `n8n import:workflow` on the lines whose import keeps the file's versionId instead of making one
 * (n8nVersions.ts IMPORT_ASSIGNS_VERSION_ID): the files are copied into the user folder with a
 * fresh versionId each, as `n8n export:workflow` and the editor's Download write them, and the
 * command reads the copies. Nothing else in a workflow changes.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

function withVersionId(text: string): string {
	const parsed = JSON.parse(text) as Record<string, unknown> | Array<Record<string, unknown>>;
	const give = (workflow: Record<string, unknown>) => ({ ...workflow, versionId: workflow.versionId ?? randomUUID() });
	return `${JSON.stringify(Array.isArray(parsed) ? parsed.map(give) : give(parsed), null, 2)}\n`;
}

/** `args` of an import:workflow command, with `--input` pointing at copies that carry a versionId. */
export function importArgsWithVersionIds(args: string[], userFolder: string): string[] {
	const at = args.indexOf('--input');
	if (args[0] !== 'import:workflow' || at < 0 || !args[at + 1]) return args;
	const input = args[at + 1];
	const copies = mkdtempSync(path.join(userFolder, 'import-'));
	if (statSync(input).isDirectory()) {
		for (const file of readdirSync(input).filter((name) => name.endsWith('.json'))) {
			writeFileSync(path.join(copies, file), withVersionId(readFileSync(path.join(input, file), 'utf8')));
		}
		return args.map((arg, i) => (i === at + 1 ? copies : arg));
	}
	const copy = path.join(copies, path.basename(input));
	writeFileSync(copy, withVersionId(readFileSync(input, 'utf8')));
	return args.map((arg, i) => (i === at + 1 ? copy : arg));
}
