import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/errors.ts';
import {
  checkReplacementList,
  createReplacer,
  exportReplacements,
  foldName,
} from '../../shared/pseudonymise.ts';

const LIST = [
  { from: 'Camille Martin', to: 'P03' },
  { from: 'Théâtre des Lilas', to: '[théâtre A]' },
  { from: 'Lilas', to: '[quartier]' },
  { from: 'Hélène', to: 'P07' },
];

describe('createReplacer', () => {
  const replace = createReplacer(LIST);

  it('replaces a name whatever its case and accents: « CAMILLE MARTIN », « helene »', () => {
    expect(replace.apply('Merci, CAMILLE MARTIN et helene.')).toBe('Merci, P03 et P07.');
  });

  it('writes an elided word in full before a replacement opening with a consonant: « d’Hélène » → « de P07 »', () => {
    expect(replace.apply("La collègue d’Hélène, l'Hélène du guichet. D’Hélène, qu’Hélène.")).toBe(
      'La collègue de P07, le P07 du guichet. De P07, que P07.',
    );
    // Before a vowel the elision stays: « d’Anne » → « d’Interviewée 2 ».
    const vowel = createReplacer([{ from: 'Anne', to: 'Interviewée 2' }]);
    expect(vowel.apply('le bureau d’Anne')).toBe('le bureau d’Interviewée 2');
    // An apostrophe inside a word is no elision: « aujourd’hui Hélène ».
    expect(replace.apply('aujourd’hui Hélène')).toBe('aujourd’hui P07');
    expect(replace.spans('chez d’Hélène')).toEqual([{ start: 5, end: 13, replacement: 'de P07' }]);
  });

  it('never replaces part of a word: « Martine » and « Camille Martinez » stay', () => {
    expect(replace.apply('Martine et Camille Martinez, pas Camille Martin.')).toBe(
      'Martine et Camille Martinez, pas P03.',
    );
    expect(createReplacer([{ from: 'Martin', to: 'P03' }]).apply('Martine, Martin.')).toBe('Martine, P03.');
  });

  it('matches a name split by a line break or repeated spaces', () => {
    expect(replace.apply('au Théâtre   des\nLilas, avec Camille\r\n Martin')).toBe(
      'au [théâtre A], avec P03',
    );
  });

  it('takes the longest name first: « Théâtre des Lilas » before « Lilas »', () => {
    expect(replace.apply('le Théâtre des Lilas, près des Lilas')).toBe('le [théâtre A], près des [quartier]');
  });

  it('treats typographic and straight apostrophes alike inside a name', () => {
    const r = createReplacer([{ from: "Compagnie l'Éclat", to: '[compagnie B]' }]);
    expect(r.apply('la Compagnie l’Éclat joue')).toBe('la [compagnie B] joue');
    expect(r.apply('la COMPAGNIE L`ECLAT, la compagnie lʼéclat')).toBe('la [compagnie B], la [compagnie B]');
  });

  it('gives spans in code points of the text, even after an emoji', () => {
    const text = '😀 Camille Martin 😀 Hélène';
    expect(replace.spans(text)).toEqual([
      { start: 2, end: 16, replacement: 'P03' },
      { start: 19, end: 25, replacement: 'P07' },
    ]);
    expect(Array.from(text).slice(2, 16).join('')).toBe('Camille Martin');
  });

  it('leaves a text without names untouched, and an empty list replaces nothing', () => {
    expect(replace.apply('Rien à signaler.')).toBe('Rien à signaler.');
    expect(createReplacer([]).apply('Camille Martin')).toBe('Camille Martin');
  });

  it('does not replace inside a replacement already made (one pass)', () => {
    const r = createReplacer([
      { from: 'Camille', to: 'Hélène' },
      { from: 'Hélène', to: 'P07' },
    ]);
    expect(r.apply('Camille et Hélène')).toBe('Hélène et P07');
  });
});

describe('exportReplacements', () => {
  it('adds each participant’s name → pseudonym after the list, so the list wins', () => {
    const list = exportReplacements(
      [{ from: 'Camille Martin', to: '[la billettiste]' }],
      [
        { name: 'Camille Martin', pseudonym: 'P03' },
        { name: 'Hélène Dubœuf', pseudonym: 'P07' },
      ],
    );
    const r = createReplacer(list);
    expect(r.apply('Camille Martin et Hélène Dubœuf')).toBe('[la billettiste] et P07');
  });
});

describe('checkReplacementList', () => {
  it('tidies entries: trimmed, inner whitespace as one space', () => {
    expect(checkReplacementList([{ from: '  Camille \n Martin ', to: ' P03 ' }])).toEqual([
      { from: 'Camille Martin', to: 'P03' },
    ]);
  });

  it('refuses a name given twice once folded (« Hélène » and « HELENE »)', () => {
    expect(() =>
      checkReplacementList([
        { from: 'Hélène', to: 'P07' },
        { from: 'HELENE', to: 'P08' },
      ]),
    ).toThrow(DomainError);
  });

  it('refuses an empty name or replacement', () => {
    expect(() => checkReplacementList([{ from: ' ', to: 'P01' }])).toThrow(/obligatoires/);
    expect(() => checkReplacementList([{ from: 'Camille', to: '' }])).toThrow(/obligatoires/);
  });
});

describe('createReplacer on many names', () => {
  /** The names found as one pattern alternating every name, longest first, did (the oracle). */
  function byPattern(names: readonly string[], text: string) {
    const keys = [...new Set(names)].sort((a, b) => b.length - a.length || a.localeCompare(b));
    const escaped = keys.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${escaped.join('|')})(?![\\p{L}\\p{N}])`, 'gu');
    return [...text.matchAll(pattern)].map((m) => ({
      start: m.index,
      end: m.index + m[0].length,
      name: m[0],
    }));
  }

  it('finds what one pattern alternating every name finds, on texts already folded', () => {
    // Few tokens, so that names meet in the texts, next to each other and inside each other.
    const token = fc.constantFrom('al', 'ali', 'bo', 'œ', '2', 'l');
    const joiner = fc.constantFrom(' ', '-', "'", '');
    const name = fc
      .tuple(fc.constantFrom('', "'", '-'), fc.array(fc.tuple(token, joiner), { minLength: 1, maxLength: 2 }))
      .map(([lead, parts]) => (lead + parts.map(([t, j]) => t + j).join('')).trim())
      .filter((n) => n !== '');
    const text = fc
      .array(fc.tuple(token, fc.constantFrom(' ', '-', "'", '.', ', ', '', '»')), { maxLength: 25 })
      .map((parts) => parts.map(([t, j]) => t + j).join(''));
    fc.assert(
      fc.property(fc.array(name, { minLength: 1, maxLength: 12 }), text, (names, body) => {
        // Replacements opening with a vowel: no elided word is written out, spans are the names.
        const replacer = createReplacer(names.map((n, i) => ({ from: n, to: `A${i}` })));
        const found = replacer.spans(body).map((s) => ({ start: s.start, end: s.end }));
        const expected = byPattern(names, body).map(({ start, end }) => ({ start, end }));
        expect(found).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('createReplacer on texts of any script', () => {
  it('gives spans, in code points, that hold the names it replaces, and replaces exactly them', () => {
    const names = ['Hélène Dubœuf', 'ÉLODIE', 'Jean-Pierre', 'Ǆemal', 'Lilas', 'Théâtre de l’Arche'];
    const piece = fc.constantFrom(
      'hélène',
      'HELENE',
      'Hélène',
      'dubœuf',
      'DUBOEUF',
      'Élodie',
      'elodie',
      'jean-pierre',
      'JEAN–PIERRE',
      'ǆemal',
      'théâtre de l`arche',
      "THEATRE DE L'ARCHE",
      'Lilas',
      'lilas',
      '😀',
      '𝒜',
      '\n',
      '\u00a0',
      ' ',
      '  ',
      '\t',
      'l’',
      "d'",
      '`',
      '.',
      'ß',
      'İ',
      'x',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const text = pieces.join('');
        const replacer = createReplacer(names.map((from, i) => ({ from, to: `A${i}` })));
        const points = [...text];
        const spans = replacer.spans(text);
        let expected = '';
        let at = 0;
        for (const span of spans) {
          const held = points.slice(span.start, span.end).join('');
          expect(foldName(held)).toBe(foldName(names[Number(span.replacement.slice(1))] as string));
          expect(span.start).toBeGreaterThanOrEqual(at);
          expected += points.slice(at, span.start).join('') + span.replacement;
          at = span.end;
        }
        expect(replacer.apply(text)).toBe(expected + points.slice(at).join(''));
      }),
      { numRuns: 500 },
    );
  });
});
