/**
 * Recordings kept outside the store: on PostgreSQL they live in VERBATIM_MEDIA_DIR, one folder
 * every instance reads and writes (`<root>/<project>/recordings/<document>.<media>`, the layout
 * of the data folder). The database knows nothing of them, so what erases or deletes their
 * document or project must reach this folder too: the store is wrapped so that an erasure sweeps
 * the erased documents' recordings once it is committed, and a project's deletion removes its
 * folder; at each start, what a crash left between the two is swept.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isId, type ProjectId } from '../../shared/ids.ts';
import { sweepRecordings } from '../privacy/personal-data.ts';
import type { Store } from '../storage/store.ts';

/** `store`, whose erasures and project deletions also reach the recordings under `root`. */
export function withRecordingsFolder<S extends Store>(store: S, root: string): S {
  const erase: S['erase'] = async (projectId, ...rest) => {
    const result = await store.erase(projectId, ...rest);
    await sweepRecordings(join(root, projectId), new Set(result.receipt.documentIds));
    return result;
  };
  const deleteProject: S['deleteProject'] = async (projectId) => {
    await store.deleteProject(projectId);
    await rm(join(root, projectId), { recursive: true, force: true });
  };
  return new Proxy(store, {
    get(target, property) {
      if (property === 'erase') return erase;
      if (property === 'deleteProject') return deleteProject;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * What a crash may have left between a committed erasure or deletion and its sweep: the folders of
 * projects that no longer exist, and the recordings of documents an erasure took (named by the
 * erasure receipts in the project's log). A document merely deleted keeps its recording, for undo.
 * Returns how many files or folders were removed.
 */
export async function sweepRecordingsFolder(store: Store, root: string): Promise<number> {
  let removed = 0;
  // Only the projects that have a folder here are read: most projects have no recording.
  for (const name of await readdir(root).catch(() => [] as string[])) {
    if (!isId(name)) continue; // Not Verbatim's: left alone.
    const state = await store.readProject(name as ProjectId);
    if (!state) {
      await rm(join(root, name), { recursive: true, force: true });
      removed++;
      continue;
    }
    const files = await readdir(join(root, name, 'recordings')).catch(() => [] as string[]);
    const unknown = files.some((f) => !state.documents[f.slice(0, f.indexOf('.'))]);
    if (!unknown || state.lastErasure === undefined) continue;
    const erased = new Set<string>();
    for (let after = 0; after < state.seq;) {
      const page = await store.readEvents(name as ProjectId, after, 1000);
      if (page.length === 0) break;
      for (const event of page)
        if (event.type === 'erasure' && 'documentIds' in event)
          event.documentIds.forEach((id) => erased.add(id));
      after = page.at(-1)?.seq ?? state.seq;
    }
    removed += await sweepRecordings(join(root, name), erased);
  }
  return removed;
}
