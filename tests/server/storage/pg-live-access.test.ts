// @vitest-environment node
/**
 * On PostgreSQL, a live feed served by one instance ends within a second when access is withdrawn
 * through another: the account disabled, the session ended, the member removed.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Client } from '../../helpers/server.ts';
import {
  postgresAvailable,
  startPgCluster,
  startPgServer,
  type PgCluster,
  type PgTestServer,
} from '../../helpers/postgres.ts';

const ADMIN = { username: 'admin', password: 'mot-de-passe-admin' };

/** Milliseconds from now until the server ends `res` (Infinity if it is still open after `ms`). */
async function endsWithin(res: Response, ms: number): Promise<number> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const started = Date.now();
  const deadline = started + ms;
  while (Date.now() < deadline) {
    const chunk = await Promise.race([
      reader.read(),
      new Promise<'late'>((r) => setTimeout(() => r('late'), Math.max(0, deadline - Date.now()))),
    ]);
    if (chunk !== 'late' && chunk.done) return Date.now() - started;
  }
  await reader.cancel();
  return Number.POSITIVE_INFINITY;
}

if (postgresAvailable()) {
  let cluster: Promise<PgCluster> | undefined;
  afterAll(async () => {
    await (await cluster)?.stop();
  });

  describe('live feeds across instances on one PostgreSQL database', () => {
    let a: PgTestServer;
    let b: PgTestServer;
    let admin: Client;
    /** Camille, a coder, signed in; her requests may go to A or to B. */
    let camille: { id: string; onA: Client; onB: Client };
    let base: string;

    beforeEach(async () => {
      cluster ??= startPgCluster();
      const url = await (await cluster).createDatabase();
      a = await startPgServer(url);
      b = await startPgServer(url);
      admin = new Client(() => a.url);
      expect((await admin.post('/api/auth/setup', ADMIN)).status).toBe(201);
      const created = await admin.post('/api/users', { username: 'camille', password: 'secret-camille' });
      const onA = new Client(() => a.url);
      expect(
        (await onA.post('/api/auth/login', { username: 'camille', password: 'secret-camille' })).status,
      ).toBe(200);
      const onB = new Client(() => b.url);
      onB.cookie = onA.cookie;
      camille = { id: created.body.user.id as string, onA, onB };
      base = `/api/projects/${(await admin.post('/api/projects', { name: 'Parcours de soins' })).body.id}`;
      expect((await admin.put(`${base}/members/${camille.id}`, { role: 'coder' })).status).toBe(200);
    });

    afterEach(async () => {
      await Promise.all([a.stop(), b.stop()]);
    });

    const feedOnB = async () => {
      const res = await fetch(`${b.url}${base}/events`, {
        headers: { accept: 'text/event-stream', cookie: camille.onB.cookie },
      });
      expect(res.status).toBe(200);
      return res;
    };

    it('ends the feed on B when the account is disabled through A', async () => {
      const feed = await feedOnB();
      expect((await admin.patch(`/api/users/${camille.id}`, { disabled: true })).status).toBe(200);
      expect(await endsWithin(feed, 2000)).toBeLessThan(1000);
    });

    it('ends the feed on B when the session signs out through A', async () => {
      const feed = await feedOnB();
      expect((await camille.onA.post('/api/auth/logout')).status).toBe(204);
      expect(await endsWithin(feed, 2000)).toBeLessThan(1000);
    });

    it('ends the feed on B when the member is removed through A', async () => {
      const feed = await feedOnB();
      expect((await admin.delete(`${base}/members/${camille.id}`)).status).toBe(204);
      expect(await endsWithin(feed, 2000)).toBeLessThan(1000);
    });
  });
}
