import { describe, expect, it } from 'vitest';
import { findPublicationRisks } from '../../shared/publication-check.ts';

const LEXICON = new Set(['on', 'tourne', 'en', 'avec', 'la', 'région']);

describe('findPublicationRisks', () => {
  it('leaves a published value of several words alone, each of its words too, and flags the rest', () => {
    const risks = findPublicationRisks(
      [
        { where: 'citation', text: 'P014, Opéra, Provence-Alpes-Côte d’Azur, 00:05:40' },
        { where: 'quote', text: 'On tourne en Provence-Alpes-Côte d’Azur avec Haddad, la région.' },
      ],
      LEXICON,
      ['P014', 'Opéra', 'Provence-Alpes-Côte d’Azur'],
    );
    // « Provence-Alpes-Côte » and « Azur » stand in the cited value: they were flagged as names.
    expect(risks.map((r) => [r.kind, r.text])).toEqual([['name', 'Haddad']]);
  });
});
