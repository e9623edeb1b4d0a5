/**
 * The map of personal data: every place where Verbatim keeps something, and how an erasure
 * (withdrawal of consent, deletion of a project) reaches it. Erasure walks this list; a test fails
 * when the data folder, the Store interface or the PostgreSQL schema holds a place it does not
 * name. A new store that is not on this map is a defect.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

export interface PersonalDataPlace {
  /** Short name, used in docs/privacy.md. */
  readonly name: string;
  /** What it holds about the people interviewed (or `null`: nothing about them). */
  readonly holds: string | null;
  /** Paths in the data folder, `<…>` standing for one path segment. */
  readonly files: readonly string[];
  /** PostgreSQL tables holding the same. */
  readonly tables: readonly string[];
  /** Store methods that write there. */
  readonly writtenBy: readonly string[];
  /** How an erasure reaches it. */
  readonly erasure: string;
  /**
   * For files removed once the rewritten log is in place: remove those of the erased documents
   * from a project folder; returns how many were removed.
   */
  readonly sweep?: (projectDir: string, documentIds: ReadonlySet<string>) => Promise<number>;
}

/** Remove the files of a folder whose name is `<documentId>.<anything>` for an erased document. */
async function sweepByDocument(dir: string, documentIds: ReadonlySet<string>): Promise<number> {
  let removed = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const id = name.slice(0, name.indexOf('.'));
    if (!documentIds.has(id)) continue;
    await rm(join(dir, name), { force: true, recursive: true });
    removed++;
  }
  return removed;
}

/**
 * Remove a project folder's recordings of erased documents (in the data folder, or in
 * VERBATIM_MEDIA_DIR on PostgreSQL, which holds nothing else).
 */
export function sweepRecordings(projectDir: string, documentIds: ReadonlySet<string>): Promise<number> {
  return sweepByDocument(join(projectDir, 'recordings'), documentIds);
}

export const PERSONAL_DATA: readonly PersonalDataPlace[] = [
  {
    name: 'journal',
    holds:
      'every change: participants (name, pseudonym, attributes), document names and memos, coded quotes and their memos, replacement entries',
    files: ['projects/<project>/events.jsonl'],
    tables: ['project_events', 'projects'],
    writtenBy: ['createProject', 'changeProject'],
    erasure:
      'rewritten: events about the erased are replaced by tombstones (seq, time, actor, type, transaction), mixed events lose the erased parts; temporary file, fsync, rename, fsync of the folder',
  },
  {
    name: 'snapshot',
    holds: 'the project state folded from the journal: the same data as the journal',
    files: ['projects/<project>/project.json'],
    tables: ['project_snapshots'],
    writtenBy: ['changeProject'],
    erasure:
      "removed before the rewritten journal takes the place of the old one, then written anew from it; on PostgreSQL, deleted in the erasure's transaction (and with the project), and never stored from a state older than an erasure",
  },
  {
    name: 'texts',
    holds: 'the transcripts, normalised',
    files: ['projects/<project>/texts/<document>.txt'],
    tables: ['texts'],
    writtenBy: ['putText'],
    erasure: 'removed',
    sweep: (dir, ids) => sweepByDocument(join(dir, 'texts'), ids),
  },
  {
    name: 'originals',
    holds: 'the uploaded files, as they came',
    files: ['projects/<project>/originals/<document>'],
    tables: ['originals'],
    writtenBy: ['putOriginal'],
    erasure: 'removed',
    sweep: (dir, ids) => sweepByDocument(join(dir, 'originals'), ids),
  },
  {
    name: 'recordings',
    holds:
      'audio or video of the interviews, uploaded or imported from a .qdpx (every version a replacement or removal kept for undo); on PostgreSQL, in VERBATIM_MEDIA_DIR/<project>/recordings/, a folder every instance shares, reached by erasure through media/recordings-folder.ts',
    files: ['projects/<project>/recordings/<document>'],
    tables: [],
    writtenBy: [],
    erasure:
      'removed, every version; in backups only when VERBATIM_BACKUP_MEDIA=1 (then rewritten like the rest)',
    sweep: (dir, ids) => sweepRecordings(dir, ids),
  },
  {
    name: 'caches',
    holds: 'derived data: the search index holds the words of every transcript',
    files: ['projects/<project>/cache/<name>'],
    tables: ['caches'],
    writtenBy: ['writeCache'],
    erasure:
      'removed whole (rebuilt from what remains at the next search); the search index in memory is dropped',
    sweep: async (dir) => {
      const had = (await readdir(join(dir, 'cache')).catch(() => [] as string[])).length;
      await rm(join(dir, 'cache'), { recursive: true, force: true });
      return had;
    },
  },
  {
    name: 'erasure intent',
    holds: 'ids of what an erasure under way removes, and hashes of replacement entries: no names',
    files: ['projects/<project>/erasure.json'],
    tables: [],
    writtenBy: [],
    erasure: 'removed once the erasure is complete (finished at the next start after a crash)',
  },
  {
    name: 'damaged',
    holds:
      'what a start could not read, set aside for an administrator: the torn end of a journal (changes never acknowledged, which may quote the transcripts); a project folder whose creation was never confirmed (an empty journal)',
    files: ['projects/<project>/damaged-<date>', 'damaged-<date>'],
    tables: [],
    writtenBy: [],
    erasure:
      "a project's set-aside journal ends are removed with its erasure (they were never acknowledged); an unconfirmed project folder holds no one's data",
    sweep: async (dir) => {
      let removed = 0;
      for (const name of await readdir(dir).catch(() => [] as string[])) {
        if (!name.startsWith('damaged-')) continue;
        await rm(join(dir, name), { recursive: true, force: true });
        removed++;
      }
      return removed;
    },
  },
  {
    name: 'backups',
    holds: 'zip copies of journals, texts and originals',
    files: ['backups/<backup>'],
    tables: [],
    writtenBy: [],
    erasure:
      'each backup holding the erased data is rewritten without it (temporary file, fsync, rename) or removed when it cannot be read',
  },
  {
    name: 'trash',
    holds: 'a deleted project while its folder is being removed',
    files: ['trash/<project>'],
    tables: [],
    writtenBy: ['deleteProject'],
    erasure: 'removed at once, and at the next start if a crash interrupted it',
  },
  {
    name: 'memory',
    holds:
      'the text cache, the coding index, the search indexes and the threads building one (the texts sent to them, until the index is back and the threads stopped), the recent events of the live feed, each coding’s JSON for the document view (held weakly with the coding itself)',
    files: [],
    tables: [],
    writtenBy: [],
    erasure:
      'dropped and rebuilt from the rewritten log; a coding’s JSON goes with the coding object it belongs to; a search index built while an erasure ran reflects a seq before it and is built again',
  },
  {
    name: 'instance',
    holds: null,
    files: ['instance.json', 'instance.events.jsonl', 'verbatim.json', 'LOCK'],
    tables: ['instance_events', 'instance_head', 'schema_migrations'],
    writtenBy: ['changeInstance'],
    erasure: 'not reached: accounts and sessions of the team, no data about the people interviewed',
  },
];

/** Remove from a project folder the files of erased documents, walking the map. */
export async function sweepDocuments(projectDir: string, documentIds: ReadonlySet<string>): Promise<number> {
  let removed = 0;
  for (const place of PERSONAL_DATA) if (place.sweep) removed += await place.sweep(projectDir, documentIds);
  return removed;
}

/** Whether a path of the data folder (with `/`) is named by the map. */
export function isMapped(path: string): boolean {
  return PERSONAL_DATA.some((place) =>
    place.files.some((pattern) => {
      const re = new RegExp(
        '^' +
          pattern
            .split(/<[^>]+>/)
            .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
            .join('[^/]+') +
          '(/.*)?$',
      );
      return re.test(path);
    }),
  );
}
