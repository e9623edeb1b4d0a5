import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../../shared/search/query.ts';
import { documentMeta } from '../../helpers/document-meta.ts';
import { ProjectIndex } from '../../../server/search/project-index.ts';

const documentOf = documentMeta;

const FIRST =
  'Enquêtrice : Comment gérez-vous la billetterie ?\n' +
  'Camille Martin : 😀 On ressaisit tout. La double saisie, c’est notre quotidien ; la saisie est faite en double.\n' +
  'Enquêtrice : Et le logiciel de billetterie ?\n' +
  'Camille Martin : Un tableur, puis un logiciel. Les billets partent vite.\n';
const SECOND =
  'Q : Parlez-moi de vos outils.\n' +
  'Hélène Dubœuf : Nous ressaisissons les contrats. Une saisie en double, sur papier. Marionnettes.\n';

function built(): ProjectIndex {
  const index = ProjectIndex.empty();
  index.addDocument(documentOf('d1', FIRST), FIRST);
  index.addDocument(documentOf('d2', SECOND), SECOND);
  index.seq = 7;
  return index;
}

async function saved(index: ProjectIndex): Promise<string> {
  const text = await index.serialise();
  if (text === undefined) throw new Error('The index changed while it was written');
  return text;
}

/** Every unit a query finds, with its score and its words. */
function found(index: ProjectIndex, q: string, options = { prefix: false, fuzzy: false }) {
  const { units, scores } = index.search(parseQuery(q), options);
  return [...units].map((u, i) => ({ unit: index.unit(u), score: scores[i], words: index.wordsOf(u) }));
}

const QUERIES = ['billetterie', 'saisie double', '"double saisie"', 'tableur OR papier', 'saisie -papier'];

describe('ProjectIndex', () => {
  it('reads back from its persisted form the same passages, scores and word positions', async () => {
    const index = built();
    const loaded = await ProjectIndex.load(await saved(index));
    expect(loaded?.seq).toBe(7);
    expect(loaded?.documentIds()).toEqual(new Set(['d1', 'd2']));
    for (const q of QUERIES) {
      expect(found(loaded as ProjectIndex, q), q).toEqual(found(index, q));
      expect(found(index, q).length, q).toBeGreaterThan(0);
    }
    const fuzzy = { prefix: true, fuzzy: true };
    expect(found(loaded as ProjectIndex, 'billeterie', fuzzy)).toEqual(found(index, 'billeterie', fuzzy));
  });

  it('locates matched words in code points of the document, after an emoji', () => {
    const [hit] = found(built(), 'ressaisir');
    const start = [...FIRST].join('').indexOf('ressaisit');
    // The emoji before it is two UTF-16 units but one code point.
    const codePoints = [...FIRST.slice(0, start)].length;
    expect(hit?.unit.documentId).toBe('d1');
    expect([...(hit?.words.starts ?? [])]).toContain(codePoints);
    expect([...(hit?.words.ends ?? [])]).toContain(codePoints + 'ressaisit'.length);
  });

  it('is written and read in slices, other work running between them', async () => {
    // About a million words, 640,000 indexed: three slices of base64 each way.
    const turn = 'Camille Martin : La billetterie et le tableur, puis la saisie en double du contrat.\n';
    const text = turn.repeat(80_000);
    const index = ProjectIndex.empty();
    index.addDocument(documentOf('long', text), text);
    // Turns of the event loop while the index is written, then read.
    let turns = 0;
    let counting = true;
    const count = () => {
      turns++;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    try {
      const text = await saved(index);
      const written = turns;
      expect(written).toBeGreaterThan(1);
      const loaded = await ProjectIndex.load(text);
      expect(turns - written).toBeGreaterThan(1);
      expect(found(loaded as ProjectIndex, 'contrat').length).toBe(80_000);
      // A document added while the index is being written: that copy is given up, not half new.
      const writing = index.serialise();
      index.addDocument(documentOf('d2', SECOND), SECOND);
      expect(await writing).toBeUndefined();
      expect(await ProjectIndex.load(await saved(index))).toBeDefined();
    } finally {
      counting = false;
    }
  });

  it('refuses a damaged persisted form, so that the index is rebuilt', async () => {
    const text = await saved(built());
    const newline = text.indexOf('\n');
    const header = JSON.parse(text.slice(0, newline)) as Record<string, unknown>;
    const body = text.slice(newline + 1);
    const damaged = [
      text.slice(0, text.length - 8),
      `${text.slice(0, newline)}\n${body.slice(0, 100)}!!!!${body.slice(104)}`,
      `${JSON.stringify({ ...header, version: 2 })}\n${body}`,
      `${JSON.stringify({ ...header, terms: ['seul'] })}\n${body}`,
      `${JSON.stringify({ ...header, units: (header.units as number) + 1 })}\n${body}`,
      '{"version":2,"seq":1,"units":[],"index":{}}',
      '',
    ];
    for (const d of damaged) expect(await ProjectIndex.load(d)).toBeUndefined();
  });

  it('keeps no word of a removed document, and finds the others as before', async () => {
    const index = built();
    const before = found(index, 'billetterie');
    index.removeDocument('d2');
    expect(index.documentIds()).toEqual(new Set(['d1']));
    expect(found(index, 'marionnettes')).toEqual([]);
    expect((await saved(index)).split('\n')[0]).not.toMatch(/marionnet/);
    expect(found(index, 'billetterie').map((h) => h.unit)).toEqual(before.map((h) => h.unit));
    index.addDocument(documentOf('d2', SECOND), SECOND);
    expect(found(index, 'marionnettes').map((h) => h.unit.documentId)).toEqual(['d2']);
  });

  it('reads a phrase as a phrase within OR and after a minus sign', () => {
    const index = built();
    // « la saisie est faite en double »: both words, apart, in the second turn of d1.
    const apart = (q: string) => found(index, q).map((h) => `${h.unit.documentId}:${h.unit.speaker}`);
    expect(apart('"saisie faite"')).toEqual(['d1:Camille Martin']);
    // « saisie … double » is no « double saisie » … except in d1, where both are said: only the
    // passages with the phrase, or with « tableur », are found.
    const withPhrase = found(index, '"double saisie" OR tableur').map((h) => h.unit.start);
    const phraseOnly = found(index, '"double saisie"').map((h) => h.unit.start);
    const tableur = found(index, 'tableur').map((h) => h.unit.start);
    expect(withPhrase).toEqual([...new Set([...phraseOnly, ...tableur])].sort((a, b) => a - b));
    expect(found(index, '"double saisie" OR tableur').map((h) => h.unit.documentId)).not.toContain('d2');
    // Excluding the phrase keeps the passage where the two words are apart (d2).
    expect(found(index, 'saisie -"double saisie"').map((h) => h.unit.documentId)).toEqual(['d2']);
  });
});
