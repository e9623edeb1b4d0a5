// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldForComparison, normaliseText } from '../../shared/text.ts';

const PIECES = [
  'a',
  'é',
  'e\u0301',
  'E\u0301',
  'o\u0302',
  'œ',
  '’',
  '« ',
  ' »',
  '\r\n',
  '\r',
  '\n',
  '\uFEFF',
  '😀',
  '👩‍👩‍👧',
  '🇫🇷',
  '\u212B', // ANGSTROM SIGN, NFC → Å
  '\ud83d', // lone surrogate
];
const rawText = fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }).map((p) => p.join(''));

describe('normaliseText', () => {
  it('removes a leading byte-order mark', () => {
    expect(normaliseText('\uFEFFBonjour')).toBe('Bonjour');
  });

  it('removes every leading byte-order mark, as a text saved twice with a BOM has two', () => {
    expect(normaliseText('\uFEFF\uFEFFBonjour')).toBe('Bonjour');
  });

  it('keeps a U+FEFF inside the text (a zero-width no-break space there)', () => {
    expect(normaliseText('a\uFEFFb')).toBe('a\uFEFFb');
  });

  it('turns CRLF and lone CR into LF', () => {
    expect(normaliseText('un\r\ndeux\rtrois\nquatre\r\n\r\n')).toBe('un\ndeux\ntrois\nquatre\n\n');
  });

  it('composes a combining accent: e + U+0301 becomes é (NFC)', () => {
    const result = normaliseText('e\u0301te\u0301');
    expect(result).toBe('\u00e9t\u00e9');
    expect(result).toHaveLength(3);
  });

  it('normalises BOM, line ends and accents together, as its example says', () => {
    expect(normaliseText('\uFEFFe\u0301te\u0301\r\n')).toBe('été\n');
  });

  it('keeps emoji, ZWJ sequences, flags, typographic quotes and ligatures as they are', () => {
    const text = 'Elle rit 😀 avec 👩‍👩‍👧 🇫🇷 : « l’œuvre »';
    expect(normaliseText(text)).toBe(text);
  });

  it('leaves no CR and no leading BOM in its result', () => {
    fc.assert(
      fc.property(rawText, (raw) => {
        const result = normaliseText(raw);
        expect(result.includes('\r')).toBe(false);
        expect(result.charCodeAt(0)).not.toBe(0xfeff);
      }),
    );
  });

  it('is idempotent: normalising a normalised text changes nothing', () => {
    fc.assert(
      fc.property(rawText, (raw) => {
        const once = normaliseText(raw);
        expect(normaliseText(once)).toBe(once);
      }),
      { numRuns: 500 },
    );
  });

  it('returns NFC text', () => {
    fc.assert(
      fc.property(rawText, (raw) => {
        const result = normaliseText(raw);
        expect(result).toBe(result.normalize('NFC'));
      }),
    );
  });
});

describe('foldForComparison', () => {
  it('folds « Été » and « ete » alike', () => {
    expect(foldForComparison('Été')).toBe(foldForComparison('ete'));
    expect(foldForComparison('Été')).toBe('ete');
  });

  it('folds « Coûts » and « couts » alike, composed or decomposed', () => {
    expect(foldForComparison('Coûts')).toBe('couts');
    expect(foldForComparison('Cou\u0302ts')).toBe('couts');
  });

  it('lowers case as the French locale does, for every code point', () => {
    let differing = 0;
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const s = String.fromCodePoint(cp);
      if (s.toLowerCase() !== s.toLocaleLowerCase('fr')) differing++;
    }
    expect(differing).toBe(0);
    expect(foldForComparison('ÉTÉ À L’ÎLE Ÿ')).toBe('ete a l’ile y');
  });

  it('keeps letters that differ apart', () => {
    expect(foldForComparison('Coûts')).not.toBe(foldForComparison('Côtes'));
    expect(foldForComparison('Œuvre')).toBe('œuvre');
  });

  it('is idempotent and insensitive to case', () => {
    fc.assert(
      fc.property(rawText, (raw) => {
        const folded = foldForComparison(raw);
        expect(foldForComparison(folded)).toBe(folded);
        expect(foldForComparison(raw.toUpperCase())).toBe(foldForComparison(raw.toLowerCase()));
      }),
    );
  });
});
