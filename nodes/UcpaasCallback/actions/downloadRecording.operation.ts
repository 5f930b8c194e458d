import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { checkRecordingUrl, MEBIBYTE } from '../../shared/recording';
import { field, InvalidFieldError, normaliseCallId, readText, requireText } from '../../shared/validation';
import { getAccount } from '../transport/credential';
import { downloadRecordingFile, type RecordingDownload } from '../transport/recordingDownload';
import { readOptions } from './requestOptions';
import type { Operation } from './types';

const show = { show: { operation: ['downloadRecording'] } };

export const DEFAULT_MAX_SIZE_MB = 100;
const DEFAULT_TIMEOUT_MS = 60_000;

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
	{
		// n8n 1.x keeps binary data in memory unless told otherwise; 2.x writes it to disk.
		displayName:
			'On n8n 1.x, files are held in memory and stored base64 in the execution unless the n8n host sets N8N_DEFAULT_BINARY_DATA_MODE=filesystem: set it before downloading large recordings',
		name: 'binaryModeNotice',
		type: 'notice',
		default: '',
		displayOptions: show,
	},
];

interface DownloadRequest extends RecordingDownload {
	binaryPropertyName: string;
}

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

export const downloadRecording: Operation<DownloadRequest> = {
	description,
	doneLabel: 'recordings downloaded',
	effect: 'none',
	prepare,
	async run(request, itemIndex) {
		const file = await downloadRecordingFile.call(this, itemIndex, request);
		return {
			json: { callId: request.callId, fileName: file.fileName, mimeType: file.mimeType, bytes: file.bytes },
			binary: { [request.binaryPropertyName]: file.binary },
			summary: `callId ${request.callId} recording (${file.bytes} bytes)`,
		};
	},
};
