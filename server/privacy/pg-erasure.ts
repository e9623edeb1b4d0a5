/**
 * Erasure on PostgreSQL: in one transaction, under the project's row lock, the events about the
 * erased are rewritten as tombstones (the others' rows untouched), the receipt is appended, the
 * texts, originals and caches of the project that the erasure reaches are deleted, so is the
 * project's snapshot (the next one is written from the erased state), and the other instances are
 * told (`x:<project>:<seq>`) to read the project again rather than keep it in memory.
 */
import type { ErasureScope } from '../../shared/erasure.ts';
import type { LoggedProjectEvent } from '../../shared/events.ts';
import type { ProjectId, UserId } from '../../shared/ids.ts';
import type { ProjectState } from '../../shared/model.ts';
import type { Tx } from '../storage/pg-db.ts';
import { insertProjectEvents } from '../storage/pg-events.ts';
import { deleteSnapshots } from '../storage/pg-snapshots.ts';
import { planErasure, type PlannedErasure } from './plan.ts';

/** Plan and write an erasure within `tx`, which holds the project's row lock. */
export async function eraseInTransaction(
  tx: Tx,
  id: ProjectId,
  state: Readonly<ProjectState>,
  scope: ErasureScope,
  userId: UserId,
  channel: string,
): Promise<PlannedErasure> {
  const { rows } = await tx.query<{ body: LoggedProjectEvent }>(
    'SELECT body FROM project_events WHERE project_id = $1 ORDER BY seq',
    [id],
  );
  const log = rows.map((r) => r.body);
  const planned = await planErasure(state, log, scope, userId, async (documentId) => {
    const found = await tx.query<{ text: string }>(
      'SELECT text FROM texts WHERE project_id = $1 AND document_id = $2',
      [id, documentId],
    );
    return found.rows[0]?.text;
  });
  const rewritten = planned.events.filter((e, i) => i < log.length && e !== log[i]);
  await tx.query(
    `UPDATE project_events e SET body = x.body
     FROM (SELECT (b->>'seq')::integer AS seq, b AS body FROM jsonb_array_elements($2::jsonb) AS b) x
     WHERE e.project_id = $1 AND e.seq = x.seq`,
    [id, JSON.stringify(rewritten)],
  );
  const receipt = planned.receipt;
  await insertProjectEvents(tx, id, [receipt]);
  await tx.query('UPDATE projects SET seq = $2 WHERE id = $1', [id, receipt.seq]);
  const documents = [...planned.plan.documentIds];
  await tx.query('DELETE FROM texts WHERE project_id = $1 AND document_id = ANY($2)', [id, documents]);
  await tx.query('DELETE FROM originals WHERE project_id = $1 AND document_id = ANY($2)', [id, documents]);
  await tx.query('DELETE FROM caches WHERE project_id = $1', [id]);
  await deleteSnapshots(tx, id);
  await tx.query('SELECT pg_notify($1, $2)', [channel, `x:${id}:${receipt.seq}`]);
  return planned;
}

/** Deleting a project on PostgreSQL erases its rows; only the id stays, marked deleted. */
export async function eraseProjectRows(tx: Tx, id: ProjectId): Promise<void> {
  for (const table of ['project_events', 'texts', 'originals', 'caches']) {
    await tx.query(`DELETE FROM ${table} WHERE project_id = $1`, [id]);
  }
  await deleteSnapshots(tx, id);
}
