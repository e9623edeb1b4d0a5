// @vitest-environment node
/**
 * Two instances of Verbatim on one PostgreSQL database serve the same projects as one would:
 * changes made through one are read, heard live and checked for staleness through the other, and
 * a session opened on one is valid on the other.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import pg from 'pg';
import type { ProjectEvent } from '../../../shared/events.ts';
import { newId, type CodeId, type CodingId, type ProjectId, type UserId } from '../../../shared/ids.ts';
import { Client } from '../../helpers/server.ts';
import {
  postgresAvailable,
  startPgCluster,
  startPgServer,
  type PgCluster,
  type PgTestServer,
} from '../../helpers/postgres.ts';

const ADMIN = { username: 'admin', password: 'mot-de-passe-admin' };

/** Read server-sent `change` events until `count` have come or `ms` have passed. */
async function readChanges(
  res: Response,
  count: number,
  ms: number,
): Promise<{ id: string; data: unknown }[]> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const changes: { id: string; data: unknown }[] = [];
  let buffer = '';
  const deadline = Date.now() + ms;
  while (changes.length < count && Date.now() < deadline) {
    const chunk = await Promise.race([
      reader.read(),
      new Promise<{ done: true; value: undefined }>((r) =>
        setTimeout(() => r({ done: true, value: undefined }), Math.max(0, deadline - Date.now())),
      ),
    ]);
    if (chunk.done) break;
    buffer += decoder.decode(chunk.value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const fields = Object.fromEntries(
        buffer
          .slice(0, end)
          .split('\n')
          .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trimStart()]),
      );
      buffer = buffer.slice(end + 2);
      if (fields.event === 'change')
        changes.push({ id: fields.id ?? '', data: JSON.parse(fields.data ?? '{}') });
    }
  }
  await reader.cancel();
  return changes;
}

if (postgresAvailable()) {
  let cluster: Promise<PgCluster> | undefined;
  afterAll(async () => {
    await (await cluster)?.stop();
  });

  describe('several instances on one PostgreSQL database', () => {
    let a: PgTestServer;
    let b: PgTestServer;
    /** One browser, whose requests the load balancer sends to A or to B. */
    let onA: Client;
    let onB: Client;
    let url: string;

    beforeEach(async () => {
      cluster ??= startPgCluster();
      url = await (await cluster).createDatabase();
      a = await startPgServer(url);
      b = await startPgServer(url);
      onA = new Client(() => a.url);
      onB = new Client(() => b.url);
      expect((await onA.post('/api/auth/setup', ADMIN)).status).toBe(201);
      onB.cookie = onA.cookie;
    });

    afterEach(async () => {
      await Promise.all([a.stop(), b.stop()]);
    });

    async function projectWithCode() {
      const project = await onA.post('/api/projects', { name: 'Parcours de soins en Bretagne' });
      const pid = project.body.id as string;
      const base = `/api/projects/${pid}`;
      const doc = await onA.post(`${base}/documents`, {
        name: 'entretien-01.txt',
        text: 'Enquêtrice : vous ressaisissez ?\nMme L. : Oui, tout, deux fois.',
      });
      const documentId = doc.body.documents[0].id as string;
      const code = await onA.post(`${base}/codes`, { name: 'Ressaisie' });
      return { pid, base, documentId, code: code.body };
    }

    it('accepts on B the session opened on A, and ends it everywhere at sign-out', async () => {
      expect((await onB.get('/api/auth/me')).status).toBe(200);
      const cookie = onA.cookie;
      expect((await onB.post('/api/auth/logout')).status).toBeLessThan(300);
      onA.cookie = cookie;
      expect((await onA.get('/api/auth/me')).status).toBe(401);
    });

    it('shows through B a coding made through A, at once, and sends it live to a browser on B within a second', async () => {
      const { base, documentId, code } = await projectWithCode();
      const seq = (await onB.get(base)).body.seq as number;
      const stream = await fetch(`${b.url}${base}/events?after=${seq}`, {
        headers: { accept: 'text/event-stream', cookie: onB.cookie },
      });
      expect(stream.status).toBe(200);
      const heard = readChanges(stream, 1, 3000);
      const started = Date.now();
      const coding = await onA.post(`${base}/codings`, { documentId, codeId: code.id, start: 14, end: 31 });
      expect(coding.status).toBe(201);
      // Heard before anything is read on B: B learnt it from PostgreSQL's notification.
      const [change] = await heard;
      expect(Date.now() - started).toBeLessThan(1000);
      const listed = await onB.get(`${base}/codings?documentId=${documentId}`);
      expect(listed.body.codings.map((c: { id: string }) => c.id)).toContain(coding.body.id);
      expect(change?.id).toBe(String(seq + 1));
      expect(change?.data).toMatchObject({
        type: 'coding_created',
        coding: { id: coding.body.id, start: 14 },
      });
    });

    it('refuses with 409 a stale save of a code through B after a save through A, overwriting nothing', async () => {
      const { pid, base, code } = await projectWithCode();
      const seen = (await onB.get(`${base}/codes`)).body;
      expect(JSON.stringify(seen)).toContain(code.id);
      const first = await onA.patch(`${base}/codes/${code.id}`, {
        name: 'Double saisie',
        version: code.version,
      });
      expect(first.status).toBe(200);
      const stale = await onB.patch(`${base}/codes/${code.id}`, {
        name: 'Ressaisie manuelle',
        version: code.version,
      });
      expect(stale.status).toBe(409);
      expect(stale.body.error.code).toBe('conflict');
      const onBoth = await Promise.all([a.store, b.store].map((s) => s.readProject(pid as ProjectId)));
      for (const state of onBoth) expect(state?.codes[code.id]?.name).toBe('Double saisie');
    });

    it('gives concurrent changes through both instances distinct seqs, and loses none', async () => {
      const { base, documentId, code } = await projectWithCode();
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          (i % 2 ? onA : onB).post(`${base}/codings`, { documentId, codeId: code.id, start: i, end: i + 3 }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(results.map(() => 201));
      const ids = results.map((r) => r.body.id as string).sort();
      for (const client of [onA, onB]) {
        const listed = (await client.get(`${base}/codings?documentId=${documentId}`)).body.codings;
        expect(listed.map((c: { id: string }) => c.id).sort()).toEqual(ids);
      }
      const events = (await onB.get(`${base}/events?after=0&limit=1000`)).body.events as { seq: number }[];
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    });

    it('batches concurrent changes to one project yet keeps the duplicate check: one of 50 identical codings succeeds', async () => {
      const { base, documentId, code } = await projectWithCode();
      const same = { documentId, codeId: code.id, start: 14, end: 31 };
      const onOne = await Promise.all(Array.from({ length: 50 }, () => onA.post(`${base}/codings`, same)));
      expect(onOne.filter((r) => r.status === 201)).toHaveLength(1);
      const refused = onOne.filter((r) => r.status !== 201);
      expect(refused.map((r) => r.status)).toEqual(refused.map(() => 409));
      expect(refused.map((r) => r.body.error.code)).toEqual(refused.map(() => 'conflict'));

      const other = { documentId, codeId: code.id, start: 2, end: 9 };
      const onTwo = await Promise.all(
        Array.from({ length: 50 }, (_, i) => (i % 2 ? onA : onB).post(`${base}/codings`, other)),
      );
      expect(onTwo.filter((r) => r.status === 201)).toHaveLength(1);
      expect(onTwo.filter((r) => r.status === 409)).toHaveLength(49);
      for (const client of [onA, onB]) {
        const listed = (await client.get(`${base}/codings?documentId=${documentId}`)).body.codings;
        expect(listed).toHaveLength(2);
      }
    });

    it('converges when coders on both instances code at once: each coding once, seqs and txns in order, the same state everywhere', async () => {
      const { pid, base, documentId, code } = await projectWithCode();
      const projectId = pid as ProjectId;
      // Six coders, three signed in on each instance, all coding the same passages at once; two of
      // them send one passage twice (the second must be refused as that coder's duplicate).
      const coders: { client: Client; id: string }[] = [];
      for (let i = 0; i < 6; i++) {
        const username = `codeuse-${i}`;
        const created = await onA.post('/api/users', { username, password: `secret-${username}` });
        await onA.put(`${base}/members/${created.body.user.id}`, { role: 'coder' });
        const client = new Client(() => (i % 2 ? b : a).url);
        expect(
          (await client.post('/api/auth/login', { username, password: `secret-${username}` })).status,
        ).toBe(200);
        coders.push({ client, id: created.body.user.id as string });
      }
      const before = (await a.store.readProject(projectId))?.seq ?? 0;
      // The answers of the appends (pg-append.ts): some must have followed the other instance's codings.
      const appends: Promise<{ rows: { newer: unknown[] | null }[] }>[] = [];
      const original = pg.Pool.prototype.query as (...args: unknown[]) => Promise<never>;
      const spy = vi.spyOn(pg.Pool.prototype, 'query').mockImplementation(function (
        this: pg.Pool,
        ...args: unknown[]
      ) {
        const answer = original.apply(this, args);
        if ((args[0] as { name?: string } | undefined)?.name === 'append-batch') appends.push(answer);
        return answer;
      });
      const results = await Promise.all(
        coders.flatMap(({ client }, i) =>
          Array.from({ length: 15 }, (_, j) =>
            client.post(`${base}/codings`, {
              documentId,
              codeId: code.id,
              // Coders 0 and 1 send their first passage again as their last.
              start: i < 2 && j === 14 ? 0 : j * 2,
              end: i < 2 && j === 14 ? 3 : j * 2 + 3,
            }),
          ),
        ),
      );
      spy.mockRestore();
      const answered = await Promise.all(appends);
      expect(answered.filter(({ rows }) => (rows[0]?.newer?.length ?? 0) > 0).length).toBeGreaterThan(0);
      const created = results.filter((r) => r.status === 201);
      const refused = results.filter((r) => r.status !== 201);
      expect(refused.map((r) => r.status)).toEqual([409, 409]);
      expect(created).toHaveLength(88);
      const events = (await onB.get(`${base}/events?after=${before}&limit=1000`)).body
        .events as ProjectEvent[];
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => before + 1 + i));
      for (const e of events) expect(e.txn).toBe(e.seq);
      const ids = events.map((e) => (e.type === 'coding_created' ? e.coding.id : ''));
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.sort()).toEqual(created.map((r) => r.body.id as string).sort());
      // No coder holds the same passage twice.
      const passages = events.map((e) =>
        e.type === 'coding_created' ? `${e.coding.coderId} ${e.coding.start} ${e.coding.end}` : '',
      );
      expect(new Set(passages).size).toBe(passages.length);
      // Both instances, and a third opened afterwards from the database alone, hold the same state.
      const c = await startPgServer(url);
      try {
        const states = await Promise.all([a, b, c].map((server) => server.store.readProject(projectId)));
        const seen = states.map((state) => ({
          seq: state?.seq,
          codings: state?.codings,
          history: state?.history,
        }));
        expect(seen[0]?.seq).toBe(before + events.length);
        expect(seen[1]).toEqual(seen[0]);
        expect(seen[2]).toEqual(seen[0]);
      } finally {
        await c.stop();
      }
    });

    it('commits concurrent distinct changes in shared transactions, each with its own seqs and txn, heard once each', async () => {
      const { pid, base, documentId, code } = await projectWithCode();
      const projectId = pid as ProjectId;
      const before = (await a.store.readProject(projectId))?.seq ?? 0;
      const heard: { seq: number; txn: number }[][] = [];
      const unsubscribe = a.store.subscribe(projectId, (events) =>
        heard.push(events.map((e) => ({ seq: e.seq, txn: e.txn }))),
      );
      const lead = (await onA.get('/api/auth/me')).body.user.id as UserId;
      // 60 codings through the routes and 10 two-event changes straight through the store, all at once.
      const codings = Array.from({ length: 60 }, (_, i) =>
        onA.post(`${base}/codings`, { documentId, codeId: code.id, start: i, end: i + 3 }),
      );
      const pairs = Array.from({ length: 10 }, (_, i) =>
        a.store.changeProject(projectId, lead, (state) => ({
          events: (['a', 'b'] as const).map((suffix) => ({
            type: 'code_created' as const,
            code: { ...code, id: newId<CodeId>(), name: `Paire ${i} ${suffix}`, version: 1 },
          })),
          result: state.seq,
        })),
      );
      const results = await Promise.all(codings);
      await Promise.all(pairs);
      unsubscribe();
      expect(results.map((r) => r.status)).toEqual(results.map(() => 201));

      const events = (await onB.get(`${base}/events?after=${before}&limit=1000`)).body
        .events as ProjectEvent[];
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => before + 1 + i));
      expect(events).toHaveLength(80);
      const byTxn = new Map<number, ProjectEvent[]>();
      for (const e of events) byTxn.set(e.txn, [...(byTxn.get(e.txn) ?? []), e]);
      // Each change keeps its own txn, the seq of its first event.
      expect(byTxn.size).toBe(70);
      for (const [txn, group] of byTxn) {
        expect(group[0]?.seq).toBe(txn);
        const first = group[0] as ProjectEvent;
        if (first.type === 'coding_created') expect(group).toHaveLength(1);
        else expect(group.map((e) => e.type)).toEqual(['code_created', 'code_created']);
      }
      const ids = new Set(events.flatMap((e) => (e.type === 'coding_created' ? [e.coding.id] : [])));
      expect(results.every((r) => ids.has(r.body.id as CodingId))).toBe(true);
      // Listeners heard every change once, one group per txn, in order.
      expect(heard.flat().map((e) => e.seq)).toEqual(events.map((e) => e.seq));
      expect(heard.map((group) => group[0]?.txn)).toEqual([...byTxn.keys()]);
      // And the changes did share transactions (rows inserted together share their xmin).
      const direct = new pg.Client({ connectionString: url });
      await direct.connect();
      try {
        const { rows } = await direct.query<{ n: number }>(
          'SELECT count(DISTINCT xmin::text)::integer AS n FROM project_events WHERE project_id = $1 AND seq > $2',
          [pid, before],
        );
        expect(rows[0]?.n).toBeLessThan(70);
      } finally {
        await direct.end();
      }
    });

    it('lists on B a project created through A, and forgets it on B once deleted through A', async () => {
      const project = await onA.post('/api/projects', { name: 'Télétravail et santé' });
      const names = (await onB.get('/api/projects')).body;
      expect(JSON.stringify(names)).toContain('Télétravail et santé');
      expect((await onA.delete(`/api/projects/${project.body.id as string}`)).status).toBeLessThan(300);
      expect((await onB.get(`/api/projects/${project.body.id as string}`)).status).toBe(404);
    });

    it('shows on B every change acknowledged by A before the request, while B shares its reads between requests', async () => {
      const { base, documentId, code } = await projectWithCode();
      // Requests on B all along, so that reads of the database are shared between requests.
      let busy = true;
      const background = Promise.all(
        Array.from({ length: 4 }, async () => {
          while (busy) await onB.get(`${base}/codings?documentId=${documentId}`);
        }),
      );
      try {
        for (let i = 0; i < 60; i++) {
          const coding = await onA.post(`${base}/codings`, {
            documentId,
            codeId: code.id,
            start: i % 30,
            end: (i % 30) + 5 + Math.floor(i / 30),
          });
          expect(coding.status).toBe(201);
          // The next request on B, after A's answer, shows it: in the codings and in the view.
          const listed = await onB.get(`${base}/codings?documentId=${documentId}`);
          expect(listed.body.codings.map((c: { id: string }) => c.id)).toContain(coding.body.id);
          const view = await onB.get(`${base}/documents/${documentId}/view`);
          expect(view.body.codings.map((c: { id: string }) => c.id)).toContain(coding.body.id);
        }
        // And a member removed on A can no longer write on B.
        const { id: coderId, client: coder } = await (async () => {
          const created = await onA.post('/api/users', { username: 'camille', password: 'secret-camille' });
          const client = new Client(() => b.url);
          expect(
            (await client.post('/api/auth/login', { username: 'camille', password: 'secret-camille' }))
              .status,
          ).toBe(200);
          return { id: created.body.user.id as string, client };
        })();
        expect((await onA.put(`${base}/members/${coderId}`, { role: 'coder' })).status).toBeLessThan(300);
        expect((await coder.post(`${base}/codes`, { name: 'Coûts' })).status).toBe(201);
        expect((await onA.delete(`${base}/members/${coderId}`)).status).toBeLessThan(300);
        expect((await coder.post(`${base}/codes`, { name: 'Empreinte environnementale' })).status).toBe(404);
      } finally {
        busy = false;
        await background;
      }
    });
  });
}
