// @vitest-environment node
/**
 * The erasure part of the Store contract, run against the three stores: memory, file, PostgreSQL.
 * The state, the log, the texts and the caches lose everything about the participant; the rest
 * stays as it was; the log keeps its seqs, with tombstones and the receipt last.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DomainError } from '../../../shared/errors.ts';
import { isRedacted } from '../../../shared/events.ts';
import {
  newId,
  type CodeId,
  type CodingId,
  type DocumentId,
  type ParticipantId,
  type ProjectId,
  type UserId,
} from '../../../shared/ids.ts';
import type { Coding, DocumentMeta, Participant } from '../../../shared/model.ts';
import { openFileStore } from '../../../server/storage/file-store.ts';
import { openMemoryStore } from '../../../server/storage/memory-store.ts';
import { openPgStore } from '../../../server/storage/pg-store.ts';
import type { Store } from '../../../server/storage/store.ts';
import { postgresAvailable, startPgCluster, type PgCluster } from '../../helpers/postgres.ts';

const AT = '2026-03-01T09:00:00.000Z';

function aDocument(name: string, participantId: ParticipantId | null, createdBy: UserId): DocumentMeta {
  return {
    id: newId<DocumentId>(),
    name,
    length: 40,
    memo: `mémo de ${name}`,
    createdAt: AT,
    createdBy,
    format: 'txt',
    encoding: 'utf-8',
    turns: [],
    participantId,
  };
}

function aCoding(documentId: DocumentId, codeId: CodeId, coderId: UserId, text: string): Coding {
  return {
    id: newId<CodingId>(),
    documentId,
    codeId,
    start: 0,
    end: 10,
    text,
    coderId,
    createdAt: AT,
    memo: text,
  };
}

function describeErasure(name: string, open: () => Promise<{ store: Store; dispose: () => Promise<void> }>) {
  describe(`Store contract, erasure: ${name}`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      ({ store, dispose } = await open());
    });
    afterEach(async () => {
      await dispose();
    });

    it('erases a participant, their documents, codings and texts; keeps the rest; ends the log with the receipt', async () => {
      const lead = newId<UserId>();
      const id = newId<ProjectId>();
      await store.createProject(
        { id, name: 'P', description: '', createdAt: AT, createdBy: lead },
        { [lead]: 'lead' },
        lead,
      );
      const camille: Participant = {
        id: newId<ParticipantId>(),
        name: 'Camille Martin',
        pseudonym: 'P01',
        attributes: {},
        createdAt: AT,
        createdBy: lead,
      };
      const theirs = aDocument('camille.txt', camille.id, lead);
      const others = aDocument('autre.txt', null, lead);
      const codeId = newId<CodeId>();
      const code = {
        id: codeId,
        name: 'C',
        parentId: null,
        color: '#e6194b',
        description: '',
        createdAt: AT,
        createdBy: lead,
        version: 1,
      };
      const gone = aCoding(theirs.id, codeId, lead, 'Brioude !');
      const kept = aCoding(others.id, codeId, lead, 'tableur');
      for (const [doc, text] of [
        [theirs, 'Camille Martin : marionnettes à Brioude.'],
        [others, 'Hélène : le tableur partagé, rien de plus.'],
      ] as const) {
        await store.putText(id, doc.id, text);
      }
      await store.changeProject(id, lead, () => ({
        events: [
          { type: 'participant_created', participant: camille },
          { type: 'document_added', document: theirs },
          { type: 'document_added', document: others },
          { type: 'code_created', code },
          { type: 'coding_created', coding: gone },
          { type: 'coding_created', coding: kept },
          {
            type: 'replacements_set',
            before: [],
            after: [
              { from: 'Brioude', to: '[ville]' },
              { from: 'Hélène', to: 'P02' },
            ],
          },
        ],
        result: null,
      }));
      await store.writeCache(id, 'search-index', new TextEncoder().encode('marionnettes Brioude'));
      const before = structuredClone(await store.readProject(id));

      await expect(
        store.erase(id, lead, { kind: 'participant', participantId: camille.id }, () => {
          throw new DomainError('unprocessable', 'Non.');
        }),
      ).rejects.toThrow('Non.');
      expect(await store.readProject(id)).toEqual(before);

      const { receipt } = await store.erase(
        id,
        lead,
        { kind: 'participant', participantId: camille.id },
        () => undefined,
      );
      expect(receipt).toMatchObject({
        type: 'erasure',
        seq: 9,
        counts: { participants: 1, documents: 1, codings: 1, replacements: 1 },
      });
      const after = await store.readProject(id);
      expect(after?.participants).toEqual({});
      expect(Object.keys(after?.documents ?? {})).toEqual([others.id]);
      expect(after?.codings).toEqual({ [kept.id]: kept });
      expect(after?.replacements).toEqual([{ from: 'Hélène', to: 'P02' }]);
      expect(after?.codes).toEqual(before?.codes);
      expect(after?.seq).toBe(9);
      await expect(store.readText(id, theirs.id)).rejects.toThrow();
      expect(await store.readText(id, others.id)).toBe('Hélène : le tableur partagé, rien de plus.');
      expect(await store.readCache(id, 'search-index')).toBeUndefined();
      const events = await store.readEvents(id, 0, 100);
      expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      const log = JSON.stringify(events);
      expect(log).not.toMatch(/Camille|Brioude|marionnettes|camille\.txt/);
      expect(log).toContain('tableur');
      // Their record, their document and the coding on it: tombstones, in place.
      expect(events.filter(isRedacted).map((e) => [e.seq, e.type])).toEqual([
        [2, 'participant_created'],
        [3, 'document_added'],
        [6, 'coding_created'],
      ]);
      // A later change goes on from the receipt.
      await store.changeProject(id, lead, () => ({
        events: [{ type: 'coding_deleted', coding: kept }],
        result: null,
      }));
      expect((await store.readProject(id))?.seq).toBe(10);
    });
  });
}

describeErasure('memory store', async () => {
  const store = await openMemoryStore();
  return { store, dispose: () => store.close() };
});

describeErasure('file store', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'verbatim-erasure-'));
  const store = await openFileStore(dir);
  return {
    store,
    dispose: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

if (postgresAvailable()) {
  let cluster: Promise<PgCluster> | undefined;
  afterAll(async () => {
    await (await cluster)?.stop();
  });
  describeErasure('PostgreSQL store', async () => {
    cluster ??= startPgCluster();
    const store = await openPgStore(await (await cluster).createDatabase());
    return { store, dispose: () => store.close() };
  });
}
