/**
 * A data folder's marker (`verbatim.json`: format and schema version) and the migrations between
 * versions, checked each time the embedded store opens the folder (file-store.ts).
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DurableJsonFile, StorageCorruptError, ensureDirectory, writeFileDurable } from './durable-file.ts';

/** Version of the data folder's layout and state shapes. Bump it with a migration below. */
export const SCHEMA_VERSION = 2;

/**
 * Migrations from version n to n + 1, run in order when an older data folder is opened (after the
 * lock is taken, before anything is read). Each must be idempotent: a crash may interrupt it.
 */
const MIGRATIONS: Record<number, (dataDir: string) => Promise<void>> = {
  // 2: journal lines carry a CRC-32 (journal-line.ts). Nothing is rewritten: the lines written
  // before read as they are, and every line after the first checksummed one must carry one.
  1: async () => undefined,
};

interface Marker {
  format: 'verbatim-data';
  schemaVersion: number;
  createdAt: string;
}

/**
 * Make `dir` (locked by the caller) a data folder of this version: create its marker and layout
 * when it is empty, run the migrations it needs, and check its journal and projects are there.
 * Refuses, with a message naming the file, a folder that is not empty but has no marker, an
 * unknown format and a newer schema version.
 */
export async function prepareDataFolder(dir: string): Promise<void> {
  const markerPath = join(dir, 'verbatim.json');
  const markerFile = new DurableJsonFile<Marker>(markerPath);
  let marker = await markerFile.read();
  if (marker === null) {
    const others = (await readdir(dir)).filter((name) => name !== 'LOCK');
    if (others.length > 0) {
      throw new StorageCorruptError(
        markerPath,
        `le dossier n'est pas vide (${others.slice(0, 5).join(', ')}) mais n'a pas de marqueur Verbatim`,
      );
    }
    marker = {
      format: 'verbatim-data',
      schemaVersion: SCHEMA_VERSION,
      createdAt: new Date().toISOString(),
    };
    await ensureDirectory(join(dir, 'projects'));
    await writeFileDurable(join(dir, 'instance.events.jsonl'), '');
    await markerFile.write(marker);
  }
  if (marker.format !== 'verbatim-data') throw new StorageCorruptError(markerPath, 'format inconnu');
  if (marker.schemaVersion > SCHEMA_VERSION) {
    throw new StorageCorruptError(
      markerPath,
      `version de schéma ${marker.schemaVersion}, plus récente que celle de ce serveur (${SCHEMA_VERSION})`,
    );
  }
  for (let v = marker.schemaVersion; v < SCHEMA_VERSION; v++) {
    const migrate = MIGRATIONS[v];
    if (!migrate) throw new StorageCorruptError(markerPath, `aucune migration depuis la version ${v}`);
    await migrate(dir);
    marker = { ...marker, schemaVersion: v + 1 };
    await markerFile.write(marker);
  }
  for (const required of ['instance.events.jsonl', 'projects']) {
    if (!(await exists(join(dir, required)))) {
      throw new StorageCorruptError(join(dir, required), 'fichier ou dossier manquant');
    }
  }
}

/** Whether `path` exists; an error other than its absence is thrown. */
export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
