import { createHash } from 'node:crypto';
import { RESP } from './respCodes';
import type { SandboxState } from './state';
import type { SimulatedCall, Verdict } from './types';
import { renderReply } from './wire';

/**
 * Call recordings: a WAV file per recorded call, generated from the call so it is the same bytes
 * every time, served at the `recordurl` the callhangup push carries, behind the (guessed)
 * recording signature `sig` = upper-case MD5(AccountSid + callId + AuthToken).
 */

export const RECORDING_PREFIX = '/recordings/';
const RECORDING_PATH = /^\/recordings\/([0-9A-Za-z]{8,64})\.wav$/;

/** Telephone audio: 8 kHz, 16-bit, mono (16 000 bytes a second). */
const SAMPLE_RATE = 8000;
/** A ceiling on one file, so a call of hours does not cost the sandbox much memory. */
export const MAX_RECORDING_SECONDS = 600;

/** What a correct client sends as the recording's `sig`. */
export function expectedRecordingSig(accountSid: string, callId: string, authToken: string): string {
	return createHash('md5').update(accountSid + callId + authToken, 'utf8').digest('hex').toUpperCase();
}

/** The tone's pitch follows the callId, so two calls' files differ and a mix-up shows. */
function toneHz(callId: string): number {
	const digest = createHash('md5').update(callId, 'utf8').digest();
	return 300 + (digest.readUInt16BE(0) % 600);
}

/**
 * A WAV file (RIFF, PCM) of a sine tone as long as the call talked (at least one second, at most
 * MAX_RECORDING_SECONDS). Pure: the same call gives the same bytes.
 */
export function recordingWav(callId: string, seconds: number): Buffer {
	const duration = Math.min(MAX_RECORDING_SECONDS, Math.max(1, Math.floor(seconds)));
	const samples = duration * SAMPLE_RATE;
	const dataBytes = samples * 2;
	const wav = Buffer.alloc(44 + dataBytes);
	wav.write('RIFF', 0, 'ascii');
	wav.writeUInt32LE(36 + dataBytes, 4);
	wav.write('WAVE', 8, 'ascii');
	wav.write('fmt ', 12, 'ascii');
	wav.writeUInt32LE(16, 16); // PCM header size
	wav.writeUInt16LE(1, 20); // PCM
	wav.writeUInt16LE(1, 22); // mono
	wav.writeUInt32LE(SAMPLE_RATE, 24);
	wav.writeUInt32LE(SAMPLE_RATE * 2, 28); // byte rate
	wav.writeUInt16LE(2, 32); // block align
	wav.writeUInt16LE(16, 34); // bits per sample
	wav.write('data', 36, 'ascii');
	wav.writeUInt32LE(dataBytes, 40);
	const hz = toneHz(callId);
	for (let i = 0; i < samples; i++) {
		wav.writeInt16LE(Math.round(Math.sin((2 * Math.PI * hz * i) / SAMPLE_RATE) * 8000), 44 + i * 2);
	}
	return wav;
}

export function isRecordingPath(pathname: string): boolean {
	return pathname.startsWith(RECORDING_PREFIX);
}

export function recordingUrl(baseUrl: string, callId: string): string {
	return `${baseUrl}${RECORDING_PREFIX}${callId}.wav`;
}

/** The file of a call, once it has ended with a recording; undefined otherwise. */
export function recordingOf(call: SimulatedCall | undefined): Buffer | undefined {
	if (!call || call.state !== 'ended' || !call.recordUrl) return undefined;
	return recordingWav(call.callId, call.length ?? 0);
}

export interface RecordingReply {
	status: number;
	headers: Record<string, string | number>;
	body: Buffer;
	verdict: Verdict;
}

function refusal(status: number, respCode: string, reason: string): RecordingReply {
	return {
		status,
		headers: { 'Content-Type': 'application/json;charset=utf-8' },
		body: Buffer.from(renderReply('json', respCode), 'utf8'),
		verdict: { respCode, ok: false, reason },
	};
}

/**
 * `GET /recordings/{callId}.wav?sig=…`. Our guesses at the platform's answers: an unknown,
 * unrecorded or unfinished call is HTTP 404 with no body; a missing or wrong `sig` is HTTP 403 with
 * the REST API's respCode (101114, 101116) as JSON.
 */
export function serveRecording(method: string, url: URL, state: SandboxState, chunked: boolean): RecordingReply {
	const match = RECORDING_PATH.exec(url.pathname);
	const notFound = (reason: string): RecordingReply => ({ status: 404, headers: {}, body: Buffer.alloc(0), verdict: { respCode: '', ok: false, reason } });
	if (!match) return notFound('unknown recording path');
	if (method !== 'GET') return { status: 405, headers: { Allow: 'GET' }, body: Buffer.alloc(0), verdict: { respCode: '', ok: false, reason: `method ${method} not allowed` } };
	const call = state.calls.get(match[1]);
	const account = call ? state.accounts.get(call.accountSid) : undefined;
	const file = recordingOf(call);
	if (!call || !account || !file) return notFound(call ? 'the call has no recording (yet)' : 'no such call');
	const sig = url.searchParams.getAll('sig');
	if (sig.length === 0 || sig[0] === '') return refusal(403, RESP.sigEmpty, 'sig query parameter missing');
	if (sig.length > 1) return refusal(403, RESP.sigMismatch, 'more than one sig parameter');
	if (sig[0] !== expectedRecordingSig(account.accountSid, call.callId, account.authToken)) return refusal(403, RESP.sigMismatch, 'recording sig mismatch');
	const headers: Record<string, string | number> = { 'Content-Type': 'audio/wav' };
	if (!chunked) headers['Content-Length'] = file.length;
	return { status: 200, headers, body: file, verdict: { respCode: '', ok: true, reason: 'recording' } };
}
