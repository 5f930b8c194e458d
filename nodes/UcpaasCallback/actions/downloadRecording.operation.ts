import type { IBinaryData, IDataObject, IExecuteFunctions, IHttpRequestOptions, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { TransportProblem } from '../../shared/apiErrors';
import { respCodeFailure } from '../../shared/apiErrors';
import { isRecord } from '../../shared/codec';
import { RECORDING } from '../../shared/endpoints';
import {
	checkRecordingUrl,
	classifyRecordingReply,
	describeUrl,
	MEBIBYTE,
	RECORDING_SIGN_HEADER,
	RecordingTooLargeError,
	type RecordingFileType,
} from '../../shared/recording';
import { describeRespCode, SUCCESS_CODE } from '../../shared/respCodes';
import { classifyTransportError, getAccount, readResp, signedRequest } from '../../shared/transport';
import { InvalidFieldError, normaliseCallId, readText, requireText } from '../../shared/validation';
import { readOptions } from './requestOptions';
import type { Operation } from './types';

/** n8n's own stream type, taken from its helper so this file imports nothing but n8n-workflow. */
type Readable = Exclude<Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0], Buffer>;

const show = { show: { operation: ['downloadRecording'] } };

export const DEFAULT_MAX_SIZE_MB = 100;
const DEFAULT_TIMEOUT_MS = 60_000;
/** How much of a reply that is not audio is read, to find a respCode in it. */
const ERROR_BODY_BYTES = 64 * 1024;

const description: INodeProperties[] = [
	{
		displayName: 'Recording URL',
		name: 'recordingUrl',
		type: 'string',
		default: '={{ $json.recordingUrl }}',
		required: true,
		placeholder: 'e.g. {{ $json.recordingUrl }}',
		description:
			"The recordingUrl of a Call Ended event (UCPaaS Callback Trigger). Only URLs on the platform's hosts or the credential's Base URL host are signed and downloaded: a push is not authenticated, so a URL elsewhere is refused.",
		displayOptions: show,
	},
	{
		displayName: 'Call ID',
		name: 'callId',
		type: 'string',
		default: '={{ $json.callId }}',
		required: true,
		placeholder: 'e.g. {{ $json.callId }}',
		description: 'The callId of the recorded call: the download is signed with it, and the file is named after it',
		displayOptions: show,
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'recording',
		required: true,
		hint: 'The name of the output binary field to put the recording in',
		displayOptions: show,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Max File Size (MB)',
				name: 'maxSizeMb',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_MAX_SIZE_MB,
				description: 'A larger recording fails the item instead of filling the disk. One hour of 8 kHz telephone audio is about 57 MB as WAV, 7 MB as MP3.',
			},
			{
				displayName: 'Timeout (Milliseconds)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1000 },
				default: DEFAULT_TIMEOUT_MS,
				description: 'How long to wait for the platform to start sending the recording, in milliseconds',
			},
		],
	},
];

interface DownloadRequest {
	url: URL;
	callId: string;
	binaryPropertyName: string;
	capBytes: number;
	timeoutMs: number;
}

const field = (label: string, name: string) => ({ label, name });

async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<DownloadRequest> {
	const account = await getAccount.call(this, itemIndex);
	const urlField = field('Recording URL', 'recordingUrl');
	// The trigger's item holds null when the push named no recording: that is "empty", not a type error.
	const urlText = readText(this.getNodeParameter('recordingUrl', itemIndex, '') ?? '', urlField);
	if (urlText === '') {
		throw new InvalidFieldError(urlField, 'is empty: the call has no recording (its Call Ended item says hasRecording false), or the expression found none');
	}
	const check = checkRecordingUrl(urlText, account.baseUrl);
	if (!check.ok) throw new InvalidFieldError(urlField, check.problem);
	const callId = normaliseCallId(this.getNodeParameter('callId', itemIndex, ''), field('Call ID', 'callId'));
	const binaryPropertyName = requireText(this.getNodeParameter('binaryPropertyName', itemIndex, 'recording'), field('Put Output File in Field', 'binaryPropertyName'));

	const options = readOptions.call(this, itemIndex);
	const maxSizeMb = Number(options.maxSizeMb ?? DEFAULT_MAX_SIZE_MB);
	if (!Number.isFinite(maxSizeMb) || maxSizeMb <= 0) throw new InvalidFieldError(field('Max File Size (MB)', 'maxSizeMb'), 'must be a positive number of megabytes');
	const timeoutMs = Number(options.timeout ?? DEFAULT_TIMEOUT_MS);
	if (!Number.isFinite(timeoutMs) || timeoutMs < 1000) throw new InvalidFieldError(field('Timeout (Milliseconds)', 'timeout'), 'must be at least 1000 milliseconds');
	return { url: check.url, callId, binaryPropertyName, capBytes: Math.floor(maxSizeMb * MEBIBYTE), timeoutMs };
}

/** An error that names the recording by host and path only: never the query, where the signature goes. */
function failure(context: IExecuteFunctions, itemIndex: number, message: string, description: string, httpCode?: number): NodeApiError {
	const details: JsonObject = { message, ...(httpCode ? { httpCode: String(httpCode) } : {}) };
	return new NodeApiError(context.getNode(), details, { message, description, httpCode: httpCode ? String(httpCode) : undefined, itemIndex });
}

const SAFE_AGAIN = 'Downloading changes nothing on the platform: running the node again is safe.';

function transportText(problem: TransportProblem, shown: string): { message: string; description: string } {
	switch (problem.kind) {
		case 'refused':
			return { message: `Could not connect to ${shown}: the connection was refused`, description: `Check that the host is reachable from n8n. ${SAFE_AGAIN}` };
		case 'dns':
			return { message: `Could not find the host of ${shown}`, description: `Check the DNS settings of the n8n host. ${SAFE_AGAIN}` };
		case 'timeout':
			return { message: `The recording server did not answer within ${problem.timeoutMs} ms`, description: `Raise "Timeout" in the node options if the platform is slow. ${SAFE_AGAIN}` };
		case 'reset':
			return { message: 'The connection was closed before the whole recording arrived', description: `No file was output for this item. ${SAFE_AGAIN}` };
		default:
			return { message: `The recording download failed: ${problem.kind === 'other' || problem.kind === 'unreadable' ? problem.reason : problem.kind}`, description: `Check the network between n8n and the platform. ${SAFE_AGAIN}` };
	}
}

/** The signer's own refusal, found however n8n wrapped it. */
function signerRefusal(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 6 && isRecord(current); depth++) {
		if (typeof current.message === 'string' && current.message.startsWith('Refused to sign a recording download')) return current.message;
		current = current.cause ?? current.error;
	}
	return undefined;
}

/** The first bytes of a reply that is not a recording, as text; the rest is not read. */
async function readStart(stream: Readable): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of stream as AsyncIterable<Buffer | string>) {
		const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
		chunks.push(bytes);
		size += bytes.length;
		if (size >= ERROR_BODY_BYTES) break;
	}
	return Buffer.concat(chunks).subarray(0, ERROR_BODY_BYTES).toString('utf8');
}

function isReadable(value: unknown): value is Readable {
	return isRecord(value) && typeof value.pipe === 'function' && typeof value.map === 'function' && typeof value.destroy === 'function';
}

function header(headers: IDataObject, name: string): string | undefined {
	const value = Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
	return value === undefined || value === null ? undefined : String(value);
}

/** What a reply that is not the recording says, as an error; a respCode in it is named. */
async function refusalOf(context: IExecuteFunctions, itemIndex: number, status: number, body: Readable, shown: string): Promise<NodeApiError> {
	let text = '';
	try {
		text = await readStart(body);
	} catch {
		// The status alone is the answer then.
	}
	let respCode: string | undefined;
	try {
		respCode = String(readResp(text, 'json').respCode);
	} catch {
		respCode = undefined;
	}
	if (respCode && respCode !== SUCCESS_CODE) {
		const info = describeRespCode(respCode);
		const signature = /^1011(14|15|16|17)$/.test(respCode);
		const explained = signature
			? `Check the Call ID first (the download is signed with it), then the Auth Token. The recording signature is inferred from one public source (MD5 of AccountSid + callId + AuthToken).${info ? ` (UCPaaS: "${info.zh}")` : ''}`
			: respCodeFailure(respCode).description;
		const error = failure(context, itemIndex, `The recording download was refused: ${respCode} ${info?.en ?? 'a code not in the documented table'}`, `${explained} ${SAFE_AGAIN}`, status === 200 ? undefined : status);
		error.context.respCode = respCode;
		return error;
	}
	if (status === 404 || status === 410) {
		return failure(
			context,
			itemIndex,
			`No recording at ${shown} (HTTP ${status})`,
			`The call may not have been recorded, the recording may not be ready yet (try again a minute after the Call Ended event), or it may have expired. ${SAFE_AGAIN}`,
			status,
		);
	}
	if (status === 401 || status === 403) {
		return failure(
			context,
			itemIndex,
			`The platform refused the recording download (HTTP ${status})`,
			`Check that the Call ID belongs to this recording and to the credential's account. The recording signature is inferred from one public source (MD5 of AccountSid + callId + AuthToken). ${SAFE_AGAIN}`,
			status,
		);
	}
	if (status >= 200 && status < 300) {
		return failure(context, itemIndex, `${shown} answered a document instead of a recording`, `The platform or a proxy in front of it sent a page, not audio. ${SAFE_AGAIN}`);
	}
	return failure(context, itemIndex, `The recording server answered HTTP ${status} instead of the recording`, `The platform or a proxy in front of it failed; try again later. ${SAFE_AGAIN}`, status);
}

/**
 * Streams the reply into n8n's binary data. In n8n's filesystem (default) and database modes the
 * stream goes to storage chunk by chunk; only the in-memory mode (used when nothing else is set
 * up, e.g. in tests) holds the file, once, as n8n requires. Each chunk is counted on its way, and
 * the stream stops as soon as the count passes the cap.
 */
async function storeRecording(
	context: IExecuteFunctions,
	body: Readable,
	request: DownloadRequest,
	type: RecordingFileType,
): Promise<{ binary: IBinaryData; bytes: number; fileName: string }> {
	let bytes = 0;
	const counted = body.map((chunk: Buffer | string) => {
		const data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
		bytes += data.length;
		if (bytes > request.capBytes) throw new RecordingTooLargeError(request.capBytes);
		return data;
	});
	const fileName = `${request.callId}.${type.extension}`;
	const binary = await context.helpers.prepareBinaryData(counted, fileName, type.mimeType);
	return { binary, bytes, fileName };
}

function tooLarge(context: IExecuteFunctions, itemIndex: number, capBytes: number, size?: number): NodeApiError {
	const mb = (value: number) => `${Math.round((value / MEBIBYTE) * 10) / 10} MB`;
	return failure(
		context,
		itemIndex,
		size ? `The recording is ${mb(size)}, above the limit of ${mb(capBytes)}` : `The recording is larger than the limit of ${mb(capBytes)}`,
		'Raise "Max File Size (MB)" in the node options if the file is expected to be this large. The download was stopped and no file was output.',
	);
}

export const downloadRecording: Operation<DownloadRequest> = {
	description,
	doneLabel: 'recordings downloaded',
	prepare,
	async run(request, itemIndex) {
		const shown = describeUrl(request.url);
		const options: IHttpRequestOptions = {
			method: RECORDING.method,
			url: request.url.toString(),
			// The signer reads the callId from this header, removes it and adds `sig`.
			headers: { Accept: 'audio/*, application/octet-stream;q=0.9, */*;q=0.1', [RECORDING_SIGN_HEADER]: request.callId },
			encoding: 'stream',
			json: false,
			ignoreHttpStatusErrors: true,
			// A redirect would take the request elsewhere, unchecked: it is reported, never followed.
			disableFollowRedirect: true,
			timeout: request.timeoutMs,
		};

		let response: Awaited<ReturnType<typeof signedRequest>>;
		try {
			response = await signedRequest.call(this, itemIndex, options);
		} catch (error) {
			const refusal = signerRefusal(error);
			if (refusal) throw failure(this, itemIndex, refusal, 'Nothing was sent.');
			const text = transportText(classifyTransportError(error, request.timeoutMs), shown);
			throw failure(this, itemIndex, text.message, text.description);
		}

		const { statusCode, headers, body } = response;
		if (!isReadable(body)) throw failure(this, itemIndex, `${shown} sent no readable body`, SAFE_AGAIN);
		if (statusCode >= 300 && statusCode < 400) {
			body.destroy();
			const location = header(headers, 'location');
			const target = location && URL.canParse(location, request.url.href) ? new URL(location, request.url.href) : undefined;
			throw failure(
				this,
				itemIndex,
				`The recording server redirected the download (HTTP ${statusCode})${target ? ` to ${target.protocol}//${target.host}` : ''}`,
				`Redirects are not followed: the signed request must not go anywhere the host rule has not checked. ${SAFE_AGAIN}`,
				statusCode,
			);
		}
		const kind = classifyRecordingReply(header(headers, 'content-type'), request.url);
		if (statusCode < 200 || statusCode > 299 || kind.kind === 'document') throw await refusalOf(this, itemIndex, statusCode, body, shown);
		if (kind.kind === 'other') {
			body.destroy();
			throw failure(this, itemIndex, `${shown} answered ${kind.mediaType}, not audio`, `The reply is not a recording. ${SAFE_AGAIN}`);
		}

		const declared = Number(header(headers, 'content-length'));
		if (Number.isFinite(declared) && declared > request.capBytes) {
			body.destroy();
			throw tooLarge(this, itemIndex, request.capBytes, declared);
		}

		let stored: Awaited<ReturnType<typeof storeRecording>>;
		try {
			stored = await storeRecording(this, body, request, kind.type);
		} catch (error) {
			body.destroy();
			if (error instanceof RecordingTooLargeError) throw tooLarge(this, itemIndex, request.capBytes);
			const text = transportText(classifyTransportError(error, request.timeoutMs), shown);
			throw failure(this, itemIndex, text.message, text.description);
		}
		if (stored.bytes === 0) throw failure(this, itemIndex, `${shown} sent an empty file`, `The recording may not be ready yet. ${SAFE_AGAIN}`);

		return {
			json: { callId: request.callId, fileName: stored.fileName, mimeType: kind.type.mimeType, bytes: stored.bytes },
			binary: { [request.binaryPropertyName]: stored.binary },
			summary: `callId ${request.callId} recording (${stored.bytes} bytes)`,
		};
	},
};
