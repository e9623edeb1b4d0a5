import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId, type DocumentId, type ProjectId, type UserId } from '../../../shared/ids.ts';
import type { DocumentMeta } from '../../../shared/model.ts';
import { parseQuery } from '../../../shared/search/query.ts';
import { detectTurns } from '../../../shared/turns.ts';
import { SearchService } from '../../../server/search/service.ts';
import type { LedgerStore } from '../../../server/storage/ledger-store.ts';
import { openMemoryStore } from '../../../server/storage/memory-store.ts';

const AT = '2025-01-06T09:00:00.000Z' as DocumentMeta['createdAt'];

let store: LedgerStore;
beforeEach(async () => {
  store = await openMemoryStore();
});
afterEach(async () => {
  await store.close();
});

/** A project of `count` interviews, their texts in the store's memory. */
async function projectOf(count: number): Promise<ProjectId> {
  const lead = newId<UserId>();
  const id = newId<ProjectId>();
  await store.createProject(
    { id, name: 'P', description: '', createdAt: AT, createdBy: lead },
    { [lead]: 'lead' },
    lead,
  );
  const documents: DocumentMeta[] = [];
  for (let i = 0; i < count; i++) {
    const text = `Enquêtrice : Et la billetterie ?\nCamille ${i} : Le tableur, encore et toujours.\n`;
    const document: DocumentMeta = {
      id: newId<DocumentId>(),
      name: `entretien-${i}.txt`,
      length: [...text].length,
      memo: '',
      createdAt: AT,
      createdBy: lead,
      format: 'txt',
      encoding: 'utf-8',
      turns: detectTurns(text),
      participantId: null,
    };
    await store.putText(id, document.id, text);
    documents.push(document);
  }
  await store.changeProject(id, lead, () => ({
    events: documents.map((document) => ({ type: 'document_added' as const, document })),
    result: null,
  }));
  return id;
}

describe('SearchService', () => {
  it('lets other work run between the documents it indexes', async () => {
    const id = await projectOf(30);
    const state = await store.readProject(id);
    // Turns of the event loop while the index is built (texts come from memory, without any).
    let turns = 0;
    let counting = true;
    const count = () => {
      turns++;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    const search = new SearchService(store, { persistAfterMs: 60_000 });
    try {
      const index = await search.index(id, state!);
      expect(turns).toBeGreaterThanOrEqual(30);
      expect(index.search(parseQuery('tableur'), { prefix: false, fuzzy: false }).units.length).toBe(30);
    } finally {
      counting = false;
      await search.flush();
    }
  });
});
