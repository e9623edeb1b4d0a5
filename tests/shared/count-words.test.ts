import { describe, expect, it } from 'vitest';
import { countWords } from '../../shared/text.ts';

describe('countWords', () => {
  it('counts words as a word processor does: between spaces, with a letter or a digit', () => {
    expect(countWords('Enquêtrice : l’outil, peut-être ?')).toBe(3);
    expect(countWords('  deux\u00a0mots\n\n« trois » – 4 ')).toBe(4);
    expect(countWords('🎭 — : ?')).toBe(0);
    expect(countWords('')).toBe(0);
    expect(countWords('2 400 € par an')).toBe(4);
  });
});
