import { describe, expect, it } from 'vitest';
import { compareSpans, matchStatus } from '../../client/features/review/compare.ts';
import { crosstabAttribute } from '../../client/features/review/crosstab-default.ts';
import {
  apiQuery,
  readFilter,
  retrievalHref,
  withAttributeValue,
  writeFilter,
} from '../../client/features/review/review-filter.ts';

describe('review filters in the address', () => {
  it('reads coders, documents and `attr:`-prefixed attribute values, ignoring other parameters', () => {
    const search = new URLSearchParams(
      'coderId=u1&coderId=u2&documentId=d1&attr:type de structure=Théâtre&attr:type de structure=Festival&codes=c1&op=and',
    );
    expect(readFilter(search)).toEqual({
      coderIds: ['u1', 'u2'],
      documentIds: ['d1'],
      attributes: { 'type de structure': ['Théâtre', 'Festival'] },
    });
  });

  it('writes a filter back without touching the page’s own parameters, and reads it back the same', () => {
    const filter = { coderIds: ['u1'], documentIds: [], attributes: { région: ['Bretagne'] } };
    const written = writeFilter(filter, new URLSearchParams('codes=c1&coderId=old'));
    expect(written.get('codes')).toBe('c1');
    expect(written.getAll('coderId')).toEqual(['u1']);
    expect(readFilter(written)).toEqual(filter);
  });

  it('gives the API its own parameter names: coderId, documentId and the attribute name itself', () => {
    expect(
      apiQuery({ coderIds: ['u1'], documentIds: ['d1', 'd2'], attributes: { taille: ['38'], région: [] } }),
    ).toEqual({ coderId: ['u1'], documentId: ['d1', 'd2'], taille: ['38'] });
  });

  it('keeps filters on attributes named __proto__ or constructor, from the address to the API', () => {
    const filter = readFilter(new URLSearchParams('attr:__proto__=Nantes&attr:constructor=Brest'));
    expect(Object.keys(filter.attributes)).toEqual(['__proto__', 'constructor']);
    const query = apiQuery(filter);
    expect(Object.keys(query)).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(query, '__proto__')?.value).toEqual(['Nantes']);
    expect(Object.getOwnPropertyDescriptor(query, 'constructor')?.value).toEqual(['Brest']);
  });

  it('links a crosstab cell to the retrieval of its code with the value as a filter', () => {
    const filter = withAttributeValue(
      { coderIds: ['u1'], documentIds: [], attributes: { 'type de structure': ['Festival', 'Théâtre'] } },
      'type de structure',
      'Théâtre',
    );
    const href = retrievalHref('p1', ['c1', 'c2'], 'or', filter);
    const url = new URL(href, 'http://x');
    expect(url.pathname).toBe('/projects/p1/review/retrieval');
    expect(url.searchParams.get('codes')).toBe('c1,c2');
    expect(url.searchParams.get('op')).toBe('or');
    expect(url.searchParams.getAll('coderId')).toEqual(['u1']);
    expect(url.searchParams.getAll('attr:type de structure')).toEqual(['Théâtre']);
  });
});

describe('compareSpans', () => {
  it('cuts the text where either coder’s spans begin or end, marking who coded each piece', () => {
    expect(compareSpans(10, [{ start: 0, end: 5 }], [{ start: 3, end: 8 }])).toEqual([
      { start: 0, end: 3, a: true, b: false },
      { start: 3, end: 5, a: true, b: true },
      { start: 5, end: 8, a: false, b: true },
      { start: 8, end: 10, a: false, b: false },
    ]);
  });

  it('joins touching spans of one coder into one piece', () => {
    expect(
      compareSpans(
        6,
        [
          { start: 0, end: 3 },
          { start: 3, end: 6 },
        ],
        [],
      ),
    ).toEqual([{ start: 0, end: 6, a: true, b: false }]);
  });

  it('gives the whole text as one uncoded piece when nobody coded', () => {
    expect(compareSpans(4, [], [])).toEqual([{ start: 0, end: 4, a: false, b: false }]);
  });
});

describe('matchStatus', () => {
  const others = [{ start: 10, end: 20 }];
  it('is « same » for the same span, « overlap » for a shared code point, « alone » otherwise', () => {
    expect(matchStatus({ start: 10, end: 20 }, others)).toBe('same');
    expect(matchStatus({ start: 15, end: 25 }, others)).toBe('overlap');
    expect(matchStatus({ start: 20, end: 25 }, others)).toBe('alone');
  });
});

describe('the attribute the dashboard crosstab opens on', () => {
  const option = (name: string, count: number) => ({
    name,
    values: Array.from({ length: count }, (_, k) => ({ value: `v${k}`, label: `v${k}` })),
  });
  it('is the one with the fewest values among those that split the participants', () => {
    expect(
      crosstabAttribute([
        option('structure', 6),
        option('date entretien', 6),
        option('type', 3),
        option('région', 4),
      ]),
    ).toBe('type');
    // An attribute every participant shares splits nothing: the next fewest is chosen.
    expect(crosstabAttribute([option('pays', 1), option('région', 4), option('structure', 6)])).toBe(
      'région',
    );
    expect(crosstabAttribute([option('pays', 1), option('vide', 0)])).toBe('pays');
    expect(crosstabAttribute([option('vide', 0)])).toBe('vide');
    expect(crosstabAttribute([])).toBeUndefined();
  });
});
