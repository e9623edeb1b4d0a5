import { readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import {
  applyInstanceEvent,
  applyProjectEvent,
  emptyInstanceState,
  emptyProjectState,
  type InstanceEvent,
  type InstanceState,
  type LoggedProjectEvent,
} from '../../shared/events.ts';
import { isId, type ProjectId } from '../../shared/ids.ts';
import type { ProjectState } from '../../shared/model.ts';
import { StorageCorruptError, ensureDirectory, syncDirectory, writeFileDurable } from './durable-file.ts';
import { openFileLog, type Snapshot } from './file-log.ts';
import type { FileJournal } from './journal.ts';
import { damagedFolderName, readJournal } from './journal.ts';
import { stringifyInPieces } from './sliced-json.ts';
import { LedgerStore, type ErasureRewrite, type OpenedLog, type Persistence } from './ledger-store.ts';
import { removeProjectFromBackups, type BackupErasure } from '../privacy/backup-erasure.ts';
import { commitErasure, emptyTrash, finishErasure, recoverErasure } from '../privacy/file-erasure.ts';
import { exists, prepareDataFolder } from './data-folder.ts';
import { acquireLock } from './lock.ts';
import type { CacheData, DamagedProject } from './store.ts';

export interface FileStoreOptions {
  /**
   * Write a snapshot once this many events have been appended since the last one (or a quarter of
   * the events the last snapshot held, if more).
   */
  snapshotEvery?: number;
  /**
   * Wait for this many milliseconds without writes before serialising a snapshot (it blocks the
   * process while it runs); 0 writes it as soon as the journal is idle.
   */
  snapshotQuietMs?: number;
  /** The backups this server writes (VERBATIM_BACKUP_DIR), which erasure rewrites. */
  backupDir?: string;
}

/**
 * The embedded default persistence, in one data folder:
 *
 *   LOCK                          held while a server runs
 *   verbatim.json                 format marker and schema version
 *   instance.json                 lowdb snapshot of accounts and sessions
 *   instance.events.jsonl         their journal
 *   projects/<id>/project.json    lowdb snapshot of the project's state
 *   projects/<id>/events.jsonl    the project's journal: every change, fsync'd, never rewritten
 *   projects/<id>/texts/<documentId>.txt   normalised texts, written once
 *   projects/<id>/originals/<documentId>.<format>   the uploaded files, for provenance
 *   projects/<id>/cache/                 derived data (the search index), rebuilt when missing
 *   trash/<id>-<time>/            a deleted project while its folder is being removed
 */
class FilePersistence implements Persistence {
  readonly kind = 'file';
  private readonly snapshotEvery: number;
  private readonly snapshotQuietMs: number;
  private readonly backupDir: string;
  /** Snapshots being written: close() waits for them, so nothing is written after the lock goes. */
  private readonly snapshotWrites = new Set<Promise<void>>();
  /** Set by close(): no new snapshot starts, so none is written after the lock is released. */
  private closing = false;

  constructor(
    private readonly dir: string,
    private readonly releaseLock: () => Promise<void>,
    options: FileStoreOptions,
  ) {
    this.snapshotEvery = options.snapshotEvery ?? 1000;
    this.snapshotQuietMs = options.snapshotQuietMs ?? 250;
    this.backupDir = options.backupDir ?? join(dir, 'backups');
  }

  private projectDir(id: ProjectId): string {
    return join(this.dir, 'projects', id);
  }

  async openInstance(): Promise<OpenedLog<InstanceState>> {
    return this.openLog(
      join(this.dir, 'instance.json'),
      join(this.dir, 'instance.events.jsonl'),
      emptyInstanceState,
      (s, e) => applyInstanceEvent(s, e as InstanceEvent),
    );
  }

  /** Projects found damaged at start, left as they are (see `openProjects`). */
  private readonly damaged = new Map<ProjectId, DamagedProject>();

  damagedProjects(): ReadonlyMap<ProjectId, DamagedProject> {
    return this.damaged;
  }

  /**
   * Open every project. One that cannot be read — a missing journal, a damaged line, an
   * unparseable snapshot — is left exactly as it is, logged, and kept closed (the others are
   * served). A project folder holding only an empty journal was created but never acknowledged:
   * it is moved aside into `damaged-<date>/`, never deleted.
   */
  async openProjects(): Promise<Map<ProjectId, OpenedLog<ProjectState>>> {
    const projects = new Map<ProjectId, OpenedLog<ProjectState>>();
    await emptyTrash(this.dir, this.backupDir);
    for (const entry of await readdir(join(this.dir, 'projects'), { withFileTypes: true })) {
      if (!entry.isDirectory() || !isId(entry.name)) continue;
      const id = entry.name as ProjectId;
      try {
        const log = await this.openProject(id);
        if (log) projects.set(id, log);
      } catch (error) {
        if (!(error instanceof StorageCorruptError)) {
          await Promise.all([...projects.values()].map((log) => log.journal.close()));
          throw error;
        }
        this.damaged.set(id, { path: error.path, reason: error.reason });
        console.error(
          `Projet ${id} endommagé, laissé tel quel et fermé jusqu'à réparation ` +
            `(docs/deployment.md, « Projet endommagé ») : ${error.path} : ${error.reason}.`,
        );
      }
    }
    return projects;
  }

  /** One project, or undefined when it was never acknowledged (and has been moved aside). */
  private async openProject(id: ProjectId): Promise<OpenedLog<ProjectState> | undefined> {
    const dir = this.projectDir(id);
    // An erasure cut short by a crash is finished (committed) or dropped (not yet) first.
    await recoverErasure(dir, id, this.backupDir);
    const journalPath = join(dir, 'events.jsonl');
    if (!(await exists(journalPath)))
      throw new StorageCorruptError(journalPath, 'le journal du projet a disparu');
    const log = await this.openProjectLog(id);
    if (log.state.seq > 0) return log;
    await log.journal.close();
    this.projectJournals.delete(id);
    const contents = await filesUnder(dir);
    if (contents.some((path) => path !== 'events.jsonl')) {
      throw new StorageCorruptError(
        journalPath,
        `le journal est vide alors que le projet contient des fichiers (${contents.slice(0, 3).join(', ')})`,
      );
    }
    // Created, but its first event never became durable: it was never acknowledged.
    const aside = join(this.dir, damagedFolderName(), id);
    await ensureDirectory(dirname(aside));
    await rename(dir, aside);
    await syncDirectory(join(this.dir, 'projects'));
    console.warn(
      `Projet ${id} : création jamais confirmée (journal vide), dossier mis de côté dans ${aside}.`,
    );
    return undefined;
  }

  /** Each open project's journal, which pages of old events are read from. */
  private readonly projectJournals = new Map<ProjectId, FileJournal>();

  private async openProjectLog(id: ProjectId): Promise<OpenedLog<ProjectState>> {
    const dir = this.projectDir(id);
    const log = await this.openLog(
      join(dir, 'project.json'),
      join(dir, 'events.jsonl'),
      () => emptyProjectState(id),
      (s, e) => applyProjectEvent(s, e as LoggedProjectEvent),
    );
    // A journal opened again (after an erasure's rewrite) comes with a new index.
    this.projectJournals.set(id, log.journal);
    return log;
  }

  async newProject(id: ProjectId): Promise<OpenedLog<ProjectState>> {
    const dir = this.projectDir(id);
    await ensureDirectory(join(dir, 'texts'));
    return this.openProjectLog(id);
  }

  /** Wait until no snapshot is being written (one finishing may start a catch-up one). */
  private async snapshotsSettled(): Promise<void> {
    while (this.snapshotWrites.size > 0) await Promise.all(this.snapshotWrites);
  }

  /**
   * Erase a project: its folder goes to `trash/` in one rename (a crash then leaves it either in
   * service or in the trash, which the next start empties), is removed, and so are its copies in
   * the backups.
   */
  async removeProject(id: ProjectId): Promise<void> {
    await this.snapshotsSettled();
    this.projectJournals.delete(id);
    const trash = join(this.dir, 'trash');
    await ensureDirectory(trash);
    const aside = join(trash, `${id}-${Date.now()}`);
    await rename(this.projectDir(id), aside);
    await syncDirectory(join(this.dir, 'projects'));
    await removeProjectFromBackups(this.backupDir, id);
    await rm(aside, { recursive: true, force: true });
  }

  async eraseProject(
    id: ProjectId,
    rewrite: ErasureRewrite,
  ): Promise<{ log: OpenedLog<ProjectState>; backups: BackupErasure }> {
    // No snapshot of the old log may land after it is replaced.
    await this.snapshotsSettled();
    const dir = this.projectDir(id);
    await commitErasure(dir, rewrite.events, rewrite.intent);
    const { backups } = await finishErasure(dir, id, rewrite.intent, this.backupDir);
    const { size } = await stat(join(dir, 'events.jsonl'));
    const snapshot: Snapshot<ProjectState> = {
      seq: rewrite.state.seq,
      journalBytes: size,
      state: rewrite.state,
    };
    await writeFileDurable(join(dir, 'project.json'), await stringifyInPieces(snapshot));
    return { log: await this.openProjectLog(id), backups };
  }

  async reopenProject(id: ProjectId): Promise<OpenedLog<ProjectState>> {
    await recoverErasure(this.projectDir(id), id, this.backupDir);
    return this.openProjectLog(id);
  }

  async readEvents(id: ProjectId, after: number, limit: number): Promise<LoggedProjectEvent[]> {
    const journal = this.projectJournals.get(id);
    if (journal && !journal.closed) return (await journal.readAfter(after, limit)) as LoggedProjectEvent[];
    // Closed (a project being erased or removed): the whole journal as it is on disk.
    const path = join(this.projectDir(id), 'events.jsonl');
    const { size } = await stat(path);
    const events = (await readJournal(path, 0, size)) as LoggedProjectEvent[];
    return events.filter((e) => e.seq > after).slice(0, limit);
  }

  async putText(projectId: ProjectId, documentId: string, text: string): Promise<void> {
    await writeFileDurable(join(this.projectDir(projectId), 'texts', `${documentId}.txt`), text);
  }

  async readText(projectId: ProjectId, documentId: string): Promise<string | undefined> {
    try {
      return await readFile(join(this.projectDir(projectId), 'texts', `${documentId}.txt`), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async discardText(projectId: ProjectId, documentId: string): Promise<void> {
    await rm(join(this.projectDir(projectId), 'texts', `${documentId}.txt`), { force: true });
    const originals = join(this.projectDir(projectId), 'originals');
    for (const name of await readdir(originals).catch(() => [] as string[])) {
      if (name.startsWith(`${documentId}.`)) await rm(join(originals, name), { force: true });
    }
  }

  async readCache(projectId: ProjectId, name: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(join(this.projectDir(projectId), 'cache', name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async writeCache(projectId: ProjectId, name: string, data: CacheData): Promise<void> {
    const dir = join(this.projectDir(projectId), 'cache');
    await ensureDirectory(dir);
    await writeFileDurable(join(dir, name), data);
  }

  async putOriginal(
    projectId: ProjectId,
    documentId: string,
    format: string,
    bytes: Uint8Array,
  ): Promise<void> {
    const dir = join(this.projectDir(projectId), 'originals');
    await ensureDirectory(dir);
    await writeFileDurable(join(dir, `${documentId}.${format}`), bytes);
  }

  async readOriginal(
    projectId: ProjectId,
    documentId: string,
    format: string,
  ): Promise<Uint8Array | undefined> {
    try {
      return new Uint8Array(
        await readFile(join(this.projectDir(projectId), 'originals', `${documentId}.${format}`)),
      );
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.snapshotsSettled();
    await this.releaseLock();
  }

  /** Open one log, with its snapshots written as `snapshotEvery` and `snapshotQuietMs` say. */
  private openLog<State extends { seq: number }>(
    snapshotPath: string,
    journalPath: string,
    empty: () => State,
    apply: (state: State, event: { seq: number }) => void,
  ): Promise<OpenedLog<State> & { journal: FileJournal }> {
    return openFileLog({ snapshotPath, journalPath }, empty, apply, {
      every: this.snapshotEvery,
      quietMs: this.snapshotQuietMs,
      stopped: () => this.closing,
      track: (written) => {
        this.snapshotWrites.add(written);
        void written.then(() => this.snapshotWrites.delete(written));
      },
    });
  }
}

/** The files under `dir`, by path relative to it (folders themselves are not listed). */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => !entry.isDirectory())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

/**
 * Open (or create) the embedded store in `dir`. Refuses, with a message naming the file, a folder
 * locked by another running server, a folder that is not empty but is not a Verbatim data folder,
 * a newer schema version, and any damaged file.
 */
export async function openFileStore(dir: string, options: FileStoreOptions = {}): Promise<LedgerStore> {
  await ensureDirectory(dir);
  const release = await acquireLock(join(dir, 'LOCK'));
  try {
    await prepareDataFolder(dir);
    return await LedgerStore.open(new FilePersistence(dir, release, options));
  } catch (error) {
    await release();
    throw error;
  }
}
