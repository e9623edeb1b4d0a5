import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import type { Adapter } from 'lowdb';

/** File modes: only the user running Verbatim may read its data (transcripts are personal data). */
export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;

/** fsync a directory, so that a rename or a new file inside it survives a crash. */
export async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Create a folder and its missing parents durably: each folder created is made to survive a crash
 * by an fsync of the folder holding it (a new entry in a folder is only durable once that folder
 * is synced). Nothing is synced when the folder already exists. `sync` is for tests.
 */
export async function ensureDirectory(path: string, sync: (dir: string) => Promise<void> = syncDirectory) {
  const first = await mkdir(path, { recursive: true, mode: DIR_MODE });
  if (first === undefined) return;
  const created: string[] = [];
  for (let dir = path; ; dir = dirname(dir)) {
    created.unshift(dir);
    if (dir === first || dir === dirname(dir)) break;
  }
  // Outermost first: a folder's entry is durable before anything is made inside it.
  for (const dir of created) await sync(dirname(dir));
}

/**
 * Write all of `bytes` at `position` in the file, or at the handle's current position (a write
 * may take only part of them).
 */
export async function writeAll(handle: FileHandle, bytes: Uint8Array, position?: number): Promise<void> {
  for (let at = 0; at < bytes.length;) {
    const { bytesWritten } = await handle.write(
      bytes,
      at,
      bytes.length - at,
      position === undefined ? null : position + at,
    );
    at += bytesWritten;
  }
}

/**
 * Replace a file's content durably and atomically: write a temporary file beside it, fsync it,
 * rename it over the target, fsync the folder. A crash leaves either the old or the new content.
 * A large content can be given as pieces written one after the other (each turned into bytes on
 * its own, the event loop running between them) rather than as one string.
 */
export async function writeFileDurable(
  path: string,
  data: string | Uint8Array | readonly (string | Uint8Array)[],
): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', FILE_MODE);
  try {
    if (typeof data === 'string' || data instanceof Uint8Array) await handle.writeFile(data);
    else
      for (const piece of data)
        await writeAll(handle, typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dirname(path));
}

/**
 * A lowdb adapter that writes durably (temporary file, fsync, rename, fsync of the folder) and
 * that reports a missing file as `null` so the caller can tell "new" from "vanished". lowdb's own
 * JSONFile never fsyncs and shares one temporary name between processes.
 */
export class DurableJsonFile<T> implements Adapter<T> {
  constructor(private readonly path: string) {}

  async read(): Promise<T | null> {
    let handle;
    try {
      handle = await open(this.path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    try {
      const raw = await handle.readFile('utf8');
      try {
        return JSON.parse(raw) as T;
      } catch {
        throw new StorageCorruptError(this.path, 'le fichier JSON est illisible');
      }
    } finally {
      await handle.close();
    }
  }

  async write(data: T): Promise<void> {
    await writeFileDurable(this.path, JSON.stringify(data));
  }
}

/** Damage found in the data folder: the server refuses to start rather than guess. */
export class StorageCorruptError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`Données endommagées dans ${path} : ${reason}. Verbatim refuse de démarrer pour ne rien perdre.`);
    this.name = 'StorageCorruptError';
  }
}
