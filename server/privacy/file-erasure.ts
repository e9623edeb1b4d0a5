/**
 * Erasure in a project folder of the data folder, safe against a crash at any point:
 *
 * 1. `erasure.json` (the intent: ids, the receipt's seq, hashes of replacement entries; no names)
 *    is written durably;
 * 2. the rewritten journal is written to a temporary file and fsync'd;
 * 3. the snapshot is removed (the folder fsync'd): the old journal alone still gives the state
 *    before;
 * 4. the temporary journal is renamed over the old one and the folder fsync'd: the commit point;
 * 5. the files of the erased documents are removed (walking the map of personal data), the
 *    backups are rewritten, and the intent is removed.
 *
 * At start, an intent whose receipt is in the journal is finished (step 5 again: every part of it
 * can run twice); one whose receipt is not was never committed and is dropped with its temporary
 * file, leaving the state before.
 */
import { createHash } from 'node:crypto';
import { open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ErasurePlan } from '../../shared/erasure.ts';
import type { LoggedProjectEvent } from '../../shared/events.ts';
import { FILE_MODE, StorageCorruptError, syncDirectory, writeFileDurable } from '../storage/durable-file.ts';
import { journalLine, readJournal } from '../storage/journal.ts';
import { isId } from '../../shared/ids.ts';
import { eraseFromBackups, removeProjectFromBackups, type BackupErasure } from './backup-erasure.ts';
import { sweepDocuments } from './personal-data.ts';

const INTENT = 'erasure.json';
const TEMP_JOURNAL = '.events.jsonl.erasure.tmp';

/** What an erasure under way removes, written before anything else: no personal data. */
export interface ErasureIntent {
  receiptSeq: number;
  scope: ErasurePlan['scope'];
  participantIds: string[];
  documentIds: string[];
  /** SHA-256 of the `from` of each replacement entry erased. */
  replacementHashes: string[];
}

export function hashReplacement(from: string): string {
  return createHash('sha256').update(from, 'utf8').digest('hex');
}

export function intentOf(
  plan: ErasurePlan,
  receiptSeq: number,
  erasedFroms: Iterable<string>,
): ErasureIntent {
  return {
    receiptSeq,
    scope: plan.scope,
    participantIds: [...plan.participantIds],
    documentIds: [...plan.documentIds],
    replacementHashes: [...new Set([...erasedFroms].map(hashReplacement))],
  };
}

function planOf(intent: ErasureIntent): ErasurePlan {
  const hashes = new Set(intent.replacementHashes);
  return {
    scope: intent.scope,
    participantIds: new Set(intent.participantIds),
    documentIds: new Set(intent.documentIds),
    erasesReplacement: (from) => hashes.size > 0 && hashes.has(hashReplacement(from)),
  };
}

/** Steps 1 to 4: after this, the project folder's journal is the rewritten one. */
export async function commitErasure(
  projectDir: string,
  events: readonly LoggedProjectEvent[],
  intent: ErasureIntent,
): Promise<void> {
  await writeFileDurable(join(projectDir, INTENT), JSON.stringify(intent));
  const temp = join(projectDir, TEMP_JOURNAL);
  const handle = await open(temp, 'w', FILE_MODE);
  try {
    for (let i = 0; i < events.length; i += 1000) {
      await handle.write(
        events
          .slice(i, i + 1000)
          .map(journalLine)
          .join(''),
      );
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rm(join(projectDir, 'project.json'), { force: true });
  await syncDirectory(projectDir);
  await rename(temp, join(projectDir, 'events.jsonl'));
  await syncDirectory(projectDir);
}

/** Step 5: remove what the rewritten journal no longer names, everywhere. */
export async function finishErasure(
  projectDir: string,
  projectId: string,
  intent: ErasureIntent,
  backupDir: string,
): Promise<{ files: number; backups: BackupErasure }> {
  const plan = planOf(intent);
  const files = await sweepDocuments(projectDir, plan.documentIds);
  const backups = await eraseFromBackups(backupDir, projectId, plan);
  await rm(join(projectDir, INTENT), { force: true });
  await syncDirectory(projectDir);
  return { files, backups };
}

/** At start: finish an erasure that was committed, or drop one that was not. */
export async function recoverErasure(
  projectDir: string,
  projectId: string,
  backupDir: string,
): Promise<void> {
  const path = join(projectDir, INTENT);
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  let intent: ErasureIntent;
  try {
    intent = JSON.parse(raw) as ErasureIntent;
  } catch {
    // Written durably (temporary file and rename) before anything else: a torn one means nothing began.
    await rm(path, { force: true });
    return;
  }
  await rm(join(projectDir, TEMP_JOURNAL), { force: true });
  const journal = join(projectDir, 'events.jsonl');
  const { size } = await stat(journal).catch(() => {
    throw new StorageCorruptError(journal, 'le journal du projet a disparu pendant un effacement');
  });
  const events = (await readJournal(journal, 0, size)) as LoggedProjectEvent[];
  const committed = events.some((e) => e.seq === intent.receiptSeq && e.type === 'erasure');
  if (committed) await finishErasure(projectDir, projectId, intent, backupDir);
  else {
    await rm(path, { force: true });
    await syncDirectory(projectDir);
  }
}

/**
 * Finish the deletions a crash interrupted: each project left in `trash/<id>-<time>` is taken out
 * of the backups, then removed.
 */
export async function emptyTrash(dataDir: string, backupDir: string): Promise<void> {
  const trash = join(dataDir, 'trash');
  for (const name of await readdir(trash).catch(() => [] as string[])) {
    const id = name.slice(0, 36);
    if (isId(id)) await removeProjectFromBackups(backupDir, id);
    await rm(join(trash, name), { recursive: true, force: true });
  }
}
