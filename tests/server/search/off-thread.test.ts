// @vitest-environment node
/**
 * An index built on threads of their own is the index built here: the same persisted bytes
 * (documents, seq, passages, terms, speakers, positions, mean length), whether the texts are sent
 * decoded or as their UTF-8 bytes, and however many threads share the documents.
 */
import { describe, expect, it } from 'vitest';
import type { DocumentMeta } from '../../../shared/model.ts';
import { parseQuery } from '../../../shared/search/query.ts';
import { documentMeta } from '../../helpers/document-meta.ts';
import { buildOffThread, buildThreads, stretches } from '../../../server/search/off-thread.ts';
import { ProjectIndex } from '../../../server/search/project-index.ts';

const TEXTS: Record<string, string> = {
  d1:
    'Enquêtrice : Comment gérez-vous la billetterie ?\n' +
    'Camille Martin : 😀 On ressaisit tout. La double saisie, c’est notre quotidien.\n',
  d2: 'Q : Parlez-moi de vos outils.\nHélène Dubœuf : Nous ressaisissons les contrats, sur un tableur.\n',
  d3: 'Texte sans tours de parole : la billetterie, le tableur et la saisie.\n',
  d4:
    'Enquêtrice : Et la paie ?\n' +
    'Régisseur : Le logiciel de paie ne parle pas au planning ; on exporte en CSV, puis on ressaisit.\n',
  d5: 'Q : Vos prestataires ?\nDirectrice : Trois prestataires, trois comptes, aucune interopérabilité.\n',
  d6: 'Camille Martin : Les données des spectateurs sont éparpillées entre la billetterie et l’emailing.\n',
};

const DOCUMENTS = Object.entries(TEXTS).map(([id, text]) => documentMeta(id, text));
const readText = async (document: DocumentMeta) => TEXTS[document.id] as string;

function builtHere(documents: readonly DocumentMeta[], seq: number): ProjectIndex {
  const index = ProjectIndex.empty();
  for (const document of documents) index.addDocument(document, TEXTS[document.id] as string);
  index.seq = seq;
  index.compact();
  return index;
}

async function bytes(index: ProjectIndex): Promise<Buffer> {
  return Buffer.concat((await index.serialise()) as Uint8Array[]);
}

function found(index: ProjectIndex, q: string) {
  const { units, scores } = index.search(parseQuery(q), { prefix: true, fuzzy: true });
  return [...units].map((u, i) => ({ unit: index.unit(u), score: scores[i], words: index.wordsOf(u) }));
}

describe('buildOffThread', () => {
  it('gives the index the server thread would build', async () => {
    const here = builtHere(DOCUMENTS, 12);
    const there = await buildOffThread(DOCUMENTS, readText, 12);
    expect(there.seq).toBe(12);
    expect(await bytes(there)).toEqual(await bytes(here));
    expect(there.postings).toEqual(here.postings);
    for (const q of ['billetterie', 'ressaisir', '"double saisie"', 'tableur OR contrats', 'billeterie']) {
      expect(found(there, q), q).toEqual(found(here, q));
      expect(found(there, q).length, q).toBeGreaterThan(0);
    }
  });

  it('sends the texts in document order, whatever order their reads end in', async () => {
    // Reads ahead end in reverse: the thread must still receive d1, d2… as listed.
    const slowFirst = (document: DocumentMeta) =>
      new Promise<string>((done) =>
        setTimeout(
          () => done(TEXTS[document.id] as string),
          5 * (DOCUMENTS.length - DOCUMENTS.indexOf(document)),
        ),
      );
    const there = await buildOffThread(DOCUMENTS, slowFirst, 12);
    expect(await bytes(there)).toEqual(await bytes(builtHere(DOCUMENTS, 12)));
  });

  it('gives the same index from several threads, the stretches merged, as from one', async () => {
    const here = await bytes(builtHere(DOCUMENTS, 7));
    for (const threads of [2, 3, 6]) {
      const there = await buildOffThread(DOCUMENTS, readText, 7, threads);
      expect(await bytes(there), `${threads} threads`).toEqual(here);
      // Terms and speakers met by a later stretch first, or by several: numbered as one build does.
      for (const q of ['billetterie', 'ressaisir', '"double saisie"', 'Camille', 'prestataires'])
        expect(found(there, q), `${q}, ${threads} threads`).toEqual(found(builtHere(DOCUMENTS, 7), q));
    }
  });

  it('takes texts as their UTF-8 bytes, moved to the thread, a view into a larger buffer included', async () => {
    const encoder = new TextEncoder();
    const asBytes = async (document: DocumentMeta) => {
      const encoded = encoder.encode(TEXTS[document.id] as string);
      if (document.id !== 'd2') return encoded;
      // A slice of a pool, as small reads may be: the rest of the buffer must not be sent or lost.
      const pool = new Uint8Array(encoded.length + 16).fill(0x41);
      pool.set(encoded, 8);
      const view = pool.subarray(8, 8 + encoded.length);
      return view;
    };
    for (const threads of [1, 2]) {
      const there = await buildOffThread(DOCUMENTS, asBytes, 12, threads);
      expect(await bytes(there), `${threads} threads`).toEqual(await bytes(builtHere(DOCUMENTS, 12)));
    }
  });

  it('cuts the documents into stretches of about the same length of text, in order', () => {
    const sized = (lengths: number[]) => lengths.map((length, i) => ({ id: `d${i}`, length }));
    const ids = (parts: { id: string }[][]) => parts.map((part) => part.map((d) => d.id));
    expect(ids(stretches(sized([10, 10, 10, 10]), 2))).toEqual([
      ['d0', 'd1'],
      ['d2', 'd3'],
    ]);
    expect(ids(stretches(sized([30, 5, 5, 10, 10]), 2))).toEqual([['d0'], ['d1', 'd2', 'd3', 'd4']]);
    // Never more stretches than asked, none empty, every document once; fewer when more would
    // not make the longest one shorter.
    expect(ids(stretches(sized([1, 1, 100]), 3))).toEqual([['d0', 'd1'], ['d2']]);
    expect(ids(stretches(sized([100, 1, 1]), 3))).toEqual([['d0'], ['d1'], ['d2']]);
    expect(ids(stretches(sized([5, 5]), 4))).toEqual([['d0'], ['d1']]);
    expect(stretches([], 2)).toEqual([]);
  });

  it('leaves one core to the server, and gives each thread millions of characters to index', () => {
    const study = (documents: number, length: number) =>
      Array.from({ length: documents }, (_, i) => ({ ...documentMeta(`d${i}`, 'x'), length }));
    // The large study: 500 interviews of about 52,000 characters.
    expect(buildThreads(study(500, 52_000), 2)).toBe(1);
    expect(buildThreads(study(500, 52_000), 3)).toBe(2);
    expect(buildThreads(study(500, 52_000), 16)).toBe(4);
    // A study of 10 interviews: one thread, whatever the cores.
    expect(buildThreads(study(10, 52_000), 16)).toBe(1);
    expect(buildThreads(study(500, 52_000), 1)).toBe(1);
  });

  it('rejects when a document cannot be read, so that the caller can build it itself', async () => {
    const failing = async (document: DocumentMeta) => {
      if (document.id === 'd5') throw new Error('texte illisible');
      return TEXTS[document.id] as string;
    };
    await expect(buildOffThread(DOCUMENTS, failing, 3)).rejects.toThrow('texte illisible');
  });
});
