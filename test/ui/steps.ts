/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tool code: drives the n8n editor in a browser and a sandbox over loopback */
/**
 * The seven things a user does with the package in the editor, each one check (or a few) with a
 * screenshot under artifacts/ui/. They run in order on one page, like one person's session:
 * the credential made in step 3 is the one steps 4–7 use, and the trigger workflow published in
 * step 6 is the push address that resumes step 7's waiting run.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

import type { INodeProperties } from 'n8n-workflow';

import { UcpaasCallback } from '../../nodes/UcpaasCallback/UcpaasCallback.node';
import { UcpaasCallbackTrigger } from '../../nodes/UcpaasCallbackTrigger/UcpaasCallbackTrigger.node';
import { splitUserData } from '../../nodes/shared/waitTag';
import { DEFAULT_ACCOUNT, startSandbox, type Sandbox } from '../../sandbox';
import { expectContains, expectEqual, expectMatch, expectTrue, type CheckList } from '../e2e/assertions';
import type { N8nInstance } from '../e2e/n8nInstance';
import { callBacks, expectSigned } from '../e2e/sandboxRecords';
import { placeSignedCall } from '../e2e/signedCall';
import { textDefects, type EditorBrowser, type PageEvent } from './browser';
import {
	clickEntry,
	closeCredentialModal,
	closeNdv,
	credentialModal,
	creatorText,
	executeStep,
	expressionPreviews,
	fillCredential,
	fillParameter,
	ndv,
	newWorkflow,
	openNodeCreator,
	outputPanel,
	parameterLabels,
	parametersText,
	saveCredential,
	searchNodes,
	settle,
	truncatedCanvasLabels,
	visibleEntries,
} from './editor';

export interface UiSession {
	editor: EditorBrowser;
	n8nUrl: string;
	sandbox: Sandbox;
	instance: N8nInstance;
	checks: CheckList;
	/** Every page text read during the run, scanned for the Auth Token at the end. */
	pageTexts: string[];
}

const CALLBACK = 'UCPaaS Callback';
const CALLEE = '13912340001';
const TRIGGER_CALLEE = '13912340061';
const TRIGGER_USER_DATA = 'ui-crm-7';
const WRONG_TOKEN = 'f'.repeat(32);
/** Step 7's callee: the sandbox rings it this long before it answers, so the run is seen waiting; its Call Ended then resumes it. */
const WAIT_CALLEE = '13912340071';
const WAIT_RING_MS = 20_000;
const WAIT_TALK_SECONDS = 37;

type OperationOption = { name: string; value: string; action?: string };

function operationOptions(): OperationOption[] {
	const operation = new UcpaasCallback().description.properties.find((p) => p.name === 'operation') as INodeProperties;
	return operation.options as OperationOption[];
}

/** The actions the node creator lists, straight from the node's description. */
function operationActions(): string[] {
	return operationOptions().map((o) => o.action ?? '');
}

/** Place Callback and Wait as the node describes it: its option, the Max Wait field and the notice. */
function placeAndWaitDescription() {
	const option = operationOptions().find((o) => o.value === 'placeCallAndWait');
	const properties = new UcpaasCallback().description.properties;
	const maxWait = properties.find((p) => p.name === 'maxWaitMinutes');
	const notice = properties.find((p) => p.name === 'waitNotice');
	if (!option?.action || !maxWait || !notice) throw new Error('the node describes no Place Callback and Wait (option placeCallAndWait, maxWaitMinutes, waitNotice)');
	return { name: option.name, action: option.action, maxWait: { label: maxWait.displayName, default: maxWait.default as number }, notice: notice.displayName };
}
const WAIT = placeAndWaitDescription();

/** "On call ended" and its siblings: n8n's wording for each option of the trigger's Events. */
function triggerEntries(): string[] {
	const events = new UcpaasCallbackTrigger().description.properties.find((p) => p.name === 'events') as INodeProperties;
	return (events.options as Array<{ name: string }>).map((o) => `On ${o.name.toLowerCase()}`);
}

/**
 * Console and network noise that is n8n's, not the package's, each named:
 *   - the node details panel fetches `registry.npmjs.org/<package>` for a community node's npm
 *     metadata; here it fails on the closed proxy (ERR_PROXY_CONNECTION_FAILED);
 *   - before sign-in the editor asks GET /rest/login, which answers 401;
 *   - requests the page cut short itself when it navigated on (net::ERR_ABORTED).
 */
export const REGISTRY_LOOKUP = 'https://registry.npmjs.org/n8n-nodes-ucpaas';

export function isKnownNoise(event: PageEvent): boolean {
	// A request cut short because the page navigated on (or the editor cancelled it): not an error.
	if (event.kind === 'requestfailed' && event.text === 'net::ERR_ABORTED') return true;
	if (event.url === REGISTRY_LOOKUP && /ERR_PROXY_CONNECTION_FAILED/.test(event.text)) return true;
	return event.step === 'setup' && event.kind === 'console' && event.url.endsWith('/rest/login') && /\b401\b/.test(event.text);
}

function unexpectedEvents(editor: EditorBrowser): string[] {
	return editor.events.filter((e) => !isKnownNoise(e)).map((e) => `[${e.step}] ${e.kind}: ${e.text} (${e.url})`);
}

const accountReads = (sandbox: Sandbox) => sandbox.requests.filter((r) => r.method === 'GET' && r.path === `/2014-06-30/Accounts/${DEFAULT_ACCOUNT.accountSid}`);

async function shot(session: UiSession, name: string): Promise<void> {
	// Out of the way: a hovered button renders as a blank highlight.
	await session.editor.page.mouse.move(1, 999);
	session.pageTexts.push(await session.editor.readableText());
	await session.editor.screenshot(name);
}

/** A REST call from inside the page, with the editor's own cookie and browser-id, as the editor makes it. */
async function pageRest<T>(session: UiSession, url: string): Promise<{ status: number; body: T }> {
	const reply = await session.editor.page.evaluate(async (target) => {
		const response = await fetch(target, { headers: { accept: 'application/json', 'browser-id': localStorage.getItem('n8n-browserId') ?? '' } });
		return { status: response.status, text: await response.text() };
	}, url);
	return { status: reply.status, body: JSON.parse(reply.text) as T };
}

export const UI_CHECKS = [
	'1 node creator: "UCPaaS", "callback" and "call ended" each find the UCPaaS Callback entry (the trigger merged into it, the old type hidden); its details list the trigger\'s events and the actions',
	'2 UCPaaS Callback panel: Callee Number first, then the caller, App ID, the repeat-call guard (on, its notice saying what manual runs do), Calling Hours Only, Options, the Retry notice last; no "undefined", "NaN", "[object Object]" or raw JSON; the node\'s name fits on the canvas; no page errors',
	'3 credential modal: a wrong Auth Token fails with 101116 and says what to check (token vs Account SID, clock); the sandbox saw one refused account read',
	'3 credential modal: with the right token the test passes (n8n closes the modal; reopened it says "Connection tested successfully"); the token is not sent back to the page',
	'4 Execute step: the output panel shows the callId; the sandbox saw exactly one signed callBack',
	'4 Execute step again: the output says skipped: true (repeatCall, a manual run) and how to call again now (Options > Manual Runs); the sandbox saw no second callBack',
	'5 bad callee: the error names the field ("Item 1: \\"Callee Number\\" (to)") and says nothing was sent; the sandbox saw nothing new',
	'5 the other operations\' panels (Cancel Callback, Download Recording): the field everyone fills first, no "undefined", "NaN", "[object Object]" or raw JSON',
	'6 trigger panel: the production URL, and a notice whose words match this n8n (Webhook URLs, publish, Execute step, Test this trigger)',
	'6 trigger: published in the editor (the activation message shows); a sandbox call pushes to the production URL; the execution is listed in the editor with the call\'s callhangup item',
	`7 ${WAIT.name}: the node creator's action "${WAIT.action}" opens a panel with Place Callback's fields, then ${WAIT.maxWait.label} (${WAIT.maxWait.default}) and the notice, as the node describes them; no "undefined", "NaN", "[object Object]" or raw JSON`,
	'7 Execute workflow while the call rings: the editor shows the run waiting (the canvas node\'s waiting state, the logs "Waiting for input"), n8n has it as a waiting manual execution, and the call\'s User Data names that execution',
	'7 the call\'s Call Ended, pushed to the trigger published in step 6, resumes the run: the output panel shows outcome answered with the callId and talk time; the trigger\'s item says waitingRun resumed',
];

export async function runUiSteps(session: UiSession): Promise<void> {
	const { editor, n8nUrl, sandbox, checks } = session;
	const { page } = editor;
	const [creator, panel, credentialBad, credentialOk, execute, executeAgain, badCallee, otherPanels, triggerPanel, triggerRun] = UI_CHECKS;
	const actions = operationActions();
	const placeAction = actions[0];

	editor.step = '01';
	const found = await checks.check(creator, async () => {
		await newWorkflow(page, n8nUrl);
		await openNodeCreator(page);
		for (const query of ['UCPaaS', 'callback', 'call ended']) {
			const entries = await searchNodes(page, query);
			if (query === 'call ended') await shot(session, '01a-node-creator-search-call-ended');
			const titles = entries.map((e) => e.title);
			expectTrue(titles.includes(CALLBACK), `search "${query}" lists ${JSON.stringify(titles)}, not "${CALLBACK}"`);
			expectEqual(
				titles.filter((t) => /ucpaas/i.test(t)),
				[CALLBACK],
				`UCPaaS entries for "${query}" (one entry: the trigger is merged into it, the old UCPaaS Trigger type stays hidden)`,
			);
		}
		await clickEntry(page, CALLBACK);
		const details = await settle(() => creatorText(page), (text) => /Triggers \(\d+\)/.test(text));
		expectContains(details, `Triggers (${triggerEntries().length})`, 'node details');
		expectTrue(!/No .* Triggers available/i.test(details), `the node details say no triggers are available: ${details.slice(0, 300)}`);
		const actionsHeader = page.locator('[data-test-id=node-creator]').getByText(`Actions (${actions.length})`);
		await actionsHeader.click();
		const entries = await settle(() => visibleEntries(page), (list) => list.some((e) => e.title === placeAction));
		expectEqual(
			entries.map((e) => e.title),
			[...triggerEntries().sort(), ...actions],
			'node details entries (triggers, then actions)',
		);
		await shot(session, '01b-node-details');
	});

	editor.step = '02';
	/** Place Callback's panel as step 2 read it: Place Callback and Wait shows the same fields first. */
	let placeLabels: string[] | undefined;
	const added = await checks.check(panel, async () => {
		if (!found) {
			// Step 1 failed somewhere: reach the action the plain way, so this step still says something.
			await newWorkflow(page, n8nUrl);
			await openNodeCreator(page);
			await searchNodes(page, 'UCPaaS');
			await clickEntry(page, CALLBACK);
			await page.locator('[data-test-id=node-creator]').getByText(/^Actions \(\d+\)$/).click();
		}
		await clickEntry(page, placeAction);
		await ndv(page).waitFor();
		await page.locator('[data-test-id=ndv] [data-test-id=parameter-input-to]').waitFor();
		const labels = await parameterLabels(page);
		expectEqual(
			labels.slice(0, 10),
			['Credential', 'Resource', 'Operation', 'Callee Number', 'Caller Given As', 'Caller Client Number', 'App ID', 'Repeat-Call Guard', 'Repeat Window (Minutes)', 'Same Call Means'],
			'panel order',
		);
		// A node added now is version 2: the guard is on, and its notice says what manual runs do.
		expectMatch(labels[10], /^Within the window this workflow calls each callee once\..*Manual runs \(Execute step\) are guarded among themselves, apart from production/, 'the repeat-call guard notice');
		expectEqual(labels.slice(11, 13), ['Calling Hours Only', 'Options'], 'panel order after the guard');
		expectMatch(labels[labels.length - 1], /Retry On Fail/, 'last item of the panel');
		expectEqual(labels.length, 14, `panel items (${JSON.stringify(labels)})`);
		placeLabels = labels;
		const text = await parametersText(page);
		await shot(session, '02a-callback-panel');
		const add = ndv(page).locator('[data-test-id=collection-parameter-add] input').first();
		await add.click();
		const options = await settle(
			() => page.locator('.el-select-dropdown__item').evaluateAll((els) => els.filter((e) => (e as HTMLElement).offsetParent !== null).map((e) => (e as HTMLElement).innerText.trim())),
			(list) => list.length > 0,
		);
		await shot(session, '02b-callback-options');
		await add.click();
		for (const option of ['User Data', 'Max Call Duration (Seconds)', 'Manual Runs', 'Repeat Guard Scope', 'Skipped Items']) {
			expectTrue(options.includes(option), `the Options list has no "${option}": ${JSON.stringify(options)}`);
		}
		expectEqual(textDefects([text, ...options].join('\n')), [], 'defects in the panel text');
		// The Retry notice sends the user to the Settings tab: what it names must be there.
		const notice = labels[labels.length - 1];
		await ndv(page).getByText('Settings', { exact: true }).first().click();
		const settings = await settle(() => parameterLabels(page), (list) => list.includes('On Error'));
		await shot(session, '02d-callback-settings');
		for (const name of ['Retry On Fail', 'On Error']) {
			expectContains(notice, name, 'the Retry notice');
			expectTrue(settings.includes(name), `the Settings tab has no "${name}" (${JSON.stringify(settings)})`);
		}
		await ndv(page).getByText('Parameters', { exact: true }).first().click();
		await closeNdv(page);
		expectEqual(await truncatedCanvasLabels(page), [], 'node names cut off on the canvas');
		await shot(session, '02c-canvas');
		expectEqual(unexpectedEvents(editor), [], 'page errors and console errors so far');
		await page.locator('[data-test-id=canvas-node]').filter({ hasText: 'Place Callback' }).first().dblclick();
		await ndv(page).waitFor();
	});

	editor.step = '03';
	const credentialOpened = await checksAfter(checks, added, 'the Callback panel did not open', credentialBad, async () => {
			const before = accountReads(sandbox).length;
			await ndv(page).locator('[data-test-id=node-credentials-empty-state] button').first().click();
			const modal = credentialModal(page);
			await modal.waitFor();
			await fillCredential(page, 'accountSid', DEFAULT_ACCOUNT.accountSid);
			await fillCredential(page, 'authToken', WRONG_TOKEN);
			await fillCredential(page, 'appId', DEFAULT_ACCOUNT.appId);
			await fillCredential(page, 'baseUrl', sandbox.url);
			await saveCredential(page);
			await modal.getByText(/Couldn.t connect with these settings/).waitFor({ timeout: 60_000 });
			const more = modal.getByText('More details');
			if (await more.isVisible()) await more.click();
			const text = await settle(() => modal.innerText(), (t) => t.includes('101116'));
			await shot(session, '03a-credential-wrong-token');
			for (const needle of ['101116', 'Signature mismatch', 'The Auth Token does not match the Account SID', 'clock']) expectContains(text, needle, 'the failure banner');
			expectEqual(textDefects(text), [], 'defects in the credential modal');
			const reads = accountReads(sandbox).slice(before);
			expectEqual(reads.map((r) => r.verdict.respCode), ['101116'], 'account reads the sandbox answered');
		});
	const credentialMade = await checksAfter(checks, credentialOpened, 'the credential modal did not open', credentialOk, async () => {
			const before = accountReads(sandbox).length;
			const modal = credentialModal(page);
			await fillCredential(page, 'authToken', DEFAULT_ACCOUNT.authToken);
			await saveCredential(page);
			await modal.waitFor({ state: 'hidden', timeout: 60_000 });
			await page.locator('[data-test-id=credential-edit-button]').click();
			await modal.waitFor();
			await modal.getByText('Connection tested successfully').waitFor({ timeout: 60_000 });
			await shot(session, '03b-credential-test-ok');
			const token = await modal.locator('[data-test-id=parameter-input-authToken] input').first().inputValue();
			expectTrue(token !== DEFAULT_ACCOUNT.authToken, 'the reopened credential holds the Auth Token itself');
			const reads = accountReads(sandbox).slice(before);
			expectEqual(
				reads.map((r) => r.verdict),
				reads.map(() => ({ respCode: '000000', ok: true })),
				'account reads after the fix (all signed and accepted)',
			);
			expectEqual(reads.length, 2, 'account reads after the fix (the save, then the reopened modal)');
			await closeCredentialModal(page);
		});

	editor.step = '04';
	const executed = await checksAfter(checks, credentialMade, 'there is no working credential', execute, async () => {
			const before = callBacks(sandbox).length;
			await fillParameter(page, 'to', CALLEE);
			await fillParameter(page, 'fromClient', DEFAULT_ACCOUNT.clientNumber);
			await executeStep(page);
			const output = await settle(() => outputPanel(page).innerText(), (t) => /\b[0-9a-f]{32}\b/.test(t) || /error/i.test(t), 60_000);
			await shot(session, '04-execute-step-output');
			const sent = callBacks(sandbox).slice(before);
			expectEqual(sent.length, 1, 'callBack requests the sandbox received');
			expectSigned(sent[0]);
			const call = sandbox.calls.find((c) => c.to === CALLEE);
			expectTrue(call, `the sandbox has no call to ${CALLEE}`);
			expectContains(output, 'callId', 'the output panel');
			expectContains(output, call.callId, 'the output panel');
		});

	if (!executed) checks.skip(executeAgain, 'Execute step did not work');
	else
		await checks.check(executeAgain, async () => {
			const before = callBacks(sandbox).length;
			await executeStep(page);
			const output = await settle(() => outputPanel(page).innerText(), (t) => t.includes('repeatCall'), 60_000);
			await shot(session, '04b-execute-step-again-skipped');
			for (const needle of ['skipped', 'repeatCall', 'manual runs', 'Options > Manual Runs to Not Guarded']) expectContains(output, needle, 'the output panel');
			expectEqual(callBacks(sandbox).length - before, 0, 'callBack requests the sandbox received for the second Execute step');
		});

	editor.step = '05';
	if (!executed) checks.skip(badCallee, 'Execute step did not work');
	else
		await checks.check(badCallee, async () => {
			const before = sandbox.requests.length;
			await fillParameter(page, 'to', 'call me');
			await executeStep(page);
			const message = page.locator('[data-test-id=node-error-message]').first();
			await message.waitFor({ timeout: 60_000 });
			const headline = await message.innerText();
			const description = await page.locator('[data-test-id=node-error-description]').first().innerText();
			await shot(session, '05-bad-callee');
			expectContains(headline, 'Item 1: "Callee Number" (to)', 'the error headline');
			expectContains(headline, '"call me"', 'the error headline (the value that was refused)');
			expectMatch(description, /Nothing was sent/, 'the error description');
			await new Promise((resolve) => setTimeout(resolve, 1_500));
			expectEqual(sandbox.requests.slice(before).map((r) => `${r.method} ${r.path}`), [], 'requests the sandbox received');
		});

	editor.step = '05b';
	await checksAfter(checks, added, 'the Callback panel did not open', otherPanels, async () => {
		// Download Recording ends with its notice on n8n 1.x's in-memory files, shown as its text.
		const binaryModeNotice = new UcpaasCallback().description.properties.find((p) => p.name === 'binaryModeNotice')?.displayName ?? '(no binaryModeNotice)';
		const expected: Record<string, string[]> = {
			'Cancel Callback': ['Credential', 'Resource', 'Operation', 'Call ID', 'App ID', 'Options'],
			'Download Recording': ['Credential', 'Resource', 'Operation', 'Recording URL', 'Call ID', 'Put Output File in Field', 'Options', binaryModeNotice],
		};
		const seen: Record<string, string[]> = {};
		const defects: string[] = [];
		for (const [operation, order] of Object.entries(expected)) {
			await ndv(page).locator('[data-test-id=parameter-input-operation]').click();
			await page.locator('.el-select-dropdown__item').filter({ hasText: operation }).first().click();
			seen[operation] = await settle(() => parameterLabels(page), (labels) => labels.includes(order[3]));
			defects.push(...textDefects(await parametersText(page)));
			const previews = await expressionPreviews(page);
			if (previews.length) checks.note(`${operation}: n8n previews its expression defaults against this input (a manual trigger): ${previews.join('; ')}`);
			await shot(session, `05b-${operation.toLowerCase().replace(/ /g, '-')}-panel`);
		}
		expectEqual(seen, expected, 'panel order per operation');
		expectEqual(defects, [], 'defects in the panels');
	});

	editor.step = '06';
	let productionUrl: string | undefined;
	const shown = await checksAfter(checks, credentialMade, 'there is no working credential', triggerPanel, async () => {
			await newWorkflow(page, n8nUrl);
			await openNodeCreator(page);
			await searchNodes(page, 'call ended');
			await clickEntry(page, CALLBACK);
			await clickEntry(page, 'On call ended');
			await ndv(page).waitFor();
			const notice = ndv(page).locator('.notice').first();
			await notice.waitFor();
			const noticeText = await notice.innerText();
			const headline = ndv(page).locator('.webhooks .clickable.headline').first();
			expectContains(noticeText, '"Webhook URLs"', 'the notice');
			expectContains(await headline.innerText(), 'Webhook URLs', 'the webhook section headline');
			expectContains(noticeText, 'publish', 'the notice');
			expectEqual((await page.locator('[data-test-id=workflow-open-publish-modal-button]').innerText()).trim(), 'Publish', 'the header button');
			expectContains(noticeText, '"Execute step"', 'the notice');
			expectContains(await ndv(page).locator('[data-test-id=node-execute-button]').first().innerText(), 'Execute step', 'the NDV run button');
			expectContains(noticeText, '"Test this trigger"', 'the notice');
			expectTrue(await outputPanel(page).getByText('Test this trigger').first().isVisible(), 'no "Test this trigger" button in the output panel');
			for (const stale of [/activate/i, /Listen for Test Event/i, /shown above/i]) expectTrue(!stale.test(noticeText), `the notice still says ${stale}: ${noticeText}`);
			expectContains(await ndv(page).innerText(), 'Call Ended', 'the Events field (preset by "On call ended")');
			await headline.click();
			await ndv(page).locator('.webhooks [data-test-id=radio-button-production]').click();
			const urlText = await settle(() => ndv(page).locator('.webhooks').innerText(), (t) => t.includes('/webhook/'));
			const match = new RegExp(`${n8nUrl.replace(/[.:/]/g, '\\$&')}/webhook/[0-9a-f-]{36}/webhook`).exec(urlText);
			expectTrue(match, `no production URL under ${n8nUrl} in the webhook section: ${urlText}`);
			productionUrl = match[0];
			// n8n's own explanation under the input panel, opened as a curious user would.
			await ndv(page).getByText('When will this node trigger my flow?').click();
			expectEqual(textDefects([await parametersText(page), await ndv(page).innerText()].join('\n')), [], 'defects in the trigger panel');
			await shot(session, '06a-trigger-panel');
		});

	let triggerWorkflowId: string | undefined;
	let published = false;
	const pushUrl = productionUrl;
	if (!shown || !pushUrl) checks.skip(triggerRun, 'the trigger panel did not show a production URL');
	else
		published = await checks.check(triggerRun, async () => {
			await closeNdv(page);
			await page.locator('[data-test-id=workflow-open-publish-modal-button]').click();
			await page.locator('[data-test-id=workflow-publish-button]').click();
			const activation = page.locator('[data-test-id=activation-modal]');
			await activation.waitFor({ timeout: 60_000 });
			const activationText = await activation.innerText();
			await shot(session, '06b-published');
			expectContains(activationText, new UcpaasCallbackTrigger().description.activationMessage ?? '?', 'the "Workflow published" dialog');
			await activation.getByRole('button', { name: 'Got it' }).click();
			const workflowId = /\/workflow\/([^/?]+)/.exec(page.url())?.[1];
			expectTrue(workflowId, `no workflow id in ${page.url()}`);
			triggerWorkflowId = workflowId;
			await waitForRegistration(pushUrl, n8nUrl);

			const callId = await pushOneCall(pushUrl);
			await page.locator('[data-test-id=radio-button-executions]').click();
			const list = page.locator('[data-test-id=current-executions-list]');
			const listed = await settle(() => list.innerText().catch(() => ''), (t) => /Succeeded/.test(t), 60_000);
			await shot(session, '06c-executions');
			expectEqual((listed.match(/Succeeded/g) ?? []).length, 1, `executions listed in the editor (${JSON.stringify(listed)})`);
			expectTrue(!/Error|Failed/.test(listed), `a failed execution is listed: ${listed}`);

			const filter = encodeURIComponent(JSON.stringify({ workflowId }));
			const executions = await pageRest<{ data?: { results?: Array<{ id: string; mode?: string; status?: string }> } }>(session, `/rest/executions?filter=${filter}`);
			expectEqual(executions.status, 200, 'GET /rest/executions');
			const results = executions.body.data?.results ?? [];
			expectEqual(results.map((e) => [e.mode, e.status]), [['webhook', 'success']], 'executions of the published workflow (only Call Ended starts it)');
			const detail = await pageRest<{ data?: { data?: string } }>(session, `/rest/executions/${results[0].id}`);
			const run = flattedParse(session.instance)(detail.body.data?.data ?? '[]') as RunData;
			const item = run.resultData?.runData?.['UCPaaS Callback Trigger']?.[0]?.data?.main?.[0]?.[0]?.json ?? {};
			expectEqual(
				{ event: item.event, callId: item.callId, callee: item.callee, userData: item.userData },
				{ event: 'callhangup', callId, callee: TRIGGER_CALLEE, userData: TRIGGER_USER_DATA },
				'the trigger item of the execution',
			);
		});

	editor.step = '07';
	await placeAndWaitSteps(session, {
		credentialMade,
		placeLabels,
		trigger: published && pushUrl && triggerWorkflowId ? { pushUrl, workflowId: triggerWorkflowId } : undefined,
	});
}

interface PlaceAndWaitContext {
	credentialMade: boolean;
	/** Place Callback's panel as step 2 read it (undefined when step 2 failed). */
	placeLabels: string[] | undefined;
	/** The trigger workflow step 6 published: its production URL becomes the console's push address. */
	trigger: { pushUrl: string; workflowId: string } | undefined;
}

type RunData = { resultData?: { runData?: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }>> } }>> } };

/**
 * Step 7, Place Callback and Wait as a user meets it: chosen in the node creator, its panel, then
 * Execute workflow. The sandbox rings the callee for WAIT_RING_MS before it answers (an outcome
 * fault), so the run is seen waiting while the call is on; the call's Call Ended then goes to the
 * console's push address, the production URL of step 6's trigger workflow, which forwards it to
 * the waiting run. (A callee whose pushes are lost would wait just as well, but nothing could then
 * resume it before Max Wait, one minute at least, and n8n's wait tracker looks only every 60 s.)
 */
async function placeAndWaitSteps(session: UiSession, context: PlaceAndWaitContext): Promise<void> {
	const { editor, n8nUrl, sandbox, checks } = session;
	const { page } = editor;
	const [waitPanel, waitWaiting, waitResumed] = UI_CHECKS.slice(-3);
	const waitNode = page.locator('[data-test-id=canvas-node]').filter({ hasText: WAIT.name }).first();

	const opened = await checksAfter(checks, context.credentialMade, 'there is no working credential', waitPanel, async () => {
		await newWorkflow(page, n8nUrl);
		await openNodeCreator(page);
		await searchNodes(page, 'UCPaaS');
		await clickEntry(page, CALLBACK);
		await page.locator('[data-test-id=node-creator]').getByText(/^Actions \(\d+\)$/).click();
		await settle(() => visibleEntries(page), (list) => list.some((e) => e.title === WAIT.action));
		await clickEntry(page, WAIT.action);
		await ndv(page).waitFor();
		const maxWait = ndv(page).locator('[data-test-id=parameter-input-maxWaitMinutes] input').first();
		await maxWait.waitFor();
		expectEqual(await ndv(page).locator('[data-test-id=parameter-input-operation] input').first().inputValue(), WAIT.name, 'the Operation field');
		const labels = await parameterLabels(page);
		expectEqual(labels.slice(-2), [WAIT.maxWait.label, WAIT.notice], 'the last two items of the panel (the Max Wait field, the notice)');
		if (context.placeLabels) expectEqual(labels.slice(0, -2), context.placeLabels, 'the panel before them (Place Callback\'s, as step 2 read it)');
		else for (const label of ['Callee Number', 'Caller Given As', 'Caller Client Number', 'Options']) expectTrue(labels.includes(label), `the panel has no "${label}": ${JSON.stringify(labels)}`);
		expectEqual(Number(await maxWait.inputValue()), WAIT.maxWait.default, `the ${WAIT.maxWait.label} field's value`);
		expectEqual(textDefects(await parametersText(page)), [], 'defects in the panel text');
		await ndv(page).locator('.notice').last().scrollIntoViewIfNeeded();
		await shot(session, '07a-place-and-wait-panel');
	});

	const ready = opened && context.trigger !== undefined;
	if (!ready) {
		const reason = opened ? 'no trigger workflow was published in step 6 (nothing could resume the run)' : 'the Place Callback and Wait panel did not open';
		checks.skip(waitWaiting, reason);
		checks.skip(waitResumed, reason);
		return;
	}
	const trigger = context.trigger!;
	sandbox.addFault({ match: { to: WAIT_CALLEE }, fault: { kind: 'outcome', call: { outcome: 'answered', talkSeconds: WAIT_TALK_SECONDS, delays: { ringMs: WAIT_RING_MS, talkMs: 500 } } } });
	// The UCPaaS console, its push address set to the trigger's production URL (as the notice says).
	sandbox.setPushUrl(trigger.pushUrl);
	const executionsOf = async (workflowId: string) => {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const reply = await pageRest<{ data?: { results?: Array<{ id: string; mode?: string; status?: string }> } }>(session, `/rest/executions?filter=${filter}`);
		expectEqual(reply.status, 200, 'GET /rest/executions');
		return reply.body.data?.results ?? [];
	};
	const triggerRunsBefore = (await executionsOf(trigger.workflowId)).length;
	let workflowId: string | undefined;
	let executionId: string | undefined;
	let callId: string | undefined;
	try {
		const waited = await checks.check(waitWaiting, async () => {
			await fillParameter(page, 'to', WAIT_CALLEE);
			await fillParameter(page, 'fromClient', DEFAULT_ACCOUNT.clientNumber);
			await closeNdv(page);
			workflowId = /\/workflow\/([^/?]+)/.exec(page.url())?.[1];
			expectTrue(workflowId && workflowId !== 'new', `no saved workflow id in ${page.url()}`);
			await page.locator('[data-test-id=execute-workflow-button]').click();
			const started = Date.now();
			const isWaiting = await settle(() => waitNode.evaluate((e) => e.classList.contains('waiting')).catch(() => false), (w) => w, 30_000);
			expectTrue(isWaiting, `the ${WAIT.name} node on the canvas is not in n8n's waiting state: ${await waitNode.getAttribute('class')}`);
			const call = sandbox.calls.find((c) => c.to === WAIT_CALLEE);
			expectTrue(call, `the sandbox has no call to ${WAIT_CALLEE}`);
			// Still ringing: the waiting state is the wait, not the moment before n8n resumes.
			expectEqual(sandbox.pushes.filter((p) => p.callId === call.callId && p.event === 'callhangup').length, 0, 'Call Ended pushes of the call when the canvas showed the run waiting');
			const logs = page.locator('[data-test-id=logs-panel]');
			if (!(await page.locator('[data-test-id=logs-overview-body]').isVisible())) await logs.getByText('Logs', { exact: true }).first().click();
			const logsText = await settle(() => logs.innerText(), (t) => /Waiting for \d+s/.test(t) && t.includes('Waiting for input'), 15_000);
			expectMatch(logsText, /Waiting for \d+s/, 'the logs panel (the node\'s entry)');
			expectContains(logsText, 'Waiting for input', 'the logs panel (the node\'s output)');
			const executions = await executionsOf(workflowId);
			expectEqual(executions.slice(0, 1).map((e) => [e.mode, e.status]), [['manual', 'waiting']], 'the newest execution of this workflow [mode, status]');
			executionId = executions[0].id;
			callId = call.callId;
			expectEqual(splitUserData(call.userData).reference?.executionId, executionId, 'the execution named in the call\'s User Data');
			await page.mouse.move(1, 999);
			await shot(session, '07b-waiting');
			checks.note(`the run was seen waiting ${((Date.now() - started) / 1000).toFixed(1)} s after Execute workflow (the call rings ${WAIT_RING_MS / 1000} s)`);
		});

		if (!waited || !workflowId || !executionId || !callId) {
			checks.skip(waitResumed, 'the run was not seen waiting');
			return;
		}
		const [waitWorkflowId, waitingId, placed] = [workflowId, executionId, callId];
		await checks.check(waitResumed, async () => {
			const done = await settle(
				async () => ({ waiting: await waitNode.evaluate((e) => e.classList.contains('waiting')).catch(() => true), success: await waitNode.locator('[data-test-id=canvas-node-status-success]').count() }),
				(state) => !state.waiting && state.success > 0,
				WAIT_RING_MS + 60_000,
				500,
			);
			expectTrue(!done.waiting && done.success > 0, `the ${WAIT.name} node did not finish on the canvas (waiting: ${done.waiting})`);
			await waitNode.dblclick();
			await ndv(page).waitFor();
			await outputPanel(page).getByText('JSON', { exact: true }).first().click();
			const output = await settle(
				async () => (await outputPanel(page).innerText()).replace(/\s+/g, ' '),
				(t) => t.includes('"outcome": "answered"'),
				30_000,
			);
			await shot(session, '07c-resumed-output');
			for (const needle of ['"outcome": "answered"', '"answered": true', `"callId": "${placed}"`, `"to": "${WAIT_CALLEE}"`, `"durationSeconds": ${WAIT_TALK_SECONDS}`, '"event": "callhangup"']) expectContains(output, needle, 'the output panel');
			expectEqual(textDefects(output).filter((d) => !d.startsWith('raw JSON')), [], 'defects in the output (JSON view)');
			const after = await executionsOf(waitWorkflowId);
			expectEqual(after.filter((e) => e.id === waitingId).map((e) => [e.mode, e.status]), [['manual', 'success']], `execution ${waitingId} [mode, status]`);
			// The trigger's own run ends once n8n has answered its forward: it may finish just after the resumed run.
			const triggerRuns = await settle(() => executionsOf(trigger.workflowId), (runs) => runs.length > triggerRunsBefore && runs[0].status === 'success', 15_000);
			expectEqual(triggerRuns.map((e) => e.status).slice(0, triggerRuns.length - triggerRunsBefore), ['success'], 'new executions of the trigger workflow (its Call Ended) [status]');
			const detail = await pageRest<{ data?: { data?: string } }>(session, `/rest/executions/${triggerRuns[0].id}`);
			const run = flattedParse(session.instance)(detail.body.data?.data ?? '[]') as RunData;
			const item = run.resultData?.runData?.['UCPaaS Callback Trigger']?.[0]?.data?.main?.[0]?.[0]?.json ?? {};
			const waitingRun = item.waitingRun as { executionId?: string; status?: string } | undefined;
			expectEqual([item.event, item.callId, waitingRun?.executionId, waitingRun?.status], ['callhangup', placed, waitingId, 'resumed'], 'the trigger item [event, callId, waitingRun.executionId, waitingRun.status]');
			await closeNdv(page);
		});
	} finally {
		sandbox.setPushUrl(undefined);
	}
}

/** Runs the check when `ready`, else records it as not run, with the reason. */
async function checksAfter(checks: CheckList, ready: boolean, reason: string, name: string, body: () => Promise<void>): Promise<boolean> {
	if (ready) return checks.check(name, body);
	checks.skip(name, reason);
	return false;
}

/** The app's own flatted (n8n stores and serves run data with it). */
function flattedParse(instance: N8nInstance): (text: string) => unknown {
	const requireFromN8n = createRequire(path.join(instance.app.dir, 'node_modules', 'n8n', 'package.json'));
	return (requireFromN8n('flatted') as { parse(text: string): unknown }).parse;
}

/** Publishing registers the webhook a moment later (n8n's publication outbox): wait until the path answers CORS for POST. */
async function waitForRegistration(url: string, origin: string): Promise<void> {
	const registered = await settle(
		async () => {
			const probe = await fetch(url, { method: 'OPTIONS', headers: { origin }, signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
			return probe?.status === 204 && (probe.headers.get('access-control-allow-methods') ?? '').split(/,\s*/).includes('POST');
		},
		(ok) => ok,
		30_000,
		300,
	);
	expectTrue(registered, `${url} was not registered within 30 s of publishing`);
}

/**
 * The UCPaaS console with the production URL pasted as the push address: a second sandbox whose
 * pushes go to it. One answered call there pushes callreq, callestablish and callhangup.
 */
async function pushOneCall(pushUrl: string): Promise<string> {
	const platform = await startSandbox({
		host: '127.0.0.1',
		port: 0,
		quiet: true,
		pushUrl,
		pushTimeoutMs: 15_000,
		call: { outcome: 'answered', talkSeconds: 42, hangupBy: 'callee', delays: { ringMs: 50, talkMs: 50 } },
	});
	try {
		const callId = await placeSignedCall(platform, { to: TRIGGER_CALLEE, userData: TRIGGER_USER_DATA });
		await platform.whenCallSettled(callId);
		expectEqual(
			platform.pushes.map((p) => [p.event, p.status, p.retcode]),
			[
				['callreq', 200, '0'],
				['callestablish', 200, '0'],
				['callhangup', 200, '0'],
			],
			'pushes to the production URL [event, HTTP status, retcode]',
		);
		return callId;
	} finally {
		await platform.stop();
	}
}
