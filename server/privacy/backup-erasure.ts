/**
 * Erasure in the backups Verbatim manages (`<data>/backups` or VERBATIM_BACKUP_DIR): each zip that
 * holds erased data is rewritten without it (temporary file, fsync, rename), or removed when it
 * cannot be read. Runs under the backup lock, so that a backup being written meanwhile is either
 * finished before (and rewritten) or started after (and copies the rewritten data).
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { redactEvent, type ErasurePlan } from '../../shared/erasure.ts';
import type { LoggedProjectEvent } from '../../shared/events.ts';
import { withBackupLock } from '../backup.ts';
import { writeFileDurable } from '../storage/durable-file.ts';
import { journalLine } from '../storage/journal.ts';

export interface BackupErasure {
  rewritten: number;
  removed: number;
}

/** What to do with the entries of one backup: `undefined` leaves the backup as it is. */
type EntriesEdit = (entries: Record<string, Uint8Array>) => Record<string, Uint8Array> | undefined;

async function editBackups(dir: string, edit: EntriesEdit): Promise<BackupErasure> {
  return withBackupLock(async () => {
    const result = { rewritten: 0, removed: 0 };
    const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.zip'));
    for (const name of names) {
      const path = join(dir, name);
      let entries: Record<string, Uint8Array>;
      try {
        entries = unzipSync(new Uint8Array(await readFile(path)));
      } catch {
        // Unreadable: it cannot be rewritten, so it cannot be kept.
        await rm(path, { force: true });
        result.removed++;
        continue;
      }
      const edited = edit(entries);
      if (!edited) continue;
      await writeFileDurable(path, zipSync(edited, { level: 6 }));
      result.rewritten++;
    }
    return result;
  });
}

/** Rewrite one journal's lines; `undefined` when none changed. */
function redactJournal(bytes: Uint8Array, plan: ErasurePlan): Uint8Array | undefined {
  let changed = false;
  const lines = Buffer.from(bytes)
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((line) => {
      const event = JSON.parse(line) as LoggedProjectEvent;
      const redacted = redactEvent(event, plan);
      if (redacted !== event) changed = true;
      return journalLine(redacted);
    });
  return changed ? new Uint8Array(Buffer.from(lines.join(''), 'utf8')) : undefined;
}

/** Take an erasure's data out of every backup of `dir`. */
export function eraseFromBackups(dir: string, projectId: string, plan: ErasurePlan): Promise<BackupErasure> {
  const prefix = `projects/${projectId}/`;
  return editBackups(dir, (entries) => {
    let changed = false;
    const out: Record<string, Uint8Array> = {};
    for (const [name, bytes] of Object.entries(entries)) {
      if (name.startsWith(prefix)) {
        const [folder, file = ''] = name.slice(prefix.length).split('/');
        const documentId = file.slice(0, file.indexOf('.'));
        if (folder !== 'events.jsonl' && plan.documentIds.has(documentId)) {
          changed = true;
          continue;
        }
        if (folder === 'events.jsonl') {
          const redacted = redactJournal(bytes, plan);
          if (redacted) {
            out[name] = redacted;
            changed = true;
            continue;
          }
        }
      }
      out[name] = bytes;
    }
    return changed ? out : undefined;
  });
}

/** Take a deleted project out of every backup of `dir`. */
export function removeProjectFromBackups(dir: string, projectId: string): Promise<BackupErasure> {
  const prefix = `projects/${projectId}/`;
  return editBackups(dir, (entries) => {
    const names = Object.keys(entries);
    if (!names.some((n) => n.startsWith(prefix))) return undefined;
    return Object.fromEntries(Object.entries(entries).filter(([n]) => !n.startsWith(prefix)));
  });
}
