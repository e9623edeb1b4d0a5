/**
 * Recordings made by the tests themselves: a WAV whose RIFF header is written here byte by byte,
 * speech made by espeak-ng and converted by sox, and the upload of a file as a browser sends it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from './server.ts';

/**
 * A mono 16-bit PCM WAV of `seconds` seconds at `rate` Hz: a 440 Hz tone, so that its bytes are
 * not all zeros and a misplaced range shows. Header: RIFF, WAVE, `fmt ` (16 bytes), then, with
 * `artist`, a LIST/INFO chunk naming them (as recorders write the speaker's name), then `data`.
 */
export function wavFile(seconds: number, rate = 8000, artist?: string): Uint8Array {
  const samples = Math.round(seconds * rate);
  const name = artist === undefined ? undefined : Buffer.from(`${artist}\0`, 'latin1');
  const nameSize = name ? name.length + (name.length % 2) : 0;
  const list = name ? 12 + 8 + nameSize : 0;
  const header = new Uint8Array(44 + list + samples * 2);
  const view = new DataView(header.buffer);
  const ascii = (at: number, text: string) => {
    for (let i = 0; i < text.length; i++) header[at + i] = text.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + list + samples * 2, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true); // size of the fmt chunk
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true); // byte rate
  view.setUint16(32, 2, true); // block align
  view.setUint16(34, 16, true); // bits per sample
  if (name) {
    ascii(36, 'LIST');
    view.setUint32(40, 4 + 8 + nameSize, true);
    ascii(44, 'INFO');
    ascii(48, 'IART');
    view.setUint32(52, name.length, true);
    header.set(name, 56);
  }
  const data = 36 + list;
  ascii(data, 'data');
  view.setUint32(data + 4, samples * 2, true);
  for (let i = 0; i < samples; i++) {
    view.setInt16(data + 8 + i * 2, Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 12000), true);
  }
  return header;
}

/** Send `bytes` as the recording of a document, in a multipart form's `file` field. */
export function uploadRecording(client: Client, documentPath: string, bytes: Uint8Array, name: string) {
  const form = new FormData();
  form.append('file', new Blob([bytes as BlobPart]), name);
  return client.request('POST', `${documentPath}/media`, form);
}

/** Fetch a document's recording, optionally with a Range header; the body as bytes. */
export async function fetchRecording(client: Client, url: string, documentPath: string, range?: string) {
  const headers: Record<string, string> = { cookie: client.cookie };
  if (range !== undefined) headers.range = range;
  const res = await fetch(`${url}${documentPath}/media`, { headers });
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}

/**
 * Whether espeak-ng and sox are here to make real recordings (Debian packages `espeak-ng` and
 * `sox`, installed by .ci/run). In CI their absence is a failure, never a skip.
 */
export const canSpeak =
  spawnSync('espeak-ng', ['--version']).status === 0 && spawnSync('sox', ['--version']).status === 0;

/**
 * A French sentence spoken by espeak-ng, converted by sox to `format` (`ogg` gives Vorbis,
 * `flac`, `wav`): the bytes, and the duration sox reads back (`soxi -D`).
 */
export async function spokenRecording(
  format: 'ogg' | 'flac' | 'wav',
  sentence = 'On ressaisit tout à la main, deux fois.',
): Promise<{ bytes: Uint8Array; duration: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'verbatim-sound-'));
  try {
    const wav = join(dir, 'voix.wav');
    const out = join(dir, `voix.${format}`);
    run('espeak-ng', ['-v', 'fr', '-w', wav, sentence]);
    run('sox', [wav, out]);
    const duration = Number(run('soxi', ['-D', out]).trim());
    return { bytes: new Uint8Array(await readFile(out)), duration };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} a échoué : ${result.stderr}`);
  return result.stdout;
}
