// @vitest-environment node
/**
 * Presence across instances on one PostgreSQL database: a coder's live feed on instance A shows
 * who has a document open on instance B, sees them leave when B's feed closes, and forgets the
 * users of an instance killed without a goodbye within the expiry (server/live/presence.ts).
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ANNOUNCE_MS, EXPIRE_MS } from '../../../server/live/presence.ts';
import { Client } from '../../helpers/server.ts';
import { startServerProcess } from '../../helpers/server-process.ts';
import { postgresAvailable, startPgCluster, startPgServer, type PgCluster } from '../../helpers/postgres.ts';

const ADMIN = { username: 'admin', password: 'mot-de-passe-admin' };

interface Shown {
  userId: string;
  documentId: string | null;
  username: string;
  displayName: string;
}

/** A live feed's `presence` messages, read as they come. */
class PresenceReader {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  private buffer = '';

  constructor(res: Response) {
    expect(res.status).toBe(200);
    this.reader = (res.body as ReadableStream<Uint8Array>).getReader();
  }

  /** The first presence list `accept`s, and how long it took; undefined if none came within `ms`. */
  async until(
    accept: (list: Shown[]) => boolean,
    ms: number,
  ): Promise<{ list: Shown[]; after: number } | undefined> {
    const started = Date.now();
    const deadline = started + ms;
    while (Date.now() < deadline) {
      let end: number;
      while ((end = this.buffer.indexOf('\n\n')) >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        if (!block.split('\n').includes('event: presence')) continue;
        const data = block.split('\n').find((line) => line.startsWith('data:')) ?? 'data: []';
        const list = JSON.parse(data.slice(5)) as Shown[];
        if (accept(list)) return { list, after: Date.now() - started };
      }
      const chunk = await Promise.race([
        this.reader.read(),
        new Promise<'late'>((r) => setTimeout(() => r('late'), Math.max(0, deadline - Date.now()))),
      ]);
      if (chunk === 'late' || chunk.done) break;
      this.buffer += this.decoder.decode(chunk.value, { stream: true });
    }
    return undefined;
  }

  close(): Promise<void> {
    return this.reader.cancel();
  }
}

/** On `base` (A's URL), a project with a document and two coders signed in: Camille and Yanis. */
async function team(base: string) {
  const admin = new Client(() => base);
  expect((await admin.post('/api/auth/login', ADMIN)).status).toBe(200);
  const project = (await admin.post('/api/projects', { name: 'Parcours de soins' })).body.id as string;
  const path = `/api/projects/${project}`;
  const added = await admin.post(`${path}/documents`, { name: 'entretien-01.txt', text: 'Bonjour.' });
  const documentId = added.body.documents[0].id as string;
  const coder = async (username: string, displayName: string) => {
    const created = await admin.post('/api/users', { username, displayName, password: `secret-${username}` });
    expect(created.status).toBe(201);
    const id = created.body.user.id as string;
    expect((await admin.put(`${path}/members/${id}`, { role: 'coder' })).status).toBe(200);
    const client = new Client(() => base);
    expect((await client.post('/api/auth/login', { username, password: `secret-${username}` })).status).toBe(
      200,
    );
    return { id, cookie: client.cookie };
  };
  const camille = await coder('camille', 'Camille Martin');
  const yanis = await coder('yanis', 'Yanis Benali');
  const feed = async (url: string, who: { cookie: string }, doc: string | null) =>
    new PresenceReader(
      await fetch(`${url}${path}/events/live${doc ? `?documentId=${doc}` : ''}`, {
        headers: { cookie: who.cookie },
      }),
    );
  return { admin, documentId, camille, yanis, feed, project };
}

if (postgresAvailable()) {
  let cluster: Promise<PgCluster> | undefined;
  afterAll(async () => {
    await (await cluster)?.stop();
  });

  describe('presence across instances on one PostgreSQL database', () => {
    it('shows on A a coder who opened a document on B, with their name, and their leave', async () => {
      cluster ??= startPgCluster();
      const url = await (await cluster).createDatabase();
      const a = await startPgServer(url);
      const b = await startPgServer(url);
      try {
        expect((await new Client(() => a.url).post('/api/auth/setup', ADMIN)).status).toBe(201);
        const { documentId, camille, yanis, feed } = await team(a.url);
        const onA = await feed(a.url, yanis, null);
        expect(
          await onA.until((list) => list.length === 1 && list[0]?.userId === yanis.id, 2000),
        ).toBeDefined();

        const onB = await feed(b.url, camille, documentId);
        const joined = await onA.until((list) => list.some((p) => p.userId === camille.id), 2000);
        expect(joined?.list).toEqual(
          expect.arrayContaining([
            { userId: camille.id, documentId, username: 'camille', displayName: 'Camille Martin' },
            expect.objectContaining({ userId: yanis.id, documentId: null }),
          ]),
        );
        // And B shows Yanis, who is on A.
        expect(await onB.until((list) => list.some((p) => p.userId === yanis.id), 2000)).toBeDefined();

        await onB.close();
        const left = await onA.until((list) => !list.some((p) => p.userId === camille.id), 2000);
        expect(left?.list.map((p) => p.userId)).toEqual([yanis.id]);
        // Said at once, not found out by the expiry.
        expect(left?.after).toBeLessThan(ANNOUNCE_MS);
        await onA.close();
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
    });

    it('asks for everything again when its LISTEN connection is replaced, and sends ids only', async () => {
      cluster ??= startPgCluster();
      const url = await (await cluster).createDatabase();
      const a = await startPgServer(url);
      const b = await startPgServer(url);
      const direct = new pg.Client({ connectionString: url });
      try {
        expect((await new Client(() => a.url).post('/api/auth/setup', ADMIN)).status).toBe(201);
        const { documentId, camille, yanis, feed } = await team(a.url);
        await direct.connect();
        const heard: string[] = [];
        direct.on('notification', (m) => heard.push(m.payload ?? ''));
        await direct.query('LISTEN verbatim_presence');
        const onA = await feed(a.url, yanis, null);
        const onB = await feed(b.url, camille, documentId);
        expect(await onA.until((list) => list.some((p) => p.userId === camille.id), 2000)).toBeDefined();

        // Both instances' LISTEN connections cut: Camille's leave meanwhile is not heard by A.
        await direct.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE application_name = 'verbatim-listen' AND datname = current_database()`,
        );
        await onB.close();
        const forgotten = await onA.until((list) => !list.some((p) => p.userId === camille.id), EXPIRE_MS);
        expect(forgotten?.list.map((p) => p.userId)).toEqual([yanis.id]);
        // Each new connection asked the others to announce again (the watchdog reopens it within a second or so).
        const deadline = Date.now() + 5000;
        while (heard.filter((m) => m.includes('"ask"')).length < 2 && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 50));
        }
        expect(heard.filter((m) => m.includes('"ask"'))).toHaveLength(2);
        // And nothing but ids went through the database: no username, no display name.
        expect(heard.length).toBeGreaterThan(2);
        for (const message of heard) expect(message).not.toMatch(/camille|martin|yanis|benali/i);
        await onA.close();
      } finally {
        await direct.end();
        await Promise.all([a.stop(), b.stop()]);
      }
    });

    it('shows only members of the project, whatever another instance announces', async () => {
      cluster ??= startPgCluster();
      const url = await (await cluster).createDatabase();
      const a = await startPgServer(url);
      const direct = new pg.Client({ connectionString: url });
      try {
        expect((await new Client(() => a.url).post('/api/auth/setup', ADMIN)).status).toBe(201);
        const { admin, documentId, camille, yanis, feed, project } = await team(a.url);
        const outsider = await admin.post('/api/users', { username: 'dehors', password: 'secret-dehors' });
        expect(outsider.status).toBe(201);
        const onA = await feed(a.url, yanis, null);
        expect(await onA.until((list) => list.some((p) => p.userId === yanis.id), 2000)).toBeDefined();

        // An instance (here, the test itself) announces Camille, a member, and someone who is not.
        await direct.connect();
        const entries = [
          [camille.id, documentId],
          [outsider.body.user.id as string, documentId],
        ];
        await direct.query('SELECT pg_notify($1, $2)', [
          'verbatim_presence',
          JSON.stringify({ i: 'a'.repeat(32), p: project, k: 0, n: 1, e: entries }),
        ]);
        const shown = await onA.until((list) => list.some((p) => p.userId === camille.id), 2000);
        expect(shown?.list.map((p) => p.userId).sort()).toEqual([camille.id, yanis.id].sort());
        await onA.close();
      } finally {
        await direct.end();
        await a.stop();
      }
    });

    it('forgets at once on A the users of an instance stopped with SIGTERM (its goodbye)', async () => {
      cluster ??= startPgCluster();
      const url = await (await cluster).createDatabase();
      const a = await startPgServer(url);
      const b = await startServerProcess({
        VERBATIM_STORE: url,
        VERBATIM_ADMIN_USER: ADMIN.username,
        VERBATIM_ADMIN_PASSWORD: ADMIN.password,
      });
      try {
        const urlB = await b.url;
        const { documentId, camille, yanis, feed } = await team(a.url);
        const onA = await feed(a.url, yanis, null);
        await feed(urlB, camille, documentId);
        expect(await onA.until((list) => list.some((p) => p.userId === camille.id), 3000)).toBeDefined();

        const stopped = b.stop();
        const forgotten = await onA.until((list) => !list.some((p) => p.userId === camille.id), EXPIRE_MS);
        await stopped;
        expect(forgotten?.after).toBeLessThan(ANNOUNCE_MS);
        await onA.close();
      } finally {
        await b.kill();
        await a.stop();
      }
    }, 60_000);

    it('forgets on A the users of an instance killed without a goodbye, within the expiry', async () => {
      cluster ??= startPgCluster();
      const url = await (await cluster).createDatabase();
      const a = await startPgServer(url);
      const b = await startServerProcess({
        VERBATIM_STORE: url,
        VERBATIM_ADMIN_USER: ADMIN.username,
        VERBATIM_ADMIN_PASSWORD: ADMIN.password,
      });
      try {
        const urlB = await b.url;
        const { documentId, camille, yanis, feed } = await team(a.url);
        const onA = await feed(a.url, yanis, null);
        await feed(urlB, camille, documentId);
        expect(await onA.until((list) => list.some((p) => p.userId === camille.id), 3000)).toBeDefined();

        await b.kill();
        const forgotten = await onA.until(
          (list) => !list.some((p) => p.userId === camille.id),
          EXPIRE_MS + ANNOUNCE_MS + 3000,
        );
        expect(forgotten?.list.map((p) => p.userId)).toEqual([yanis.id]);
        expect(forgotten?.after).toBeLessThanOrEqual(EXPIRE_MS + ANNOUNCE_MS + 500);
        await onA.close();
      } finally {
        await b.kill();
        await a.stop();
      }
    }, 60_000);
  });
}
