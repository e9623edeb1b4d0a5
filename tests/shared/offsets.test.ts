// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodePointIndex, codePointLength } from '../../shared/offsets.ts';

/** Pieces a French transcript may hold, astral characters and broken UTF-16 included. */
const PIECES = [
  'a',
  'Z',
  ' ',
  '\n',
  '.',
  'é',
  'à',
  'ç',
  'œ',
  'Œ',
  '’',
  '«',
  '»',
  '\u00a0',
  'e\u0301',
  '😀',
  '👩‍👩‍👧',
  '🇫🇷',
  '𝄞',
  '\ud83d', // lone high surrogate
  '\ude00', // lone low surrogate
];

const mixedText = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((parts) => parts.join(''));

/** Naive oracle: the text's code points, each with its UTF-16 start. */
function codePoints(text: string): { chars: string[]; utf16Starts: number[] } {
  const chars = Array.from(text);
  const utf16Starts: number[] = [];
  let at = 0;
  for (const c of chars) {
    utf16Starts.push(at);
    at += c.length;
  }
  utf16Starts.push(at);
  return { chars, utf16Starts };
}

/** Whether a UTF-16 offset falls between the two halves of a surrogate pair. */
function splitsPair(text: string, utf16: number): boolean {
  const before = text.charCodeAt(utf16 - 1);
  const after = text.charCodeAt(utf16);
  return before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff;
}

describe('codePointLength', () => {
  it('counts code points as Array.from does, lone surrogates counting one each', () => {
    fc.assert(
      fc.property(mixedText, (text) => {
        expect(codePointLength(text)).toBe(Array.from(text).length);
      }),
    );
  });

  it('counts an emoji as one code point and a ZWJ family as five', () => {
    expect(codePointLength('😀')).toBe(1);
    expect(codePointLength('👩‍👩‍👧')).toBe(5);
    expect(codePointLength('🇫🇷')).toBe(2);
    expect(codePointLength('e\u0301')).toBe(2);
    expect(codePointLength('')).toBe(0);
  });
});

describe('CodePointIndex', () => {
  it('has the length in code points of its text', () => {
    fc.assert(
      fc.property(mixedText, (text) => {
        expect(new CodePointIndex(text).length).toBe(Array.from(text).length);
      }),
    );
  });

  it('converts every code-point offset to the UTF-16 offset where that code point starts', () => {
    fc.assert(
      fc.property(mixedText, (text) => {
        const index = new CodePointIndex(text);
        const { utf16Starts } = codePoints(text);
        utf16Starts.forEach((utf16, cp) => expect(index.toUtf16(cp)).toBe(utf16));
      }),
    );
  });

  it('converts every UTF-16 offset on a code-point boundary back to its code-point offset', () => {
    fc.assert(
      fc.property(mixedText, (text) => {
        const index = new CodePointIndex(text);
        const { utf16Starts } = codePoints(text);
        utf16Starts.forEach((utf16, cp) => expect(index.toCodePoint(utf16)).toBe(cp));
      }),
    );
  });

  it('refuses exactly the UTF-16 offsets that split a surrogate pair', () => {
    fc.assert(
      fc.property(mixedText, (text) => {
        const index = new CodePointIndex(text);
        const boundaries = new Set(codePoints(text).utf16Starts);
        for (let utf16 = 0; utf16 <= text.length; utf16++) {
          if (boundaries.has(utf16)) {
            expect(splitsPair(text, utf16)).toBe(false);
            expect(() => index.toCodePoint(utf16)).not.toThrow();
          } else {
            expect(splitsPair(text, utf16)).toBe(true);
            expect(() => index.toCodePoint(utf16)).toThrow(/splits a surrogate pair/);
          }
        }
      }),
    );
  });

  it('refuses the offset between the two halves of 😀', () => {
    const index = new CodePointIndex('été 😀 !');
    expect(index.toCodePoint(4)).toBe(4);
    expect(() => index.toCodePoint(5)).toThrow(RangeError);
    expect(index.toCodePoint(6)).toBe(5);
  });

  it('round-trips code point → UTF-16 → code point for every offset', () => {
    fc.assert(
      fc.property(mixedText, (text) => {
        const index = new CodePointIndex(text);
        for (let cp = 0; cp <= index.length; cp++) expect(index.toCodePoint(index.toUtf16(cp))).toBe(cp);
      }),
    );
  });

  it('round-trips UTF-16 → code point → UTF-16 for every offset that does not split a pair', () => {
    fc.assert(
      fc.property(mixedText, (text) => {
        const index = new CodePointIndex(text);
        for (let utf16 = 0; utf16 <= text.length; utf16++) {
          if (splitsPair(text, utf16)) continue;
          expect(index.toUtf16(index.toCodePoint(utf16))).toBe(utf16);
        }
      }),
    );
  });

  it('slices [start, end) in code points as the naive code-point array does', () => {
    fc.assert(
      fc.property(
        mixedText.chain((text) => {
          const n = Array.from(text).length;
          return fc.tuple(fc.constant(text), fc.nat(n), fc.nat(n));
        }),
        ([text, a, b]) => {
          const [start, end] = a <= b ? [a, b] : [b, a];
          const expected = Array.from(text).slice(start, end).join('');
          expect(new CodePointIndex(text).slice(start, end)).toBe(expected);
        },
      ),
    );
  });

  it('slices a passage after a ZWJ family and a flag at the right place', () => {
    const text = '👩‍👩‍👧 et 🇫🇷 « Très bien »';
    const index = new CodePointIndex(text);
    // 5 code points for the family, 4 for " et ", 2 for the flag, then a space.
    expect(index.slice(12, 25)).toBe('« Très bien »');
    expect(index.slice(0, 5)).toBe('👩‍👩‍👧');
    expect(index.slice(9, 11)).toBe('🇫🇷');
  });

  it('takes the fast path on a text without astral characters: both units coincide', () => {
    const text = 'Œuvre « déjà » l’été, e\u0301 composé';
    const index = new CodePointIndex(text);
    expect(index.length).toBe(text.length);
    for (let i = 0; i <= text.length; i++) {
      expect(index.toCodePoint(i)).toBe(i);
      expect(index.toUtf16(i)).toBe(i);
    }
  });

  it('refuses offsets outside the text or not integers', () => {
    const index = new CodePointIndex('a😀b');
    expect(() => index.toCodePoint(-1)).toThrow(RangeError);
    expect(() => index.toCodePoint(5)).toThrow(RangeError);
    expect(() => index.toCodePoint(1.5)).toThrow(RangeError);
    expect(() => index.toUtf16(-1)).toThrow(RangeError);
    expect(() => index.toUtf16(4)).toThrow(RangeError);
    expect(() => index.toUtf16(Number.NaN)).toThrow(RangeError);
    expect(() => index.slice(0, 4)).toThrow(RangeError);
  });

  it('treats a lone surrogate as one code point of its own', () => {
    const text = 'a\ud83db\ude00c\ud83d\ud83d\ude00';
    const index = new CodePointIndex(text);
    expect(index.length).toBe(7);
    expect(index.toUtf16(7)).toBe(text.length);
    expect(index.slice(5, 7)).toBe('\ud83d\ud83d\ude00');
  });
});
