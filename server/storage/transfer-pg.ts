/** The PostgreSQL side of a transfer (pg-transfer.ts): read at one moment, or filled in one transaction. */
import type { InstanceEvent, ProjectEvent } from '../../shared/events.ts';
import type { ProjectId } from '../../shared/ids.ts';
import { createPool, inTransaction, type Tx } from './pg-db.ts';
import { insertInstanceEvents, insertProjectEvents } from './pg-events.ts';
import { migrate, SCHEMA_VERSION as PG_SCHEMA_VERSION } from './pg-schema.ts';
import type { ProjectContent, Reader, Writer } from './pg-transfer.ts';
import { projectLabel } from './transfer-repair.ts';

/** Reads a database in one read-only, repeatable-read transaction: one consistent moment. */
export function pgReader(url: string): Reader {
  return {
    async read(visit) {
      const db = createPool(url, 1);
      try {
        return await inTransaction(
          db,
          async (tx) => {
            const version = await tx
              .query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations')
              .then(
                (r) => r.rows[0]?.version ?? null,
                () => null,
              );
            if (version !== PG_SCHEMA_VERSION) {
              throw new Error(
                `La base est au schéma ${version ?? 'aucun'}, celui-ci lit le ${PG_SCHEMA_VERSION} : démarrez-la d'abord avec cette version de Verbatim.`,
              );
            }
            const instance = (
              await tx.query<{ body: InstanceEvent }>('SELECT body FROM instance_events ORDER BY seq')
            ).rows.map((r) => r.body);
            const projectIds = (
              await tx.query<{ id: ProjectId }>(
                'SELECT id FROM projects WHERE deleted_at IS NULL ORDER BY id',
              )
            ).rows.map((r) => r.id);
            return visit({
              instance,
              projectIds,
              async project(id) {
                const events = (
                  await tx.query<{ body: ProjectEvent }>(
                    'SELECT body FROM project_events WHERE project_id = $1 ORDER BY seq',
                    [id],
                  )
                ).rows.map((r) => r.body);
                const texts = new Map(
                  (
                    await tx.query<{ document_id: string; text: string }>(
                      'SELECT document_id, text FROM texts WHERE project_id = $1',
                      [id],
                    )
                  ).rows.map((r) => [r.document_id, r.text]),
                );
                const originals = (
                  await tx.query<{ document_id: string; format: string; bytes: Buffer }>(
                    'SELECT document_id, format, bytes FROM originals WHERE project_id = $1',
                    [id],
                  )
                ).rows.map((r) => ({
                  documentId: r.document_id,
                  format: r.format,
                  bytes: new Uint8Array(r.bytes),
                }));
                return { id, events, texts, originals };
              },
            });
          },
          'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
        );
      } finally {
        await db.end();
      }
    },
  };
}

export async function pgWriter(url: string): Promise<Writer> {
  const db = createPool(url, 1);
  try {
    await migrate(db);
    const { rows } = await db.query<{ projects: number; events: number }>(
      `SELECT (SELECT count(*)::integer FROM projects) AS projects,
              (SELECT count(*)::integer FROM instance_events) AS events`,
    );
    const { projects = 0, events = 0 } = rows[0] ?? {};
    if (projects > 0 || events > 0) {
      throw new Error(`La base cible n'est pas vide (${projects} projets, ${events} évènements d'instance).`);
    }
  } catch (error) {
    await db.end();
    throw error;
  }
  return {
    async write(instance, contents) {
      try {
        // One transaction: an interrupted copy leaves the database empty, not half-filled.
        await inTransaction(db, async (tx) => {
          for (const chunk of chunks(instance, 1000)) {
            await insertInstanceEvents(tx, chunk);
          }
          await tx.query('UPDATE instance_head SET seq = $1', [instance.at(-1)?.seq ?? 0]);
          for await (const project of contents) await writeProject(tx, project);
        });
      } finally {
        await db.end();
      }
    },
  };
}

async function writeProject(tx: Tx, project: ProjectContent): Promise<void> {
  try {
    await insertProject(tx, project);
  } catch (error) {
    throw new Error(`Impossible de copier le ${projectLabel(project)} : ${(error as Error).message}`, {
      cause: error,
    });
  }
}

async function insertProject(tx: Tx, project: ProjectContent): Promise<void> {
  const id = project.id;
  await tx.query('INSERT INTO projects (id, seq) VALUES ($1, $2)', [id, project.events.at(-1)?.seq ?? 0]);
  for (const chunk of chunks(project.events, 1000)) {
    await insertProjectEvents(tx, id, chunk);
  }
  for (const [documentId, text] of project.texts) {
    await tx.query('INSERT INTO texts (project_id, document_id, text) VALUES ($1, $2, $3)', [
      id,
      documentId,
      text,
    ]);
  }
  for (const o of project.originals) {
    await tx.query('INSERT INTO originals (project_id, document_id, format, bytes) VALUES ($1, $2, $3, $4)', [
      id,
      o.documentId,
      o.format,
      Buffer.from(o.bytes),
    ]);
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
