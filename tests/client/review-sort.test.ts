import { describe, expect, it } from 'vitest';
import { nextSort, sortRows } from '../../client/features/review/sort.ts';

interface Row {
  name: string;
  n: number | null;
}

const rows: Row[] = [
  { name: 'Écoute', n: 2 },
  { name: 'accessibilité', n: null },
  { name: 'Coûts', n: 5 },
  { name: 'Budget', n: 2 },
  { name: 'Code 10', n: 1 },
  { name: 'Code 9', n: 5 },
];

describe('sortRows', () => {
  it('sorts numbers from the largest when descending, keeping ties in their original order', () => {
    expect(sortRows(rows, (r) => r.n, 'descending').map((r) => r.name)).toEqual([
      'Coûts',
      'Code 9',
      'Écoute',
      'Budget',
      'Code 10',
      'accessibilité',
    ]);
  });

  it('puts empty values last in both directions', () => {
    expect(sortRows(rows, (r) => r.n, 'ascending').map((r) => r.name)).toEqual([
      'Code 10',
      'Écoute',
      'Budget',
      'Coûts',
      'Code 9',
      'accessibilité',
    ]);
  });

  it('sorts text in French order: accents and case ignored, numbers inside names by value', () => {
    expect(sortRows(rows, (r) => r.name, 'ascending').map((r) => r.name)).toEqual([
      'accessibilité',
      'Budget',
      'Code 9',
      'Code 10',
      'Coûts',
      'Écoute',
    ]);
  });

  it('does not change the rows it is given', () => {
    const copy = [...rows];
    sortRows(rows, (r) => r.n, 'descending');
    expect(rows).toEqual(copy);
  });

  it('treats NaN as empty', () => {
    const list = [{ v: Number.NaN }, { v: 1 }];
    expect(sortRows(list, (r) => r.v, 'ascending')).toEqual([{ v: 1 }, { v: Number.NaN }]);
  });
});

describe('nextSort', () => {
  it('starts a numeric column from the largest, then reverses, then returns to the original order', () => {
    const first = nextSort(null, 'codings', true);
    expect(first).toEqual({ key: 'codings', direction: 'descending' });
    const second = nextSort(first, 'codings', true);
    expect(second).toEqual({ key: 'codings', direction: 'ascending' });
    expect(nextSort(second, 'codings', true)).toBeNull();
  });

  it('starts a text column from A', () => {
    expect(nextSort(null, 'code', false)).toEqual({ key: 'code', direction: 'ascending' });
  });

  it('starts afresh when another column is clicked', () => {
    expect(nextSort({ key: 'codings', direction: 'ascending' }, 'participants', true)).toEqual({
      key: 'participants',
      direction: 'descending',
    });
  });
});
