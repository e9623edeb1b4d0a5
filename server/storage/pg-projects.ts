import { indexCodings } from '../../shared/coding-index.ts';
import { applyProjectEvent, emptyProjectState, type ProjectEvent } from '../../shared/events.ts';
import type { ProjectId } from '../../shared/ids.ts';
import type { ProjectState } from '../../shared/model.ts';
import { notFound, type ProjectLog } from './pg-commit.ts';
import { storageError, type Db } from './pg-db.ts';
import { readProjectLog } from './pg-events.ts';
import { FoldedLog } from './pg-log.ts';
import {
  SNAPSHOT_EVERY,
  SnapshotWriter,
  type SnapshotOptions,
  type SnapshotPolicy,
} from './pg-snapshot-writer.ts';
import { readProjectStart } from './pg-snapshots.ts';
import type { TextCache } from './text-cache.ts';

export type { SnapshotOptions } from './pg-snapshot-writer.ts';

/**
 * The logs of the projects one PostgreSQL store instance holds in memory, each loaded from the
 * database when first asked for (from its snapshot and the events after it), and dropped when the
 * project is found deleted or erased. Their snapshots are written as pg-snapshot-writer.ts says.
 */
export class ProjectLogs {
  private readonly held = new Map<ProjectId, ProjectLog>();
  private readonly loading = new Map<ProjectId, Promise<ProjectLog | undefined>>();
  private readonly snapshots: SnapshotWriter;

  constructor(
    private readonly db: Db,
    private readonly texts: TextCache,
    /** Run work whose failure only needs reporting. */
    private readonly background: (work: Promise<void>) => void,
    snapshots: SnapshotOptions,
  ) {
    const policy: SnapshotPolicy = {
      every: snapshots.snapshotEvery ?? SNAPSHOT_EVERY,
      quietMs: snapshots.snapshotQuietMs ?? 250,
    };
    this.snapshots = new SnapshotWriter(db, policy, (id, log) => this.reread(id, log));
  }

  /** The log held for the project, if any (no database access). */
  get(id: ProjectId): ProjectLog | undefined {
    return this.held.get(id);
  }

  has(id: ProjectId): boolean {
    return this.held.has(id);
  }

  ids(): IterableIterator<ProjectId> {
    return this.held.keys();
  }

  values(): IterableIterator<ProjectLog> {
    return this.held.values();
  }

  /** The log held for a project just created here, or a new one registered for it. */
  created(id: ProjectId): ProjectLog {
    let log = this.held.get(id);
    if (!log) {
      log = this.newLog(id);
      this.held.set(id, log);
      this.snapshots.follow(id, log, 0);
    }
    return log;
  }

  /** The project's log, loaded from the database if this instance does not hold it yet. */
  project(id: ProjectId): Promise<ProjectLog | undefined> {
    const held = this.held.get(id);
    if (held) return Promise.resolve(held);
    let loading = this.loading.get(id);
    if (!loading) {
      loading = this.load(id).finally(() => this.loading.delete(id));
      this.loading.set(id, loading);
    }
    return loading;
  }

  /** The project's log; `not_found` if there is no such project. */
  async required(id: ProjectId): Promise<ProjectLog> {
    let log: ProjectLog | undefined;
    try {
      log = await this.project(id);
    } catch (error) {
      throw storageError(error);
    }
    if (!log) throw notFound(id);
    return log;
  }

  /** Stop holding a project deleted (here or by another instance). */
  forget(id: ProjectId, log?: ProjectLog): void {
    if (log && this.held.get(id) !== log) return;
    const held = this.held.get(id);
    if (held) this.snapshots.unfollow(held);
    this.held.delete(id);
    this.texts.forgetProject(id);
  }

  /** Write no more snapshots; resolves once the one under way has finished. */
  close(): Promise<void> {
    return this.snapshots.stop();
  }

  /**
   * A held log was folded again from its first event, rewritten by an erasure (made here, or found
   * while committing): texts cached before it may be erased ones, and its codings are new objects
   * to index.
   */
  rebuilt(id: ProjectId, log: ProjectLog): void {
    this.texts.forgetProject(id);
    indexCodings(log.state);
  }

  /** Drop what this instance holds of a project and read it again from the database. */
  reread(id: ProjectId, log: ProjectLog): void {
    this.texts.forgetProject(id);
    log.reset(emptyProjectState(id));
    this.background(log.catchUp().then(() => indexCodings(log.state)));
  }

  private newLog(id: ProjectId, from: ProjectState = emptyProjectState(id)): ProjectLog {
    const log: ProjectLog = new FoldedLog<ProjectState, ProjectEvent>(
      from,
      applyProjectEvent,
      async (after) => {
        const { gone, erased, events } = await readProjectLog(this.db, id, after);
        if (gone) {
          this.forget(id, log);
          return [];
        }
        // An erasure since: what memory holds may be erased data, so the whole log is read again
        // (even if its notification was missed).
        if (after > 0 && erased) queueMicrotask(() => this.reread(id, log));
        return events;
      },
      (event) => event.type === 'erasure',
    );
    return log;
  }

  private async load(id: ProjectId): Promise<ProjectLog | undefined> {
    const sentAt = performance.now();
    const start = await readProjectStart(this.db, id);
    if (start.gone) return undefined;
    // The snapshot's state becomes the log's: its seq, before the events after it are folded.
    let known = start.snapshot?.seq ?? 0;
    let log = this.newLog(id, start.snapshot);
    log.absorb(start.events);
    // What was committed before the read was sent is in it (see FoldedLog.catchUp's `since`).
    log.freshAt(sentAt);
    if (log.rewritten) {
      // A snapshot older than an erasure (which deletes them all) is never trusted: read it all.
      log = this.newLog(id);
      await log.catchUp();
      known = 0;
    }
    if (log.state.seq === 0) return undefined;
    indexCodings(log.state);
    // createProject on this instance may have registered it meanwhile.
    const held = this.held.get(id);
    if (held) return held;
    this.held.set(id, log);
    this.snapshots.follow(id, log, known);
    return log;
  }
}
