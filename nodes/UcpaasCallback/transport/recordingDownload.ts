import type { IBinaryData, IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { respCodeFailure, transportFailure, type FailureText, type Peer } from '../../shared/apiErrors';
import { isRecord } from '../../shared/isRecord';
import { RECORDING } from '../../shared/endpoints';
import { classifyRecordingReply, describeUrl, MEBIBYTE, RecordingTooLargeError, type RecordingFileType } from '../../shared/recording';
import { describeRespCode, SUCCESS_CODE } from '../../shared/respCodes';
import { findSigningRefusal, type SignableRequestOptions } from '../../shared/signingIntent';
import { sendSigned } from './credential';
import { classifyTransportError } from './networkErrors';
import { RequestFailure } from './requestFailure';
import { readResp } from './ucpaasRequest';

/** n8n's own stream type, taken from its helper so this file imports nothing but n8n-workflow. */
type Readable = Exclude<Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0], Buffer>;

/** How much of a reply that is not audio is read, to find a respCode in it. */
const ERROR_BODY_BYTES = 64 * 1024;

export interface RecordingDownload {
	/** Already checked against the host rule (checkRecordingUrl). */
	url: URL;
	callId: string;
	capBytes: number;
	timeoutMs: number;
}

export interface DownloadedRecording {
	binary: IBinaryData;
	bytes: number;
	fileName: string;
	mimeType: string;
}

const SAFE_AGAIN = 'Nothing changes on the platform: running the node again is safe.';

/** A download never changes anything on the platform, so every failure says so and carries no "maybe". */
function failure(text: FailureText, facts: { respCode?: string; status?: number } = {}): RequestFailure {
	return new RequestFailure(text, { effect: 'none', mayHaveTakenEffect: false, respCode: facts.respCode, httpCode: facts.status ? String(facts.status) : undefined });
}

function recordingPeer(shown: string): Peer {
	return {
		name: 'The recording server',
		object: 'the recording server',
		address: shown,
		reachAdvice: 'Check that the host is reachable from n8n.',
		dnsAdvice: 'Check the DNS settings of the n8n host.',
	};
}

/**
 * Downloads one recording into n8n's binary data: signed by the credential (RECORDING), redirects
 * reported and never followed (the signed request must not go anywhere the host rule has not
 * checked), anything but audio read as the refusal it is, and the size capped while it streams.
 * Every failure is a RequestFailure that names the file by host and path only, never the query,
 * where the signature goes.
 */
export async function downloadRecordingFile(this: IExecuteFunctions, itemIndex: number, download: RecordingDownload): Promise<DownloadedRecording> {
	const shown = describeUrl(download.url);
	const peer = recordingPeer(shown);
	const options: SignableRequestOptions = {
		method: RECORDING.method,
		url: download.url.toString(),
		headers: { Accept: 'audio/*, application/octet-stream;q=0.9, */*;q=0.1' },
		ucpaasSigning: { kind: 'recordingDownload', callId: download.callId },
		encoding: 'stream',
		json: false,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		timeout: download.timeoutMs,
	};

	let response: Awaited<ReturnType<typeof sendSigned>>;
	try {
		response = await sendSigned.call(this, itemIndex, options as IHttpRequestOptions);
	} catch (error) {
		const refusal = findSigningRefusal(error);
		if (refusal) throw failure({ message: refusal.message, description: 'Nothing was sent.' });
		throw failure(transportFailure(classifyTransportError(error, download.timeoutMs), peer, 'none'));
	}

	const { statusCode, headers, body } = response;
	if (!isReadable(body)) throw failure({ message: `${shown} sent no readable body`, description: SAFE_AGAIN });
	if (statusCode >= 300 && statusCode < 400) {
		body.destroy();
		const location = header(headers, 'location');
		const target = location && URL.canParse(location, download.url.href) ? new URL(location, download.url.href) : undefined;
		throw failure(
			{
				message: `The recording server redirected the download (HTTP ${statusCode})${target ? ` to ${target.protocol}//${target.host}` : ''}`,
				description: `Redirects are not followed: the signed request must not go anywhere the host rule has not checked. ${SAFE_AGAIN}`,
			},
			{ status: statusCode },
		);
	}
	const kind = classifyRecordingReply(header(headers, 'content-type'), download.url);
	if (statusCode < 200 || statusCode > 299 || kind.kind === 'document') throw await refusalOf(statusCode, body, shown);
	if (kind.kind === 'other') {
		body.destroy();
		throw failure({ message: `${shown} answered ${kind.mediaType}, not audio`, description: `The reply is not a recording. ${SAFE_AGAIN}` });
	}

	const declared = Number(header(headers, 'content-length'));
	if (Number.isFinite(declared) && declared > download.capBytes) {
		body.destroy();
		throw tooLarge(download.capBytes, declared);
	}

	let stored: { binary: IBinaryData; bytes: number; fileName: string };
	try {
		stored = await storeRecording(this, body, download, kind.type);
	} catch (error) {
		body.destroy();
		if (error instanceof RecordingTooLargeError) throw tooLarge(download.capBytes);
		throw failure(transportFailure(classifyTransportError(error, download.timeoutMs), peer, 'none'));
	}
	if (stored.bytes === 0) throw failure({ message: `${shown} sent an empty file`, description: `The recording may not be ready yet. ${SAFE_AGAIN}` });
	return { ...stored, mimeType: kind.type.mimeType };
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

/** What a reply that is not the recording says, as a failure; a respCode in it is named. */
async function refusalOf(status: number, body: Readable, shown: string): Promise<RequestFailure> {
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
	const httpStatus = status === 200 ? undefined : status;
	if (respCode && respCode !== SUCCESS_CODE) {
		const info = describeRespCode(respCode);
		const signature = /^1011(14|15|16|17)$/.test(respCode);
		const explained = signature
			? `Check the Call ID first (the download is signed with it), then the Auth Token. The recording signature is inferred from one public source (MD5 of AccountSid + callId + AuthToken).${info ? ` (UCPaaS: "${info.zh}")` : ''}`
			: respCodeFailure(respCode).description;
		return failure(
			{ message: `The recording download was refused: ${respCode} ${info?.en ?? 'a code not in the documented table'}`, description: `${explained} ${SAFE_AGAIN}` },
			{ respCode, status: httpStatus },
		);
	}
	if (status === 404 || status === 410) {
		return failure(
			{
				message: `No recording at ${shown} (HTTP ${status})`,
				description: `The call may not have been recorded, the recording may not be ready yet (try again a minute after the Call Ended event), or it may have expired. ${SAFE_AGAIN}`,
			},
			{ status },
		);
	}
	if (status === 401 || status === 403) {
		return failure(
			{
				message: `The platform refused the recording download (HTTP ${status})`,
				description: `Check that the Call ID belongs to this recording and to the credential's account. The recording signature is inferred from one public source (MD5 of AccountSid + callId + AuthToken). ${SAFE_AGAIN}`,
			},
			{ status },
		);
	}
	if (status >= 200 && status < 300) {
		return failure({ message: `${shown} answered a document instead of a recording`, description: `The platform or a proxy in front of it sent a page, not audio. ${SAFE_AGAIN}` });
	}
	return failure(
		{ message: `The recording server answered HTTP ${status} instead of the recording`, description: `The platform or a proxy in front of it failed; try again later. ${SAFE_AGAIN}` },
		{ status },
	);
}

/**
 * Streams the reply into n8n's binary data. In n8n's filesystem and database modes the stream goes
 * to storage chunk by chunk; only the in-memory mode (n8n 1.x's default, and tests) holds the file,
 * once, as n8n requires. Each chunk is counted on its way, and the stream stops as soon as the
 * count passes the cap.
 */
async function storeRecording(
	context: IExecuteFunctions,
	body: Readable,
	download: RecordingDownload,
	type: RecordingFileType,
): Promise<{ binary: IBinaryData; bytes: number; fileName: string }> {
	let bytes = 0;
	const counted = body.map((chunk: Buffer | string) => {
		const data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
		bytes += data.length;
		if (bytes > download.capBytes) throw new RecordingTooLargeError(download.capBytes);
		return data;
	});
	const fileName = `${download.callId}.${type.extension}`;
	const binary = await context.helpers.prepareBinaryData(counted, fileName, type.mimeType);
	return { binary, bytes, fileName };
}

function tooLarge(capBytes: number, size?: number): RequestFailure {
	const mb = (value: number) => `${Math.round((value / MEBIBYTE) * 10) / 10} MB`;
	return failure({
		message: size ? `The recording is ${mb(size)}, above the limit of ${mb(capBytes)}` : `The recording is larger than the limit of ${mb(capBytes)}`,
		description: 'Raise "Max File Size (MB)" in the node options if the file is expected to be this large. The download was stopped and no file was output.',
	});
}
