import { describe, expect, it } from 'vitest';
import { documentMeta } from '../../helpers/document-meta.ts';
import { emptyProjectState } from '../../../shared/events.ts';
import type { DocumentId, ProjectId } from '../../../shared/ids.ts';
import type { DocumentMeta } from '../../../shared/model.ts';
import { CodePointIndex } from '../../../shared/offsets.ts';
import { parseQuery } from '../../../shared/search/query.ts';
import { NO_FILTER } from '../../../shared/stats/filters.ts';
import { findHits } from '../../../server/search/hits.ts';
import { ProjectIndex } from '../../../server/search/project-index.ts';
import type { Store } from '../../../server/storage/store.ts';

const TEXTS: Record<string, string> = {
  d1: 'Camille : la billetterie, billetterie et billetterie.\nQ : Encore la billetterie ?\nCamille : Oui, billetterie.\n',
  d2: 'Hélène : Une billetterie en ligne.\nQ : Et la billetterie papier ?\n',
};

function documentOf(id: string): DocumentMeta {
  return documentMeta(id, TEXTS[id] as string);
}

describe('findHits', () => {
  it('answers the passages it found when a document is deleted while it reads their texts', async () => {
    const state = emptyProjectState('p' as ProjectId);
    const index = ProjectIndex.empty();
    for (const id of ['d1', 'd2']) {
      state.documents[id] = documentOf(id);
      index.addDocument(documentOf(id), TEXTS[id] as string);
    }
    const query = parseQuery('billetterie');
    const options = { prefix: false, fuzzy: false };
    const instant: Store = {
      readTextIndex: async (_: ProjectId, id: DocumentId) => new CodePointIndex(TEXTS[id] as string),
    } as unknown as Store;
    const before = await findHits(
      instant,
      state,
      index,
      query,
      options,
      { filter: NO_FILTER },
      { offset: 0, limit: 100 },
    );
    expect(before.documents.map((d) => d.documentId)).toEqual(['d1', 'd2']);

    // The texts are read only once d1 is gone from the project and from the index.
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow: Store = {
      readTextIndex: async (_: ProjectId, id: DocumentId) => {
        await gate;
        return new CodePointIndex(TEXTS[id] as string);
      },
    } as unknown as Store;
    const reading = findHits(
      slow,
      state,
      index,
      query,
      options,
      { filter: NO_FILTER },
      { offset: 0, limit: 100 },
    );
    delete state.documents.d1;
    index.removeDocument('d1');
    release();
    const after = await reading;
    // Each hit is one found before, whole (a d1 passage read before its deletion may be among them).
    const byId = new Map(before.hits.map((h) => [h.id, h]));
    for (const hit of after.hits) expect(hit).toEqual(byId.get(hit.id));
    const d2 = before.hits.filter((h) => h.documentId === 'd2');
    expect(d2.length).toBe(2);
    expect(after.hits.filter((h) => h.documentId === 'd2')).toEqual(d2);
  });
});
