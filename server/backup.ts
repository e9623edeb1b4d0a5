import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { ensureDirectory, writeFileDurable } from './storage/durable-file.ts';

/**
 * Backups of a data folder as one zip: the format marker, the instance's and every project's
 * journal (complete lines only), texts and original files. Snapshots and caches are left out:
 * they are rebuilt from the journals at the next start, which makes the copy consistent without
 * stopping the server (journals are only ever appended to).
 */
const SKIPPED = new Set([
  'LOCK',
  'instance.json',
  'project.json',
  'cache',
  'backups',
  'trash',
  'erasure.json',
]);

/**
 * Recordings are large: kept out of backups unless VERBATIM_BACKUP_MEDIA=1 (their originals stay
 * with the team, who recorded them). A backup holding them is reached by erasure like the others.
 */
function skipped(name: string): boolean {
  if (name === 'recordings') return process.env.VERBATIM_BACKUP_MEDIA !== '1';
  return SKIPPED.has(name) || name.endsWith('.tmp');
}

async function* files(root: string, dir = root): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (skipped(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(root, path);
    else if (entry.isFile()) yield path;
  }
}

let backupQueue: Promise<unknown> = Promise.resolve();

/**
 * Run `work` alone among this process's backup writers and rewriters: a backup taken while an
 * erasure rewrites the others is either finished before (and rewritten) or taken after.
 */
export function withBackupLock<T>(work: () => Promise<T>): Promise<T> {
  const run = backupQueue.then(work);
  backupQueue = run.catch(() => undefined);
  return run;
}

/** Write a backup of `dataDir` to `outFile`; returns the number of files it holds. */
export function createBackup(dataDir: string, outFile: string): Promise<number> {
  return withBackupLock(() => writeBackup(dataDir, outFile));
}

async function writeBackup(dataDir: string, outFile: string): Promise<number> {
  const entries: Record<string, Uint8Array> = {};
  for await (const path of files(dataDir)) {
    let bytes: Uint8Array = await readFile(path);
    if (path.endsWith('.jsonl')) {
      // Only complete lines: a line being written now belongs to the next backup.
      bytes = bytes.subarray(0, bytes.lastIndexOf(0x0a) + 1);
    }
    entries[relative(dataDir, path).split(sep).join('/')] = bytes;
  }
  if (!entries['verbatim.json']) throw new Error(`${dataDir} n'est pas un dossier de données Verbatim.`);
  await ensureDirectory(dirname(outFile));
  await writeFileDurable(outFile, zipSync(entries, { level: 6 }));
  return Object.keys(entries).length;
}

/**
 * Restore a backup into `dataDir`, which must not exist or be empty: a restore never overwrites
 * data.
 */
export async function restoreBackup(file: string, dataDir: string): Promise<number> {
  const existing = await readdir(dataDir).catch(() => [] as string[]);
  if (existing.length > 0) {
    throw new Error(
      `Le dossier ${dataDir} n'est pas vide : restaurez dans un dossier neuf, rien n'est écrasé.`,
    );
  }
  const entries = unzipSync(new Uint8Array(await readFile(file)));
  if (!entries['verbatim.json']) throw new Error(`${file} n'est pas une sauvegarde Verbatim.`);
  for (const name of Object.keys(entries)) {
    if (name.startsWith('/') || name.split('/').includes('..'))
      throw new Error(`Entrée suspecte dans la sauvegarde : ${name}`);
  }
  // Every folder and file made durably, as the server makes them: a restored folder is served at once.
  await ensureDirectory(join(dataDir, 'projects'));
  for (const [name, bytes] of Object.entries(entries)) {
    if (name.endsWith('/')) continue;
    const path = join(dataDir, ...name.split('/'));
    await ensureDirectory(dirname(path));
    await writeFileDurable(path, bytes);
  }
  return Object.keys(entries).length;
}

/** The name of a backup taken now: sortable by time. */
export function backupName(now = new Date()): string {
  return `verbatim-${now.toISOString().replace(/[:.]/g, '-')}.zip`;
}

/** Keep the `keep` most recent backups of a folder, remove the others. */
export async function rotateBackups(dir: string, keep: number): Promise<void> {
  const names = (await readdir(dir).catch(() => [] as string[]))
    .filter((n) => /^verbatim-.*\.zip$/.test(n))
    .sort();
  for (const name of names.slice(0, Math.max(0, names.length - keep)))
    await rm(join(dir, name), { force: true });
}

/** Whether a path exists. */
export async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
