import type { CodePointIndex } from '../../shared/offsets.ts';
import { DomainError } from '../../shared/errors.ts';
import {
  applyInstanceEvent,
  emptyInstanceState,
  emptyProjectState,
  type InstanceEvent,
  type InstanceEventBody,
  type InstanceState,
  type LoggedProjectEvent,
  type ProjectEvent,
  type ProjectEventBody,
} from '../../shared/events.ts';
import type { DocumentId, ProjectId, UserId } from '../../shared/ids.ts';
import type { Project, ProjectState, Role } from '../../shared/model.ts';
import type { ErasureScope } from '../../shared/erasure.ts';
import type { PlannedErasure } from '../privacy/plan.ts';
import type { Change } from './ledger.ts';
import {
  commitInstanceChange,
  deleteProjectRows,
  eraseLocked,
  insertProject,
  notFound,
  queueChange,
  type BatchHost,
  type InstanceLog,
  type ProjectLog,
  type QueuedChange,
} from './pg-commit.ts';
import * as content from './pg-content.ts';
import { createPool, isConnectionError, storageError, type Db } from './pg-db.ts';
import { readInstanceEvents } from './pg-events.ts';
import { HeardCommits } from './pg-heard.ts';
import { PgListener } from './pg-listen.ts';
import { FoldedLog } from './pg-log.ts';
import { ProjectLogs, type SnapshotOptions } from './pg-projects.ts';
import { migrate } from './pg-schema.ts';
import type { CacheData, ChangeOptions, ErasureResult, PresenceBus, Store } from './store.ts';
import { stampEvents } from './stamp.ts';
import { TextCache } from './text-cache.ts';
import { noteDurableWait } from '../request-timing.ts';

export { isConnectionError } from './pg-db.ts';
export { EVENTS_CHANNEL } from './pg-listen.ts';

export interface PgStoreOptions extends SnapshotOptions {
  /** Connections in the pool (default 10). */
  max?: number;
}

/**
 * The Store over PostgreSQL, for teams running several instances of Verbatim on one database.
 *
 * Like the embedded store, each instance keeps every project's state folded in memory and answers
 * reads from it; unlike it, the database is the single source of truth, shared by all instances:
 *
 * - Changes to one project are committed in batches (group commit), one transaction of two round
 *   trips each (pg-commit.ts): BEGIN, the lock on the project's row (`SELECT … FOR UPDATE`, which
 *   serialises writers across instances) and the events other instances committed before it; then
 *   each change's `decide` run in arrival order, and its events inserted, the head moved and NOTIFY
 *   sent (delivered on commit) in one statement, with COMMIT. A `decide` that throws, or whose
 *   events hold text PostgreSQL cannot store (shared/safe-text.ts), refuses its change only; if the
 *   database still refuses the statement, the changes are committed again one by one. Callers
 *   are answered and listeners told (one group per change `txn`) only after COMMIT.
 * - For each decision to see the events of the batch's earlier ones, they are folded into the
 *   project's state as they are decided (`FoldedLog.stage`), like the file store's Ledger does,
 *   rather than decided against a copy: a copy-on-write view (shared/overlay.ts) would make the
 *   duplicate-coding index (shared/coding-index.ts, cached per `codings` object) be rebuilt over
 *   every coding of the project at each batch. The price: if the transaction fails, memory holds
 *   changes that were not committed, so the state is dropped (`FoldedLog.reset`) before every
 *   caller of the batch is answered (503 `storage_unavailable` for a lost connection), and read
 *   again from the database; until then the project's reads answer 503 instead of being served
 *   from memory. Nothing is half-applied, here or in the database.
 * - Reads first catch up with the log (one indexed query), so a change acknowledged by any
 *   instance is seen by the next read on any other: sessions, codings, projects. While the
 *   database is unreachable, reads are served from memory.
 * - A LISTEN connection hears every commit and catches up the project concerned (at most
 *   HEARD_DELAY_MS later, pg-heard.ts), which tells the live feed of other instances' events.
 *   Lost, it is opened again as soon as the database answers, and everything caught up; a
 *   heartbeat sent through the pool and expected back on it tells when it has gone deaf.
 */
export class PgStore implements Store {
  readonly kind = 'postgres';
  private readonly projects: ProjectLogs;
  /** Per project, the changes waiting for the next batch (see `changeProject`). */
  private readonly waiting = new WeakMap<ProjectLog, QueuedChange[]>();
  private readonly heardCommits = new HeardCommits((log) => !this.closed && this.background(log.catchUp()));
  private readonly instance: InstanceLog;
  private readonly texts = new TextCache();
  private closed = false;
  private readonly listener: PgListener;
  /** Presence between instances, on the LISTEN connection's second channel (pg-listen.ts). */
  readonly presenceBus: PresenceBus;

  /** What a batch's transaction needs of this store. */
  private readonly host: BatchHost;

  private constructor(
    private readonly db: Db,
    url: string,
    options: PgStoreOptions,
  ) {
    this.host = {
      db,
      forget: (id, log) => this.projects.forget(id, log),
      background: (work) => this.background(work),
      rebuilt: (id, log) => this.projects.rebuilt(id, log),
    };
    this.projects = new ProjectLogs(db, this.texts, (work) => this.background(work), options);
    this.listener = new PgListener(
      db,
      url,
      (payload) => this.heard(payload),
      () => this.catchUpAll(),
    );
    this.presenceBus = this.listener.presence;
    this.instance = new FoldedLog<InstanceState, InstanceEvent>(
      emptyInstanceState(),
      applyInstanceEvent,
      (after) => readInstanceEvents(this.db, after),
    );
  }

  /** Connect, apply the migrations, load every project and start listening. */
  static async open(url: string, options: PgStoreOptions = {}): Promise<PgStore> {
    const db = createPool(url, options.max ?? 10);
    const store = new PgStore(db, url, options);
    try {
      await migrate(db);
      await store.instance.catchUp();
      const { rows } = await db.query<{ id: ProjectId }>('SELECT id FROM projects WHERE deleted_at IS NULL');
      for (const { id } of rows) await store.projects.project(id);
      await store.listener.listen();
    } catch (error) {
      await store.projects.close();
      await store.listener.end();
      await db.end();
      throw error;
    }
    store.listener.startWatching();
    return store;
  }

  /** Catch up, or keep serving what memory holds while the database cannot be reached. */
  private async fresh(log: ProjectLog | InstanceLog, since?: number): Promise<void> {
    try {
      await log.catchUp(since);
    } catch (error) {
      if (!isConnectionError(error)) throw error;
      // Dropped after a failed batch: nothing trustworthy to serve until the database answers.
      if (log.stale) throw storageError(error);
    }
  }

  /** A commit announced on EVENTS_CHANNEL (heartbeats are the listener's own). */
  private heard(payload: string): void {
    if (this.closed) return;
    const [kind, rest = ''] = [payload.slice(0, 1), payload.slice(2)];
    if (kind === 'i') {
      if (Number(rest) > this.instance.state.seq) this.background(this.instance.catchUp());
      return;
    }
    const colon = rest.lastIndexOf(':');
    const id = (colon >= 0 ? rest.slice(0, colon) : rest) as ProjectId;
    const log = this.projects.get(id);
    if (!log) return; // Loaded when first read.
    if (kind === 'd') this.projects.forget(id, log);
    else if (kind === 'x')
      this.projects.reread(id, log); // An erasure: what memory holds must go.
    else if (kind === 'p') this.heardCommits.heard(log, Number(rest.slice(colon + 1)));
  }

  private catchUpAll(): void {
    if (this.closed) return;
    this.background(this.instance.catchUp());
    for (const log of this.projects.values()) this.background(log.catchUp());
  }

  private background(work: Promise<void>): void {
    work.catch((error: unknown) => {
      // Unreachable: the reconnection catches everything up. Anything else is a real fault.
      if (!isConnectionError(error) && !this.closed) console.error('Rattrapage PostgreSQL échoué :', error);
    });
  }

  // ---- instance ---------------------------------------------------------------------------------

  async readInstance(since?: number): Promise<Readonly<InstanceState>> {
    await this.fresh(this.instance, since);
    return this.instance.state;
  }

  changeInstance<T>(
    userId: UserId | null,
    decide: (state: Readonly<InstanceState>) => Change<InstanceEventBody, T>,
  ): Promise<T> {
    const log = this.instance;
    return log.serial(async () => {
      let outcome: { events: InstanceEvent[]; result: T };
      try {
        outcome = await commitInstanceChange(this.db, log, userId, decide);
      } catch (error) {
        throw storageError(error);
      }
      log.absorb(outcome.events);
      return outcome.result;
    });
  }

  // ---- projects ---------------------------------------------------------------------------------

  async listProjects(): Promise<readonly Readonly<ProjectState>[]> {
    let rows: { id: ProjectId; seq: number }[];
    try {
      ({ rows } = await this.db.query<{ id: ProjectId; seq: number }>(
        'SELECT id, seq FROM projects WHERE deleted_at IS NULL',
      ));
    } catch (error) {
      if (!isConnectionError(error)) throw error;
      const held = [...this.projects.values()];
      if (held.some((l) => l.stale)) throw storageError(error);
      return held.map((l) => l.state);
    }
    const live = new Set(rows.map((r) => r.id));
    for (const id of this.projects.ids()) if (!live.has(id)) this.projects.forget(id);
    await Promise.all(
      rows.map(async ({ id, seq }) => {
        const log = await this.projects.project(id);
        if (log && log.state.seq < seq) await this.fresh(log);
      }),
    );
    return [...this.projects.values()].map((l) => l.state);
  }

  async readProject(id: ProjectId, since?: number): Promise<Readonly<ProjectState> | undefined> {
    // A load this request joined may have been read before it arrived: caught up like the rest.
    const held =
      this.projects.get(id) ??
      (await this.projects.project(id).catch((error: unknown) => {
        throw storageError(error);
      }));
    if (!held) return undefined;
    await this.fresh(held, since);
    return this.projects.get(id) === held ? held.state : undefined;
  }

  async createProject(
    project: Project,
    members: Record<string, Role>,
    userId: UserId,
  ): Promise<Readonly<ProjectState>> {
    const id = project.id;
    if (this.projects.has(id)) throw new DomainError('conflict', 'Ce projet existe déjà.');
    const [event] = stampEvents<ProjectEvent>([{ type: 'project_created', project, members }], 0, userId);
    try {
      await insertProject(this.db, id, event as ProjectEvent);
    } catch (error) {
      throw storageError(error);
    }
    const log = this.projects.created(id);
    log.absorb([event as ProjectEvent]);
    return log.state;
  }

  // async, so that a missing project rejects the promise rather than throwing before there is one.
  async changeProject<T>(
    id: ProjectId,
    userId: UserId,
    decide: (state: Readonly<ProjectState>) => Change<ProjectEventBody, T>,
    options: ChangeOptions = {},
  ): Promise<T> {
    const log = await this.projects.required(id);
    const waiting = performance.now();
    // Settled with what `decide` answered: a T.
    const result = (await new Promise<unknown>((resolve, reject) => {
      queueChange(this.waiting, this.host, id, log, { ...options, userId, decide, resolve, reject });
    })) as T;
    // The decision, taken in the queue, is counted too: microseconds beside the commit.
    noteDurableWait(performance.now() - waiting);
    return result;
  }

  async deleteProject(id: ProjectId): Promise<void> {
    const log = await this.projects.required(id);
    await log.serial(async () => {
      try {
        await deleteProjectRows(this.db, id);
      } catch (error) {
        throw storageError(error);
      } finally {
        this.projects.forget(id, log);
      }
    });
  }

  async erase(
    id: ProjectId,
    userId: UserId,
    scope: ErasureScope,
    check: (state: Readonly<ProjectState>) => void,
  ): Promise<ErasureResult> {
    const log = await this.projects.required(id);
    return log.serial(async () => {
      let done: PlannedErasure;
      try {
        done = await eraseLocked(this.db, id, log, { userId, scope, check });
      } catch (error) {
        throw storageError(error);
      }
      // This instance's memory: the rewritten log, folded again; listeners hear only the receipt.
      log.reset(emptyProjectState(id));
      log.absorb(done.events as ProjectEvent[]);
      log.settle();
      this.projects.rebuilt(id, log);
      return { receipt: done.receipt, backups: { rewritten: 0, removed: 0 } };
    });
  }

  // ---- texts, originals, caches, event log -----------------------------------------------------

  async putText(projectId: ProjectId, documentId: DocumentId, text: string): Promise<void> {
    await this.projects.required(projectId);
    await content.upsertText(this.db, projectId, documentId, text);
  }

  async readText(projectId: ProjectId, documentId: DocumentId): Promise<string> {
    return (await this.readTextIndex(projectId, documentId)).text;
  }

  async readTextIndex(projectId: ProjectId, documentId: DocumentId): Promise<CodePointIndex> {
    await this.projects.required(projectId);
    const cached = this.texts.get(projectId, documentId);
    if (cached !== undefined) return cached;
    const text = await content.selectText(this.db, projectId, documentId);
    if (text === undefined)
      throw new DomainError('not_found', 'Le texte de ce document est introuvable.', { documentId });
    return this.texts.set(projectId, documentId, text);
  }

  async discardText(projectId: ProjectId, documentId: DocumentId): Promise<void> {
    this.texts.forget(projectId, documentId);
    await content.deleteTextAndOriginals(this.db, projectId, documentId);
  }

  async putOriginal(
    projectId: ProjectId,
    documentId: DocumentId,
    format: string,
    bytes: Uint8Array,
  ): Promise<void> {
    await this.projects.required(projectId);
    await content.upsertOriginal(this.db, projectId, documentId, format, bytes);
  }

  async readOriginal(
    projectId: ProjectId,
    documentId: DocumentId,
    format: string,
  ): Promise<Uint8Array | undefined> {
    await this.projects.required(projectId);
    return content.selectOriginal(this.db, projectId, documentId, format);
  }

  async readCache(projectId: ProjectId, name: string): Promise<Uint8Array | undefined> {
    await this.projects.required(projectId);
    return content.selectCache(this.db, projectId, name);
  }

  async writeCache(projectId: ProjectId, name: string, data: CacheData): Promise<void> {
    await this.projects.required(projectId);
    await content.upsertCache(this.db, projectId, name, data);
  }

  async readEvents(projectId: ProjectId, after: number, limit: number): Promise<LoggedProjectEvent[]> {
    await this.projects.required(projectId);
    return content.selectEventPage(this.db, projectId, after, limit);
  }

  subscribe(projectId: ProjectId, listener: (events: readonly ProjectEvent[]) => void): () => void {
    const log = this.projects.get(projectId);
    if (!log) throw notFound(projectId);
    return log.subscribe(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listener.stop();
    await Promise.all([this.instance, ...this.projects.values()].map((log) => log.settled()));
    await this.projects.close();
    await this.listener.end();
    await this.db.end();
  }
}

/** Open the PostgreSQL store at `url` (applying migrations). */
export function openPgStore(url: string, options: PgStoreOptions = {}): Promise<PgStore> {
  return PgStore.open(url, options);
}
