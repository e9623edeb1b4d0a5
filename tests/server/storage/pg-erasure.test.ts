// @vitest-environment node
/**
 * Erasure on PostgreSQL: one transaction deletes or rewrites the rows, nothing of the participant
 * is left in any table, and another instance that held the project in memory drops it too.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProjectId, UserId } from '../../../shared/ids.ts';
import { findInBytes } from '../../helpers/find-bytes.ts';
import { newCode } from '../../helpers/code.ts';
import { projectWithInterviewee } from '../../helpers/interviewee.ts';
import { Client } from '../../helpers/server.ts';
import {
  postgresAvailable,
  startPgCluster,
  startPgServer,
  type PgCluster,
  type PgTestServer,
} from '../../helpers/postgres.ts';

const ADMIN = { username: 'admin', password: 'mot-de-passe-admin' };
const TRACES = ['Camille Martin', 'Camille', 'marionnettes', 'Brioude', 'hésite'];

/** Rows of every project table whose content holds one of the traces. */
async function rowsWith(url: string, needles: readonly string[]): Promise<string[]> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const found: string[] = [];
    for (const [table, column] of [
      ['project_events', 'body::text'],
      ['texts', 'text'],
      ['originals', "convert_from(bytes, 'UTF8')"],
      ['instance_events', 'body::text'],
    ]) {
      for (const needle of needles) {
        const { rows } = await db.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${column} ILIKE $1`, [
          `%${needle}%`,
        ]);
        if (rows[0].n > 0) found.push(`${table}: ${needle}`);
      }
    }
    // Caches are bytes (the search index: its vocabulary in UTF-8, then numbers), searched as such.
    const caches = await db.query<{ name: string; data: Buffer }>('SELECT name, data FROM caches');
    for (const row of caches.rows)
      found.push(...findInBytes('caches', row.data, needles).map((h) => `caches: ${h.needle}`));
    // Snapshots are gzipped: findInBytes searches them uncompressed too.
    const { rows } = await db.query<{ state: Buffer }>('SELECT state FROM project_snapshots');
    for (const row of rows)
      found.push(
        ...findInBytes('project_snapshots', row.state, needles).map((h) => `project_snapshots: ${h.needle}`),
      );
    return found;
  } finally {
    await db.end();
  }
}

if (postgresAvailable()) {
  let cluster: Promise<PgCluster> | undefined;
  afterAll(async () => {
    await (await cluster)?.stop();
  });

  describe('erasure on PostgreSQL', () => {
    let a: PgTestServer;
    let b: PgTestServer;
    let onA: Client;
    let onB: Client;
    let url: string;

    beforeEach(async () => {
      cluster ??= startPgCluster();
      url = await (await cluster).createDatabase();
      // A writes snapshots after 5 events: the erasure must reach them too.
      a = await startPgServer(url, { storeOptions: { snapshotEvery: 5, snapshotQuietMs: 0 } });
      b = await startPgServer(url);
      onA = new Client(() => a.url);
      onB = new Client(() => b.url);
      expect((await onA.post('/api/auth/setup', ADMIN)).status).toBe(201);
      onB.cookie = onA.cookie;
    });
    afterEach(async () => {
      await Promise.all([a.stop(), b.stop()]);
    });

    it('leaves no row holding the participant, and the other instance forgets them', async () => {
      const pid = (await onA.post('/api/projects', { name: 'Spectacle vivant' })).body.id as string;
      const base = `/api/projects/${pid}`;
      const camille = (await onA.post(`${base}/participants`, { name: 'Camille Martin', pseudonym: 'P01' }))
        .body;
      const text = 'Q : Vos ateliers ?\nCamille Martin : Les marionnettes à Brioude, ressaisies trois fois.';
      const form = new FormData();
      form.append('file', new Blob([text]), 'entretien-01.txt');
      const doc = (await onA.request('POST', `${base}/documents`, form)).body.documents[0];
      const other = (
        await onA.post(`${base}/documents`, { name: 'entretien-02.txt', text: 'R : Le tableur.' })
      ).body.documents[0];
      await onA.patch(`${base}/documents/${doc.id}`, { participantId: camille.id });
      const code = (await onA.post(`${base}/codes`, { name: 'Ressaisie' })).body;
      await onA.post(`${base}/codings`, {
        documentId: doc.id,
        codeId: code.id,
        start: 20,
        end: 40,
        memo: 'hésite',
      });
      await onA.post(`${base}/codings`, { documentId: other.id, codeId: code.id, start: 4, end: 14 });
      await onA.put(`${base}/replacements`, { replacements: [{ from: 'Brioude', to: '[ville]' }] });
      // B holds the project, and the text, in memory.
      expect((await onB.get(`${base}/documents/${doc.id}`)).body.text).toContain('Brioude');
      expect((await onB.get(`${base}/search?q=marionnettes`)).body.total).toBe(1);
      expect((await rowsWith(url, TRACES)).length).toBeGreaterThan(0);
      await expect
        .poll(async () => (await rowsWith(url, TRACES)).filter((r) => r.startsWith('project_snapshots')))
        .toContain('project_snapshots: Camille Martin');

      expect(
        (await onB.post(`${base}/participants/${camille.id}/erase`, { confirm: 'camille' })).status,
      ).toBe(422);
      const res = await onA.post(`${base}/participants/${camille.id}/erase`, { confirm: 'Camille Martin' });
      expect(res.status).toBe(200);
      expect(res.body.erasure.counts).toMatchObject({
        participants: 1,
        documents: 1,
        codings: 1,
        replacements: 1,
      });

      expect(await rowsWith(url, TRACES)).toEqual([]);
      await expect.poll(async () => (await onB.get(`${base}/documents/${doc.id}`)).status).toBe(404);
      const onBParticipants = (await onB.get(`${base}/participants`)).body.participants;
      expect(onBParticipants).toEqual([]);
      expect((await onB.get(`${base}/search?q=marionnettes`)).body.total).toBe(0);
      const { events } = (await onB.get(`${base}/events?limit=1000`)).body;
      expect(events.at(-1)).toMatchObject({ type: 'erasure' });
      expect(events.filter((e: { redacted?: boolean }) => e.redacted).length).toBeGreaterThan(2);
      expect(JSON.stringify(events)).not.toMatch(/Camille|Brioude|marionnettes/);
      // The others' data stays.
      expect((await onB.get(`${base}/codings?documentId=${other.id}`)).body.codings).toHaveLength(1);
    });

    it('drops what was erased on an instance that missed its notification, at its next change', async () => {
      const { pid, base, camille, doc } = await projectWithInterviewee(onA);
      // B holds the project and the text in memory, then hears nothing more (a notification lost
      // with its connection): its next change reads the erasure in its own transaction.
      expect((await onB.get(`${base}/documents/${doc.id}`)).body.text).toContain('Brioude');
      expect((await onB.get(`${base}/search?q=marionnettes`)).body.total).toBe(1);
      (b.store as unknown as { listener: { stop(): void } }).listener.stop();
      const res = await onA.post(`${base}/participants/${camille.id}/erase`, { confirm: 'Camille Martin' });
      expect(res.status).toBe(200);
      const lead = (await onA.get('/api/auth/me')).body.user.id as UserId;
      const code = newCode('Ressaisie', lead);
      // Straight to the store: a request would read the project first, and that read would see it.
      await b.store.changeProject(pid as ProjectId, lead, () => ({
        events: [{ type: 'code_created', code }],
        result: null,
      }));

      expect((await onB.get(`${base}/documents/${doc.id}`)).status).toBe(404);
      expect((await onB.get(`${base}/participants`)).body.participants).toEqual([]);
      expect((await onB.get(`${base}/search?q=marionnettes`)).body.total).toBe(0);
      const { events } = (await onB.get(`${base}/events?limit=1000`)).body;
      expect(JSON.stringify(events)).not.toMatch(/Camille|Brioude|marionnettes/);
      expect(events.at(-2)).toMatchObject({ type: 'erasure' });
      expect(events.at(-1)).toMatchObject({ type: 'code_created' });
      // B's own change is there, once, after the erasure.
      const codes = (await onB.get(`${base}/codes`)).body.codes as { name: string }[];
      expect(codes.map((c) => c.name)).toEqual(['Ressaisie']);
    });

    it('erases the rows of a deleted project', async () => {
      const pid = (await onA.post('/api/projects', { name: 'À supprimer' })).body.id as string;
      await onA.post(`/api/projects/${pid}/documents`, { name: 'e.txt', text: 'Camille Martin : Brioude.' });
      expect((await onA.delete(`/api/projects/${pid}`)).status).toBe(204);
      expect(await rowsWith(url, TRACES)).toEqual([]);
    });
  });
}
