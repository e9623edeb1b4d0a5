import { describe, expect, it } from 'vitest';
import { frenchLexicon } from '../../server/export/lexicon.ts';
import type { AttributeDef, Participant } from '../../shared/model.ts';
import {
  attributePublication,
  letterLabel,
  nameParts,
  publicationReplacements,
} from '../../shared/publication.ts';
import { createReplacer } from '../../shared/pseudonymise.ts';

const lexicon = frenchLexicon();

function participant(id: string, name: string, pseudonym: string, attributes: Record<string, string>) {
  return { id, name, pseudonym, attributes, createdAt: '', createdBy: '' } as unknown as Participant;
}

const ATTRIBUTES: AttributeDef[] = [
  { name: 'structure', type: 'text', choices: [] },
  { name: 'région', type: 'choice', choices: ['Occitanie', 'Bretagne'] },
  { name: 'fonction', type: 'text', choices: [], publish: true },
  { name: 'ville', type: 'text', choices: [], publish: false },
];
const PEOPLE = [
  participant('a', 'Élodie Marchand', 'P01', {
    structure: 'Théâtre des Tilleuls',
    région: 'Occitanie',
    fonction: 'directrice',
    ville: 'Tours',
  }),
  participant('b', 'Marie-Laure Colin', 'P02', {
    structure: 'Compagnie du Héron',
    région: 'Occitanie',
    fonction: 'directrice',
    ville: 'Villefranche-sur-Loire',
  }),
];

describe('attributePublication', () => {
  it('follows the lead’s setting, else publishes only attributes whose every value is shared', () => {
    expect(attributePublication(ATTRIBUTES, PEOPLE)).toEqual([
      { name: 'structure', publishable: false, reason: 'unique_values' },
      { name: 'région', publishable: true, reason: 'shared_values' },
      { name: 'fonction', publishable: true, reason: 'marked_publishable' },
      { name: 'ville', publishable: false, reason: 'marked_private' },
    ]);
    // Without values, nothing says they are shared.
    expect(attributePublication(ATTRIBUTES.slice(0, 1), [])[0]?.publishable).toBe(false);
  });
});

describe('publicationReplacements', () => {
  const replace = createReplacer(
    publicationReplacements(
      {
        participants: { a: PEOPLE[0] as Participant, b: PEOPLE[1] as Participant },
        attributes: ATTRIBUTES,
        replacements: [{ from: 'Hugo Bertin', to: '[personne 1]', kind: 'person' }],
      },
      lexicon,
    ),
  );

  it('replaces names, their parts alone, elided, and unpublished text values', () => {
    expect(
      replace.apply(
        'Élodie, Marchand, d’Élodie, Marie-Laure et Colin au Théâtre des Tilleuls ; Hugo et Bertin, à Villefranche-sur-Loire.',
      ),
    ).toBe('P01, P01, de P01, P02 et P02 au [structure A] ; [personne 1] et [personne 1], à [ville A].');
  });

  it('replaces a part that is a common word only where capitalised, and leaves single-word categories', () => {
    // « colin » is a fish; « Tours » a town that is also a word: a category value, it stays.
    expect(replace.apply('Un colin pour Colin, à Tours.')).toBe('Un colin pour P02, à Tours.');
    expect(replace.apply('Occitanie, directrice')).toBe('Occitanie, directrice');
  });

  it('splits names into their parts, without titles or particles', () => {
    expect(nameParts('Mme Jeanne de La Roche')).toEqual(['Jeanne', 'Roche']);
    expect(nameParts('Marie-Laure Colin')).toEqual(['Marie-Laure', 'Colin']);
    expect([0, 25, 26, 27].map(letterLabel)).toEqual(['A', 'Z', 'AA', 'AB']);
  });
});
