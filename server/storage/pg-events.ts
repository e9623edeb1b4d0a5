import type { InstanceEvent, ProjectEvent } from '../../shared/events.ts';
import type { ProjectId } from '../../shared/ids.ts';
import type { Db, Tx } from './pg-db.ts';

/**
 * The one INSERT of a project's events: `$1` the project's id, `$2` the events as a JSON array,
 * each stored whole in `body` beside the columns it is looked up by. Also used inside a larger
 * statement (a change's events, head and notification at once).
 */
export const INSERT_PROJECT_EVENTS = `INSERT INTO project_events (project_id, seq, txn, at, user_id, body)
  SELECT $1, (e->>'seq')::integer, (e->>'txn')::integer, (e->>'at')::timestamptz, e->>'userId', e
  FROM jsonb_array_elements($2::jsonb) AS e`;

/** The one INSERT of the instance's events: `$1` the events as a JSON array. */
export const INSERT_INSTANCE_EVENTS = `INSERT INTO instance_events (seq, at, user_id, body)
  SELECT (e->>'seq')::integer, (e->>'at')::timestamptz, e->>'userId', e
  FROM jsonb_array_elements($1::jsonb) AS e`;

/** Insert a project's events in one statement. */
export async function insertProjectEvents(tx: Tx, id: ProjectId, events: readonly object[]): Promise<void> {
  await tx.query(INSERT_PROJECT_EVENTS, [id, JSON.stringify(events)]);
}

/** Insert instance events in one statement. */
export async function insertInstanceEvents(tx: Tx, events: readonly object[]): Promise<void> {
  await tx.query(INSERT_INSTANCE_EVENTS, [JSON.stringify(events)]);
}

/** A project's events after a seq, in order: `$1` the project's id, `$2` the seq. */
export const PROJECT_EVENTS_AFTER =
  'SELECT body FROM project_events WHERE project_id = $1 AND seq > $2 ORDER BY seq';

/** A project's events after `after`, in order. */
export async function readProjectEvents(db: Db | Tx, id: ProjectId, after: number): Promise<ProjectEvent[]> {
  const { rows } = await db.query<{ body: ProjectEvent }>(PROJECT_EVENTS_AFTER, [id, after]);
  return rows.map((r) => r.body);
}

/** The instance's events after `after`, in order. */
export async function readInstanceEvents(db: Db | Tx, after: number): Promise<InstanceEvent[]> {
  const { rows } = await db.query<{ body: InstanceEvent }>({
    // Named: asked at every request (a session's freshness), parsed and planned once per connection.
    name: 'instance-events-after',
    text: 'SELECT body FROM instance_events WHERE seq > $1 ORDER BY seq',
    values: [after],
  });
  return rows.map((r) => r.body);
}

/**
 * A project's events after `after`, for its log in memory: `gone` when the project no longer
 * exists (never created, or deleted), `erased` when an erasure is among them.
 */
export async function readProjectLog(
  db: Db | Tx,
  id: ProjectId,
  after: number,
): Promise<{ gone: boolean; erased: boolean; events: ProjectEvent[] }> {
  const { rows } = await db.query<{ deleted: boolean; body: ProjectEvent | null }>({
    // Named: asked at every request (a project's freshness), parsed and planned once per connection.
    name: 'project-log-after',
    text: `SELECT p.deleted_at IS NOT NULL AS deleted, e.body
     FROM projects p
     LEFT JOIN project_events e ON e.project_id = p.id AND e.seq > $2
     WHERE p.id = $1
     ORDER BY e.seq`,
    values: [id, after],
  });
  if (rows.length === 0 || rows[0]?.deleted) return { gone: true, erased: false, events: [] };
  return {
    gone: false,
    erased: rows.some((r) => r.body?.type === 'erasure'),
    events: rows.flatMap((r) => (r.body ? [r.body] : [])),
  };
}
