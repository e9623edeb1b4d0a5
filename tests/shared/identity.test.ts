import { describe, expect, it } from 'vitest';
import { hasInvisible, isSingleScript } from '../../shared/identity.ts';

describe('isSingleScript', () => {
  it('accepts names in one script, accents, digits and punctuation included', () => {
    for (const name of ['admin', 'hélène.müller', 'Zoë_2', 'анна', 'μαρία', 'やまだ太郎', 'camille@labo-7']) {
      expect(isSingleScript(name), name).toBe(true);
    }
  });
  it('refuses a Latin name with a Cyrillic or Greek look-alike letter', () => {
    for (const name of ['\u0430dmin', 'p\u0430ul', 'r\u043eot', 'Alph\u03b1']) {
      expect(isSingleScript(name), name).toBe(false);
    }
  });
});

describe('hasInvisible', () => {
  it('finds zero-width characters, direction marks, soft hyphens, fillers and controls', () => {
    for (const value of [
      'a\u200bb',
      'a\u200db',
      '\u202eadmin',
      'Adm\u00adin',
      'x\u3164',
      'a\u0007',
      '\u2800',
      'a\ufeff',
    ]) {
      expect(hasInvisible(value), JSON.stringify(value)).toBe(true);
    }
  });
  it('leaves ordinary names alone', () => {
    for (const value of ['Camille Durand', 'Hélène d’Artois', 'Jean-Édouard', 'Zoë (labo)']) {
      expect(hasInvisible(value), value).toBe(false);
    }
  });
});
