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

async function saved(index: ProjectIndex): Promise<Uint8Array> {
  const pieces = await index.serialise();
  if (pieces === undefined) throw new Error('The index changed while it was written');
  return Buffer.concat(pieces);
}

/** The header's bytes, then spaces and a newline making `length` bytes in all. */
function headerLine(header: unknown, length: (json: Buffer) => number): Buffer {
  const json = Buffer.from(JSON.stringify(header));
  const line = Buffer.alloc(length(json), ' ');
  json.copy(line);
  line[line.length - 1] = 0x0a;
  return line;
}

function misaligned(header: unknown, body: Uint8Array): Uint8Array {
  return Buffer.concat([headerLine(header, (json) => Math.ceil((json.length + 1) / 8) * 8 + 1), body]);
}

/** A persisted form with another header, padded as the index pads its own. */
function withHeader(header: unknown, body: Uint8Array): Uint8Array {
  return Buffer.concat([headerLine(header, (json) => Math.ceil((json.length + 1) / 8) * 8), body]);
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
    const loaded = ProjectIndex.load(await saved(index));
    expect(loaded?.seq).toBe(7);
    expect(loaded?.documentIds()).toEqual(new Set(['d1', 'd2']));
    for (const q of QUERIES) {
      expect(found(loaded as ProjectIndex, q), q).toEqual(found(index, q));
      expect(found(index, q).length, q).toBeGreaterThan(0);
    }
    const fuzzy = { prefix: true, fuzzy: true };
    expect(found(loaded as ProjectIndex, 'billeterie', fuzzy)).toEqual(found(index, 'billeterie', fuzzy));
  });

  it('finds the same after other queries as on a fresh index (the arrays a query works in are reused, zeroed)', () => {
    const index = built();
    const fuzzy = { prefix: true, fuzzy: true };
    const fresh = QUERIES.map((q) => found(built(), q, fuzzy));
    for (let round = 0; round < 2; round++) {
      QUERIES.forEach((q, i) => expect(found(index, q, fuzzy), q).toEqual(fresh[i]));
      expect(found(index, 'saisie', { prefix: false, fuzzy: false }).length).toBeGreaterThan(0);
    }
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

  it('is written in slices, other work running between them, and read where its arrays lie', async () => {
    // About a million words, 640,000 indexed: several slices of 4 MB.
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
      const bytes = await saved(index);
      expect(turns).toBeGreaterThan(1);
      const loaded = ProjectIndex.load(bytes);
      expect(found(loaded as ProjectIndex, 'contrat').length).toBe(80_000);
      // A document added while the index is being written: that copy is given up, not half new.
      const writing = index.serialise();
      index.addDocument(documentOf('d2', SECOND), SECOND);
      expect(await writing).toBeUndefined();
      expect(ProjectIndex.load(await saved(index))).toBeDefined();
    } finally {
      counting = false;
    }
  });

  it('refuses a damaged persisted form, so that the index is rebuilt', async () => {
    const bytes = await saved(built());
    const newline = bytes.indexOf(0x0a);
    const header = JSON.parse(Buffer.from(bytes.subarray(0, newline)).toString()) as Record<string, unknown>;
    const body = bytes.subarray(newline + 1);
    expect(ProjectIndex.load(withHeader(header, body))).toBeDefined();
    // The documents' numbers of units, first of the 4-byte columns after the units' times.
    const units = header.units as number;
    const badCounts = Uint8Array.from(body).fill(0xff, units * 8, units * 8 + 4);
    const damaged = [
      bytes.subarray(0, bytes.length - 8),
      withHeader(header, badCounts),
      withHeader({ ...header, version: 3 }, body),
      withHeader({ ...header, terms: ['seul'] }, body),
      withHeader({ ...header, units: units + 1 }, body),
      // One byte too many before the arrays: they would not lie at a multiple of 8.
      misaligned(header, body),
      Buffer.from(`{"version":3,"seq":1}\nAAAA`),
      new Uint8Array(),
    ];
    for (const d of damaged) expect(ProjectIndex.load(d)).toBeUndefined();
  });

  it('keeps no word of a removed document, and finds the others as before', async () => {
    const index = built();
    const before = found(index, 'billetterie');
    index.removeDocument('d2');
    expect(index.documentIds()).toEqual(new Set(['d1']));
    expect(found(index, 'marionnettes')).toEqual([]);
    expect(Buffer.from(await saved(index)).toString()).not.toMatch(/marionnet/);
    expect(found(index, 'billetterie').map((h) => h.unit)).toEqual(before.map((h) => h.unit));
    index.addDocument(documentOf('d2', SECOND), SECOND);
    expect(found(index, 'marionnettes').map((h) => h.unit.documentId)).toEqual(['d2']);
  });

  it('numbers words right after a removal renumbers the terms: finds what a fresh index finds', () => {
    // d1 removed: its own terms go and the others are renumbered; the word forms the index
    // remembered (with their old term numbers) must go with them.
    const THIRD = 'Régisseur : La billetterie et le tableur ; des marionnettes, une saisie en double.\n';
    const changed = built();
    changed.removeDocument('d1');
    changed.addDocument(documentOf('d3', THIRD), THIRD);
    changed.seq = 7;
    const fresh = ProjectIndex.empty();
    fresh.addDocument(documentOf('d2', SECOND), SECOND);
    fresh.addDocument(documentOf('d3', THIRD), THIRD);
    fresh.seq = 7;
    // Term numbers and the mean length's last bits may differ (kept through the removal): what is
    // found, and the words located, may not; scores to many places.
    for (const q of [...QUERIES, 'marionnettes', 'contrats']) {
      const got = found(changed, q);
      const want = found(fresh, q);
      const located = (hits: typeof got) => hits.map((h) => [h.unit, h.words.starts, h.words.ends]);
      expect(located(got), q).toEqual(located(want));
      got.forEach((h, i) => expect(h.score, q).toBeCloseTo(want[i]?.score as number, 9));
    }
    expect(found(changed, 'billetterie').map((h) => h.unit.documentId)).toEqual(['d3']);
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
