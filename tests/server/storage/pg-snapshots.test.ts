// @vitest-environment node
/**
 * Snapshots on PostgreSQL: an instance opening a project reads its snapshot and replays only the
 * events after it, to the state a full replay gives; a snapshot that cannot be trusted is ignored;
 * erasure and deletion leave no snapshot holding what they removed; a write cut off part-way
 * loses nothing; `npm run migrate` does not copy them.
 */
import pg from 'pg';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyProjectEvent, emptyProjectState } from '../../../shared/events.ts';
import type { ProjectId } from '../../../shared/ids.ts';
import type { ProjectState } from '../../../shared/model.ts';
import { readProjectEvents } from '../../../server/storage/pg-events.ts';
import {
  decodeSnapshot,
  encodeSnapshot,
  readProjectStart,
  SNAPSHOT_SHAPE,
  SNAPSHOT_WRITER_LOCK,
  storeSnapshot,
  whileMakingSnapshot,
} from '../../../server/storage/pg-snapshots.ts';
import { openPgStore } from '../../../server/storage/pg-store.ts';
import { transfer } from '../../../server/storage/pg-transfer.ts';
import { findInBytes } from '../../helpers/find-bytes.ts';
import { Client } from '../../helpers/server.ts';
import {
  postgresAvailable,
  startPgCluster,
  startPgServer,
  type PgCluster,
  type PgTestServer,
} from '../../helpers/postgres.ts';
import { INTERVIEW, projectWithInterviewee } from '../../helpers/interviewee.ts';

const ADMIN = { username: 'admin', password: 'mot-de-passe-admin' };
/** A snapshot after every 5 events, at once (the default, 1,000, keeps these projects without). */
const EAGER = { snapshotEvery: 5, snapshotQuietMs: 0 };
const TRACES = ['Camille Martin', 'marionnettes', 'Brioude', 'hésite'];

interface SnapshotRow {
  seq: number;
  shape: number;
  state: Buffer;
}

if (postgresAvailable()) {
  let cluster: Promise<PgCluster> | undefined;
  afterAll(async () => {
    await (await cluster)?.stop();
  });

  describe('project snapshots on PostgreSQL', () => {
    let url: string;
    let db: pg.Pool;
    let a: PgTestServer | undefined;
    let onA: Client;

    beforeEach(async () => {
      cluster ??= startPgCluster();
      url = await (await cluster).createDatabase();
      db = new pg.Pool({ connectionString: url, max: 2 });
      a = await startPgServer(url);
      onA = new Client(() => (a as PgTestServer).url);
      expect((await onA.post('/api/auth/setup', ADMIN)).status).toBe(201);
    });
    afterEach(async () => {
      await a?.stop();
      a = undefined;
      await db.end();
    });

    async function head(pid: string): Promise<number> {
      return (
        (await db.query<{ seq: number }>('SELECT seq FROM projects WHERE id = $1', [pid])).rows[0]?.seq ?? 0
      );
    }

    async function snapshotRow(pid: string): Promise<SnapshotRow | undefined> {
      const { rows } = await db.query<SnapshotRow>(
        'SELECT seq, shape, state FROM project_snapshots WHERE project_id = $1',
        [pid],
      );
      return rows[0];
    }

    /**
     * Open a new instance that writes snapshots after 5 events, and wait for it to write the
     * project's (it holds the project folded at its head, more than 5 events past none).
     */
    async function snapshotAtHead(pid: string): Promise<SnapshotRow> {
      const eager = await openPgStore(url, EAGER);
      try {
        await expect
          .poll(async () => (await snapshotRow(pid))?.seq, { timeout: 10_000 })
          .toBe(await head(pid));
      } finally {
        await eager.close();
      }
      return (await snapshotRow(pid)) as SnapshotRow;
    }

    /** The project's state folded from its whole log, as an instance without snapshots would. */
    async function fullReplay(pid: string): Promise<ProjectState> {
      const state = emptyProjectState(pid as ProjectId);
      for (const event of await readProjectEvents(db, pid as ProjectId, 0)) applyProjectEvent(state, event);
      return state;
    }

    /** The project's state as a new instance opens it. */
    async function openedByNewInstance(pid: string): Promise<Readonly<ProjectState> | undefined> {
      const b = await openPgStore(url);
      try {
        return structuredClone(await b.readProject(pid as ProjectId));
      } finally {
        await b.close();
      }
    }

    /** The codebook most of these tests start from. */
    const SIX_CODES = ['Ressaisie', 'Tableur', 'Billetterie', 'Bénévoles', 'Public', 'Lieu'];

    async function projectWithCodes(names: readonly string[]): Promise<string> {
      const pid = (await onA.post('/api/projects', { name: 'Spectacle vivant' })).body.id as string;
      for (const name of names)
        expect((await onA.post(`/api/projects/${pid}/codes`, { name })).status).toBe(201);
      return pid;
    }

    it('opens a project from its snapshot and the events after it, to the state of a full replay', async () => {
      const pid = await projectWithCodes(SIX_CODES);
      const snapshot = await snapshotAtHead(pid);
      for (const name of ['Subventions', 'Tournée', 'Costumes'])
        expect((await onA.post(`/api/projects/${pid}/codes`, { name })).status).toBe(201);
      expect(await head(pid)).toBe(snapshot.seq + 3);

      const start = await readProjectStart(db, pid as ProjectId);
      expect(start.snapshot?.seq).toBe(snapshot.seq);
      expect(start.events.map((e) => e.seq)).toEqual([snapshot.seq + 1, snapshot.seq + 2, snapshot.seq + 3]);

      const full = await fullReplay(pid);
      expect(Object.keys(full.codes)).toHaveLength(9);
      expect(await openedByNewInstance(pid)).toEqual(full);
      expect(structuredClone(await (a as PgTestServer).store.readProject(pid as ProjectId))).toEqual(full);
    });

    it('takes what the snapshot says rather than replaying the events before it', async () => {
      const pid = await projectWithCodes(SIX_CODES);
      const row = await snapshotAtHead(pid);
      const state = (await decodeSnapshot(pid as ProjectId, row)) as ProjectState;
      state.project = { ...state.project, name: 'Nom lu dans l’instantané' };
      await db.query('UPDATE project_snapshots SET state = $2 WHERE project_id = $1', [
        pid,
        await encodeSnapshot([JSON.stringify(state)]),
      ]);
      expect((await openedByNewInstance(pid))?.project.name).toBe('Nom lu dans l’instantané');
    });

    it('ignores a snapshot that does not parse, of an unknown shape or of another seq, and replays the whole log', async () => {
      const pid = await projectWithCodes(SIX_CODES);
      const row = await snapshotAtHead(pid);
      const full = await fullReplay(pid);
      const state = (await decodeSnapshot(pid as ProjectId, row)) as ProjectState;
      const otherSeq = gzipSync(JSON.stringify({ ...state, seq: state.seq - 1 }));
      const notProject = gzipSync(JSON.stringify({ ...state, codings: [] }));
      for (const [shape, bytes] of [
        [SNAPSHOT_SHAPE, Buffer.from('pas du gzip')],
        [SNAPSHOT_SHAPE, gzipSync('{"seq": 3, "project": {')],
        [SNAPSHOT_SHAPE + 1, row.state],
        [SNAPSHOT_SHAPE, otherSeq],
        [SNAPSHOT_SHAPE, notProject],
      ] as const) {
        await db.query('UPDATE project_snapshots SET shape = $2, state = $3 WHERE project_id = $1', [
          pid,
          shape,
          bytes,
        ]);
        const start = await readProjectStart(db, pid as ProjectId);
        expect(start.snapshot).toBeUndefined();
        expect(start.events).toHaveLength(await head(pid));
        expect(await openedByNewInstance(pid)).toEqual(full);
      }
    });

    it('leaves no erased data in any snapshot, refuses one older than the erasure, and writes the next from the erased state', async () => {
      const { pid, base, camille, doc } = await projectWithInterviewee(onA);
      const text = INTERVIEW;
      const code = (await onA.post(`${base}/codes`, { name: 'Ressaisie' })).body;
      const start = text.indexOf('marionnettes');
      const end = start + 'marionnettes à Brioude'.length;
      await onA.post(`${base}/codings`, { documentId: doc.id, codeId: code.id, start, end, memo: 'hésite' });
      await onA.post(`${base}/codes`, { name: 'Tableur' });
      const before = await snapshotAtHead(pid);
      // The search below can find what it looks for.
      expect(findInBytes('snapshot', before.state, TRACES).map((h) => h.needle)).toEqual(TRACES);

      const erased = await onA.post(`${base}/participants/${camille.id}/erase`, {
        confirm: 'Camille Martin',
      });
      expect(erased.status).toBe(200);
      expect(await snapshotRow(pid)).toBeUndefined();
      // A snapshot frozen before the erasure, stored after it (an instance slow to write it).
      expect(await storeSnapshot(db, pid as ProjectId, before.seq, before.state)).toBe(false);
      expect(await snapshotRow(pid)).toBeUndefined();

      // The next one, written from the erased state.
      const afterErasure = await snapshotAtHead(pid);
      expect(afterErasure.seq).toBe(erased.body.erasure.seq);
      const { rows } = await db.query<{ project_id: string; state: Buffer }>(
        'SELECT project_id, state FROM project_snapshots',
      );
      expect(rows).toHaveLength(1);
      expect(rows.flatMap((r) => findInBytes(r.project_id, r.state, TRACES))).toEqual([]);
      expect(await openedByNewInstance(pid)).toEqual(await fullReplay(pid));

      expect((await onA.delete(base)).status).toBe(204);
      expect((await db.query('SELECT count(*)::int AS n FROM project_snapshots')).rows[0].n).toBe(0);
    });

    it('loses nothing when the connection is cut while a snapshot is written', async () => {
      const pid = await projectWithCodes(SIX_CODES);
      const first = await snapshotAtHead(pid);
      const names = ['Subventions', 'Tournée', 'Costumes', 'Décors', 'Affiches', 'Presse'];
      for (const name of names)
        expect((await onA.post(`/api/projects/${pid}/codes`, { name })).status).toBe(201);
      // The next write of a snapshot ends its own connection, as if its instance died mid-write
      // (counting the attempts in a sequence, which no rollback undoes).
      await db.query(`
        CREATE SEQUENCE cuts;
        CREATE FUNCTION cut() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM nextval('cuts'); PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NEW; END $$;
        CREATE TRIGGER cut BEFORE UPDATE ON project_snapshots FOR EACH ROW EXECUTE FUNCTION cut();
      `);
      const eager = await openPgStore(url, EAGER);
      try {
        await expect
          .poll(async () => (await db.query('SELECT is_called FROM cuts')).rows[0].is_called, {
            timeout: 10_000,
          })
          .toBe(true);
      } finally {
        await eager.close();
      }
      expect((await snapshotRow(pid))?.seq).toBe(first.seq);
      const full = await fullReplay(pid);
      expect(Object.keys(full.codes)).toHaveLength(12);
      expect(await openedByNewInstance(pid)).toEqual(full);
    });

    it('writes a far overdue snapshot at once, but a project’s first one only after a pause', async () => {
      const names = Array.from({ length: 22 }, (_, i) => `Code ${i + 1}`);
      const pid = await projectWithCodes(names);
      // 23 events, more than four times 5, and writes that never pause for a minute.
      const patient = { snapshotEvery: 5, snapshotQuietMs: 60_000 };
      const first = await openPgStore(url, patient);
      try {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        expect(await snapshotRow(pid)).toBeUndefined();
      } finally {
        await first.close();
      }
      const snapshot = await snapshotAtHead(pid);
      for (const name of names)
        expect((await onA.post(`/api/projects/${pid}/codes`, { name: `${name} bis` })).status).toBe(201);
      const overdue = await openPgStore(url, patient);
      try {
        await expect
          .poll(async () => (await snapshotRow(pid))?.seq, { timeout: 10_000 })
          .toBe(snapshot.seq + 22);
      } finally {
        await overdue.close();
      }
    });

    it('is made by one instance at a time: none while another holds the project’s writer lock', async () => {
      const pid = await projectWithCodes(SIX_CODES);
      // Another instance making this project's snapshot, as far as the database can tell.
      const other = await db.connect();
      let held = true;
      try {
        await other.query('SELECT pg_advisory_lock($1, hashtext($2))', [SNAPSHOT_WRITER_LOCK, pid]);
        const eager = await openPgStore(url, EAGER);
        try {
          expect(await eager.readProject(pid as ProjectId)).toBeDefined();
          expect((await onA.post(`/api/projects/${pid}/codes`, { name: 'Subventions' })).status).toBe(201);
          await new Promise((resolve) => setTimeout(resolve, 1000));
          expect(await snapshotRow(pid)).toBeUndefined();
          // Let go: the next change it sees, the instance writes the snapshot it still owes.
          await other.query('SELECT pg_advisory_unlock($1, hashtext($2))', [SNAPSHOT_WRITER_LOCK, pid]);
          held = false;
          expect((await onA.post(`/api/projects/${pid}/codes`, { name: 'Tournée' })).status).toBe(201);
          await expect
            .poll(async () => (await snapshotRow(pid))?.seq, { timeout: 10_000 })
            .toBe(await head(pid));
        } finally {
          await eager.close();
        }
      } finally {
        if (held) await other.query('SELECT pg_advisory_unlock_all()');
        other.release();
      }
    });

    it('lets one caller at a time make a project’s snapshot, and the next once it is done', async () => {
      const pid = await projectWithCodes(['Ressaisie']);
      const other = new pg.Pool({ connectionString: url, max: 2 });
      try {
        let finish = () => undefined as void;
        const making = whileMakingSnapshot(
          db,
          pid as ProjectId,
          () =>
            new Promise<string>((done) => {
              finish = () => done('made');
            }),
        );
        await new Promise((resolve) => setTimeout(resolve, 200));
        let ran = false;
        expect(await whileMakingSnapshot(other, pid as ProjectId, async () => (ran = true))).toBeUndefined();
        expect(ran).toBe(false);
        // Another project is not held up.
        const elsewhere = await projectWithCodes(['Tableur']);
        expect(await whileMakingSnapshot(other, elsewhere as ProjectId, async () => 'other')).toBe('other');
        finish();
        expect(await making).toBe('made');
        expect(await whileMakingSnapshot(other, pid as ProjectId, async () => 'next')).toBe('next');
      } finally {
        await other.end();
      }
    });

    it('is not copied by npm run migrate', async () => {
      const pid = await projectWithCodes(SIX_CODES);
      await snapshotAtHead(pid);
      await a?.stop();
      a = undefined;
      const target = await (await cluster)?.createDatabase();
      const report = await transfer(url, target as string);
      expect(report.differences).toEqual([]);
      const copy = new pg.Client({ connectionString: target });
      await copy.connect();
      try {
        expect((await copy.query('SELECT count(*)::int AS n FROM project_snapshots')).rows[0].n).toBe(0);
        expect((await copy.query('SELECT seq FROM projects WHERE id = $1', [pid])).rows[0].seq).toBe(
          await head(pid),
        );
      } finally {
        await copy.end();
      }
    });
  });
}
