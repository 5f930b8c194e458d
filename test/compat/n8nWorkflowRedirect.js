/**
 * Preload (`node --require`) for the load check: every `require('n8n-workflow')` in this process,
 * from the package's dist/ or from anything it pulls in, resolves to the package folder named by
 * UCPAAS_N8N_WORKFLOW_DIR (one of the aliased n8n-workflow versions in node_modules). One process
 * per version, so two versions never share a module cache, and the whole process sees a single
 * n8n-workflow, as inside n8n.
 */
const Module = require('node:module');
const path = require('node:path');

const target = process.env.UCPAAS_N8N_WORKFLOW_DIR ?? '';
if (!path.isAbsolute(target) || path.basename(path.dirname(target)) !== 'node_modules') {
	throw new Error(`n8nWorkflowRedirect: UCPAAS_N8N_WORKFLOW_DIR must be the absolute path of a package folder in a node_modules folder, not "${target}"`);
}
// The request is rewritten to the alias's own name and resolved from the folder above its
// node_modules, so the alias's package.json "exports" apply exactly as they do to n8n-workflow.
const alias = path.basename(target);
const lookupFrom = [path.dirname(path.dirname(target))];

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, parent, isMain, options) {
	if (request === 'n8n-workflow' || request.startsWith('n8n-workflow/')) {
		return resolveFilename.call(this, alias + request.slice('n8n-workflow'.length), parent, isMain, { paths: lookupFrom });
	}
	return resolveFilename.call(this, request, parent, isMain, options);
};
