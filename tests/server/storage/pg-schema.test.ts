// @vitest-environment node
/**
 * Schema 3 keeps caches as bytes: a database of schema 2, holding a search index saved as text,
 * is brought to it by the next start; the old copy is dropped (derived data, rebuilt when next
 * used) and the store then keeps and reads back bytes exactly.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createPool } from '../../../server/storage/pg-db.ts';
import { migrate, MIGRATIONS, SCHEMA_VERSION } from '../../../server/storage/pg-schema.ts';
import { openPgStore } from '../../../server/storage/pg-store.ts';
import type { ProjectId, UserId } from '../../../shared/ids.ts';
import { postgresAvailable, startPgCluster, type PgCluster } from '../../helpers/postgres.ts';

let cluster: PgCluster | undefined;

afterAll(async () => {
  await cluster?.stop();
});

describe.skipIf(!postgresAvailable())('PostgreSQL schema 3: caches as bytes', () => {
  it('drops the text caches of schema 2, then stores and reads bytes', async () => {
    cluster = await startPgCluster();
    const url = await cluster.createDatabase();
    const db = createPool(url, 2);
    try {
      // The database as a server of schema 2 left it, with a project and a text cache.
      await db.query(
        'CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      for (const m of MIGRATIONS.filter((m) => m.version <= 2)) {
        await db.query(m.sql);
        await db.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      }
      // A search index saved as text by that server (its project since deleted: no log to open).
      await db.query("INSERT INTO projects (id, seq, deleted_at) VALUES ('ancien', 0, now())");
      await db.query(`INSERT INTO caches (project_id, name, data) VALUES ('ancien', 'search-index', $1)`, [
        '{"version":3,"seq":1}\nAAAA',
      ]);
    } finally {
      await db.end();
    }

    const store = await openPgStore(url);
    let id: ProjectId;
    try {
      const state = await store.createProject(
        {
          id: 'p-schema' as ProjectId,
          name: 'Schéma',
          description: '',
          createdAt: '2026-12-04T09:00:00.000Z',
          createdBy: 'u' as UserId,
        },
        { u: 'lead' },
        'u' as UserId,
      );
      id = state.project.id;
      const bytes = Uint8Array.from([0, 1, 2, 0xff, 0x0a, 0xe9]);
      await store.writeCache(id, 'search-index', [bytes, Uint8Array.from([7])]);
      expect([...((await store.readCache(id, 'search-index')) ?? [])]).toEqual([
        0, 1, 2, 0xff, 0x0a, 0xe9, 7,
      ]);
    } finally {
      await store.close();
    }
    const after = createPool(url, 2);
    try {
      const type = await after.query<{ data_type: string }>(
        "SELECT data_type FROM information_schema.columns WHERE table_name = 'caches' AND column_name = 'data'",
      );
      expect(type.rows[0]?.data_type).toBe('bytea');
      const old = await after.query("SELECT 1 FROM caches WHERE project_id = 'ancien'");
      expect(old.rowCount).toBe(0);
      const version = await after.query<{ v: number }>('SELECT max(version) AS v FROM schema_migrations');
      expect(version.rows[0]?.v).toBe(SCHEMA_VERSION);
      await migrate(after); // Again: nothing to do.
    } finally {
      await after.end();
    }
  });
});
