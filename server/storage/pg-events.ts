import type { ProjectId } from '../../shared/ids.ts';
import type { Tx } from './pg-db.ts';

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
