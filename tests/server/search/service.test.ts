import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newId, type DocumentId, type ProjectId, type UserId } from '../../../shared/ids.ts';
import type { DocumentMeta } from '../../../shared/model.ts';
import { parseQuery } from '../../../shared/search/query.ts';
import { detectTurns } from '../../../shared/turns.ts';
import { SearchService } from '../../../server/search/service.ts';
import type { LedgerStore } from '../../../server/storage/ledger-store.ts';
import { openFileStore } from '../../../server/storage/file-store.ts';
import { openMemoryStore } from '../../../server/storage/memory-store.ts';

const AT = '2025-01-06T09:00:00.000Z' as DocumentMeta['createdAt'];

let store: LedgerStore;
beforeEach(async () => {
  store = await openMemoryStore();
});
afterEach(async () => {
  await store.close();
});

/** A project of `count` interviews, their texts in `into` (by default, the store's memory). */
async function projectOf(count: number, into: LedgerStore = store): Promise<ProjectId> {
  const store = into;
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

  it('builds off its thread from the text files themselves when the store keeps files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'verbatim-search-'));
    const files = await openFileStore(dir);
    try {
      const id = await projectOf(12, files);
      const state = await files.readProject(id);
      const reads = vi.spyOn(files, 'readText');
      const search = new SearchService(files, { offThread: true, persistAfterMs: 60_000 });
      const index = await search.index(id, state!);
      // The threads read the twelve files: the server's thread read none of them.
      expect(reads).not.toHaveBeenCalled();
      expect(index.documentIds()).toEqual(new Set(Object.keys(state!.documents)));
      expect(index.search(parseQuery('tableur'), { prefix: false, fuzzy: false }).units.length).toBe(12);
      await search.flush();
    } finally {
      await files.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('builds off its thread from texts it reads when the store keeps no files', async () => {
    const id = await projectOf(5);
    const state = await store.readProject(id);
    expect(store.textFile(id, Object.keys(state!.documents)[0] as DocumentId)).toBeUndefined();
    const reads = vi.spyOn(store, 'readText');
    const search = new SearchService(store, { offThread: true, persistAfterMs: 60_000 });
    const index = await search.index(id, state!);
    expect(reads).toHaveBeenCalledTimes(5);
    expect(index.search(parseQuery('billetterie'), { prefix: false, fuzzy: false }).units.length).toBe(5);
    await search.flush();
  });
});
