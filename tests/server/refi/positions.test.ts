import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { choosePositionUnit, normaliseWithBounds, PositionMapper } from '../../../server/refi/positions.ts';
import { normaliseText } from '../../../shared/text.ts';

describe('normaliseWithBounds', () => {
  it('gives exactly normaliseText, with segment starts before and after', () => {
    const raw = '\uFEFFe\u0301t\u00e9\r\nok\r';
    const { text, rawBounds, textBounds, unchanged } = normaliseWithBounds(raw);
    expect(text).toBe(normaliseText(raw));
    expect(text).toBe('été\nok\n');
    // BOM, é (2 units → 1), t, é, CRLF (2 → 1), « ok » (already NFC: one segment), CR (→ LF), end.
    expect(rawBounds).toEqual([0, 1, 3, 4, 5, 7, 9, 10]);
    expect(textBounds).toEqual([0, 0, 1, 2, 3, 4, 6, 7]);
    expect(unchanged).toEqual([false, false, false, false, false, true, false]);
  });

  it('keeps a line whole when composing between starters would differ (Hangul jamo)', () => {
    const raw = '\u1100\u1161\u11A8 x';
    expect(normaliseWithBounds(raw).text).toBe(normaliseText(raw));
  });
});

describe('PositionMapper', () => {
  it('maps code-point selections over a BOM + CRLF + NFD text onto the same characters', () => {
    const raw = '\uFEFFA\r\nE\u0301mile 😀 et Zoé\r\nfin';
    const mapper = new PositionMapper(raw, 'code-points');
    // In code points of the raw text: « Émile 😀 » starts after BOM, A, CR, LF (4) and spans 8 (E + ◌́ + mile + space + 😀).
    const span = mapper.map(4, 12);
    expect(span).toEqual({ start: 2, end: 9, exact: true });
    expect(mapper.index.slice(span?.start ?? 0, span?.end ?? 0)).toBe('Émile 😀');
  });

  it('maps UTF-16 selections (NVivo) past an emoji', () => {
    const raw = '😀 Bonjour\r\nSalut';
    const mapper = new PositionMapper(raw, 'utf-16');
    const span = mapper.map(3, 10);
    expect(mapper.index.slice(span?.start ?? 0, span?.end ?? 0)).toBe('Bonjour');
    expect(mapper.map(1, 3)).toBeUndefined(); // splits the surrogate pair
  });

  it('refuses selections outside the text or reversed', () => {
    const mapper = new PositionMapper('abc', 'code-points');
    expect(mapper.map(0, 4)).toBeUndefined();
    expect(mapper.map(2, 1)).toBeUndefined();
    expect(mapper.map(-1, 1)).toBeUndefined();
    expect(mapper.map(0, 3)).toEqual({ start: 0, end: 3, exact: true });
  });

  it('maps positions inside a line already in NFC one to one, exactly', () => {
    const mapper = new PositionMapper('\uFEFFLa billetterie 😀\r\nLe tableur', 'code-points');
    expect(mapper.map(4, 15)).toEqual({ start: 3, end: 14, exact: true });
    expect(mapper.index.slice(3, 14)).toBe('billetterie');
    expect(mapper.map(22, 29)).toEqual({ start: 20, end: 27, exact: true });
    expect(mapper.index.slice(20, 27)).toBe('tableur');
  });

  it('moves a position inside a composed character outwards, and says so', () => {
    const mapper = new PositionMapper('ae\u0301b', 'code-points');
    expect(mapper.map(2, 3)).toEqual({ start: 1, end: 2, exact: false });
  });

  it('covers the same characters as the raw selection, normalised (property)', () => {
    const piece = fc.constantFrom(
      'a',
      'é',
      'e\u0301',
      '😀',
      '\r\n',
      '\r',
      '\n',
      ' ',
      'Å',
      '\u0301',
      '\uFEFF',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.nat(), fc.nat(), (pieces, x, y) => {
        const raw = pieces.join('');
        const bounds = [0];
        for (const p of pieces) bounds.push((bounds.at(-1) as number) + p.length);
        const a = bounds[x % bounds.length] as number;
        const b = bounds[y % bounds.length] as number;
        const [s, e] = a <= b ? [a, b] : [b, a];
        const mapper = new PositionMapper(raw, 'utf-16');
        const span = mapper.map(s, e);
        if (!span) return false;
        if (!span.exact) return true;
        // An exact mapping covers the normalised raw slice (BOMs only vanish at the very start).
        const atStart = /^\uFEFF*$/.test(raw.slice(0, s));
        const slice = raw.slice(s, e);
        const expected = atStart ? normaliseText(slice) : slice.replace(/\r\n?/g, '\n').normalize('NFC');
        return mapper.index.slice(span.start, span.end) === expected;
      }),
      { numRuns: 1000 },
    );
  });
});

describe('choosePositionUnit', () => {
  const text = 'ab😀cd😀ef';
  it('takes code points when the text has no character outside the BMP', () => {
    expect(choosePositionUnit('abc', [{ start: 0, end: 3 }], 'NVivo for Windows 12.6').unit).toBe(
      'code-points',
    );
  });
  it('takes the only unit in which every selection fits', () => {
    // The text is 10 UTF-16 units but 8 code points: an end at 10 only fits in UTF-16.
    expect(choosePositionUnit(text, [{ start: 0, end: 10 }], '').unit).toBe('utf-16');
    // 3 splits the first emoji in UTF-16.
    expect(choosePositionUnit(text, [{ start: 3, end: 5 }], 'NVivo').unit).toBe('code-points');
  });
  it('lets the exporting tool decide when both fit: NVivo counts UTF-16, others code points', () => {
    expect(choosePositionUnit(text, [{ start: 0, end: 2 }], 'NVivo for Mac 15.0.0').unit).toBe('utf-16');
    expect(choosePositionUnit(text, [{ start: 0, end: 2 }], 'ATLAS.ti 23').unit).toBe('code-points');
  });
});
