// @vitest-environment node
/**
 * Group commit on PostgreSQL: the changes to a project that arrive together share one transaction,
 * appended in one round trip when the state they were decided on allows it. A change whose events
 * PostgreSQL cannot store (a NUL, a lone surrogate) must fail alone: the other changes of its batch
 * are committed and acknowledged.
 */
import pg from 'pg';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { findDuplicateCoding } from '../../../shared/coding-index.ts';
import { DomainError } from '../../../shared/errors.ts';
import type { ProjectEventBody } from '../../../shared/events.ts';
import {
  newId,
  type CodeId,
  type CodingId,
  type DocumentId,
  type ProjectId,
  type UserId,
} from '../../../shared/ids.ts';
import type { Code, Coding, UserRecord } from '../../../shared/model.ts';
import { openPgStore, type PgStore } from '../../../server/storage/pg-store.ts';
import { newCode } from '../../helpers/code.ts';
import { Client } from '../../helpers/server.ts';
import { postgresAvailable, startPgCluster, startPgServer, type PgCluster } from '../../helpers/postgres.ts';

const ADMIN = { username: 'admin', password: 'mot-de-passe-admin' };

if (postgresAvailable()) {
  let cluster: Promise<PgCluster> | undefined;
  afterAll(async () => {
    await (await cluster)?.stop();
  });

  /** Ten changes queued in the same tick (one batch), the fourth made by `bad`; their outcomes. */
  async function batchWithOneBadChange(bad: (code: Code) => ProjectEventBody) {
    cluster ??= startPgCluster();
    const server = await startPgServer(await (await cluster).createDatabase());
    try {
      const admin = new Client(() => server.url);
      await admin.post('/api/auth/setup', ADMIN);
      const pid = (await admin.post('/api/projects', { name: 'Lot' })).body.id as ProjectId;
      const lead = (await admin.get('/api/auth/me')).body.user.id as UserId;
      const before = (await server.store.readProject(pid))?.seq ?? 0;
      const code = (i: number): Code => newCode(`Thème ${i}`, lead);
      const decided: number[] = [];
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          server.store
            .changeProject(pid, lead, (state) => {
              decided.push(state.seq);
              const events = [i === 3 ? bad(code(i)) : { type: 'code_created' as const, code: code(i) }];
              return { events, result: 'committed' };
            })
            .catch((error: { code?: string }) => error.code ?? 'refused'),
        ),
      );
      const state = await server.store.readProject(pid);
      const names = Object.values(state?.codes ?? {})
        .map((c) => c.name)
        .sort();
      return { before, decided, outcomes, names, seq: state?.seq };
    } finally {
      await server.stop();
    }
  }

  describe('PostgreSQL group commit with one bad change', () => {
    it('refuses a change holding a NUL with invalid_input, and commits the nine others', async () => {
      const result = await batchWithOneBadChange((code) => ({
        type: 'code_created',
        code: { ...code, description: 'avant\u0000après' },
      }));
      // One batch: each decision saw the ones before it, the refused one adding nothing.
      expect(result.decided).toEqual([0, 1, 2, 3, 3, 4, 5, 6, 7, 8].map((n) => result.before + n));
      expect(result.outcomes).toEqual([
        ...Array(3).fill('committed'),
        'invalid_input',
        ...Array(6).fill('committed'),
      ]);
      expect(result.names).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9].map((i) => `Thème ${i}`));
      expect(result.seq).toBe(result.before + 9);
    });

    it('refuses a lone surrogate alone too', async () => {
      const result = await batchWithOneBadChange((code) => ({
        type: 'code_created',
        code: { ...code, name: 'Thème \udc00' },
      }));
      expect(result.outcomes.filter((o) => o === 'committed')).toHaveLength(9);
      expect(result.outcomes[3]).toBe('invalid_input');
    });

    it('when the database still refuses the batch, commits the changes one by one and fails only the bad one', async () => {
      // A value that only becomes a NUL when serialised: found by the database, not beforehand.
      const result = await batchWithOneBadChange((code) => ({
        type: 'code_created',
        code: { ...code, description: { toJSON: () => '\u0000' } as unknown as string },
      }));
      expect(result.outcomes.filter((o) => o === 'committed')).toHaveLength(9);
      expect(result.outcomes[3]).not.toBe('committed');
      expect(result.names).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9].map((i) => `Thème ${i}`));
      expect(result.seq).toBe(result.before + 9);
    });
  });

  /** A project created on `store`, led by a new user. */
  async function newProject(store: PgStore, name: string): Promise<{ lead: UserId; pid: ProjectId }> {
    const lead = newId<UserId>();
    const pid = newId<ProjectId>();
    const project = {
      id: pid,
      name,
      description: '',
      createdAt: '2024-03-01T09:00:00.000Z',
      createdBy: lead,
    };
    await store.createProject(project, { [lead]: 'lead' }, lead);
    return { lead, pid };
  }

  /**
   * The round trips of `work`'s transaction, each the statements sent in it: those sent on the
   * connection that began it, a statement sent while none is awaited on it starting a new round
   * trip. Other connections (another instance catching up on hearing the commit, a heartbeat) are
   * left out.
   */
  async function roundTripsOf(work: () => Promise<unknown>): Promise<string[][]> {
    const sent: { on: pg.Client; text: string; alone: boolean }[] = [];
    const awaited = new Map<pg.Client, number>();
    const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
    const query = vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (
      this: pg.Client,
      ...args: unknown[]
    ) {
      const first = args[0] as string | { text?: string };
      const text = typeof first === 'string' ? first : String(first.text);
      sent.push({ on: this, text, alone: (awaited.get(this) ?? 0) === 0 });
      awaited.set(this, (awaited.get(this) ?? 0) + 1);
      const done = () => awaited.set(this, (awaited.get(this) ?? 1) - 1);
      // The pool's own queries pass a callback (and get no promise back).
      const last = args[args.length - 1];
      if (typeof last === 'function') {
        const callback = last as (...results: unknown[]) => void;
        return original.apply(this, [
          ...args.slice(0, -1),
          (...results: unknown[]) => {
            done();
            callback(...results);
          },
        ]) as never;
      }
      const answer = original.apply(this, args) as Promise<unknown>;
      answer.then(done, done);
      return answer as never;
    });
    try {
      await work();
    } finally {
      query.mockRestore();
    }
    // The connections that wrote: one statement appending, or a transaction taking the lock first.
    const writers = new Set(sent.filter((s) => s.text === 'BEGIN' || APPENDS.test(s.text)).map((s) => s.on));
    const trips: string[][] = [];
    let previous: pg.Client | undefined;
    for (const s of sent.filter((s) => writers.has(s.on))) {
      if (s.alone || s.on !== previous) trips.push([s.text]);
      else trips[trips.length - 1]?.push(s.text);
      previous = s.on;
    }
    return trips;
  }

  const APPENDS = /^SELECT head, appended, newer FROM append_project_events\(/;

  /**
   * An event committed to `pid` the way another instance would, but unheard: its notification
   * lost, so that the stores hold a state behind the database's.
   */
  async function commitUnheard(url: string, pid: ProjectId, userId: UserId, body: ProjectEventBody) {
    const direct = new pg.Client({ connectionString: url });
    await direct.connect();
    try {
      await direct.query('BEGIN');
      const { rows } = await direct.query<{ seq: number }>(
        'SELECT seq FROM projects WHERE id = $1 FOR UPDATE',
        [pid],
      );
      const seq = (rows[0]?.seq ?? 0) + 1;
      const event = { ...body, seq, txn: seq, at: new Date().toISOString(), userId };
      await direct.query(
        `INSERT INTO project_events (project_id, seq, txn, at, user_id, body) VALUES ($1, $2, $2, $3, $4, $5)`,
        [pid, seq, event.at, userId, JSON.stringify(event)],
      );
      await direct.query('UPDATE projects SET seq = $2 WHERE id = $1', [pid, seq]);
      await direct.query('COMMIT');
      return seq;
    } finally {
      await direct.end();
    }
  }

  /** A coding of `codeId` by `coderId`, for changes made on a store directly. */
  function newCoding(codeId: CodeId, coderId: UserId, start: number): Coding {
    return {
      id: newId<CodingId>(),
      documentId: 'd1' as DocumentId,
      codeId,
      start,
      end: start + 5,
      text: 'texte',
      coderId,
      createdAt: '2024-03-01T09:10:00.000Z',
      memo: '',
    };
  }

  describe('PostgreSQL round trips of a change', () => {
    it('commits a change in one round trip: one statement takes the lock, appends the events and notifies', async () => {
      cluster ??= startPgCluster();
      const url = await (await cluster).createDatabase();
      const a = await openPgStore(url);
      const b = await openPgStore(url);
      try {
        const { lead, pid } = await newProject(a, 'Allers-retours');
        await b.readProject(pid);
        // Text that must come back exactly: quotes, backslashes, guillemets, an emoji.
        const name = `L'équipe « c'est \\ dur » \\' E'x' $1 😀 "fin"`;
        const code = newCode(name, lead, { description: "ligne\nsuivante \\u0000 n'est pas un NUL" });
        const change = (c: Code) => () =>
          a.changeProject(pid, lead, () => ({ events: [{ type: 'code_created', code: c }], result: null }));
        const trips = await roundTripsOf(change(code));
        expect(trips).toEqual([[expect.stringMatching(APPENDS)]]);
        // The events go as parameters: nothing of them in a statement's text, which PostgreSQL
        // shows in pg_stat_activity and logs when a statement fails.
        expect(trips.flat().join('\n')).not.toContain('équipe');
        // Read back by the other instance, from the database: the same code, to the character.
        expect((await b.readProject(pid))?.codes[code.id]).toEqual(code);

        // An instance change (an account) takes two round trips.
        const user: UserRecord = {
          id: newId<UserId>(),
          username: "o'brien",
          displayName: "Siobhán O'Brien",
          isAdmin: false,
          passwordHash: 'scrypt$fake$hash',
          createdAt: '2024-03-01T08:00:00.000Z',
          passwordVersion: 1,
        };
        await a.readInstance();
        const instanceTrips = await roundTripsOf(() =>
          a.changeInstance(null, () => ({ events: [{ type: 'user_created', user }], result: null })),
        );
        expect(instanceTrips).toEqual([
          ['BEGIN', 'SELECT seq FROM instance_head FOR UPDATE'],
          [expect.stringMatching(/^WITH inserted AS \(INSERT INTO instance_events/), 'COMMIT'],
        ]);
        expect(instanceTrips.flat().join('\n')).not.toContain('Siobhán');
        expect((await b.readInstance()).users[user.id]).toEqual(user);
      } finally {
        await a.close();
        await b.close();
      }
    });

    it('answers a committed change though a listener of the project fails on hearing it', async () => {
      cluster ??= startPgCluster();
      const url = await (await cluster).createDatabase();
      const a = await openPgStore(url);
      const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
      try {
        const { lead, pid } = await newProject(a, 'Abonné fautif');
        const heard: number[] = [];
        const unsubscribe = a.subscribe(pid, (events) => {
          heard.push(...events.map((e) => e.seq));
          throw new Error('abonné en échec');
        });
        const code = newCode('Accessibilité', lead);
        const answered = await Promise.race([
          a.changeProject(pid, lead, () => ({
            events: [{ type: 'code_created', code }],
            result: 'committed',
          })),
          new Promise((resolve) => setTimeout(() => resolve('unanswered'), 5000)),
        ]);
        unsubscribe();
        expect(answered).toBe('committed');
        const state = await a.readProject(pid);
        expect(state?.codes[code.id]).toEqual(code);
        expect(heard).toEqual([state?.seq]);
        expect(errors).toHaveBeenCalled();
      } finally {
        errors.mockRestore();
        await a.close();
      }
    });

    it('decides again under the lock a change to a state behind the database, unless it commutes with what came first', async () => {
      cluster ??= startPgCluster();
      const url = await (await cluster).createDatabase();
      const a = await openPgStore(url);
      try {
        const { lead, pid } = await newProject(a, 'En retard');
        const code = newCode('Redondance de saisie', lead);
        await a.changeProject(pid, lead, () => ({ events: [{ type: 'code_created', code }], result: null }));
        const other = newId<UserId>();
        const decided: number[] = [];
        /** A coding by `coder`, refused as the same coder's duplicate, as the routes decide it. */
        const coding = (coder: UserId, start: number) => () =>
          a.changeProject(
            pid,
            coder,
            (state) => {
              decided.push(state.seq);
              const created = newCoding(code.id, coder, start);
              if (findDuplicateCoding(state, created)) throw new DomainError('conflict', 'Déjà codé.');
              return { events: [{ type: 'coding_created', coding: created }], result: created.id };
            },
            { commutesWithOthersCodings: true },
          );

        // Another coder's coding, unheard: the lead's coding commutes with it, and follows it
        // in the one round trip, its seq and txn shifted past it.
        const theirs = await commitUnheard(url, pid, other, {
          type: 'coding_created',
          coding: newCoding(code.id, other, 10),
        });
        let id: unknown;
        const commuting = await roundTripsOf(async () => (id = await coding(lead, 10)()));
        expect(commuting).toEqual([[expect.stringMatching(APPENDS)]]);
        expect(decided).toEqual([theirs - 1]);
        const direct = new pg.Client({ connectionString: url });
        await direct.connect();
        try {
          const { rows } = await direct.query(
            'SELECT seq, txn, body FROM project_events WHERE project_id = $1 AND seq > $2 ORDER BY seq',
            [pid, theirs],
          );
          expect(rows).toHaveLength(1);
          expect(rows[0]).toMatchObject({ seq: theirs + 1, txn: theirs + 1 });
          expect(rows[0].body).toMatchObject({ seq: theirs + 1, txn: theirs + 1, coding: { id } });
        } finally {
          await direct.end();
        }
        const state = await a.readProject(pid);
        expect(state?.seq).toBe(theirs + 1);
        expect(
          Object.values(state?.codings ?? {})
            .map((c) => c.coderId)
            .sort(),
        ).toEqual([lead, other].sort());
        expect(state?.history[lead]?.undo.at(-1)).toBe(theirs + 1);

        // The same coder's coding of that passage, unheard: not appended; decided again under
        // the lock, on the whole state, and refused as a duplicate.
        decided.length = 0;
        const same = await commitUnheard(url, pid, lead, {
          type: 'coding_created',
          coding: newCoding(code.id, lead, 20),
        });
        const refused = await roundTripsOf(() => coding(lead, 20)().catch((e: DomainError) => e.code));
        expect(refused).toEqual([
          [expect.stringMatching(APPENDS)],
          [
            'BEGIN',
            expect.stringMatching(/ FOR UPDATE$/),
            expect.stringMatching(/^SELECT body FROM project_events/),
          ],
          ['COMMIT'],
        ]);
        expect(decided).toEqual([same - 1, same]);
        expect(await coding(lead, 20)().catch((e: DomainError) => e.code)).toBe('conflict');

        // The lead's coding of a passage, created by someone else (an import, say): the same
        // coder's, so not appended after it; refused as a duplicate under the lock.
        decided.length = 0;
        const forLead = await commitUnheard(url, pid, other, {
          type: 'coding_created',
          coding: newCoding(code.id, lead, 40),
        });
        expect(await coding(lead, 40)().catch((e: DomainError) => e.code)).toBe('conflict');
        expect(decided).toEqual([forLead - 1, forLead]);

        // A change whose decision reads every coder's codings, and whose result names its txn (as
        // auto-coding's does, skipping passages any coding of the code covers): another coder's
        // coding, unheard, may change it, so it is decided again under the lock, never shifted.
        decided.length = 0;
        const covered = await commitUnheard(url, pid, other, {
          type: 'coding_created',
          coding: { ...newCoding(code.id, other, 50), end: 80 },
        });
        const autocoded = await a.changeProject(pid, lead, (state) => {
          decided.push(state.seq);
          const spans = [52, 90].filter(
            (start) => !Object.values(state.codings).some((c) => c.start <= start && c.end >= start + 5),
          );
          const events = spans.map((start) => ({
            type: 'coding_created' as const,
            coding: newCoding(code.id, lead, start),
          }));
          return { events, result: { created: spans, txn: state.seq + 1 } };
        });
        expect(decided).toEqual([covered - 1, covered]);
        expect(autocoded).toEqual({ created: [90], txn: covered + 1 });
        const afterAutocode = await a.readProject(pid);
        expect(afterAutocode?.seq).toBe(covered + 1);
        expect(afterAutocode?.history[lead]?.undo.at(-1)).toBe(autocoded.txn);

        // A code created meanwhile does not commute with anything: decided again under the lock.
        decided.length = 0;
        const created = newCode('Coûts', other);
        const codeAt = await commitUnheard(url, pid, other, { type: 'code_created', code: created });
        expect(await coding(other, 30)()).toEqual(expect.any(String));
        expect(decided).toEqual([codeAt - 1, codeAt]);
        const after = await a.readProject(pid);
        expect(after?.seq).toBe(codeAt + 1);
        expect(after?.codes[created.id]).toEqual(created);
      } finally {
        await a.close();
      }
    });
  });

  /**
   * `body` run with a store over a new project whose row lock another connection (`other`, as
   * another instance would) holds until `body` commits or rolls it back; `waiting()` resolves with
   * the backend of the connection that waits for it, once one does.
   */
  async function withRowLockHeld(
    name: string,
    body: (held: {
      store: PgStore;
      other: pg.Client;
      lead: UserId;
      pid: ProjectId;
      waiting: () => Promise<number>;
    }) => Promise<void>,
  ): Promise<void> {
    cluster ??= startPgCluster();
    const url = await (await cluster).createDatabase();
    const store = await openPgStore(url);
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    try {
      const { lead, pid } = await newProject(store, name);
      await store.readProject(pid);
      await other.query('BEGIN');
      await other.query('SELECT seq FROM projects WHERE id = $1 FOR UPDATE', [pid]);
      const waiting = () =>
        vi.waitFor(async () => {
          // Within a transaction, statistics views are read once and kept: read them anew.
          await other.query('SELECT pg_stat_clear_snapshot()');
          const { rows } = await other.query(
            `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          );
          expect(rows).toHaveLength(1);
          return rows[0].pid as number;
        });
      await body({ store, other, lead, pid, waiting });
    } finally {
      await other.query('ROLLBACK').catch(() => undefined);
      await other.end();
      await store.close();
    }
  }

  describe('changes that arrive while a batch waits for the lock', () => {
    it('make the next batch: one transaction for them all, every decision seeing the ones before it', async () => {
      await withRowLockHeld('Verrou', async ({ store: a, other, lead, pid, waiting }) => {
        const before = (await a.readProject(pid))?.seq ?? 0;
        const decided: number[] = [];
        const change = (name: string) =>
          a.changeProject(pid, lead, (state) => {
            decided.push(state.seq);
            return { events: [{ type: 'code_created', code: newCode(name, lead) }], result: name };
          });
        const first = change('Redondance de saisie');
        // Its batch, decided, asks for the lock and waits; two more changes arrive meanwhile.
        await waiting();
        const later = [change('Coûts'), change('Accessibilité')];
        await other.query('COMMIT');
        expect(await Promise.all([first, ...later])).toEqual([
          'Redondance de saisie',
          'Coûts',
          'Accessibilité',
        ]);
        expect(decided).toEqual([before, before + 1, before + 2]);
        // One transaction wrote the first, another the two that arrived while it waited.
        const transactions = async () =>
          (
            await other.query(
              'SELECT count(DISTINCT xmin::text)::int AS n, count(*)::int AS events FROM project_events WHERE project_id = $1 AND seq > $2',
              [pid, before],
            )
          ).rows[0];
        expect(await transactions()).toEqual({ n: 2, events: 3 });
        const { rows } = await other.query(
          'SELECT xmin::text AS x FROM project_events WHERE project_id = $1 AND seq > $2 ORDER BY seq',
          [pid, before],
        );
        expect(rows[1].x).toBe(rows[2].x);
        // The next change, after that batch, goes in a transaction of its own.
        await change('Empreinte environnementale');
        expect(await transactions()).toEqual({ n: 3, events: 4 });
        expect(Object.values((await a.readProject(pid))?.codes ?? {}).map((c) => c.name)).toEqual([
          'Redondance de saisie',
          'Coûts',
          'Accessibilité',
          'Empreinte environnementale',
        ]);
      });
    });

    it('are answered when the batch before them fails: it is refused, they are committed in their turn', async () => {
      await withRowLockHeld('Verrou perdu', async ({ store: a, other, lead, pid, waiting }) => {
        const change = (name: string) =>
          a
            .changeProject(pid, lead, () => ({
              events: [{ type: 'code_created', code: newCode(name, lead) }],
              result: 'committed',
            }))
            .catch((error: { code?: string }) => error.code ?? 'refused');
        const first = change('Coûts');
        const blocked = await waiting();
        const later = change('Accessibilité');
        // The waiting connection is cut: the batch fails, its change refused as not made.
        await other.query('SELECT pg_terminate_backend($1)', [blocked]);
        expect(await first).toBe('storage_unavailable');
        // The change that arrived meanwhile, the next batch, waits for the lock in its turn.
        const next = await waiting();
        expect(next).not.toBe(blocked);
        await other.query('ROLLBACK');
        expect(await later).toBe('committed');
        // Nothing of the refused one was kept, and the project takes changes again.
        expect(await change('Redondance de saisie')).toBe('committed');
        expect(Object.values((await a.readProject(pid))?.codes ?? {}).map((c) => c.name)).toEqual([
          'Accessibilité',
          'Redondance de saisie',
        ]);
      });
    });
  });

  describe('a read that joins a project being loaded', () => {
    it('shows a change acknowledged before it arrived, though the load was read before that change', async () => {
      cluster ??= startPgCluster();
      const url = await (await cluster).createDatabase();
      const b = await openPgStore(url); // Opened first: it does not hold the project.
      const a = await openPgStore(url);
      const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let loadRead = false;
      try {
        const { lead, pid } = await newProject(a, 'Chargement');
        // B's load reads the project (its snapshot taken), then its answer is held back.
        const query = vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (
          this: pg.Client,
          ...args: unknown[]
        ) {
          const first = args[0] as string | { text?: string };
          const text = typeof first === 'string' ? first : String(first.text);
          const result = original.apply(this, args) as Promise<unknown>;
          if (!text.startsWith('SELECT seq, shape, state FROM project_snapshots')) return result as never;
          return result.then(async (rows) => {
            loadRead = true;
            await gate;
            return rows;
          }) as never;
        });
        const loading = b.readProject(pid);
        await vi.waitFor(() => expect(loadRead).toBe(true));
        query.mockRestore();
        // A change acknowledged by A after B's load read the database…
        const code = newCode('Fragmentation des données', lead);
        await a.changeProject(pid, lead, () => ({ events: [{ type: 'code_created', code }], result: null }));
        // …then a request on B, which finds the load under way.
        const later = b.readProject(pid);
        release();
        await loading;
        expect((await later)?.codes[code.id]).toEqual(code);
      } finally {
        release();
        vi.restoreAllMocks();
        await a.close();
        await b.close();
      }
    });
  });
}
