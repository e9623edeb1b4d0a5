import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newId, type DocumentId, type ProjectId, type UserId } from '../../../shared/ids.ts';
import type { DocumentMeta } from '../../../shared/model.ts';
import { parseQuery } from '../../../shared/search/query.ts';
import { detectTurns } from '../../../shared/turns.ts';
import { SEARCH_CACHE_NAME, SearchService } from '../../../server/search/service.ts';
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

  it('writes a changed index at the first quiet moment, or after a bound when none comes', async () => {
    const id = await projectOf(3);
    const state = await store.readProject(id);
    // The server's quiet moments, as the test decides them.
    const waiting = new Set<() => void>();
    const whenQuiet = (work: () => void) => {
      waiting.add(work);
      return () => waiting.delete(work);
    };
    const quietNow = () => {
      for (const work of [...waiting]) {
        waiting.delete(work);
        work();
      }
    };
    const written = async () => (await store.readCache(id, SEARCH_CACHE_NAME)) !== undefined;
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const search = new SearchService(store, { persistWithinMs: 60_000, whenQuiet });
    try {
      await search.index(id, state!);
      await vi.advanceTimersByTimeAsync(30_000);
      // Requests kept coming: not written yet (writing 28 MB beside them slowed them by tens of ms).
      expect(await written()).toBe(false);
      expect(waiting.size).toBe(1);
      quietNow();
      await vi.advanceTimersByTimeAsync(0);
      await search.flush();
      expect(await written()).toBe(true);

      // Another project, and never a quiet moment: written once the bound has passed.
      const other = await projectOf(2);
      await search.index(other, (await store.readProject(other))!);
      await vi.advanceTimersByTimeAsync(61_000);
      await search.flush();
      expect(await store.readCache(other, SEARCH_CACHE_NAME)).toBeDefined();
      // The write given up waiting for a quiet moment.
      expect(waiting.size).toBe(0);
    } finally {
      await search.flush();
      vi.useRealTimers();
    }
  });

  it('writes at shutdown an index still waiting for a quiet moment, and waits no more', async () => {
    const id = await projectOf(2);
    const waiting = new Set<() => void>();
    const search = new SearchService(store, {
      whenQuiet: (work) => {
        waiting.add(work);
        return () => waiting.delete(work);
      },
    });
    await search.index(id, (await store.readProject(id))!);
    expect(waiting.size).toBe(1);
    await search.flush();
    expect(await store.readCache(id, SEARCH_CACHE_NAME)).toBeDefined();
    expect(waiting.size).toBe(0);
  });
});
