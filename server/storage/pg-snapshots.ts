/**
 * Snapshots of projects on PostgreSQL: a project's folded state at a seq, gzipped, one row per
 * project in `project_snapshots`, so that an instance opening the project reads it and replays
 * only the events after it instead of the whole log.
 *
 * A snapshot is only a shortcut: the log keeps every event, so losing one (or finding one that
 * does not parse, or of a shape this server does not know) costs a full replay, nothing else.
 * What must never happen is a snapshot that holds erased data. Two rules see to it:
 *
 * - an erasure, or the deletion of the project, deletes the project's snapshot in its own
 *   transaction, after taking the project's snapshot lock exclusively;
 * - a snapshot is stored under the same lock taken shared, and only if the project is not deleted
 *   and no erasure was committed after its seq. Either the erasure commits first and the snapshot
 *   is refused, or the snapshot commits first and the erasure deletes it: a row left in the table
 *   always postdates the project's last erasure.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGzip, gunzip } from 'node:zlib';
import type { ProjectEvent } from '../../shared/events.ts';
import type { ProjectId } from '../../shared/ids.ts';
import type { ProjectState } from '../../shared/model.ts';
import { inTransaction, type Db, type Tx } from './pg-db.ts';
import { readProjectLog } from './pg-events.ts';

/** The shape of the state a snapshot holds; a snapshot of another shape is ignored. */
export const SNAPSHOT_SHAPE = 1;

/** First key of the two-key advisory locks guarding a project's snapshots (the second: its id's hash). */
const SNAPSHOT_LOCK = 740_618_502;

/**
 * First key of the session locks by which one instance at a time makes a project's snapshot (the
 * second: its id's hash). Without it, instances holding the same project each serialised the same
 * state, seconds of CPU each at 100,000 codings, to store it once.
 */
export const SNAPSHOT_WRITER_LOCK = 740_618_503;

const gunzipped = promisify(gunzip);

/** Take the project's snapshot lock for the transaction: shared to store one, exclusive to delete. */
async function lockSnapshots(tx: Tx, id: ProjectId, mode: 'shared' | 'exclusive'): Promise<void> {
  const fn = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
  await tx.query(`SELECT ${fn}($1, hashtext($2))`, [SNAPSHOT_LOCK, id]);
}

/** Delete the project's snapshots within `tx` (an erasure, the project's deletion). */
export async function deleteSnapshots(tx: Tx, id: ProjectId): Promise<void> {
  await lockSnapshots(tx, id, 'exclusive');
  await tx.query('DELETE FROM project_snapshots WHERE project_id = $1', [id]);
}

/**
 * Run `make` while this instance alone makes the project's snapshot: a session advisory lock, on a
 * connection kept for the purpose and let go when `make` ends (or when the connection is lost, the
 * instance with it). Resolves to undefined at once, without running `make`, when another instance
 * holds the lock: it is making that snapshot, and a later look finds it stored.
 */
export async function whileMakingSnapshot<T>(
  db: Db,
  id: ProjectId,
  make: () => Promise<T>,
): Promise<T | undefined> {
  const client = await db.connect();
  const ignore = () => undefined;
  client.on('error', ignore);
  let broken: Error | undefined;
  try {
    const { rows } = await client.query<{ held: boolean }>(
      'SELECT pg_try_advisory_lock($1, hashtext($2)) AS held',
      [SNAPSHOT_WRITER_LOCK, id],
    );
    if (rows[0]?.held !== true) return undefined;
    try {
      return await make();
    } finally {
      await client
        .query('SELECT pg_advisory_unlock($1, hashtext($2))', [SNAPSHOT_WRITER_LOCK, id])
        .catch((error: unknown) => {
          // Not let go: the connection is closed rather than given back holding the lock.
          broken = error instanceof Error ? error : new Error(String(error));
        });
    }
  } finally {
    client.off('error', ignore);
    client.release(broken);
  }
}

/** The seq of the project's stored snapshot, 0 when there is none. */
export async function storedSnapshotSeq(db: Db, id: ProjectId): Promise<number> {
  const { rows } = await db.query<{ seq: number }>(
    'SELECT seq FROM project_snapshots WHERE project_id = $1',
    [id],
  );
  return rows[0]?.seq ?? 0;
}

/**
 * Compress a state serialised to JSON as pieces (zlib works off the main thread;
 * pieces are turned into bytes one at a time, never the whole 40 MB of a big project at once).
 */
export async function encodeSnapshot(json: readonly string[]): Promise<Buffer> {
  const compressed: Buffer[] = [];
  await pipeline(Readable.from(json), createGzip(), async (chunks: AsyncIterable<Buffer>) => {
    for await (const chunk of chunks) compressed.push(chunk);
  });
  return Buffer.concat(compressed);
}

/**
 * Store the snapshot of `id` at `seq` in place of the one before, unless the project was deleted
 * or erased after `seq` meanwhile. Returns whether it was stored.
 */
export async function storeSnapshot(db: Db, id: ProjectId, seq: number, bytes: Buffer): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    await lockSnapshots(tx, id, 'shared');
    const { rows } = await tx.query<{ fits: boolean }>(
      `SELECT p.deleted_at IS NULL AND p.seq >= $2 AND NOT EXISTS (
         SELECT 1 FROM project_events e
         WHERE e.project_id = p.id AND e.seq > $2 AND e.body->>'type' = 'erasure'
       ) AS fits
       FROM projects p WHERE p.id = $1`,
      [id, seq],
    );
    if (rows[0]?.fits !== true) return false;
    await tx.query(
      `INSERT INTO project_snapshots (project_id, seq, shape, state) VALUES ($1, $2, $3, $4)
       ON CONFLICT (project_id) DO UPDATE
       SET seq = excluded.seq, shape = excluded.shape, state = excluded.state, written_at = now()`,
      [id, seq, SNAPSHOT_SHAPE, bytes],
    );
    return true;
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `value` has the shape of the state of project `id` at `seq`, as far as can be cheaply told. */
function isProjectState(value: unknown, id: ProjectId, seq: number): value is ProjectState {
  if (!isRecord(value) || value.seq !== seq) return false;
  if (!isRecord(value.project) || value.project.id !== id) return false;
  const records = ['members', 'documents', 'codes', 'codings', 'participants', 'settings', 'history'];
  if (!records.every((key) => isRecord(value[key])) || !Array.isArray(value.attributes)) return false;
  if (value.replacements !== undefined && !Array.isArray(value.replacements)) return false;
  return value.journal === undefined || isRecord(value.journal);
}

/** The state a stored snapshot holds, or undefined when it cannot be trusted (it is then ignored). */
export async function decodeSnapshot(
  id: ProjectId,
  row: { seq: number; shape: number; state: Buffer },
): Promise<ProjectState | undefined> {
  if (row.shape !== SNAPSHOT_SHAPE) return undefined;
  let state: unknown;
  try {
    state = JSON.parse((await gunzipped(row.state)).toString('utf8'));
  } catch {
    return undefined;
  }
  return isProjectState(state, id, row.seq) ? state : undefined;
}

/** What an instance reads to open a project. */
export interface ProjectStart {
  /** The project does not exist, or was deleted. */
  gone: boolean;
  /** The snapshot's state, when there is one to trust. */
  snapshot?: ProjectState;
  /** The events after the snapshot (after 0 without one), oldest first. */
  events: ProjectEvent[];
}

/**
 * Read what opens a project: its snapshot and the events after it, in one read-only transaction
 * (one view of the database: no erasure can come between the two). A snapshot that cannot be
 * trusted is reported and left aside, and the whole log is read instead.
 */
export async function readProjectStart(db: Db, id: ProjectId): Promise<ProjectStart> {
  const read = await inTransaction(
    db,
    async (tx) => {
      const { rows } = await tx.query<{ seq: number; shape: number; state: Buffer }>(
        'SELECT seq, shape, state FROM project_snapshots WHERE project_id = $1',
        [id],
      );
      const row = rows[0];
      return { row, log: await readProjectLog(tx, id, row?.seq ?? 0) };
    },
    'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
  );
  if (read.log.gone) return { gone: true, events: [] };
  if (!read.row) return { gone: false, events: read.log.events };
  const snapshot = await decodeSnapshot(id, read.row);
  if (snapshot) return { gone: false, snapshot, events: read.log.events };
  console.warn(
    `Instantané du projet ${id} (n° ${read.row.seq}) illisible ou d'une forme inconnue : ignoré, journal relu en entier.`,
  );
  const whole = await readProjectLog(db, id, 0);
  return { gone: whole.gone, events: whole.events };
}
