/** What a data folder holds, byte for byte: to prove that a refused request wrote nothing. */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Fingerprint {
  /** Every folder, relative to the data folder, sorted. */
  folders: string[];
  /** Every file's SHA-256, by path relative to the data folder. */
  files: Record<string, string>;
}

/**
 * Fingerprint a data folder: its folders, and the SHA-256 of every file. Only `LOCK` is left out:
 * it holds the pid of whichever server holds the folder, and says nothing of the data.
 */
export async function fingerprint(dir: string): Promise<Fingerprint> {
  const folders: string[] = [];
  const files: Record<string, string> = {};
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      const name = relative(dir, path);
      if (entry.isDirectory()) {
        folders.push(name);
        await walk(path);
      } else if (name !== 'LOCK') {
        files[name] = createHash('sha256')
          .update(await readFile(path))
          .digest('hex');
      }
    }
  };
  await walk(dir);
  return { folders: folders.sort(), files: Object.fromEntries(Object.entries(files).sort()) };
}

/**
 * The fingerprint once the folder has settled: two fingerprints `intervalMs` apart are equal
 * (snapshots are written after a quiet period of 250 ms). Fails after `timeoutMs` of changes.
 */
export async function settledFingerprint(
  dir: string,
  { intervalMs = 400, timeoutMs = 30_000 } = {},
): Promise<Fingerprint> {
  const deadline = Date.now() + timeoutMs;
  let previous = await fingerprint(dir);
  for (;;) {
    await sleep(intervalMs);
    const current = await fingerprint(dir);
    if (JSON.stringify(current) === JSON.stringify(previous)) return current;
    if (Date.now() > deadline) throw new Error(`${dir} is still changing after ${timeoutMs} ms`);
    previous = current;
  }
}
