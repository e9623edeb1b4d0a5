import { inTransaction, type Db } from './pg-db.ts';

/**
 * The PostgreSQL schema, as numbered migrations applied in order at start and recorded in
 * `schema_migrations`. Never edit one that has shipped: add the next.
 *
 * Every event keeps its whole JSON in `body` (exactly what the file store writes in its journals);
 * `seq`, `txn`, `at` and `user_id` are copied into columns for ordering, locking and audit queries.
 * `projects.seq` is the head of each project's log: the row every writer locks (`FOR UPDATE`), so
 * changes to one project are serialised across all instances, and changes to different projects
 * are not. `instance_head` plays that part for accounts and sessions. `project_snapshots` holds
 * each project's state folded at a seq (pg-snapshots.ts), so that an instance opening it replays
 * only the events after.
 */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'event logs, texts, originals and caches',
    sql: `
      CREATE TABLE instance_head (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        seq integer NOT NULL
      );
      INSERT INTO instance_head (id, seq) VALUES (true, 0);
      CREATE TABLE instance_events (
        seq integer PRIMARY KEY,
        at timestamptz NOT NULL,
        user_id text,
        body jsonb NOT NULL
      );
      CREATE TABLE projects (
        id text PRIMARY KEY,
        seq integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      );
      CREATE TABLE project_events (
        project_id text NOT NULL REFERENCES projects (id),
        seq integer NOT NULL,
        txn integer NOT NULL,
        at timestamptz NOT NULL,
        user_id text NOT NULL,
        body jsonb NOT NULL,
        PRIMARY KEY (project_id, seq)
      );
      CREATE TABLE texts (
        project_id text NOT NULL REFERENCES projects (id),
        document_id text NOT NULL,
        text text NOT NULL,
        PRIMARY KEY (project_id, document_id)
      );
      CREATE TABLE originals (
        project_id text NOT NULL REFERENCES projects (id),
        document_id text NOT NULL,
        format text NOT NULL,
        bytes bytea NOT NULL,
        PRIMARY KEY (project_id, document_id, format)
      );
      CREATE TABLE caches (
        project_id text NOT NULL REFERENCES projects (id),
        name text NOT NULL,
        data text NOT NULL,
        PRIMARY KEY (project_id, name)
      );
    `,
  },
  {
    version: 2,
    name: 'project snapshots',
    // No foreign key to projects: checking one would lock the project's row (FOR KEY SHARE)
    // against its writers (FOR UPDATE) while a snapshot of several megabytes is stored. Snapshots
    // are deleted explicitly, with the project and by every erasure (pg-snapshots.ts).
    // The state is already compressed (gzip): PostgreSQL is told not to compress it again.
    sql: `
      CREATE TABLE project_snapshots (
        project_id text PRIMARY KEY,
        seq integer NOT NULL,
        shape integer NOT NULL,
        state bytea NOT NULL,
        written_at timestamptz NOT NULL DEFAULT now()
      );
      ALTER TABLE project_snapshots ALTER COLUMN state SET STORAGE EXTERNAL;
    `,
  },
  {
    version: 3,
    name: 'caches as bytes',
    // The search index is saved as bytes (its arrays as they lie in memory); kept as base64 in a
    // text column, it took a third more room and one large conversion each way. Caches are
    // derived data: those already there are dropped, and rebuilt at their next use.
    sql: `
      DELETE FROM caches;
      ALTER TABLE caches ALTER COLUMN data TYPE bytea USING convert_to(data, 'UTF8');
    `,
  },
  {
    version: 4,
    name: 'append a batch in one statement',
    // A batch decided before the lock, appended in one statement that takes it (pg-append.ts):
    // the lock is then held for the insert and COMMIT alone, not for two round trips to an
    // instance. Appended only if nothing was committed since the state the batch was decided on
    // (`p_after`), or if what was committed since commutes with it: codings created by other users
    // for other coders (`p_users`: the batch's users and coders), when the instance says the batch
    // only creates codings and reads no other coder's (`p_commuting`; see ChangeOptions in
    // store.ts: a coding is refused only as a duplicate of the same coder's). The batch then
    // follows them, each event's seq and txn shifted past the head. Each statement of a PL/pgSQL
    // function reads what was committed when it starts, so the events read after the lock are all
    // that precede it. Anything else (more than 64 events behind, another kind of event, a project
    // deleted) is left to the lock-first path, which reads the state again under the lock.
    sql: `
      CREATE FUNCTION append_project_events(
        p_id text,
        p_after integer,
        p_events jsonb,
        p_commuting boolean,
        p_users text[],
        p_channel text,
        OUT head integer,
        OUT appended boolean,
        OUT newer jsonb
      ) LANGUAGE plpgsql VOLATILE AS $fn$
      DECLARE
        shift integer;
        added integer := jsonb_array_length(p_events);
      BEGIN
        appended := false;
        SELECT seq INTO head FROM projects WHERE id = p_id AND deleted_at IS NULL FOR UPDATE;
        IF NOT FOUND THEN
          RETURN;
        END IF;
        shift := head - p_after;
        IF shift < 0 OR (shift > 0 AND (NOT p_commuting OR shift > 64)) THEN
          RETURN;
        END IF;
        IF shift > 0 THEN
          SELECT jsonb_agg(body ORDER BY seq) INTO newer
            FROM project_events WHERE project_id = p_id AND seq > p_after;
          IF EXISTS (
            SELECT 1 FROM jsonb_array_elements(newer) AS e
            WHERE e->>'type' IS DISTINCT FROM 'coding_created'
               OR e->>'userId' = ANY (p_users)
               OR e->'coding'->>'coderId' = ANY (p_users)
          ) THEN
            newer := NULL;
            RETURN;
          END IF;
        END IF;
        INSERT INTO project_events (project_id, seq, txn, at, user_id, body)
          SELECT p_id, (e->>'seq')::integer + shift, (e->>'txn')::integer + shift,
                 (e->>'at')::timestamptz, e->>'userId',
                 CASE WHEN shift = 0 THEN e ELSE e || jsonb_build_object(
                   'seq', (e->>'seq')::integer + shift, 'txn', (e->>'txn')::integer + shift) END
          FROM jsonb_array_elements(p_events) AS e;
        UPDATE projects SET seq = head + added WHERE id = p_id;
        PERFORM pg_notify(p_channel, 'p:' || p_id || ':' || (head + added));
        appended := true;
      END
      $fn$;
    `,
  },
];

export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

/** Taken while migrating, so that instances starting together migrate one after the other. */
const MIGRATION_LOCK = 7_406_185_001;

/** The database holds a schema newer than this server knows. */
export class NewerSchemaError extends Error {
  constructor(readonly version: number) {
    super(
      `La base PostgreSQL est au schéma ${version}, plus récent que celui de ce serveur (${SCHEMA_VERSION}) : ` +
        'mettez Verbatim à jour.',
    );
    this.name = 'NewerSchemaError';
  }
}

/**
 * Bring the database to SCHEMA_VERSION: the missing migrations and their rows in
 * `schema_migrations` run in one transaction (DDL is transactional in PostgreSQL: all or nothing),
 * under an advisory lock. Refuses a database from a newer server.
 */
export async function migrate(db: Db): Promise<void> {
  await inTransaction(db, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version integer PRIMARY KEY,
         name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await tx.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((r) => r.version));
    const newest = Math.max(0, ...applied);
    if (newest > SCHEMA_VERSION) throw new NewerSchemaError(newest);
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      await tx.query(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
    }
  });
}
