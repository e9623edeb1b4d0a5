import { describe, expect, it } from 'vitest';
import { WordForms } from '../../../server/search/word-forms.ts';

describe('WordForms', () => {
  it('numbers each form once, with its term (-1 for a stop word); forms of one term share it', () => {
    const terms: string[] = [];
    const forms = new WordForms((term) => {
      const known = terms.indexOf(term);
      return known >= 0 ? known : terms.push(term) - 1;
    });
    const billetterie = forms.of('Billetterie');
    expect(forms.of('Billetterie')).toBe(billetterie);
    const plural = forms.of('billetteries');
    expect(plural).not.toBe(billetterie);
    expect(forms.term[plural]).toBe(forms.term[billetterie]);
    expect(forms.term[forms.of('les')]).toBe(-1);
    expect(terms).toEqual(['billetter']);
  });

  it('grows past its first arrays and starts again, between documents, past its limit', () => {
    const forms = new WordForms(() => 0, 3000);
    const first = forms.of('mot0');
    forms.seen[first] = 5;
    for (let i = 1; i < 2000; i++) forms.of(`mot${i}`);
    expect(forms.of('mot1999')).toBe(1999);
    forms.trim();
    expect(forms.of('mot0')).toBe(first); // under the limit: kept
    for (let i = 2000; i < 3000; i++) forms.of(`mot${i}`);
    forms.trim();
    expect(forms.seen[first]).toBe(0);
    expect(forms.of('mot2999')).toBe(0); // numbered anew
  });

  it('finds a form where it lies in a text as by its copy, through the table growing', () => {
    const forms = new WordForms(() => 0);
    const text = Array.from({ length: 10_000 }, (_, i) => `forme${i}`).join(' ');
    const numbers: number[] = [];
    let at = 0;
    for (const word of text.split(' ')) {
      numbers.push(forms.in(text, at, at + word.length));
      at += word.length + 1;
    }
    // Numbered in order of first meeting, past several doublings of the table.
    expect(numbers).toEqual(numbers.map((_, i) => i));
    expect(forms.of('forme0')).toBe(0);
    expect(forms.of('forme9999')).toBe(9999);
    // A prefix of a known form, or one unit longer, is another form.
    expect(forms.in(text, 0, 'forme'.length)).toBe(10_000);
    expect(forms.in('forme12x', 0, 8)).toBe(10_001);
    expect(forms.in('une forme12 ici', 4, 11)).toBe(12);
  });
});
