import { describe, expect, it } from 'vitest';
import { importFile } from '../../../server/import/index.ts';
import type { TextMark } from '../../../shared/model.ts';
import { fixture, turnText } from './fixtures.ts';

const encode = (text: string) => new TextEncoder().encode(text);
const slice = (text: string, m: { start: number; end: number }) =>
  Array.from(text).slice(m.start, m.end).join('');
const marked = (text: string, marks: readonly TextMark[], kind: TextMark['kind']) =>
  marks.filter((m) => m.kind === kind).map((m) => slice(text, m));

describe('importFile › Markdown (.md)', () => {
  it('reads **bold** labels as speakers and keeps no markup in the text', async () => {
    const { text, turns, marks, format, encoding } = await importFile(
      'entretien.md',
      fixture('entretien.md'),
    );
    expect(format).toBe('md');
    expect(encoding).toBe('utf-8');
    expect(turns.map((t) => t.speaker)).toEqual(['Enquêtrice', 'Léa Moreau', 'Enquêtrice']);
    // A code span is text like any other (never markup: the view writes it as text).
    expect(turnText(text, turns[1]!)).toBe(
      'Léa Moreau : Le bruit. Mon fils tapait <script>alert(1)</script> sur le clavier.',
    );
    expect(text).not.toMatch(/[*#`]/);
    expect(marked(text, marks, 'heading')).toEqual(['Entretien avec Léa Moreau']);
  });

  it('makes headings headings, outside every turn, and emphasis marks over plain words', async () => {
    const source = [
      '# Entretien 3 — Théâtre des Tilleuls',
      '',
      'Date : 12 mars 2025',
      '',
      '## Première partie',
      '',
      '**Enquêtrice :** Qu’est-ce qui *vous* a marquée ?',
      '**Léa Moreau** : Le bruit, c’est *très **fort*** et __vraiment__ pénible.',
      '',
      '- on ressaisit tout',
      '- deux fois & plus',
      '',
      '## Deuxième partie',
      '',
      'Enquêtrice : D’accord.',
      '',
    ].join('\n');
    const { text, turns, marks } = await importFile('entretien-3.md', encode(source));
    expect(text).toBe(
      [
        'Entretien 3 — Théâtre des Tilleuls',
        'Date : 12 mars 2025',
        'Première partie',
        'Enquêtrice : Qu’est-ce qui vous a marquée ?',
        'Léa Moreau : Le bruit, c’est très fort et vraiment pénible.',
        '– on ressaisit tout',
        '– deux fois & plus',
        'Deuxième partie',
        'Enquêtrice : D’accord.',
      ].join('\n'),
    );
    // Lines written one after the other (one paragraph in Markdown) still open one turn each, and
    // the second heading ends the turn it follows.
    expect(turns.map((t) => [t.speaker, turnText(text, t)])).toEqual([
      ['Enquêtrice', 'Enquêtrice : Qu’est-ce qui vous a marquée ?'],
      [
        'Léa Moreau',
        'Léa Moreau : Le bruit, c’est très fort et vraiment pénible.\n– on ressaisit tout\n– deux fois & plus',
      ],
      ['Enquêtrice', 'Enquêtrice : D’accord.'],
    ]);
    const headings = marks.filter((m) => m.kind === 'heading');
    expect(headings.map((m) => [slice(text, m), m.level])).toEqual([
      ['Entretien 3 — Théâtre des Tilleuls', 1],
      ['Première partie', 2],
      ['Deuxième partie', 2],
    ]);
    for (const heading of headings) {
      expect(turns.some((t) => t.start < heading.end && heading.start < t.end)).toBe(false);
    }
    expect(marked(text, marks, 'emphasis')).toEqual(['vous', 'très fort']);
    expect(marked(text, marks, 'strong')).toEqual(['Enquêtrice :', 'Léa Moreau', 'fort', 'vraiment']);
  });

  it('counts marks in code points, past emoji and decomposed accents', async () => {
    const source = 'Camille : 🎭 le *théâtre* et **e\u0301te\u0301**.';
    const { text, marks } = await importFile('c.md', encode(source));
    expect(text).toBe('Camille : 🎭 le théâtre et été.');
    expect(marked(text, marks, 'emphasis')).toEqual(['théâtre']);
    expect(marked(text, marks, 'strong')).toEqual(['été']);
  });

  it('gives plain text files no marks, even with asterisks', async () => {
    const { text, marks } = await importFile('e.txt', encode('Camille : un *mot* et # rien.'));
    expect(text).toBe('Camille : un *mot* et # rien.');
    expect(marks).toEqual([]);
  });
});
