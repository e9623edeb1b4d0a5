import { describe, expect, it } from 'vitest';
import { frenchLexicon } from '../../server/export/lexicon.ts';
import { isCommonWord } from '../../shared/lexicon.ts';
import { publicationReplacements } from '../../shared/publication.ts';
import { suggestReplacements } from '../../shared/suggestions.ts';
import type { Participant } from '../../shared/model.ts';

const lexicon = frenchLexicon();

function suggest(text: string, participants: Pick<Participant, 'name' | 'pseudonym'>[] = []) {
  const state = {
    participants: Object.fromEntries(
      participants.map((p, i) => [
        String(i),
        { ...p, id: String(i), attributes: {} } as unknown as Participant,
      ]),
    ),
    attributes: [],
    replacements: [],
  };
  return suggestReplacements({
    documents: [{ text, turns: [] }],
    participants,
    interviewerLabels: ['Enquêtrice'],
    covered: publicationReplacements(state, lexicon),
    listed: [],
    lexicon,
  });
}

describe('isCommonWord', () => {
  it('knows words whatever their capital, verbs with their pronoun, elided articles', () => {
    for (const w of ['Les', 'Et', 'Je', 'Avec', 'Pouvez-vous', 'Dites-moi', 'L’Équipe', 'Bonjour']) {
      expect(isCommonWord(w, lexicon), w).toBe(true);
    }
    for (const w of ['Bertin', 'Saint-Aubin', 'Marie-Laure', 'Fabre', 'Élodie']) {
      expect(isCommonWord(w, lexicon), w).toBe(false);
    }
  });
});

describe('suggestReplacements', () => {
  const text = [
    'Enquêtrice : Bonjour Léa. Pouvez-vous vous présenter ?',
    'Léa Fabre : Avec plaisir. Je travaille avec Hugo Bertin, notre régisseur, au Théâtre des Tilleuls à Saint-Aubin.',
    'Les subventions, Mme Fabre les suit, et M. Garnier aussi. Et Hugo aussi, bien sûr.',
    'Le Festival des Ormeaux nous accueille à Brévilly.',
  ].join('\n');
  const suggestions = suggest(text);
  const byName = Object.fromEntries(suggestions.map((s) => [s.from, s]));

  it('proposes people, places and organisations with a label of their kind', () => {
    expect(byName['Hugo Bertin']).toMatchObject({ kind: 'person', count: 2 });
    expect(byName['Hugo Bertin']?.to).toMatch(/^\[personne \d+\]$/);
    expect(byName['Théâtre des Tilleuls']).toMatchObject({
      kind: 'organisation',
      to: expect.stringMatching(/^\[structure [A-Z]\]$/),
    });
    expect(byName['Festival des Ormeaux']?.kind).toBe('organisation');
    expect(byName['Saint-Aubin']).toMatchObject({
      kind: 'place',
      to: expect.stringMatching(/^\[ville [A-Z]\]$/),
    });
    expect(byName['Brévilly']?.kind).toBe('place');
    expect(byName['Mme Fabre']?.kind).toBe('person');
    expect(byName['M. Garnier']?.kind).toBe('person');
    expect(byName['Léa Fabre']?.kind).toBe('person');
  });

  it('gives contexts, and never a common word or a capital that opens a sentence', () => {
    expect(byName['Hugo Bertin']?.contexts[0]).toContain('Hugo Bertin, notre régisseur');
    for (const s of suggestions) {
      if (!/\s/u.test(s.from)) expect(isCommonWord(s.from, lexicon), s.from).toBe(false);
    }
    for (const word of ['Les', 'Et', 'Je', 'Avec', 'Pouvez-vous', 'Bonjour', 'Enquêtrice', 'Le']) {
      expect(byName[word], word).toBeUndefined();
    }
  });

  it('leaves out a participant’s name and its parts: they are replaced already', () => {
    const names = suggest(text, [{ name: 'Léa Fabre', pseudonym: 'P01' }]).map((s) => s.from);
    expect(names).not.toContain('Léa Fabre');
    expect(names).not.toContain('Léa');
    expect(names).not.toContain('Mme Fabre');
    expect(names).toContain('Hugo Bertin');
  });

  it('proposes a name only part of which is replaced already, and no lower-case word after an elision', () => {
    const state = {
      participants: {
        a: { id: 'a', name: 'Camille Roussel', pseudonym: 'P01', attributes: { structure: 'Théâtre' } },
      } as unknown as Record<string, Participant>,
      attributes: [{ name: 'structure', type: 'text' as const, choices: [] }],
      replacements: [],
    };
    const names = suggestReplacements({
      documents: [
        { text: 'Je suis au Théâtre des Lilas. Et L’emailing, c’est-à-dire C’est-à-dire.', turns: [] },
      ],
      participants: [],
      interviewerLabels: [],
      covered: publicationReplacements(state, lexicon),
      listed: [],
      lexicon,
    }).map((s) => s.from);
    expect(names).toEqual(['Théâtre des Lilas']);
  });
});
