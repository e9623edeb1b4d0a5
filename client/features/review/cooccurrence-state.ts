import { createMemo, createResource, createSignal } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { downloadCsv } from './csv.ts';
import { fetchCooccurrence, fetchPassages, type CooccurrenceUnit } from './review-api.ts';
import type { createFilterSources, useReviewSearch } from './review-state.ts';

/**
 * The co-occurrence page's data, read from its address: the matrix in the chosen unit, the codes
 * shown, the pair of codes chosen and its passages, and the matrix as CSV.
 */
export function createCooccurrence(
  review: ReturnType<typeof useReviewSearch>,
  sources: ReturnType<typeof createFilterSources>,
) {
  const unit = (): CooccurrenceUnit => (review.param('unit') === 'turn' ? 'turn' : 'overlap');
  const showAll = () => review.param('all') === '1';
  const [matrix] = createResource(
    () => ({ projectId: review.projectId(), filter: review.filter(), unit: unit() }),
    ({ projectId, filter, unit }) => fetchCooccurrence(projectId, filter, unit),
  );
  /** Indexes of the codes shown: by default, those with at least one coding in scope. */
  const shown = createMemo(() => {
    const current = matrix();
    if (!current) return [];
    return current.codes.map((_, i) => i).filter((i) => showAll() || (current.matrix[i]?.[i] ?? 0) > 0);
  });
  const max = createMemo(() => {
    const current = matrix();
    let m = 0;
    for (const i of shown())
      for (const j of shown()) if (i !== j) m = Math.max(m, current?.matrix[i]?.[j] ?? 0);
    return m;
  });
  const pair = createMemo(() => {
    const a = review.param('a');
    const b = review.param('b');
    return a && b ? { a, b } : undefined;
  });
  const [passages] = createResource(
    () => {
      const p = pair();
      return p
        ? { projectId: review.projectId(), codes: [p.a, p.b], filter: review.filter(), unit: unit() }
        : false;
    },
    // By turn, a cell counts turns holding both codes: the passages listed are those turns.
    ({ projectId, codes, filter, unit }) =>
      fetchPassages(projectId, codes, 'and', filter, unit === 'turn' ? 'turn' : 'passage'),
  );
  const codeName = (id: string) => matrix()?.codes.find((c) => c.codeId === id)?.name ?? '?';
  const coderName = (id: string) => sources.coders().find((c) => c.id === id)?.name ?? '?';
  const value = (i: number, j: number) => matrix()?.matrix[i]?.[j] ?? 0;
  const caption = () =>
    t(unit() === 'turn' ? 'review.cooccurrence.captionTurn' : 'review.cooccurrence.captionOverlap');
  const [downloadError, setDownloadError] = createSignal<unknown>();
  const download = () => {
    const current = matrix();
    if (!current) return;
    const names = shown().map((i) => current.codes[i]?.name ?? '');
    setDownloadError(undefined);
    downloadCsv(review.projectId(), caption(), [
      [t('review.col.code'), ...names],
      ...shown().map((i) => [current.codes[i]?.name ?? '', ...shown().map((j) => value(i, j))]),
    ]).catch(setDownloadError);
  };
  const select = (a: string, b: string) =>
    review.update((s) => {
      s.set('a', a);
      s.set('b', b);
    });
  return {
    unit,
    showAll,
    matrix,
    shown,
    max,
    pair,
    passages,
    codeName,
    coderName,
    value,
    caption,
    downloadError,
    setDownloadError,
    download,
    select,
  };
}

export type Cooccurrence = ReturnType<typeof createCooccurrence>;
export type CooccurrenceMatrix = NonNullable<ReturnType<Cooccurrence['matrix']>>;
