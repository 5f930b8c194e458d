/**
 * `node --require ./n8nWorkflowRedirect.js loadPackage.js <package root>`
 *
 * Loads a built copy of the package the way n8n's DirectoryLoader does: for every file that
 * package.json's `n8n.credentials` and `n8n.nodes` list, the class named after the file
 * (`UcpaasCallback.node.js` → `UcpaasCallback`) is required and instantiated, and its description
 * (a node) or properties (a credential) read. It also lists every member of n8n-workflow that
 * dist/ reads, found in the compiled code, and which of them the loaded n8n-workflow lacks: a
 * symbol used only inside execute() would not fail at load, only later in a user's workflow.
 *
 * Prints one line, `LOAD-REPORT {json}`, whatever fails; anything else n8n-workflow prints on
 * load stays out of it.
 */
const { readdirSync, readFileSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(process.argv[2] ?? '');
const report = { node: process.version, n8nWorkflow: null, copiesLoaded: [], usage: null, entries: [], ms: {} };

const elapsed = (from) => Number(process.hrtime.bigint() - from) / 1e6;
const describeError = (error) => (error instanceof Error ? error.message : String(error));

/** The folder of the package a file belongs to: the first node_modules/<name> on its path. */
function packageFolder(file) {
	const match = /^(.*?[\\/]node_modules[\\/](?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(file);
	return match ? match[1] : null;
}

function jsFiles(folder) {
	return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(folder, entry.name);
		if (entry.isDirectory()) return jsFiles(full);
		return entry.name.endsWith('.js') ? [full] : [];
	});
}

/**
 * The members of n8n-workflow that dist/ reads. tsc compiles `import { X } from 'n8n-workflow'`
 * to `var n8n_workflow_1 = require("n8n-workflow")` and every use to `n8n_workflow_1.X`; esbuild
 * keeps both as they are (n8n-workflow is external). A require that is not bound that way is
 * counted apart, so a change of output shape fails the check instead of hiding the symbols.
 */
function workflowUsage(dist) {
	const symbols = new Set();
	let requires = 0;
	let bindings = 0;
	for (const file of jsFiles(dist)) {
		const code = readFileSync(file, 'utf8');
		requires += (code.match(/require\(["']n8n-workflow["']\)/g) ?? []).length;
		const names = new Set();
		for (const [, name] of code.matchAll(/\b(?:var|let|const)\s+([\w$]+)\s*=\s*require\(["']n8n-workflow["']\)/g)) {
			bindings += 1;
			names.add(name);
		}
		for (const name of names) {
			const escaped = name.replace(/\$/g, '\\$');
			for (const [, member] of code.matchAll(new RegExp(`(?<![\\w$.])${escaped}\\.([A-Za-z_$][\\w$]*)`, 'g'))) symbols.add(member);
		}
	}
	return { requires, bindings, symbols: [...symbols].sort() };
}

function loadEntry(relative, kind, workflow) {
	const file = path.join(root, relative);
	const className = path.basename(file).split('.')[0];
	const entry = { file: relative, kind, className, ok: false };
	const started = process.hrtime.bigint();
	try {
		const exported = require(file)[className];
		if (typeof exported !== 'function') throw new Error(`${relative} exports no class named ${className} (n8n looks the class up by the file's name)`);
		const instance = new exported();
		if (kind === 'node') {
			const description = instance.description;
			const connectionTypes = new Set(Object.values(workflow.NodeConnectionTypes ?? {}));
			const unresolved = [...description.inputs, ...description.outputs].filter((type) => typeof type !== 'string' || !connectionTypes.has(type));
			if (unresolved.length) throw new Error(`inputs/outputs not among this n8n-workflow's NodeConnectionTypes: ${JSON.stringify(unresolved)}`);
			Object.assign(entry, {
				name: description.name,
				displayName: description.displayName,
				version: description.version,
				inputs: description.inputs,
				outputs: description.outputs,
				properties: description.properties.map((property) => property.name),
			});
		} else {
			Object.assign(entry, {
				name: instance.name,
				displayName: instance.displayName,
				properties: instance.properties.map((property) => property.name),
				authenticate: typeof instance.authenticate,
				test: Boolean(instance.test),
			});
		}
		entry.ok = true;
	} catch (error) {
		entry.error = describeError(error);
	}
	entry.ms = elapsed(started);
	return entry;
}

function main() {
	const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
	const startedWorkflow = process.hrtime.bigint();
	const resolved = require.resolve('n8n-workflow', { paths: [path.join(root, 'dist')] });
	const workflow = require('n8n-workflow');
	report.ms.n8nWorkflow = elapsed(startedWorkflow);
	const folder = packageFolder(resolved);
	const own = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8'));
	report.n8nWorkflow = {
		resolved,
		name: own.name,
		version: own.version,
		hasNodeConnectionTypes: typeof workflow.NodeConnectionTypes === 'object' && workflow.NodeConnectionTypes !== null,
	};

	const startedEntries = process.hrtime.bigint();
	for (const relative of manifest.n8n.credentials) report.entries.push(loadEntry(relative, 'credential', workflow));
	for (const relative of manifest.n8n.nodes) report.entries.push(loadEntry(relative, 'node', workflow));
	report.ms.entries = elapsed(startedEntries);

	const usage = workflowUsage(path.join(root, 'dist'));
	report.usage = { ...usage, missing: usage.symbols.filter((symbol) => workflow[symbol] === undefined) };

	// Every n8n-workflow in the module cache, whatever folder name it came in under.
	const folders = new Set();
	for (const file of Object.keys(require.cache)) {
		const candidate = packageFolder(file);
		if (candidate && /[\\/]n8n-workflow[^\\/]*$/.test(candidate)) folders.add(candidate);
	}
	report.copiesLoaded = [...folders].sort();
}

try {
	main();
} catch (error) {
	report.crash = describeError(error);
}
console.log(`LOAD-REPORT ${JSON.stringify(report)}`);
