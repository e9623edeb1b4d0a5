// @vitest-environment node
/**
 * Faults with several instances on PostgreSQL: an instance killed under load, and PostgreSQL
 * restarted during writes. Nothing acknowledged may be lost, nothing may be half-applied, and the
 * service must come back by itself.
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../../shared/errors.ts';
import type { ProjectEvent } from '../../../shared/events.ts';
import type { ProjectId, UserId } from '../../../shared/ids.ts';
import type { Code } from '../../../shared/model.ts';
import { newCode } from '../../helpers/code.ts';
import { Client } from '../../helpers/server.ts';
import { startServerProcess } from '../../helpers/server-process.ts';
import { postgresAvailable, startPgCluster, startPgServer, type PgCluster } from '../../helpers/postgres.ts';

const ADMIN = { username: 'admin', password: 'mot-de-passe-admin' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Run `workers` loops of `write` until `stop()` says so. */
async function load(
  workers: number,
  stop: () => boolean,
  write: (n: number) => Promise<void>,
): Promise<void> {
  let n = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (!stop()) await write(n++);
    }),
  );
}

if (postgresAvailable()) {
  let cluster: Promise<PgCluster> | undefined;
  afterAll(async () => {
    await (await cluster)?.stop();
  });

  describe('PostgreSQL store under faults', () => {
    it('keeps serving through B when A is killed under load, and loses nothing A or B acknowledged', async () => {
      cluster ??= startPgCluster();
      const url = await (await cluster).createDatabase();
      const env = {
        VERBATIM_STORE: url,
        VERBATIM_ADMIN_USER: ADMIN.username,
        VERBATIM_ADMIN_PASSWORD: ADMIN.password,
      };
      const a = await startServerProcess(env);
      const b = await startServerProcess(env);
      try {
        const [urlA, urlB] = await Promise.all([a.url, b.url]);
        const onA = new Client(() => urlA);
        const onB = new Client(() => urlB);
        expect((await onA.post('/api/auth/login', ADMIN)).status).toBe(200);
        onB.cookie = onA.cookie;
        const project = await onA.post('/api/projects', { name: 'Charge' });
        const base = `/api/projects/${project.body.id as string}`;
        const doc = await onB.post(`${base}/documents`, { name: 'e.txt', text: 'x'.repeat(500) });
        const documentId = doc.body.documents[0].id as string;
        const code = (await onA.post(`${base}/codes`, { name: 'Thème' })).body;

        const acknowledged: string[] = [];
        let ackedByBAfterKill = 0;
        let killedAt = Infinity;
        const started = Date.now();
        const writing = load(
          8,
          () => Date.now() - started > 1500,
          async (n) => {
            const client = n % 2 ? onA : onB;
            const res = await client
              .post(`${base}/codings`, { documentId, codeId: code.id, start: n % 400, end: (n % 400) + 5 })
              .catch(() => undefined); // A's connections die with it: not acknowledged.
            if (res?.status === 201) {
              acknowledged.push(res.body.id as string);
              if (client === onB && Date.now() > killedAt) ackedByBAfterKill++;
            }
          },
        );
        await sleep(500);
        killedAt = Date.now();
        await a.kill();
        await writing;

        expect(acknowledged.length).toBeGreaterThan(20);
        expect(ackedByBAfterKill).toBeGreaterThan(5);
        const listed = (await onB.get(`${base}/codings?documentId=${documentId}`)).body.codings as {
          id: string;
        }[];
        const held = new Set(listed.map((c) => c.id));
        expect(acknowledged.filter((id) => !held.has(id))).toEqual([]);
        const events = (await onB.get(`${base}/events?after=0&limit=1000`)).body.events as ProjectEvent[];
        expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      } finally {
        await Promise.all([a.kill(), b.kill()]);
      }
    }, 60_000);

    it('answers 503 to writes while PostgreSQL restarts, half-applies none, and resumes by itself', async () => {
      const postgresql = await (cluster ??= startPgCluster());
      const url = await postgresql.createDatabase();
      const a = await startPgServer(url);
      const b = await startPgServer(url);
      const direct = new pg.Client({ connectionString: url });
      try {
        const onA = new Client(() => a.url);
        expect((await onA.post('/api/auth/setup', ADMIN)).status).toBe(201);
        const pid = (await onA.post('/api/projects', { name: 'Redémarrage' })).body.id as ProjectId;
        const base = `/api/projects/${pid}`;
        const lead = (await onA.get('/api/auth/me')).body.user.id as UserId;

        const statuses = new Map<number, number>();
        const acknowledgedCodes: string[] = [];
        const acknowledgedPairs: string[] = [];
        let stopping = false;
        const writing = load(
          4,
          () => stopping,
          async (n) => {
            if (n % 2) {
              const res = await onA.post(`${base}/codes`, { name: `Code ${n}` });
              statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
              if (res.status === 201) acknowledgedCodes.push(res.body.id as string);
              else if (res.status === 503) expect(res.body.error.code).toBe('storage_unavailable');
            } else {
              // One change of two events, straight through B's store.
              const pair = (suffix: string): Code => newCode(`Paire ${n} ${suffix}`, lead);
              const first = pair('a');
              await b.store
                .changeProject(pid, lead, () => ({
                  events: [
                    { type: 'code_created', code: first },
                    { type: 'code_created', code: pair('b') },
                  ],
                  result: null,
                }))
                .then(
                  () => acknowledgedPairs.push(first.id),
                  (error: { code?: string }) => expect(error.code).toBe('storage_unavailable'),
                );
            }
            await sleep(10);
          },
        );
        await sleep(300);
        await postgresql.down();
        await sleep(800);
        await postgresql.up();
        await sleep(1200);
        stopping = true;
        await writing;

        expect(statuses.get(503) ?? 0).toBeGreaterThan(0);
        expect([...statuses.keys()].sort()).toEqual([201, 503]);

        // Service resumes: a write through each instance succeeds again.
        let resumed = 0;
        for (let i = 0; i < 20 && resumed !== 201; i++) {
          resumed = (await onA.post(`${base}/codes`, { name: `Après ${i}` })).status;
          if (resumed !== 201) await sleep(250);
        }
        expect(resumed).toBe(201);

        // B listens again: it hears a change made through A without reading anything.
        const heardByB: ProjectEvent[] = [];
        const unsubscribe = b.store.subscribe(pid, (events) => heardByB.push(...events));
        const late = await onA.post(`${base}/codes`, { name: 'Entendu par B' });
        expect(late.status).toBe(201);
        const heardLate = () => heardByB.some((e) => e.type === 'code_created' && e.code.id === late.body.id);
        for (let waited = 0; waited < 6000 && !heardLate(); waited += 50) await sleep(50);
        unsubscribe();
        expect(heardLate()).toBe(true);

        // Nothing acknowledged lost; every transaction whole.
        await direct.connect();
        const { rows } = await direct.query<{ txn: number; types: string[]; names: string[] }>(
          `SELECT txn, array_agg(body->>'type' ORDER BY seq) AS types,
                  array_agg(body->'code'->>'name' ORDER BY seq) AS names
           FROM project_events WHERE project_id = $1 GROUP BY txn`,
          [pid],
        );
        expect(rows.length).toBeGreaterThan(10);
        for (const row of rows) {
          if (row.names[0]?.startsWith('Paire')) {
            expect(row.names).toEqual([row.names[0], row.names[0].replace(/a$/, 'b')]);
          } else {
            expect(row.types.length).toBe(1);
          }
        }
        for (const store of [a.store, b.store]) {
          const state = await store.readProject(pid);
          for (const id of [...acknowledgedCodes, ...acknowledgedPairs])
            expect(state?.codes[id]).toBeDefined();
          const paired = Object.values(state?.codes ?? {}).filter((c) => c.name.startsWith('Paire'));
          expect(paired.length % 2).toBe(0);
        }
        expect((await a.store.readProject(pid))?.seq).toBe((await b.store.readProject(pid))?.seq);
      } finally {
        await direct.end().catch(() => undefined);
        await Promise.all([a.stop(), b.stop()]);
      }
    }, 60_000);

    it('answers 503 to every change of a batch whose transaction fails, and then holds what the database holds', async () => {
      const postgresql = await (cluster ??= startPgCluster());
      const url = await postgresql.createDatabase();
      const a = await startPgServer(url);
      const blocker = new pg.Client({ connectionString: url });
      blocker.on('error', () => undefined); // Dies with the cluster.
      const direct = new pg.Client({ connectionString: url });
      try {
        const onA = new Client(() => a.url);
        expect((await onA.post('/api/auth/setup', ADMIN)).status).toBe(201);
        const pid = (await onA.post('/api/projects', { name: 'Lot perdu' })).body.id as ProjectId;
        const lead = (await onA.get('/api/auth/me')).body.user.id as UserId;
        const before = (await a.store.readProject(pid))?.seq ?? 0;
        const heard: ProjectEvent[] = [];
        const unsubscribe = a.store.subscribe(pid, (events) => heard.push(...events));

        // Inserts into the log wait behind this lock: the batch decides, then stalls before COMMIT.
        await blocker.connect();
        await blocker.query('BEGIN');
        await blocker.query('LOCK TABLE project_events IN EXCLUSIVE MODE');
        const code = (i: number): Code => newCode(`Perdu ${i}`, lead);
        const decided: number[] = [];
        const changes = Array.from({ length: 10 }, (_, i) =>
          a.store
            .changeProject(pid, lead, (state) => {
              decided.push(state.seq);
              if (i === 3) throw new DomainError('conflict', 'Refusé par la décision.');
              return { events: [{ type: 'code_created', code: code(i) }], result: i };
            })
            .then(
              () => 'committed',
              (error: { code?: string }) => error.code,
            ),
        );
        for (let waited = 0; waited < 5000 && decided.length < 10; waited += 20) await sleep(20);
        // One batch: each decision saw the events of the ones before it (the refused one adds none).
        expect(decided).toEqual([0, 1, 2, 3, 3, 4, 5, 6, 7, 8].map((n) => before + n));

        // A fast shutdown may end the lock's holder first, and let the stalled batch commit before
        // its own connection is ended: the batch's connection is ended here, while it still waits.
        const killer = new pg.Client({ connectionString: url });
        await killer.connect();
        await killer.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()",
        );
        await killer.end();
        await postgresql.down();
        expect(await Promise.all(changes)).toEqual(changes.map(() => 'storage_unavailable'));
        // Nothing of the failed batch is shown after the refusal, even while the database is down.
        const whileDown = await a.store.readProject(pid).then(
          (state) => Object.values(state?.codes ?? {}).filter((c) => c.name.startsWith('Perdu')).length,
          (error: { code?: string }) => error.code,
        );
        expect([0, 'storage_unavailable']).toContain(whileDown);
        expect(heard).toEqual([]);

        await postgresql.up();
        let state: Awaited<ReturnType<typeof a.store.readProject>> | undefined;
        for (let i = 0; i < 40 && !state; i++) {
          state = await a.store.readProject(pid).catch(() => undefined);
          if (!state) await sleep(250);
        }
        await direct.connect();
        const { rows } = await direct.query<{ seq: number }>('SELECT seq FROM projects WHERE id = $1', [pid]);
        expect(state?.seq).toBe(before);
        expect(rows[0]?.seq).toBe(before);
        expect(Object.values(state?.codes ?? {}).filter((c) => c.name.startsWith('Perdu'))).toEqual([]);

        // And the project takes changes again, heard once each.
        const again = await a.store.changeProject(pid, lead, () => ({
          events: [{ type: 'code_created', code: code(99) }],
          result: 'ok',
        }));
        expect(again).toBe('ok');
        expect((await a.store.readProject(pid))?.seq).toBe(before + 1);
        expect(heard.map((e) => e.seq)).toEqual([before + 1]);
        unsubscribe();
      } finally {
        await blocker.end().catch(() => undefined);
        await direct.end().catch(() => undefined);
        await a.stop();
      }
    }, 60_000);
  });
}
