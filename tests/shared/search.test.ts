import { describe, expect, it } from 'vitest';
import { foldTerm, processTerm, tokenize } from '../../shared/search/french.ts';
import { parseQuery } from '../../shared/search/query.ts';

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
