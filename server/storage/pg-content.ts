/**
 * The PostgreSQL store's rows beside the project's state: document texts, uploaded originals,
 * derived caches, and the event log read page by page. Every failure of the database is
 * `storage_unavailable`; the store checks the project exists before calling these.
 */
import type pg from 'pg';
import type { LoggedProjectEvent } from '../../shared/events.ts';
import type { DocumentId, ProjectId } from '../../shared/ids.ts';
import { inTransaction, storageError, type Db } from './pg-db.ts';
import type { CacheData } from './store.ts';

/** One parameterised statement's rows; a failure of the database is `storage_unavailable`. */
async function rows<R extends pg.QueryResultRow>(db: Db, sql: string, params: unknown[]): Promise<R[]> {
  try {
    return (await db.query<R>(sql, params)).rows;
  } catch (error) {
    throw storageError(error);
  }
}

export async function upsertText(
  db: Db,
  projectId: ProjectId,
  documentId: DocumentId,
  text: string,
): Promise<void> {
  await rows(
    db,
    `INSERT INTO texts (project_id, document_id, text) VALUES ($1, $2, $3)
     ON CONFLICT (project_id, document_id) DO UPDATE SET text = EXCLUDED.text`,
    [projectId, documentId, text],
  );
}

/** The document's text, or undefined if it has none. */
export async function selectText(
  db: Db,
  projectId: ProjectId,
  documentId: DocumentId,
): Promise<string | undefined> {
  const found = await rows<{ text: string }>(
    db,
    'SELECT text FROM texts WHERE project_id = $1 AND document_id = $2',
    [projectId, documentId],
  );
  return found[0]?.text;
}

/** The document's text and originals, in one transaction. */
export async function deleteTextAndOriginals(
  db: Db,
  projectId: ProjectId,
  documentId: DocumentId,
): Promise<void> {
  try {
    await inTransaction(db, async (tx) => {
      const key = [projectId, documentId];
      await tx.query('DELETE FROM texts WHERE project_id = $1 AND document_id = $2', key);
      await tx.query('DELETE FROM originals WHERE project_id = $1 AND document_id = $2', key);
    });
  } catch (error) {
    throw storageError(error);
  }
}

export async function upsertOriginal(
  db: Db,
  projectId: ProjectId,
  documentId: DocumentId,
  format: string,
  bytes: Uint8Array,
): Promise<void> {
  await rows(
    db,
    `INSERT INTO originals (project_id, document_id, format, bytes) VALUES ($1, $2, $3, $4)
     ON CONFLICT (project_id, document_id, format) DO UPDATE SET bytes = EXCLUDED.bytes`,
    [projectId, documentId, format, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)],
  );
}

export async function selectOriginal(
  db: Db,
  projectId: ProjectId,
  documentId: DocumentId,
  format: string,
): Promise<Uint8Array | undefined> {
  const found = await rows<{ bytes: Buffer }>(
    db,
    'SELECT bytes FROM originals WHERE project_id = $1 AND document_id = $2 AND format = $3',
    [projectId, documentId, format],
  );
  return found[0] ? new Uint8Array(found[0].bytes) : undefined;
}

/** A cache's bytes (`bytea` since schema 3). */
export async function selectCache(
  db: Db,
  projectId: ProjectId,
  name: string,
): Promise<Uint8Array | undefined> {
  const found = await rows<{ data: Buffer }>(
    db,
    'SELECT data FROM caches WHERE project_id = $1 AND name = $2',
    [projectId, name],
  );
  return found[0]?.data;
}

export async function upsertCache(
  db: Db,
  projectId: ProjectId,
  name: string,
  data: CacheData,
): Promise<void> {
  const bytes =
    data instanceof Uint8Array ? Buffer.from(data.buffer, data.byteOffset, data.length) : Buffer.concat(data);
  await rows(
    db,
    `INSERT INTO caches (project_id, name, data) VALUES ($1, $2, $3)
     ON CONFLICT (project_id, name) DO UPDATE SET data = EXCLUDED.data`,
    [projectId, name, bytes],
  );
}

/** Up to `limit` of the project's events after `after`, in order. */
export async function selectEventPage(
  db: Db,
  projectId: ProjectId,
  after: number,
  limit: number,
): Promise<LoggedProjectEvent[]> {
  const found = await rows<{ body: LoggedProjectEvent }>(
    db,
    'SELECT body FROM project_events WHERE project_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
    [projectId, after, limit],
  );
  return found.map((r) => r.body);
}
