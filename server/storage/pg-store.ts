import pg from 'pg';
import type { CodePointIndex } from '../../shared/offsets.ts';
import { indexCodings } from '../../shared/coding-index.ts';
import { DomainError, isDomainError } from '../../shared/errors.ts';
import {
  applyInstanceEvent,
  applyProjectEvent,
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
import { assertStorable } from '../../shared/safe-text.ts';
import type { Change } from './ledger.ts';
import { createPool, inTransaction, isConnectionError, storageError, type Db, type Tx } from './pg-db.ts';
import { insertProjectEvents, INSERT_INSTANCE_EVENTS, INSERT_PROJECT_EVENTS } from './pg-events.ts';
import { FoldedLog } from './pg-log.ts';
import { migrate } from './pg-schema.ts';
import type { ErasureScope } from '../../shared/erasure.ts';
import { eraseInTransaction, eraseProjectRows } from '../privacy/pg-erasure.ts';
import type { PlannedErasure } from '../privacy/plan.ts';
import type { ErasureResult, Store } from './store.ts';
import { stampEvents } from './stamp.ts';
import { TextCache } from './text-cache.ts';

export { isConnectionError } from './pg-db.ts';

/**
 * The channel on which every commit is announced: `i:<seq>`, `p:<projectId>:<seq>`,
 * `d:<projectId>` (deleted), and each instance's heartbeat `h:<token>:<n>`.
 */
export const EVENTS_CHANNEL = 'verbatim_events';

type ProjectLog = FoldedLog<ProjectState, ProjectEvent>;
type InstanceLog = FoldedLog<InstanceState, InstanceEvent>;

/** A change waiting for its batch. */
interface QueuedChange {
  readonly userId: UserId;
  readonly decide: (state: Readonly<ProjectState>) => Change<ProjectEventBody, unknown>;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: unknown) => void;
}

function notFound(id: ProjectId): DomainError {
  return new DomainError('not_found', "Ce projet n'existe pas.", { projectId: id });
}

export interface PgStoreOptions {
  /** Connections in the pool (default 10). */
  max?: number;
}

/**
 * The Store over PostgreSQL, for teams running several instances of Verbatim on one database.
 *
 * Like the embedded store, each instance keeps every project's state folded in memory and answers
 * reads from it; unlike it, the database is the single source of truth, shared by all instances:
 *
 * - Changes to one project are committed in batches (group commit): those that arrive while the
 *   project's previous transaction runs wait, then share one transaction that locks the project's
 *   row (`SELECT … FOR UPDATE`, which serialises writers across instances), catches the state up
 *   with events other instances committed, runs each change's `decide` synchronously in arrival
 *   order, inserts all the events, moves the head and announces it with NOTIFY (delivered on
 *   commit) in one statement, and commits. A `decide` that throws refuses its own change only, and so does one whose events hold
 *   text PostgreSQL cannot store (shared/safe-text.ts); if the database still refuses the batch's
 *   statement, its changes are committed again one by one, so that only the bad one fails.
 *   Callers are answered and listeners told (one group per change `txn`) only after COMMIT.
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
 * - A LISTEN connection hears every commit and catches up the project concerned, which calls the
 *   store's subscribers (the live feed) with events committed by other instances. When that
 *   connection is lost, a new one is opened as soon as the database answers, and everything is
 *   caught up; a heartbeat sent through the pool and expected back on it tells when it has gone
 *   deaf without noticing.
 */
export class PgStore implements Store {
  readonly kind = 'postgres';
  private readonly projects = new Map<ProjectId, ProjectLog>();
  private readonly loading = new Map<ProjectId, Promise<ProjectLog | undefined>>();
  /** Per project, the changes waiting for the next batch (see `changeProject`). */
  private readonly waiting = new WeakMap<ProjectLog, QueuedChange[]>();
  private readonly instance: InstanceLog;
  private readonly texts = new TextCache();
  private closed = false;
  /** The connection that LISTENs, replaced when it goes deaf; undefined while none works. */
  private listener: pg.Client | undefined;
  private watchdog: ReturnType<typeof setInterval> | undefined;
  private watching = false;
  /** This instance's heartbeat on the channel: sent through the pool, expected back on LISTEN. */
  private readonly beatToken = Math.random().toString(36).slice(2);
  private beat: { n: number; sentAt: number } | undefined;
  private beats = 0;

  private constructor(
    private readonly db: Db,
    private readonly url: string,
  ) {
    this.instance = new FoldedLog<InstanceState, InstanceEvent>(
      emptyInstanceState(),
      applyInstanceEvent,
      (after) => readInstanceEvents(this.db, after),
    );
  }

  /** Connect, apply the migrations, load every project and start listening. */
  static async open(url: string, options: PgStoreOptions = {}): Promise<PgStore> {
    const db = createPool(url, options.max ?? 10);
    const store = new PgStore(db, url);
    try {
      await migrate(db);
      await store.instance.catchUp();
      const { rows } = await db.query<{ id: ProjectId }>('SELECT id FROM projects WHERE deleted_at IS NULL');
      for (const { id } of rows) await store.project(id);
      await store.listen();
    } catch (error) {
      await store.listener?.end().catch(() => undefined);
      await db.end();
      throw error;
    }
    store.watchdog = setInterval(() => void store.watch(), HEARTBEAT_MS);
    store.watchdog.unref();
    return store;
  }

  /** LISTEN on a connection of its own, then catch everything up (what came before was not heard). */
  private async listen(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.url,
      connectionTimeoutMillis: 5000,
      application_name: 'verbatim-listen',
    });
    const lost = () => {
      if (this.listener === client) this.listener = undefined;
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (message) => {
      if (message.channel === EVENTS_CHANNEL && message.payload) this.heard(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.listener = client;
    this.beat = undefined;
    this.catchUpAll();
  }

  /**
   * Every HEARTBEAT_MS: without a LISTEN connection, try to open one; with one, send a heartbeat
   * through the pool and expect to hear it back on it. Not heard in time: that connection is deaf
   * (a half-open socket), replace it.
   */
  private async watch(): Promise<void> {
    if (this.closed || this.watching) return;
    this.watching = true;
    try {
      const listener = this.listener;
      if (!listener) {
        await this.listen().catch(() => undefined); // Still unreachable: next tick.
        return;
      }
      if (this.beat) {
        if (Date.now() - this.beat.sentAt < DEAF_AFTER_MS) return;
        this.listener = undefined;
        await listener.end().catch(() => undefined);
        await this.listen().catch(() => undefined);
        return;
      }
      const beat = { n: ++this.beats, sentAt: Date.now() };
      this.beat = beat;
      await this.db
        .query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, `h:${this.beatToken}:${beat.n}`])
        .catch(() => {
          // Database unreachable: nothing can be heard now; try again at the next tick.
          if (this.beat === beat) this.beat = undefined;
        });
    } finally {
      this.watching = false;
    }
  }

  // ---- logs -------------------------------------------------------------------------------------

  private newProjectLog(id: ProjectId): ProjectLog {
    const log: ProjectLog = new FoldedLog<ProjectState, ProjectEvent>(
      emptyProjectState(id),
      applyProjectEvent,
      async (after) => {
        const { rows } = await this.db.query<{ deleted: boolean; body: ProjectEvent | null }>(
          `SELECT p.deleted_at IS NOT NULL AS deleted, e.body
           FROM projects p
           LEFT JOIN project_events e ON e.project_id = p.id AND e.seq > $2
           WHERE p.id = $1
           ORDER BY e.seq`,
          [id, after],
        );
        if (rows.length === 0 || rows[0]?.deleted) {
          this.forget(id, log);
          return [];
        }
        // An erasure since: what memory holds may be erased data, so the whole log is read again
        // (even if its notification was missed).
        if (after > 0 && rows.some((r) => r.body?.type === 'erasure'))
          queueMicrotask(() => this.reread(id, log));
        return rows.flatMap((r) => (r.body ? [r.body] : []));
      },
    );
    return log;
  }

  /** The project's log, loaded from the database if this instance does not hold it yet. */
  private project(id: ProjectId): Promise<ProjectLog | undefined> {
    const held = this.projects.get(id);
    if (held) return Promise.resolve(held);
    let loading = this.loading.get(id);
    if (!loading) {
      loading = this.load(id).finally(() => this.loading.delete(id));
      this.loading.set(id, loading);
    }
    return loading;
  }

  private async load(id: ProjectId): Promise<ProjectLog | undefined> {
    const log = this.newProjectLog(id);
    await log.catchUp();
    if (log.state.seq === 0) return undefined;
    indexCodings(log.state);
    // createProject on this instance may have registered it meanwhile.
    const held = this.projects.get(id);
    if (held) return held;
    this.projects.set(id, log);
    return log;
  }

  private async required(id: ProjectId): Promise<ProjectLog> {
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
  private forget(id: ProjectId, log?: ProjectLog): void {
    if (log && this.projects.get(id) !== log) return;
    this.projects.delete(id);
    this.texts.forgetProject(id);
  }

  /** Catch up, or keep serving what memory holds while the database cannot be reached. */
  private async fresh(log: ProjectLog | InstanceLog): Promise<void> {
    try {
      await log.catchUp();
    } catch (error) {
      if (!isConnectionError(error)) throw error;
      // Dropped after a failed batch: nothing trustworthy to serve until the database answers.
      if (log.stale) throw storageError(error);
    }
  }

  private heard(payload: string): void {
    if (this.closed) return;
    const [kind, rest = ''] = [payload.slice(0, 1), payload.slice(2)];
    if (kind === 'h') {
      if (rest === `${this.beatToken}:${this.beat?.n}`) this.beat = undefined;
      return;
    }
    if (kind === 'i') {
      if (Number(rest) > this.instance.state.seq) this.background(this.instance.catchUp());
      return;
    }
    const colon = rest.lastIndexOf(':');
    const id = (colon >= 0 ? rest.slice(0, colon) : rest) as ProjectId;
    const log = this.projects.get(id);
    if (!log) return; // Loaded when first read.
    if (kind === 'd') this.forget(id, log);
    else if (kind === 'x')
      this.reread(id, log); // An erasure: what memory holds must go.
    else if (kind === 'p' && Number(rest.slice(colon + 1)) > log.state.seq) this.background(log.catchUp());
  }

  /** Drop what this instance holds of a project and read it again from the database. */
  private reread(id: ProjectId, log: ProjectLog): void {
    this.texts.forgetProject(id);
    log.reset(emptyProjectState(id));
    this.background(log.catchUp().then(() => indexCodings(log.state)));
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

  async readInstance(): Promise<Readonly<InstanceState>> {
    await this.fresh(this.instance);
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
        outcome = await inTransaction(this.db, async (tx) => {
          const { rows } = await tx.query<{ seq: number }>('SELECT seq FROM instance_head FOR UPDATE');
          if ((rows[0]?.seq ?? 0) > log.state.seq) log.absorb(await readInstanceEvents(tx, log.state.seq));
          const { events: bodies, result } = decide(log.state);
          if (bodies.length === 0) return { events: [], result };
          const events = stampEvents<InstanceEvent>(bodies, log.state.seq, userId);
          const last = log.state.seq + events.length;
          await tx.query(
            `WITH inserted AS (${INSERT_INSTANCE_EVENTS}), head AS (
               UPDATE instance_head SET seq = $2
             )
             SELECT pg_notify($3, $4)`,
            [JSON.stringify(events), last, EVENTS_CHANNEL, `i:${last}`],
          );
          return { events, result };
        });
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
    for (const id of this.projects.keys()) if (!live.has(id)) this.forget(id);
    await Promise.all(
      rows.map(async ({ id, seq }) => {
        const log = await this.project(id);
        if (log && log.state.seq < seq) await this.fresh(log);
      }),
    );
    return [...this.projects.values()].map((l) => l.state);
  }

  async readProject(id: ProjectId): Promise<Readonly<ProjectState> | undefined> {
    const held = this.projects.get(id);
    if (!held) {
      try {
        return (await this.project(id))?.state;
      } catch (error) {
        throw storageError(error);
      }
    }
    await this.fresh(held);
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
      await inTransaction(this.db, async (tx) => {
        const inserted = await tx.query(
          'INSERT INTO projects (id, seq) VALUES ($1, 1) ON CONFLICT (id) DO NOTHING RETURNING id',
          [id],
        );
        if (inserted.rowCount === 0) throw new DomainError('conflict', 'Ce projet existe déjà.');
        await insertProjectEvents(tx, id, [event as ProjectEvent]);
        await tx.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, `p:${id}:1`]);
      });
    } catch (error) {
      throw storageError(error);
    }
    let log = this.projects.get(id);
    if (!log) {
      log = this.newProjectLog(id);
      this.projects.set(id, log);
    }
    log.absorb([event as ProjectEvent]);
    return log.state;
  }

  // async, so that a missing project rejects the promise rather than throwing before there is one.
  async changeProject<T>(
    id: ProjectId,
    userId: UserId,
    decide: (state: Readonly<ProjectState>) => Change<ProjectEventBody, T>,
  ): Promise<T> {
    const log = await this.required(id);
    return new Promise<T>((resolve, reject) => {
      const change: QueuedChange = {
        userId,
        decide,
        resolve: resolve as (result: unknown) => void,
        reject,
      };
      const waiting = this.waiting.get(log);
      if (waiting) {
        waiting.push(change);
        return;
      }
      // The first change since the last batch started: queue a batch, which takes every change
      // that has arrived by the time the previous one has finished.
      const batch = [change];
      this.waiting.set(log, batch);
      void log.serial(() => {
        if (this.waiting.get(log) === batch) this.waiting.delete(log);
        return this.commitBatch(id, log, batch);
      });
    });
  }

  /**
   * One transaction for a batch of changes to one project; settles each change's promise and
   * never rejects itself.
   */
  private async commitBatch(id: ProjectId, log: ProjectLog, batch: readonly QueuedChange[]): Promise<void> {
    const outcomes: ({ ok: true; result: unknown } | { ok: false; error: unknown })[] = [];
    let staged = false;
    try {
      await inTransaction(this.db, async (tx) => {
        const head = await lockAndCatchUp(tx, id, log);
        if (head === undefined) {
          this.forget(id, log);
          throw notFound(id);
        }
        if (log.state.seq === head) log.settle();
        // Synchronous from here to the INSERT: nothing else changes this state meanwhile, and the
        // row lock keeps other instances from committing to this project. Each decision sees the
        // events of the batch's earlier changes, staged in memory (listeners hear them at COMMIT).
        const events: ProjectEvent[] = [];
        for (const change of batch) {
          let decided: Change<ProjectEventBody, unknown>;
          try {
            decided = change.decide(log.state);
            // Text PostgreSQL's JSON cannot hold would fail the whole batch: refused alone.
            assertStorable(decided.events);
          } catch (error) {
            outcomes.push({ ok: false, error });
            continue;
          }
          outcomes.push({ ok: true, result: decided.result });
          if (decided.events.length === 0) continue;
          const stamped = stampEvents<ProjectEvent>(decided.events, log.state.seq, change.userId);
          staged = true;
          log.stage(stamped);
          events.push(...stamped);
        }
        if (events.length === 0) return;
        const last = log.state.seq;
        // Events, head and notification in one statement (NOTIFY is delivered on commit).
        await tx.query(
          `WITH inserted AS (${INSERT_PROJECT_EVENTS}), head AS (
             UPDATE projects SET seq = $3 WHERE id = $1
           )
           SELECT pg_notify($4, $5)`,
          [id, JSON.stringify(events), last, EVENTS_CHANNEL, `p:${id}:${last}`],
        );
      });
    } catch (error) {
      if (staged) {
        // Memory holds changes that were not committed (or may have been, if the connection was
        // lost during COMMIT): drop it before answering, so that no read made after the refusal
        // shows them, and read the project again from the database.
        log.reset(emptyProjectState(id));
        this.background(log.catchUp());
      }
      if (batch.length > 1 && !isConnectionError(error) && !isDomainError(error)) {
        // The database refused the batch's statement: find whose change it was by committing
        // each one alone, so that one bad change fails only its own request.
        for (const change of batch) await this.commitBatch(id, log, [change]);
        return;
      }
      const refusal = storageError(error);
      for (const change of batch) change.reject(refusal);
      return;
    }
    try {
      log.publish();
    } catch (error) {
      // A listener's fault: the batch is committed all the same, and its callers are answered.
      console.error('Abonné au journal en échec :', error);
    }
    outcomes.forEach((outcome, i) => {
      const change = batch[i] as QueuedChange;
      if (outcome.ok) change.resolve(outcome.result);
      else change.reject(outcome.error);
    });
  }

  async deleteProject(id: ProjectId): Promise<void> {
    const log = await this.required(id);
    await log.serial(async () => {
      try {
        await inTransaction(this.db, async (tx) => {
          // Erased: only the id stays, marked deleted, so that other instances forget it too.
          const updated = await tx.query(
            'UPDATE projects SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL',
            [id],
          );
          if (updated.rowCount === 0) throw notFound(id);
          await eraseProjectRows(tx, id);
          await tx.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, `d:${id}`]);
        });
      } catch (error) {
        throw storageError(error);
      } finally {
        this.forget(id, log);
      }
    });
  }

  async erase(
    id: ProjectId,
    userId: UserId,
    scope: ErasureScope,
    check: (state: Readonly<ProjectState>) => void,
  ): Promise<ErasureResult> {
    const log = await this.required(id);
    return log.serial(async () => {
      let planned: PlannedErasure | undefined;
      try {
        await inTransaction(this.db, async (tx) => {
          if ((await lockAndCatchUp(tx, id, log)) === undefined) throw notFound(id);
          check(log.state);
          planned = await eraseInTransaction(tx, id, log.state, scope, userId, EVENTS_CHANNEL);
        });
      } catch (error) {
        throw storageError(error);
      }
      const done = planned as PlannedErasure;
      // This instance's memory: the rewritten log, folded again; listeners hear only the receipt.
      this.texts.forgetProject(id);
      log.reset(emptyProjectState(id));
      log.absorb(done.events as ProjectEvent[]);
      log.settle();
      indexCodings(log.state);
      return { receipt: done.receipt, backups: { rewritten: 0, removed: 0 } };
    });
  }

  // ---- texts, originals, caches -----------------------------------------------------------------

  /** One parameterised statement's rows; a failure of the database is `storage_unavailable`. */
  private async rows<R extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<R[]> {
    try {
      return (await this.db.query<R>(sql, params)).rows;
    } catch (error) {
      throw storageError(error);
    }
  }

  async putText(projectId: ProjectId, documentId: DocumentId, text: string): Promise<void> {
    await this.required(projectId);
    await this.rows(
      `INSERT INTO texts (project_id, document_id, text) VALUES ($1, $2, $3)
       ON CONFLICT (project_id, document_id) DO UPDATE SET text = EXCLUDED.text`,
      [projectId, documentId, text],
    );
  }

  async readText(projectId: ProjectId, documentId: DocumentId): Promise<string> {
    return (await this.readTextIndex(projectId, documentId)).text;
  }

  async readTextIndex(projectId: ProjectId, documentId: DocumentId): Promise<CodePointIndex> {
    await this.required(projectId);
    const cached = this.texts.get(projectId, documentId);
    if (cached !== undefined) return cached;
    const rows = await this.rows<{ text: string }>(
      'SELECT text FROM texts WHERE project_id = $1 AND document_id = $2',
      [projectId, documentId],
    );
    const text = rows[0]?.text;
    if (text === undefined)
      throw new DomainError('not_found', 'Le texte de ce document est introuvable.', { documentId });
    return this.texts.set(projectId, documentId, text);
  }

  async discardText(projectId: ProjectId, documentId: DocumentId): Promise<void> {
    this.texts.forget(projectId, documentId);
    try {
      await inTransaction(this.db, async (tx) => {
        const key = [projectId, documentId];
        await tx.query('DELETE FROM texts WHERE project_id = $1 AND document_id = $2', key);
        await tx.query('DELETE FROM originals WHERE project_id = $1 AND document_id = $2', key);
      });
    } catch (error) {
      throw storageError(error);
    }
  }

  async putOriginal(
    projectId: ProjectId,
    documentId: DocumentId,
    format: string,
    bytes: Uint8Array,
  ): Promise<void> {
    await this.required(projectId);
    await this.rows(
      `INSERT INTO originals (project_id, document_id, format, bytes) VALUES ($1, $2, $3, $4)
       ON CONFLICT (project_id, document_id, format) DO UPDATE SET bytes = EXCLUDED.bytes`,
      [projectId, documentId, format, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)],
    );
  }

  async readOriginal(
    projectId: ProjectId,
    documentId: DocumentId,
    format: string,
  ): Promise<Uint8Array | undefined> {
    await this.required(projectId);
    const rows = await this.rows<{ bytes: Buffer }>(
      'SELECT bytes FROM originals WHERE project_id = $1 AND document_id = $2 AND format = $3',
      [projectId, documentId, format],
    );
    return rows[0] ? new Uint8Array(rows[0].bytes) : undefined;
  }

  async readCache(projectId: ProjectId, name: string): Promise<string | undefined> {
    await this.required(projectId);
    const rows = await this.rows<{ data: string }>(
      'SELECT data FROM caches WHERE project_id = $1 AND name = $2',
      [projectId, name],
    );
    return rows[0]?.data;
  }

  async writeCache(projectId: ProjectId, name: string, data: string): Promise<void> {
    await this.required(projectId);
    await this.rows(
      `INSERT INTO caches (project_id, name, data) VALUES ($1, $2, $3)
       ON CONFLICT (project_id, name) DO UPDATE SET data = EXCLUDED.data`,
      [projectId, name, data],
    );
  }

  // ---- event log --------------------------------------------------------------------------------

  async readEvents(projectId: ProjectId, after: number, limit: number): Promise<LoggedProjectEvent[]> {
    await this.required(projectId);
    const rows = await this.rows<{ body: LoggedProjectEvent }>(
      'SELECT body FROM project_events WHERE project_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
      [projectId, after, limit],
    );
    return rows.map((r) => r.body);
  }

  subscribe(projectId: ProjectId, listener: (events: readonly ProjectEvent[]) => void): () => void {
    const log = this.projects.get(projectId);
    if (!log) throw notFound(projectId);
    return log.subscribe(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.watchdog);
    await Promise.all([this.instance, ...this.projects.values()].map((log) => log.settled()));
    await this.listener?.end().catch(() => undefined);
    await this.db.end();
  }
}

/**
 * Lock a project's row for the transaction (serialising writers across instances) and bring
 * `log` up to the events committed so far. Returns the head's seq, or undefined when the project
 * is gone (never created, or deleted).
 */
async function lockAndCatchUp(tx: Tx, id: ProjectId, log: ProjectLog): Promise<number | undefined> {
  const { rows } = await tx.query<{ seq: number; deleted: boolean }>(
    'SELECT seq, deleted_at IS NOT NULL AS deleted FROM projects WHERE id = $1 FOR UPDATE',
    [id],
  );
  const head = rows[0];
  if (!head || head.deleted) return undefined;
  if (head.seq > log.state.seq) log.absorb(await readProjectEvents(tx, id, log.state.seq));
  return head.seq;
}

async function readProjectEvents(db: Db | Tx, id: ProjectId, after: number): Promise<ProjectEvent[]> {
  const { rows } = await db.query<{ body: ProjectEvent }>(
    'SELECT body FROM project_events WHERE project_id = $1 AND seq > $2 ORDER BY seq',
    [id, after],
  );
  return rows.map((r) => r.body);
}

async function readInstanceEvents(db: Db | Tx, after: number): Promise<InstanceEvent[]> {
  const { rows } = await db.query<{ body: InstanceEvent }>(
    'SELECT body FROM instance_events WHERE seq > $1 ORDER BY seq',
    [after],
  );
  return rows.map((r) => r.body);
}

/** Open the PostgreSQL store at `url` (applying migrations). */
export function openPgStore(url: string, options: PgStoreOptions = {}): Promise<PgStore> {
  return PgStore.open(url, options);
}

/** How often each instance checks that its LISTEN connection still hears the channel. */
const HEARTBEAT_MS = 1000;
/** A heartbeat not heard back within this time means the LISTEN connection is deaf. */
const DEAF_AFTER_MS = 2500;
