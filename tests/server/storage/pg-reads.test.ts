// @vitest-environment node
/**
 * Catch-up reads asked together go to PostgreSQL together (server/storage/pg-reads.ts): a request
 * on a project reads the accounts and the project in one round trip, and a coding made through the
 * API takes three in all (that read, then the batch's two).
 */
import pg from 'pg';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { newId, type ProjectId, type UserId } from '../../../shared/ids.ts';
import { createPool } from '../../../server/storage/pg-db.ts';
import { readInstanceEvents, readProjectLog } from '../../../server/storage/pg-events.ts';
import { CatchUpReads } from '../../../server/storage/pg-reads.ts';
import { openPgStore } from '../../../server/storage/pg-store.ts';
import { newCode } from '../../helpers/code.ts';
import { Client } from '../../helpers/server.ts';
import { postgresAvailable, startPgCluster, startPgServer, type PgCluster } from '../../helpers/postgres.ts';

const ADMIN = { username: 'admin', password: 'mot-de-passe-admin' };

/** Every query sent while `work` runs, heartbeats left out (one query, one round trip). */
async function queriesOf(work: () => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  const query = vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (
    this: pg.Client,
    ...args: unknown[]
  ) {
    const first = args[0] as string | { text?: string };
    const text = typeof first === 'string' ? first : String(first.text);
    if (text !== 'SELECT pg_notify($1, $2)') sent.push(text);
    return original.apply(this, args) as never;
  });
  try {
    await work();
  } finally {
    query.mockRestore();
  }
  return sent;
}

if (postgresAvailable()) {
  let cluster: Promise<PgCluster> | undefined;
  afterAll(async () => {
    await (await cluster)?.stop();
  });

  describe('catch-up reads sent together', () => {
    it('answers each read as a read of its own would, in one query', async () => {
      cluster ??= startPgCluster();
      const url = await (await cluster).createDatabase();
      const store = await openPgStore(url);
      const db = createPool(url, 2);
      try {
        const lead = newId<UserId>();
        const ids = [newId<ProjectId>(), newId<ProjectId>()];
        for (const id of ids) {
          const project = {
            id,
            name: `Projet ${id}`,
            description: '',
            createdAt: '2024-03-01T09:00:00.000Z',
            createdBy: lead,
          };
          await store.createProject(project, { [lead]: 'lead' }, lead);
        }
        const code = newCode("L'accessibilité « d'abord »", lead);
        await store.changeProject(ids[0] as ProjectId, lead, () => ({
          events: [{ type: 'code_created', code }],
          result: null,
        }));
        await store.deleteProject(ids[1] as ProjectId);

        const reads = new CatchUpReads(db);
        const missing = newId<ProjectId>();
        const sent = await queriesOf(() =>
          Promise.all([
            reads.instance(0),
            reads.project(ids[0] as ProjectId, 1),
            reads.project(ids[1] as ProjectId, 0),
            reads.project(missing, 0),
          ]).then(async ([instance, first, deleted, never]) => {
            expect(instance).toEqual(await readInstanceEvents(db, 0));
            expect(first).toEqual(await readProjectLog(db, ids[0] as ProjectId, 1));
            expect(first.events.map((e) => e.type)).toEqual(['code_created']);
            expect(deleted).toEqual({ gone: true, erased: false, events: [] });
            expect(never).toEqual({ gone: true, erased: false, events: [] });
          }),
        );
        // The four reads in one query; then the two reads of the check, each alone.
        expect(sent).toHaveLength(3);
        expect(sent[0]?.split('; ')).toHaveLength(4);

        // A read asked alone is sent alone, with its parameters.
        const alone = await queriesOf(() => reads.instance(0));
        expect(alone).toEqual(['SELECT body FROM instance_events WHERE seq > $1 ORDER BY seq']);

        // A failed query fails every read it carried.
        await db.end();
        const failed = await Promise.allSettled([reads.instance(0), reads.project(ids[0] as ProjectId, 0)]);
        expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
      } finally {
        await store.close();
        await db.end().catch(() => undefined);
      }
    });

    it('reads the session and the project of a request in one round trip: a coding takes three', async () => {
      cluster ??= startPgCluster();
      const server = await startPgServer(await (await cluster).createDatabase());
      try {
        const admin = new Client(() => server.url);
        await admin.post('/api/auth/setup', ADMIN);
        const project = await admin.post('/api/projects', { name: 'Allers-retours' });
        const base = `/api/projects/${project.body.id as string}`;
        const doc = await admin.post(`${base}/documents`, { name: 'e.txt', text: 'On ressaisit tout.' });
        const documentId = doc.body.documents[0].id as string;
        const code = await admin.post(`${base}/codes`, { name: 'Redondance de saisie' });
        // The first coding of a document reads its text once (then cached).
        await admin.post(`${base}/codings`, { documentId, codeId: code.body.id, start: 0, end: 2 });
        const sent = await queriesOf(async () => {
          const coding = await admin.post(`${base}/codings`, {
            documentId,
            codeId: code.body.id,
            start: 3,
            end: 13,
          });
          expect(coding.status).toBe(201);
        });
        expect(sent).toHaveLength(3);
        expect(sent[0]).toMatch(/^SELECT body FROM instance_events .*; SELECT p\.deleted_at/s);
        expect(sent[1]).toMatch(/^BEGIN; /);
        expect(sent[2]).toMatch(/; COMMIT$/);
        const view = await queriesOf(async () => {
          expect((await admin.get(`${base}/documents/${documentId}/view`)).status).toBe(200);
        });
        expect(view).toHaveLength(1);
      } finally {
        await server.stop();
      }
    });
  });
}
