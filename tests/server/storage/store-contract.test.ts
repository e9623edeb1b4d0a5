// @vitest-environment node
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DomainError } from '../../../shared/errors.ts';
import type { ProjectEvent, ProjectEventBody } from '../../../shared/events.ts';
import {
  newId,
  type CodeId,
  type CodingId,
  type DocumentId,
  type ProjectId,
  type UserId,
} from '../../../shared/ids.ts';
import type { Code, Coding, Project, SessionRecord, UserRecord } from '../../../shared/model.ts';
import { openFileStore } from '../../../server/storage/file-store.ts';
import { openMemoryStore } from '../../../server/storage/memory-store.ts';
import { openPgStore } from '../../../server/storage/pg-store.ts';
import { timed, type RequestTiming } from '../../../server/request-timing.ts';
import type { Store } from '../../../server/storage/store.ts';
import { postgresAvailable, startPgCluster, type PgCluster } from '../../helpers/postgres.ts';
import { newCode } from '../../helpers/code.ts';

/** A store to test, and what removes its traces afterwards. */
interface OpenedStore {
  store: Store;
  dispose(): Promise<void>;
}

async function expectDomainError(promise: Promise<unknown>, code: DomainError['code']): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe(code);
  return error as DomainError;
}

function aProject(name = 'Parcours de soins en Bretagne'): Project {
  return {
    id: newId<ProjectId>(),
    name,
    description: 'Entretiens semi-directifs avec des infirmières libérales',
    createdAt: '2024-03-01T09:00:00.000Z',
    createdBy: newId<UserId>(),
  };
}

function aCoding(codeId: CodeId, coderId: UserId, start = 12, end = 40): Coding {
  return {
    id: newId<CodingId>(),
    documentId: newId<DocumentId>(),
    codeId,
    start,
    end,
    text: 'on ressaisit tout à la main, « deux fois » 😀'.slice(0, end - start),
    coderId,
    createdAt: '2024-03-01T09:10:00.000Z',
    memo: '',
  };
}

function aUser(username: string): UserRecord {
  return {
    id: newId<UserId>(),
    username,
    displayName: username.replace(/^./, (c) => c.toUpperCase()),
    isAdmin: false,
    passwordHash: 'scrypt$fake$hash',
    createdAt: '2024-03-01T08:00:00.000Z',
    passwordVersion: 1,
  };
}

function aSession(userId: UserId): SessionRecord {
  return {
    tokenHash: newId<string>(),
    userId,
    createdAt: '2024-03-01T08:30:00.000Z',
    expiresAt: '2024-03-31T08:30:00.000Z',
    passwordVersion: 1,
  };
}

/** A store holding one freshly created project led by one user. */
async function withProject(store: Store) {
  const project = aProject();
  const lead = project.createdBy;
  await store.createProject(project, { [lead]: 'lead' }, lead);
  return { project, lead };
}

/** Append one `code_created` event; resolves with the new code. */
async function createCode(store: Store, projectId: ProjectId, userId: UserId, name: string): Promise<Code> {
  const code = newCode(name, userId);
  await store.changeProject(projectId, userId, () => ({
    events: [{ type: 'code_created', code }],
    result: null,
  }));
  return code;
}

/**
 * The behaviour every Store must have. Each test opens a fresh store and disposes of it after.
 */
export function describeStoreContract(name: string, open: () => Promise<OpenedStore>): void {
  describe(`Store contract: ${name}`, () => {
    let opened: OpenedStore;
    let store: Store;

    beforeEach(async () => {
      opened = await open();
      store = opened.store;
    });

    afterEach(async () => {
      await opened.dispose();
    });

    describe('createProject', () => {
      it('creates a project whose state is readable at once, at seq 1', async () => {
        const project = aProject();
        const lead = project.createdBy;
        const state = await store.createProject(project, { [lead]: 'lead' }, lead);
        expect(state.seq).toBe(1);
        expect(state.project).toEqual(project);
        expect(state.members).toEqual({ [lead]: 'lead' });
        const read = await store.readProject(project.id);
        expect(read?.project).toEqual(project);
        expect(read?.seq).toBe(1);
      });

      it('lists every project created', async () => {
        const a = aProject('Parcours de soins');
        const b = aProject('Télétravail et santé');
        await store.createProject(a, { [a.createdBy]: 'lead' }, a.createdBy);
        await store.createProject(b, { [b.createdBy]: 'lead' }, b.createdBy);
        const names = (await store.listProjects()).map((p) => p.project.name).sort();
        expect(names).toEqual(['Parcours de soins', 'Télétravail et santé']);
      });

      it('records project_created as event 1, by the creating user', async () => {
        const { project, lead } = await withProject(store);
        const [event, ...rest] = await store.readEvents(project.id, 0, 10);
        expect(rest).toEqual([]);
        expect(event).toMatchObject({ seq: 1, type: 'project_created', userId: lead, project });
      });

      it('refuses a second project with the same id (conflict)', async () => {
        const { project, lead } = await withProject(store);
        await expectDomainError(store.createProject(project, { [lead]: 'lead' }, lead), 'conflict');
        expect((await store.listProjects()).length).toBe(1);
      });

      it('answers undefined for a project that does not exist', async () => {
        expect(await store.readProject(newId<ProjectId>())).toBeUndefined();
      });
    });

    describe('changeProject', () => {
      it('appends the events a decision returns, with consecutive seqs, the time and the user', async () => {
        const { project } = await withProject(store);
        const coder = newId<UserId>();
        const code = newCode('Redondance de saisie', coder);
        const coding = aCoding(code.id, coder);
        const before = Date.now();
        await store.changeProject(project.id, coder, () => ({
          events: [
            { type: 'code_created', code },
            { type: 'coding_created', coding },
          ],
          result: null,
        }));
        const after = Date.now();
        const events = await store.readEvents(project.id, 1, 10);
        expect(events.map((e) => [e.seq, e.type, e.userId])).toEqual([
          [2, 'code_created', coder],
          [3, 'coding_created', coder],
        ]);
        for (const e of events) {
          expect(e.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
          expect(Date.parse(e.at)).toBeGreaterThanOrEqual(before);
          expect(Date.parse(e.at)).toBeLessThanOrEqual(after);
        }
        const state = await store.readProject(project.id);
        expect(state?.seq).toBe(3);
        expect(state?.codes[code.id]).toEqual(code);
        expect(state?.codings[coding.id]).toEqual(coding);
      });

      it("resolves with the decision's result", async () => {
        const { project, lead } = await withProject(store);
        const code = newCode('Coûts', lead);
        const result = await store.changeProject(project.id, lead, (state) => ({
          events: [{ type: 'code_created', code }],
          result: { seqBefore: state.seq, id: code.id },
        }));
        expect(result).toEqual({ seqBefore: 1, id: code.id });
      });

      it('counts the wait for each change to be durable against the request it serves (Server-Timing)', async () => {
        const { project, lead } = await withProject(store);
        const first: RequestTiming = { durableMs: 0 };
        const second: RequestTiming = { durableMs: 0 };
        const create = (name: string) =>
          store.changeProject(project.id, lead, () => ({
            events: [{ type: 'code_created', code: newCode(name, lead) }],
            result: null,
          }));
        await Promise.all([
          timed(first, () => create('Coûts')),
          timed(second, () => create('Accessibilité')),
        ]);
        expect(first.durableMs).toBeGreaterThan(0);
        expect(second.durableMs).toBeGreaterThan(0);
        // Outside a timed request, nothing is counted and nothing fails.
        await create('Redondance de saisie');
        const names = Object.values((await store.readProject(project.id))?.codes ?? {}).map((c) => c.name);
        expect(names.sort()).toEqual(['Accessibilité', 'Coûts', 'Redondance de saisie']);
      });

      it('changes nothing when the decision returns no events', async () => {
        const { project, lead } = await withProject(store);
        const listener = vi.fn();
        store.subscribe(project.id, listener);
        const before = structuredClone(await store.readProject(project.id));
        const result = await store.changeProject(project.id, lead, () => ({ events: [], result: 'rien' }));
        expect(result).toBe('rien');
        expect(await store.readProject(project.id)).toEqual(before);
        expect(await store.readEvents(project.id, 1, 10)).toEqual([]);
        expect(listener).not.toHaveBeenCalled();
      });

      it('leaves the state unchanged when the decision throws, and passes the error on', async () => {
        const { project, lead } = await withProject(store);
        await createCode(store, project.id, lead, 'Coûts');
        const before = structuredClone(await store.readProject(project.id));
        const refusal = new DomainError('duplicate_name', 'Un code « Coûts » existe déjà.');
        await expect(
          store.changeProject(project.id, lead, () => {
            throw refusal;
          }),
        ).rejects.toBe(refusal);
        expect(await store.readProject(project.id)).toEqual(before);
        expect((await store.readEvents(project.id, 0, 10)).length).toBe(2);
        // The store still works after a refused decision.
        await createCode(store, project.id, lead, 'Délais');
        expect((await store.readProject(project.id))?.seq).toBe(3);
      });

      it('gives 50 concurrent changes distinct, consecutive seqs, and keeps them all', async () => {
        const { project, lead } = await withProject(store);
        const codes = Array.from({ length: 50 }, (_, i) => newCode(`Thème ${i + 1}`, lead));
        const seqs = await Promise.all(
          codes.map((code) =>
            store.changeProject(project.id, lead, (state) => ({
              events: [{ type: 'code_created', code }],
              result: state.seq + 1,
            })),
          ),
        );
        expect(new Set(seqs).size).toBe(50);
        expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 2));
        const state = await store.readProject(project.id);
        expect(state?.seq).toBe(51);
        expect(Object.keys(state?.codes ?? {}).sort()).toEqual(codes.map((c) => c.id).sort());
        const events = await store.readEvents(project.id, 1, 100);
        expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 2));
      });

      it('decides each change against the state the previous one left, so a check passes only once', async () => {
        const { project, lead } = await withProject(store);
        const createOnce = (code: Code) =>
          store.changeProject(project.id, lead, (state) => {
            if (Object.values(state.codes).some((c) => c.name === code.name)) {
              throw new DomainError('duplicate_name', `« ${code.name} » existe déjà.`);
            }
            return { events: [{ type: 'code_created', code }], result: code.id };
          });
        const outcomes = await Promise.allSettled([
          createOnce(newCode('Fatigue', lead)),
          createOnce(newCode('Fatigue', lead)),
        ]);
        expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
        expect(Object.keys((await store.readProject(project.id))?.codes ?? {}).length).toBe(1);
      });

      it('refuses a change to a project that does not exist (not_found)', async () => {
        await expectDomainError(
          store.changeProject(newId<ProjectId>(), newId<UserId>(), () => ({ events: [], result: null })),
          'not_found',
        );
      });
    });

    describe('readEvents', () => {
      it('reads the events after a seq, oldest first, at most limit of them', async () => {
        const { project, lead } = await withProject(store);
        for (const name of ['Accès aux soins', 'Coûts', 'Délais', 'Fatigue', 'Isolement']) {
          await createCode(store, project.id, lead, name);
        }
        expect((await store.readEvents(project.id, 0, 100)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
        expect((await store.readEvents(project.id, 2, 3)).map((e) => e.seq)).toEqual([3, 4, 5]);
        expect((await store.readEvents(project.id, 4, 100)).map((e) => e.seq)).toEqual([5, 6]);
        expect(await store.readEvents(project.id, 6, 100)).toEqual([]);
        expect(await store.readEvents(project.id, 2, 0)).toEqual([]);
      });

      it('reads old events from storage once they have left the recent window', async () => {
        const { project, lead } = await withProject(store);
        const code = newCode('Interopérabilité', lead);
        const bodies: ProjectEventBody[] = [{ type: 'code_created', code }];
        for (let i = 0; i < 2100; i++) {
          bodies.push({ type: 'coding_created', coding: aCoding(code.id, lead, i, i + 5) });
        }
        await store.changeProject(project.id, lead, () => ({ events: bodies, result: null }));
        const early = await store.readEvents(project.id, 0, 5);
        expect(early.map((e) => [e.seq, e.type])).toEqual([
          [1, 'project_created'],
          [2, 'code_created'],
          [3, 'coding_created'],
          [4, 'coding_created'],
          [5, 'coding_created'],
        ]);
        expect((await store.readEvents(project.id, 40, 3)).map((e) => e.seq)).toEqual([41, 42, 43]);
        const late = await store.readEvents(project.id, 2095, 100);
        expect(late.map((e) => e.seq)).toEqual([2096, 2097, 2098, 2099, 2100, 2101, 2102]);
        expect((await store.readEvents(project.id, 0, 3000)).length).toBe(2102);
      });

      it('refuses to read the events of a project that does not exist (not_found)', async () => {
        await expectDomainError(store.readEvents(newId<ProjectId>(), 0, 10), 'not_found');
      });
    });

    describe('subscribe', () => {
      it('tells a listener about new events, in order, once the change is durable', async () => {
        const { project, lead } = await withProject(store);
        const received: ProjectEvent[][] = [];
        store.subscribe(project.id, (events) => received.push([...events]));
        const first = await createCode(store, project.id, lead, 'Coûts');
        const second = await createCode(store, project.id, lead, 'Délais');
        expect(received.map((batch) => batch.map((e) => e.seq))).toEqual([[2], [3]]);
        expect(received[0]?.[0]).toMatchObject({ type: 'code_created', code: first, userId: lead });
        expect(received[1]?.[0]).toMatchObject({ type: 'code_created', code: second });
      });

      it('delivers the events of one decision together', async () => {
        const { project, lead } = await withProject(store);
        const listener = vi.fn();
        store.subscribe(project.id, listener);
        const code = newCode('Coûts', lead);
        await store.changeProject(project.id, lead, () => ({
          events: [
            { type: 'code_created', code },
            { type: 'coding_created', coding: aCoding(code.id, lead) },
          ],
          result: null,
        }));
        expect(listener).toHaveBeenCalledTimes(1);
        expect((listener.mock.calls[0]?.[0] as ProjectEvent[]).map((e) => e.seq)).toEqual([2, 3]);
      });

      it('stops telling a listener once it unsubscribes', async () => {
        const { project, lead } = await withProject(store);
        const listener = vi.fn();
        const unsubscribe = store.subscribe(project.id, listener);
        await createCode(store, project.id, lead, 'Coûts');
        unsubscribe();
        await createCode(store, project.id, lead, 'Délais');
        expect(listener).toHaveBeenCalledTimes(1);
      });

      it('does not mix the events of two projects', async () => {
        const a = await withProject(store);
        const b = await withProject(store);
        const listener = vi.fn();
        store.subscribe(a.project.id, listener);
        await createCode(store, b.project.id, b.lead, 'Coûts');
        expect(listener).not.toHaveBeenCalled();
      });
    });

    describe('texts', () => {
      it('reads back a stored text exactly, accents, emoji and line ends included', async () => {
        const { project } = await withProject(store);
        const documentId = newId<DocumentId>();
        const text = 'Enquêtrice : « Vous ressaisissez ? »\nMme L. : Oui, tout ! 😀 👩‍👩‍👧 l’œuvre\n';
        await store.putText(project.id, documentId, text);
        expect(await store.readText(project.id, documentId)).toBe(text);
        expect(await store.readText(project.id, documentId)).toBe(text);
      });

      it('answers not_found for a text never stored', async () => {
        const { project } = await withProject(store);
        await expectDomainError(store.readText(project.id, newId<DocumentId>()), 'not_found');
      });

      it('forgets a discarded text', async () => {
        const { project } = await withProject(store);
        const documentId = newId<DocumentId>();
        await store.putText(project.id, documentId, 'Texte d’un import raté');
        expect(await store.readText(project.id, documentId)).toBe('Texte d’un import raté');
        await store.discardText(project.id, documentId);
        await expectDomainError(store.readText(project.id, documentId), 'not_found');
      });

      it('refuses to store a text for a project that does not exist (not_found)', async () => {
        await expectDomainError(store.putText(newId<ProjectId>(), newId<DocumentId>(), 'x'), 'not_found');
      });
    });

    describe('deleteProject', () => {
      it('removes the project from service, its texts included, and leaves the others', async () => {
        const doomed = await withProject(store);
        const kept = await withProject(store);
        const documentId = newId<DocumentId>();
        await store.putText(doomed.project.id, documentId, 'Transcription');
        await store.readText(doomed.project.id, documentId);
        await store.deleteProject(doomed.project.id);
        expect(await store.readProject(doomed.project.id)).toBeUndefined();
        expect((await store.listProjects()).map((p) => p.project.id)).toEqual([kept.project.id]);
        await expectDomainError(store.readText(doomed.project.id, documentId), 'not_found');
        await expectDomainError(
          store.changeProject(doomed.project.id, doomed.lead, () => ({ events: [], result: null })),
          'not_found',
        );
        await expectDomainError(store.readEvents(doomed.project.id, 0, 10), 'not_found');
        expect((await store.readProject(kept.project.id))?.seq).toBe(1);
      });

      it('refuses to delete a project that does not exist (not_found)', async () => {
        await expectDomainError(store.deleteProject(newId<ProjectId>()), 'not_found');
      });
    });

    describe('changeInstance', () => {
      it('starts with no user and no session, at seq 0', async () => {
        expect(await store.readInstance()).toEqual({ seq: 0, users: {}, sessions: {} });
      });

      it('records users and sessions, and deletes sessions', async () => {
        const alice = aUser('alice');
        const session = aSession(alice.id);
        await store.changeInstance(null, () => ({
          events: [{ type: 'user_created', user: alice }],
          result: null,
        }));
        await store.changeInstance(alice.id, () => ({
          events: [{ type: 'session_created', session }],
          result: null,
        }));
        let instance = await store.readInstance();
        expect(instance.seq).toBe(2);
        expect(instance.users[alice.id]).toEqual(alice);
        expect(instance.sessions[session.tokenHash]).toEqual(session);
        await store.changeInstance(alice.id, () => ({
          events: [{ type: 'sessions_deleted', tokenHashes: [session.tokenHash] }],
          result: null,
        }));
        instance = await store.readInstance();
        expect(instance.seq).toBe(3);
        expect(instance.sessions).toEqual({});
      });

      it('updates a user', async () => {
        const bruno = aUser('bruno');
        await store.changeInstance(null, () => ({
          events: [{ type: 'user_created', user: bruno }],
          result: null,
        }));
        const renamed = { ...bruno, displayName: 'Bruno Le Gall', passwordVersion: 2 };
        await store.changeInstance(bruno.id, (state) => ({
          events: [{ type: 'user_updated', before: state.users[bruno.id] as UserRecord, after: renamed }],
          result: null,
        }));
        expect((await store.readInstance()).users[bruno.id]).toEqual(renamed);
      });

      it('leaves the instance unchanged when the decision throws', async () => {
        const alice = aUser('alice');
        await store.changeInstance(null, () => ({
          events: [{ type: 'user_created', user: alice }],
          result: null,
        }));
        const before = structuredClone(await store.readInstance());
        await expect(
          store.changeInstance(null, () => {
            throw new DomainError('conflict', 'Ce nom est pris.');
          }),
        ).rejects.toThrow('Ce nom est pris.');
        expect(await store.readInstance()).toEqual(before);
      });

      it('gives concurrent instance changes distinct seqs', async () => {
        const users = Array.from({ length: 20 }, (_, i) => aUser(`codeur${i}`));
        const seqs = await Promise.all(
          users.map((user) =>
            store.changeInstance(null, (state) => ({
              events: [{ type: 'user_created', user }],
              result: state.seq + 1,
            })),
          ),
        );
        expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        expect(Object.keys((await store.readInstance()).users).length).toBe(20);
      });
    });
  });
}

describeStoreContract('memory store', async () => {
  const store = await openMemoryStore();
  return { store, dispose: () => store.close() };
});

describeStoreContract('file store', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'verbatim-store-'));
  const store = await openFileStore(dir);
  return {
    store,
    dispose: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

// The third implementation, on a throwaway PostgreSQL cluster (skipped with a notice when PostgreSQL
// is not installed, a failure in CI): one fresh database per test.
if (postgresAvailable()) {
  let cluster: Promise<PgCluster> | undefined;
  afterAll(async () => {
    await (await cluster)?.stop();
  });
  describeStoreContract('PostgreSQL store', async () => {
    cluster ??= startPgCluster();
    const store = await openPgStore(await (await cluster).createDatabase());
    return { store, dispose: () => store.close() };
  });
}
