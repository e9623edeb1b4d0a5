/**
 * Sorting the review tables by a column: numbers and text in French order, empty cells last in
 * both directions, ties kept in their original (codebook) order.
 */

export type SortDirection = 'ascending' | 'descending';

export interface SortState {
  readonly key: string;
  readonly direction: SortDirection;
}

export type SortValue = string | number | null | undefined;

const collator = new Intl.Collator('fr', { numeric: true, sensitivity: 'base' });

/** Compare two cell values in ascending order; empty values are handled by the caller. */
function compareValues(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}

/**
 * The rows sorted by `value`, in `direction`; a stable sort, so equal values keep the order the
 * rows came in, and empty values (null, undefined, NaN) always go last.
 * @example sortRows([{n: 2}, {n: null}, {n: 5}], (r) => r.n, 'descending') → [{n: 5}, {n: 2}, {n: null}]
 */
export function sortRows<T>(rows: readonly T[], value: (row: T) => SortValue, direction: SortDirection): T[] {
  const sign = direction === 'ascending' ? 1 : -1;
  const isEmpty = (v: SortValue): v is null | undefined =>
    v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));
  return rows
    .map((row, index) => ({ row, index, value: value(row) }))
    .sort((a, b) => {
      const emptyA = isEmpty(a.value);
      const emptyB = isEmpty(b.value);
      if (emptyA || emptyB) return emptyA === emptyB ? a.index - b.index : emptyA ? 1 : -1;
      return (
        sign * compareValues(a.value as string | number, b.value as string | number) || a.index - b.index
      );
    })
    .map((entry) => entry.row);
}

/**
 * The sort after a click on column `key`: a new column starts in its natural direction
 * (numbers from the largest, text from A), a second click reverses it, a third goes back to the
 * original order (`null`).
 */
export function nextSort(current: SortState | null, key: string, numeric: boolean): SortState | null {
  const first: SortDirection = numeric ? 'descending' : 'ascending';
  if (current === null || current.key !== key) return { key, direction: first };
  if (current.direction === first)
    return { key, direction: first === 'ascending' ? 'descending' : 'ascending' };
  return null;
}
