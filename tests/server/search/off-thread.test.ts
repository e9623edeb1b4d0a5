// @vitest-environment node
/**
 * An index built on its own thread is the index built here: same documents, seq, passages,
 * scores and word positions.
 */
import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../../shared/search/query.ts';
import { documentMeta } from '../../helpers/document-meta.ts';
import { buildOffThread } from '../../../server/search/off-thread.ts';
import { ProjectIndex } from '../../../server/search/project-index.ts';

const TEXTS = {
  d1:
    'Enquêtrice : Comment gérez-vous la billetterie ?\n' +
    'Camille Martin : 😀 On ressaisit tout. La double saisie, c’est notre quotidien.\n',
  d2: 'Q : Parlez-moi de vos outils.\nHélène Dubœuf : Nous ressaisissons les contrats, sur un tableur.\n',
  d3: 'Texte sans tours de parole : la billetterie, le tableur et la saisie.\n',
};

async function* documents() {
  for (const [id, text] of Object.entries(TEXTS)) yield { document: documentMeta(id, text), text };
}

function found(index: ProjectIndex, q: string) {
  const { units, scores } = index.search(parseQuery(q), { prefix: true, fuzzy: true });
  return [...units].map((u, i) => ({ unit: index.unit(u), score: scores[i], words: index.wordsOf(u) }));
}

describe('buildOffThread', () => {
  it('gives the index the server thread would build', async () => {
    const here = ProjectIndex.empty();
    for await (const { document, text } of documents()) here.addDocument(document, text);
    here.seq = 12;
    const there = await buildOffThread(documents(), 12);
    expect(there.seq).toBe(12);
    expect(there.documentIds()).toEqual(new Set(['d1', 'd2', 'd3']));
    for (const q of ['billetterie', 'ressaisir', '"double saisie"', 'tableur OR contrats', 'billeterie']) {
      expect(found(there, q), q).toEqual(found(here, q));
      expect(found(there, q).length, q).toBeGreaterThan(0);
    }
  });

  it('rejects when a document cannot be read, so that the caller can build it itself', async () => {
    async function* failing() {
      yield* documents();
      throw new Error('texte illisible');
    }
    await expect(buildOffThread(failing(), 3)).rejects.toThrow('texte illisible');
  });
});
