import { createMemo, createResource } from 'solid-js';
import type { PercentBase } from './FrequencyTables.tsx';
import { fetchCoders, fetchFrequencies } from './review-api.ts';
import type { useReviewSearch } from './review-state.ts';

/**
 * The frequencies page's data, read from its address: the table by code (crossed with an
 * attribute if one is chosen), the percent base, the roll-up, and the table by coder.
 */
export function createFrequencies(review: ReturnType<typeof useReviewSearch>) {
  const attribute = () => review.param('attribute');
  const base = (): PercentBase => (review.param('percent') === 'row' ? 'row' : 'column');
  const useRollup = () => review.param('rollup') === '1';
  const [table] = createResource(
    () => ({ projectId: review.projectId(), filter: review.filter(), attribute: attribute() }),
    ({ projectId, filter, attribute }) => fetchFrequencies(projectId, filter, attribute),
  );
  const [coders] = createResource(
    () => ({ projectId: review.projectId(), filter: review.filter() }),
    async ({ projectId, filter }) => (await fetchCoders(projectId, filter)).rows,
  );
  const context = () => ({
    projectId: review.projectId(),
    filter: review.filter(),
    rows: table()?.rows ?? [],
  });
  const codedRows = createMemo(() => (table()?.rows ?? []).filter((r) => (r.rollup ?? r).codings > 0));
  return { review, attribute, base, useRollup, table, coders, context, codedRows };
}

export type Frequencies = ReturnType<typeof createFrequencies>;
