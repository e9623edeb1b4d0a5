import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldTerm, forEachWord, hashUnits, processTerm, tokenize } from '../../shared/search/french.ts';
import { CodePointIndex } from '../../shared/offsets.ts';
import { parseQuery } from '../../shared/search/query.ts';
import { searchUnits } from '../../shared/search/units.ts';
import type { Turn } from '../../shared/turns.ts';

describe('French term processing', () => {
  it('folds accents and case: « Accessibilité » and « accessibilite » are the same term', () => {
    expect(foldTerm('Accessibilité')).toBe('accessibilite');
    expect(processTerm('Accessibilité')).toBe(processTerm('accessibilite'));
    expect(processTerm('ça')).toBe(processTerm('ca'));
    expect(processTerm('ca')).not.toBeNull();
  });

  it('stems the forms of a verb alike: ressaisir, ressaisit, ressaisie, ressaisissons', () => {
    const stems = new Set(
      ['ressaisir', 'ressaisit', 'ressaisie', 'ressaisissons', 'ressaisies'].map(processTerm),
    );
    expect(stems.size).toBe(1);
    expect(processTerm('données')).toBe(processTerm('donnee'));
    expect(processTerm('coûts')).toBe(processTerm('cout'));
    expect(processTerm('planification')).toBe(processTerm('planifié'));
  });

  it('strips elided articles and pronouns: « l’accessibilité », « d’API », « qu’on »', () => {
    expect(processTerm('l’accessibilité')).toBe(processTerm('accessibilité'));
    expect(processTerm("d'API")).toBe(processTerm('API'));
    expect(processTerm('jusqu’ici')).toBe(processTerm('ici'));
  });

  it('drops stop words', () => {
    for (const word of ['le', 'des', 'et', 'euh', 'nous', 'Être']) expect(processTerm(word)).toBeNull();
    expect(processTerm('été')).not.toBeNull();
  });

  it('tokenizes with UTF-16 positions, keeping elisions in one token', () => {
    expect(tokenize('Bonjour, l’équipe 😀 «RGPD»!')).toEqual([
      { word: 'Bonjour', start: 0, end: 7 },
      { word: 'l’équipe', start: 9, end: 17 },
      { word: 'RGPD', start: 22, end: 26 },
    ]);
  });
});

describe('forEachWord', () => {
  const spans = (text: string, from: number, to: number) => {
    const found: [number, number][] = [];
    forEachWord(text, from, to, (start, end, hash) => {
      // The hash it gives is the word's, as the index's word forms look it up.
      expect(hash, text.slice(start, end)).toBe(hashUnits(text, start, end));
      found.push([start, end]);
    });
    return found;
  };
  // Letters with and without accents, digits, the three apostrophes, an astral letter (𝐀) and an
  // astral emoji, a lone surrogate, punctuation and spaces.
  const piece = fc.constantFrom(
    'a',
    'é',
    'Œ',
    '7',
    "'",
    '’',
    'ʼ',
    '-',
    ' ',
    '.',
    '😀',
    '𝐀',
    '\uD800',
    'ß',
    '\n',
  );

  it('finds exactly the words tokenize finds, in any stretch of any text', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.nat(), fc.nat(), (pieces, a, b) => {
        const text = pieces.join('');
        // Stretches start and end between whole pieces, as units start and end between code points.
        const cuts = pieces.reduce((at, p) => [...at, (at[at.length - 1] as number) + p.length], [0]);
        const x = cuts[a % cuts.length] as number;
        const y = cuts[b % cuts.length] as number;
        const [from, to] = [Math.min(x, y), Math.max(x, y)];
        const expected = tokenize(text.slice(from, to)).map((t) => [from + t.start, from + t.end]);
        expect(spans(text, from, to)).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives each word the FNV-1a hash of its UTF-16 units', () => {
    // Known values of 32-bit FNV-1a: the empty string, then « a » (one unit, 0x61).
    expect(hashUnits('', 0, 0)).toBe(0x811c9dc5);
    expect(hashUnits('a', 0, 1)).toBe(0xe40c292c);
    const hashes: number[] = [];
    forEachWord(' a é’t 😀𝐀b ', 0, 12, (_s, _e, hash) => hashes.push(hash));
    expect(hashes).toEqual([hashUnits('a', 0, 1), hashUnits('é’t', 0, 3), hashUnits('𝐀b', 0, 3)]);
  });

  it('keeps « aujourd’hui » and « l’API » whole, and splits « peut-être »', () => {
    const text = 'aujourd’hui l’API peut-être';
    expect(spans(text, 0, text.length).map(([s, e]) => text.slice(s, e))).toEqual([
      'aujourd’hui',
      'l’API',
      'peut',
      'être',
    ]);
  });
});

describe('parseQuery', () => {
  it('reads words, phrases, OR and exclusions', () => {
    const q = parseQuery('"double saisie" OR ressaisie billetterie -papier -"à la main"');
    expect(q.groups.map((g) => g.map((c) => c.raw))).toEqual([
      ['double saisie', 'ressaisie'],
      ['billetterie'],
    ]);
    expect(q.groups[0]?.[0]?.phrase).toBe(true);
    expect(q.excluded.map((c) => c.raw)).toEqual(['papier', 'à la main']);
  });

  it('refuses a query of stop words only', () => {
    expect(() => parseQuery('le la les')).toThrow(/aucun mot significatif/);
  });
});

describe('searchUnits', () => {
  const text =
    'Entretien n°1 – Théâtre des Lilas\nDurée : 48 min\n\nEnquêtrice : Bonjour.\nCamille : Oui 🎭.\nFin.';
  const index = new CodePointIndex(text);
  const at = (needle: string) => Array.from(text.slice(0, text.indexOf(needle))).length;
  const turns: Turn[] = [
    { start: at('Enquêtrice'), end: at('Camille') - 1, speaker: 'Enquêtrice' },
    { start: at('Camille'), end: at('\nFin'), speaker: 'Camille' },
  ];

  it('indexes the title block before the first turn and the text after the last, by paragraph', () => {
    const units = searchUnits(index, turns);
    expect(units.map((u) => [index.slice(u.start, u.end), u.speaker, u.outsideTurns ?? false])).toEqual([
      ['Entretien n°1 – Théâtre des Lilas', '', true],
      ['Durée : 48 min', '', true],
      ['Enquêtrice : Bonjour.', 'Enquêtrice', false],
      ['Camille : Oui 🎭.', 'Camille', false],
      ['Fin.', '', true],
    ]);
  });

  it('cuts a transcript without turns into paragraphs said by no one in particular', () => {
    const plain = new CodePointIndex('Premier paragraphe.\n\nSecond.');
    expect(searchUnits(plain, []).map((u) => [plain.slice(u.start, u.end), u.outsideTurns ?? false])).toEqual(
      [
        ['Premier paragraphe.', false],
        ['Second.', false],
      ],
    );
  });

  it('leaves out units of white space only (spaces, tabs, line breaks, non-breaking spaces)', () => {
    const blank = new CodePointIndex('A : x\nB : \u00a0\t \u2003\nC :  y  \n');
    const units = searchUnits(blank, [
      { start: 0, end: 5, speaker: 'A' },
      { start: 10, end: 14, speaker: 'B' },
      { start: 15, end: 23, speaker: 'C' },
    ]);
    expect(units.map((u) => [u.speaker, u.outsideTurns ?? false])).toEqual([
      ['A', false],
      ['', true],
      ['C', false],
    ]);
  });

  it('leaves no non-blank character of the document outside a unit', () => {
    const covered = new Set<number>();
    for (const u of searchUnits(index, turns)) for (let i = u.start; i < u.end; i++) covered.add(i);
    const points = Array.from(text);
    const missed = points.map((ch, i) => (ch.trim() !== '' && !covered.has(i) ? ch : '')).join('');
    expect(missed).toBe('');
  });
});
