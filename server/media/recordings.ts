/**
 * Recordings on disk, beside the project they belong to: `<root>/<project>/recordings/<document>.<id>`
 * (with the file store, `<root>` is the data folder's `projects`, so a recording sits in its
 * project's folder and is reached by erasure and project deletion with it; on the map of personal
 * data as « recordings »). An upload streams to a temporary file, never whole in memory, is
 * recognised from its first bytes, bounded in size, fsync'd, then renamed into place. A replaced or
 * removed recording stays on disk while the change can be undone; erasing the document (or
 * deleting the project) removes every recording it had.
 */
import busboy from 'busboy';
import type { Context } from 'hono';
import { createWriteStream, type WriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { DomainError } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import type { MediaMeta } from '../../shared/model.ts';
import { formatMegabytes } from '../http/multipart.ts';
import { ensureDirectory, FILE_MODE, syncDirectory } from '../storage/durable-file.ts';
import { sniffMedia, wavDuration, type MediaKind } from './sniff.ts';

const HEAD_BYTES = 64 * 1024;

/** Where a project's recordings live. */
export function recordingsDir(root: string, projectId: string): string {
  return join(root, projectId, 'recordings');
}

/** The file of one recording. */
export function recordingPath(root: string, projectId: string, documentId: string, mediaId: string): string {
  return join(recordingsDir(root, projectId), `${documentId}.${mediaId}`);
}

const refusedType = (name: string) =>
  new DomainError(
    'unsupported_media_type',
    `« ${name} » n'est pas un enregistrement reconnu : formats acceptés WAV, MP3, M4A/AAC, OGG/Opus, FLAC, WebM, MP4 (reconnus à leur contenu, pas à leur nom).`,
    { file: name },
  );

const tooLarge = (maxBytes: number) =>
  new DomainError(
    'payload_too_large',
    `Enregistrement trop volumineux : la limite est de ${formatMegabytes(maxBytes)} (VERBATIM_MAX_MEDIA_MB).`,
  );

/** What is known of a recording once recognised: its kind from its first bytes, a WAV's length. */
function mediaMeta(id: string, name: string, kind: MediaKind, size: number, head: Uint8Array): MediaMeta {
  const duration = kind.type === 'audio/wav' ? wavDuration(head) : undefined;
  return {
    id,
    name,
    type: kind.type,
    size,
    ...(duration === undefined ? {} : { duration: Math.round(duration * 1000) / 1000 }),
  };
}

/**
 * A recording held whole in memory (one carried by a REFI-QDA project), checked as an upload is:
 * recognised from its bytes, bounded by `maxBytes`. Returns the metadata it will be stored with
 * (a new id) for `writeRecording`.
 * @throws DomainError 415 for bytes that are no recording, 413 over `maxBytes`.
 */
export function recogniseRecording(name: string, bytes: Uint8Array, maxBytes: number): MediaMeta {
  const cleanName = name.normalize('NFC').slice(0, 200) || 'enregistrement';
  if (bytes.length > maxBytes) throw tooLarge(maxBytes);
  const head = bytes.subarray(0, HEAD_BYTES);
  const kind = sniffMedia(head, cleanName);
  if (!kind) throw refusedType(cleanName);
  return mediaMeta(newId<string>(), cleanName, kind, bytes.length, head);
}

/**
 * Store a recording recognised by `recogniseRecording` where an uploaded one goes, the same way:
 * a temporary file, fsync'd, renamed into place, the folder fsync'd. Nothing stays on failure.
 */
export async function writeRecording(
  root: string,
  projectId: string,
  documentId: string,
  media: MediaMeta,
  bytes: Uint8Array,
): Promise<void> {
  const dir = recordingsDir(root, projectId);
  await ensureDirectory(dir);
  const final = recordingPath(root, projectId, documentId, media.id);
  const temporary = `${final}.tmp`;
  try {
    const handle = await open(temporary, 'w', FILE_MODE);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, final);
    await syncDirectory(dir);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Write one uploaded file to `temporary` as it arrives, recognising it from its first bytes:
 * `done` resolves once it is all written, or rejects with why it was refused (no recording, over
 * `maxBytes`); `written` is the file's stream, which a removal must wait for.
 */
function writePart(
  stream: Readable,
  name: string,
  temporary: string,
  maxBytes: number,
): {
  written: { out: WriteStream; closed: Promise<void> };
  done: Promise<{ kind: MediaKind; size: number; head: Uint8Array }>;
} {
  let head = new Uint8Array(0);
  let kind: ReturnType<typeof sniffMedia>;
  let size = 0;
  let refused: DomainError | undefined;
  const out = createWriteStream(temporary, { mode: FILE_MODE });
  out.on('error', () => undefined); // Reported by the promise below, or moot once refused.
  const closed = new Promise<void>((resolve) => out.once('close', () => resolve()));
  const refuse = (error: DomainError) => {
    refused ??= error;
    out.destroy();
    // Keep reading (and dropping) the rest of the form, so that the request ends cleanly.
    stream.resume();
  };
  stream.on('data', (chunk: Buffer) => {
    if (refused) return;
    size += chunk.length;
    if (head.length < HEAD_BYTES) {
      const joined = new Uint8Array(head.length + chunk.length);
      joined.set(head);
      joined.set(chunk, head.length);
      head = joined.subarray(0, HEAD_BYTES);
      if (!kind && head.length >= 12) {
        kind = sniffMedia(head, name);
        if (!kind) return refuse(refusedType(name));
      }
    }
    if (!out.write(chunk)) {
      stream.pause();
      out.once('drain', () => stream.resume());
    }
  });
  stream.on('limit', () => refuse(tooLarge(maxBytes)));
  const done = new Promise<{ kind: MediaKind; size: number; head: Uint8Array }>((resolve, reject) => {
    stream.on('error', reject);
    stream.on('end', () => {
      if (!refused && !kind) refused = refusedType(name);
      if (refused) return reject(refused);
      out.end();
      out.once('finish', () => resolve({ kind: kind as MediaKind, size, head }));
      out.once('error', reject);
    });
  });
  return { written: { out, closed }, done };
}

/**
 * Receive the `file` of a multipart upload as a recording of `documentId`: streamed to disk,
 * recognised, bounded. Returns its metadata once the file is durable in place; on any refusal
 * nothing stays on disk.
 * @throws DomainError 415 for a file that is no recording, 413 over `maxBytes`, 400 for a form
 *   without a file or cut short.
 */
export async function receiveRecording(
  c: Context,
  root: string,
  projectId: string,
  documentId: string,
  maxBytes: number,
): Promise<MediaMeta> {
  const type = c.req.header('content-type') ?? '';
  if (!type.toLowerCase().startsWith('multipart/form-data')) {
    throw new DomainError(
      'unsupported_media_type',
      'Envoyez l’enregistrement comme fichier (multipart, champ « file »).',
    );
  }
  const declared = Number(c.req.header('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes + 64 * 1024) throw tooLarge(maxBytes);
  const body = c.req.raw.body;
  if (!body) throw new DomainError('invalid_input', 'Aucun fichier reçu (champ « file »).');
  const dir = recordingsDir(root, projectId);
  await ensureDirectory(dir);
  const id = newId<string>();
  const final = recordingPath(root, projectId, documentId, id);
  const temporary = `${final}.tmp`;
  let received: MediaMeta | undefined;
  let failure: unknown;
  const parser = busboy({
    headers: { 'content-type': type },
    defParamCharset: 'utf8',
    limits: { files: 1, fileSize: maxBytes, fields: 10 },
  });
  const files: Promise<void>[] = [];
  /** The temporary file's stream: its removal waits for it to close (it may still be opening). */
  let written: { out: WriteStream; closed: Promise<void> } | undefined;
  parser.on('file', (field, stream, info) => {
    if (field !== 'file') {
      stream.resume();
      return;
    }
    const name = (info.filename ?? 'enregistrement').normalize('NFC').slice(0, 200);
    const part = writePart(stream, name, temporary, maxBytes);
    written = part.written;
    files.push(
      part.done.then(async ({ kind, size, head }) => {
        const handle = await open(temporary, 'r+');
        try {
          await handle.sync();
        } finally {
          await handle.close();
        }
        received = mediaMeta(id, name, kind, size, head);
      }),
    );
  });
  try {
    await pipeline(Readable.fromWeb(body as WebReadableStream), parser).catch((error) => {
      failure ??= error;
    });
    await Promise.all(files).catch((error: unknown) => {
      failure ??= error;
    });
    if (failure)
      throw failure instanceof DomainError
        ? failure
        : new DomainError('invalid_input', 'Envoi illisible ou interrompu.');
    if (!received) throw new DomainError('invalid_input', 'Aucun fichier reçu (champ « file »).');
    await rename(temporary, final);
    await syncDirectory(dir);
    return received;
  } catch (error) {
    // A stream destroyed while its file was being opened still creates the file: remove it after.
    if (written) {
      written.out.destroy();
      await written.closed;
    }
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Remove one recording's file (a change that failed to be recorded after its upload). */
export async function removeRecording(root: string, projectId: string, documentId: string, mediaId: string) {
  await rm(recordingPath(root, projectId, documentId, mediaId), { force: true });
}
