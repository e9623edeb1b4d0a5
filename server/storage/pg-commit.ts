import type { ErasureScope } from '../../shared/erasure.ts';
import { DomainError, isDomainError } from '../../shared/errors.ts';
import {
  emptyProjectState,
  type InstanceEvent,
  type InstanceEventBody,
  type InstanceState,
  type ProjectEvent,
  type ProjectEventBody,
} from '../../shared/events.ts';
import type { ProjectId, UserId } from '../../shared/ids.ts';
import type { ProjectState } from '../../shared/model.ts';
import { assertStorable } from '../../shared/safe-text.ts';
import type { Change } from './ledger.ts';
import { answer, appendBatch, appendStatement, type Outcome } from './pg-append.ts';
import {
  inShortTransaction,
  inTransaction,
  isConnectionError,
  storageError,
  type Db,
  type Tx,
} from './pg-db.ts';
import {
  insertProjectEvents,
  INSERT_INSTANCE_EVENTS,
  PROJECT_EVENTS_AFTER,
  readInstanceEvents,
  readProjectEvents,
} from './pg-events.ts';
import { EVENTS_CHANNEL } from './pg-listen.ts';
import type { FoldedLog } from './pg-log.ts';
import { eraseInTransaction, eraseProjectRows } from '../privacy/pg-erasure.ts';
import type { PlannedErasure } from '../privacy/plan.ts';
import { stampEvents } from './stamp.ts';

export type ProjectLog = FoldedLog<ProjectState, ProjectEvent>;
export type InstanceLog = FoldedLog<InstanceState, InstanceEvent>;

/** A change waiting for its batch. */
export interface QueuedChange {
  readonly userId: UserId;
  readonly decide: (state: Readonly<ProjectState>) => Change<ProjectEventBody, unknown>;
  /** See `ChangeOptions` (store.ts). */
  readonly commutesWithOthersCodings?: boolean;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** What a batch needs of the store that holds the project's log. */
export interface BatchHost {
  readonly db: Db;
  /** Stop holding a project found deleted. */
  forget(id: ProjectId, log: ProjectLog): void;
  /** Run work whose failure only needs reporting. */
  background(work: Promise<void>): void;
  /** The project's log was read again from its first event (see `lockAndCatchUp`). */
  rebuilt(id: ProjectId, log: ProjectLog): void;
}

export function notFound(id: ProjectId): DomainError {
  return new DomainError('not_found', "Ce projet n'existe pas.", { projectId: id });
}

/**
 * Commit a batch of changes to one project: in one round trip when the state this instance holds
 * allows it (`appendBatch`), else in a transaction that takes the project's row lock first
 * (`lockFirst`). Settles each change's promise and never rejects itself. `batch` may still grow
 * until `close` is called: when it is decided for one round trip, or once the lock-first
 * transaction holds the lock (see `queueChange`).
 */
export async function commitBatch(
  host: BatchHost,
  id: ProjectId,
  log: ProjectLog,
  batch: readonly QueuedChange[],
  close: () => void = () => undefined,
): Promise<void> {
  if (!log.stale && !log.rewritten) {
    close();
    const again = await appendBatch(host, id, log, batch);
    if (again === undefined) await lockFirst(host, id, log, batch, close);
    else if (again.length > 0) await lockFirst(host, id, log, again, close);
    return;
  }
  await lockFirst(host, id, log, batch, close);
}

/**
 * The batch in one transaction that takes the lock first, then decides on the state read under
 * it, in two round trips to the database: BEGIN with the lock on the project's row and the events
 * other instances committed before it was granted, then the batch's events, the head and the
 * notification with COMMIT.
 */
async function lockFirst(
  host: BatchHost,
  id: ProjectId,
  log: ProjectLog,
  batch: readonly QueuedChange[],
  close: () => void,
): Promise<void> {
  const outcomes: Outcome[] = [];
  let staged = false;
  try {
    // The lock, then what other instances committed before it was granted: one round trip.
    const opening = [
      { text: LOCK_PROJECT_ROW, values: [id] },
      { text: PROJECT_EVENTS_AFTER, values: [id, log.state.seq] },
    ];
    const sentAt = performance.now();
    await inShortTransaction(host.db, opening, async ({ tx, opened, commitWith }) => {
      // The lock is granted: the changes that arrived while it was awaited are decided with the
      // others, rather than waiting for a turn of their own.
      close();
      const [lockedRows = [], newer = []] = opened;
      const locked = lockedRows[0] as LockedHead | undefined;
      if (locked && !locked.deleted)
        absorbFollowing(
          log,
          newer.map((row) => row.body as ProjectEvent),
        );
      const head = await catchUpLocked(tx, id, log, locked, () => host.rebuilt(id, log));
      if (head === undefined) {
        host.forget(id, log);
        throw notFound(id);
      }
      if (log.state.seq === head) log.settle();
      // Synchronous from here to the INSERT: nothing else changes this state meanwhile, and the
      // row lock keeps other instances from committing to this project. Each decision sees the
      // events of the batch's earlier changes, staged in memory (listeners hear them at COMMIT).
      const after = log.state.seq;
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
      // The same statement as in one round trip; under the lock, with the state caught up, it
      // finds nothing committed since `after`.
      const [appended] = await commitWith(appendStatement(id, after, events));
      if (!appended?.appended)
        throw new Error(`Lot non ajouté : la tête du projet ${id} a bougé sous son verrou.`);
    });
    // Everything committed before the lock was asked for is in the state now.
    log.freshAt(sentAt);
  } catch (error) {
    // No change may join a batch being refused: it would never be answered.
    close();
    if (staged) {
      // Memory holds changes that were not committed (or may have been, if the connection was
      // lost during COMMIT): drop it before answering, so that no read made after the refusal
      // shows them, and read the project again from the database.
      log.reset(emptyProjectState(id));
      host.background(log.catchUp());
    }
    if (batch.length > 1 && !isConnectionError(error) && !isDomainError(error)) {
      // The database refused the batch's statement: find whose change it was by committing
      // each one alone, so that one bad change fails only its own request.
      for (const change of batch) await lockFirst(host, id, log, [change], close);
      return;
    }
    const refusal = storageError(error);
    for (const change of batch) change.reject(refusal);
    return;
  }
  answer(log, batch, outcomes);
}

/**
 * One instance change in one transaction that locks the instance's head, catches `log` up,
 * decides, and inserts the events, moves the head and notifies in one statement. Returns the
 * events to fold once committed.
 */
export function commitInstanceChange<T>(
  db: Db,
  log: InstanceLog,
  userId: UserId | null,
  decide: (state: Readonly<InstanceState>) => Change<InstanceEventBody, T>,
): Promise<{ events: InstanceEvent[]; result: T }> {
  const lock = { text: 'SELECT seq FROM instance_head FOR UPDATE' };
  return inShortTransaction(db, [lock], async ({ tx, opened, commitWith }) => {
    if (Number(opened[0]?.[0]?.seq ?? 0) > log.state.seq)
      log.absorb(await readInstanceEvents(tx, log.state.seq));
    const { events: bodies, result } = decide(log.state);
    if (bodies.length === 0) return { events: [], result };
    const events = stampEvents<InstanceEvent>(bodies, log.state.seq, userId);
    const last = log.state.seq + events.length;
    await commitWith({
      text: `WITH inserted AS (${INSERT_INSTANCE_EVENTS}), head AS (
         UPDATE instance_head SET seq = $2
       )
       SELECT pg_notify($3, $4)`,
      values: [JSON.stringify(events), last, EVENTS_CHANNEL, `i:${last}`],
    });
    return { events, result };
  });
}

/**
 * Lock a project's row for the transaction (serialising writers across instances) and bring
 * `log` up to the events committed so far. Among them may be an erasure committed by another
 * instance whose notification this one has not heard (or lost with its connection): the state
 * then still holds what it erased, so the whole log, rewritten, is read again under the lock, and
 * `rebuilt` called (to forget cached texts and index the codings again). Returns the head's seq,
 * or undefined when the project is gone (never created, or deleted).
 */
export async function lockAndCatchUp(
  tx: Tx,
  id: ProjectId,
  log: ProjectLog,
  rebuilt: () => void,
): Promise<number | undefined> {
  const { rows } = await tx.query<LockedHead>(LOCK_PROJECT_ROW, [id]);
  return catchUpLocked(tx, id, log, rows[0], rebuilt);
}

/**
 * Fold events read after `log.state.seq` as it was when the read was sent, unless the state was
 * dropped meanwhile (an erasure heard from another instance): `catchUpLocked` then reads what the
 * state lacks.
 */
function absorbFollowing(log: ProjectLog, events: readonly ProjectEvent[]): void {
  const first = events.find((e) => e.seq > log.state.seq);
  if (first?.seq === log.state.seq + 1) log.absorb(events);
}

/** A project's row as `LOCK_PROJECT_ROW` reads it. */
interface LockedHead {
  seq: number;
  deleted: boolean;
}

/** Lock a project's row (`$1` its id) until the transaction ends, and read its head. */
const LOCK_PROJECT_ROW =
  'SELECT seq, deleted_at IS NOT NULL AS deleted FROM projects WHERE id = $1 FOR UPDATE';

/** `lockAndCatchUp` once the row is locked and read (`head`: undefined if there is none). */
async function catchUpLocked(
  tx: Tx,
  id: ProjectId,
  log: ProjectLog,
  head: LockedHead | undefined,
  rebuilt: () => void,
): Promise<number | undefined> {
  if (!head || head.deleted) return undefined;
  if (head.seq > log.state.seq) log.absorb(await readProjectEvents(tx, id, log.state.seq));
  if (log.rewritten) {
    log.reset(emptyProjectState(id));
    log.absorb(await readProjectEvents(tx, id, 0));
    rebuilt();
  }
  return head.seq;
}

/** Insert a new project's row and its first event, and announce it; `conflict` if the id is taken. */
export async function insertProject(db: Db, id: ProjectId, event: ProjectEvent): Promise<void> {
  await inTransaction(db, async (tx) => {
    const inserted = await tx.query(
      'INSERT INTO projects (id, seq) VALUES ($1, 1) ON CONFLICT (id) DO NOTHING RETURNING id',
      [id],
    );
    if (inserted.rowCount === 0) throw new DomainError('conflict', 'Ce projet existe déjà.');
    await insertProjectEvents(tx, id, [event]);
    await tx.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, `p:${id}:1`]);
  });
}

/** Erase a project's rows and mark it deleted, and announce it; `not_found` if already gone. */
export async function deleteProjectRows(db: Db, id: ProjectId): Promise<void> {
  await inTransaction(db, async (tx) => {
    // Erased: only the id stays, marked deleted, so that other instances forget it too.
    const updated = await tx.query(
      'UPDATE projects SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL',
      [id],
    );
    if (updated.rowCount === 0) throw notFound(id);
    await eraseProjectRows(tx, id);
    await tx.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, `d:${id}`]);
  });
}

/** Lock the project, catch `log` up, `check` its state, then erase in the same transaction. */
export async function eraseLocked(
  db: Db,
  id: ProjectId,
  log: ProjectLog,
  erasure: { userId: UserId; scope: ErasureScope; check: (state: Readonly<ProjectState>) => void },
): Promise<PlannedErasure> {
  let planned: PlannedErasure | undefined;
  await inTransaction(db, async (tx) => {
    // Read again after an erasure elsewhere: this erasure resets the log itself once committed.
    if ((await lockAndCatchUp(tx, id, log, () => undefined)) === undefined) throw notFound(id);
    erasure.check(log.state);
    planned = await eraseInTransaction(tx, id, log.state, erasure.scope, erasure.userId, EVENTS_CHANNEL);
  });
  return planned as PlannedErasure;
}

/**
 * Queue a change for its project's next batch. The first change since the last batch started
 * queues a batch, which takes every change that has arrived by the time it is decided: those that
 * came while the previous batch was committed (and, on the lock-first path, while the lock was
 * awaited). One project's writers take turns on its row lock, across instances: the shorter each
 * turn and the more it carries, the more the project takes in.
 */
export function queueChange(
  waiting: WeakMap<ProjectLog, QueuedChange[]>,
  host: BatchHost,
  id: ProjectId,
  log: ProjectLog,
  change: QueuedChange,
): void {
  const queued = waiting.get(log);
  if (queued) {
    queued.push(change);
    return;
  }
  const batch = [change];
  waiting.set(log, batch);
  const close = () => {
    if (waiting.get(log) === batch) waiting.delete(log);
  };
  void log.serial(() => commitBatch(host, id, log, batch, close));
}
