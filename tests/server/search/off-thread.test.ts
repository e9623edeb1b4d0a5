// @vitest-environment node
/**
 * An index built on a thread of its own is the index built here: the same persisted bytes
 * (documents, seq, passages, terms, speakers, positions, mean length).
 */
import { describe, expect, it } from 'vitest';
import type { DocumentMeta } from '../../../shared/model.ts';
import { parseQuery } from '../../../shared/search/query.ts';
import { documentMeta } from '../../helpers/document-meta.ts';
import { buildOffThread } from '../../../server/search/off-thread.ts';
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

  it('rejects when a document cannot be read, so that the caller can build it itself', async () => {
    const failing = async (document: DocumentMeta) => {
      if (document.id === 'd5') throw new Error('texte illisible');
      return TEXTS[document.id] as string;
    };
    await expect(buildOffThread(DOCUMENTS, failing, 3)).rejects.toThrow('texte illisible');
  });
});
