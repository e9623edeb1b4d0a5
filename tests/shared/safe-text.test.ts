/** What text and names Verbatim stores (shared/safe-text.ts). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertStorable,
  findUnsafeCharacter,
  findUnstorable,
  isStorable,
  repairDeep,
  repairText,
} from '../../shared/safe-text.ts';

describe('findUnsafeCharacter', () => {
  it('refuses lone surrogates and NUL in texts, keeps tab and line breaks', () => {
    expect(findUnsafeCharacter('a\ud800b', 'text')).toEqual({ kind: 'surrogate', character: 'U+D800' });
    expect(findUnsafeCharacter('a\udc00', 'text')).toEqual({ kind: 'surrogate', character: 'U+DC00' });
    expect(findUnsafeCharacter('a\u0000b', 'text')).toEqual({ kind: 'control', character: 'U+0000' });
    expect(findUnsafeCharacter('a\u0085b', 'text')).toEqual({ kind: 'control', character: 'U+0085' });
    expect(findUnsafeCharacter('une\tligne\r\npuis 😀 une autre\n', 'text')).toBeUndefined();
    // Invisible characters are the writer's business in a memo (a soft hyphen, a joiner).
    expect(findUnsafeCharacter('mot\u00adcoupé', 'text')).toBeUndefined();
  });

  it('refuses in names any control, line break and invisible character', () => {
    for (const [value, character] of [
      ['Coûts\u200b', 'U+200B'],
      ['\u202eexe.txt', 'U+202E'],
      ['Zoé\u2066Petit', 'U+2066'],
      ['mot\u00adcoupé', 'U+00AD'],
      ['\ufeffCoûts', 'U+FEFF'],
      ['Coûts\u3164', 'U+3164'],
      ['a\u200db', 'U+200D'],
    ] as const) {
      expect(findUnsafeCharacter(value, 'name')).toEqual({ kind: 'invisible', character });
    }
    expect(findUnsafeCharacter('deux\nlignes', 'name')).toEqual({ kind: 'control', character: 'U+000A' });
    expect(findUnsafeCharacter('tab\tulé', 'name')).toEqual({ kind: 'control', character: 'U+0009' });
    expect(findUnsafeCharacter('a\u2028b', 'name')).toEqual({ kind: 'control', character: 'U+2028' });
  });

  it('keeps emoji sequences joined by a zero-width joiner, and every script', () => {
    for (const value of ['👩‍🔬', '❤️‍🔥', '👍🏽', 'Ελένη', 'Мария', 'محمد', 'Nguyễn', '東京']) {
      expect(findUnsafeCharacter(value, 'name')).toBeUndefined();
    }
  });
});

describe('repairText', () => {
  it('replaces each unstorable character by U+FFFD, one code point for one', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        const repaired = repairText(value);
        expect(isStorable(repaired)).toBe(true);
        expect(Array.from(repaired)).toHaveLength(Array.from(value).length);
        if (isStorable(value)) expect(repaired).toBe(value);
      }),
    );
  });
});

describe('findUnstorable and repairDeep', () => {
  it('find the path of the first bad string, keys included, and repair every one', () => {
    const event = { type: 'code_updated', after: { name: 'ok', memo: ['a', 'b\u0000'] }, ['k\ud800']: 1 };
    expect(findUnstorable(event)).toEqual({ path: 'after.memo[1]', value: 'b\u0000' });
    const repaired = repairDeep(event);
    expect(findUnstorable(repaired)).toBeUndefined();
    expect(repaired).toEqual({
      type: 'code_updated',
      after: { name: 'ok', memo: ['a', 'b\ufffd'] },
      'k\ufffd': 1,
    });
  });

  it('keep a key named __proto__ as an own key', () => {
    const parsed = JSON.parse('{"__proto__": "a\\u0000"}') as object;
    const repaired = repairDeep(parsed);
    expect(Object.keys(repaired)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(repaired)).toBe(Object.prototype);
  });

  it('assertStorable refuses with invalid_input naming the field', () => {
    expect(() => assertStorable([{ type: 'x', coding: { memo: '\ud83d' } }])).toThrow(
      expect.objectContaining({ code: 'invalid_input', message: expect.stringMatching(/^coding\.memo : /) }),
    );
    expect(() => assertStorable([{ type: 'x', coding: { memo: 'bien 😀' } }])).not.toThrow();
  });
});
