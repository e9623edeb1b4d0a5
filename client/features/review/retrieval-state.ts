import { createMemo, createResource, createSignal } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { downloadCsv } from './csv.ts';
import { passageRows } from './passages-csv.ts';
import { fetchCodes, fetchPassages } from './review-api.ts';
import type { RetrieveOp } from './review-filter.ts';
import { orderCodes, type createFilterSources, type useReviewSearch } from './review-state.ts';

export const OPS: readonly RetrieveOp[] = ['and', 'or', 'not'];

/** The columns of the passages' CSV. */
const csvHeaders = () => [
  t('review.col.document'),
  t('review.col.participant'),
  t('review.col.speaker'),
  t('review.col.time'),
  t('review.col.start'),
  t('review.col.end'),
  t('review.col.quote'),
  t('review.col.codes'),
  t('review.col.coders'),
];

/**
 * The retrieval page's data, read from its address: the one or two codes, how they combine, the
 * passages found, and those passages as CSV.
 */
export function createRetrieval(
  review: ReturnType<typeof useReviewSearch>,
  sources: ReturnType<typeof createFilterSources>,
) {
  const [codes] = createResource(review.projectId, fetchCodes);
  const ordered = createMemo(() => orderCodes(codes() ?? []));
  const codeIds = createMemo(() => (review.param('codes') ?? '').split(',').filter((id) => id !== ''));
  const op = (): RetrieveOp => {
    const value = review.param('op');
    return OPS.includes(value as RetrieveOp) ? (value as RetrieveOp) : 'or';
  };
  const [result] = createResource(
    () =>
      codeIds().length > 0
        ? { projectId: review.projectId(), codes: codeIds(), op: op(), filter: review.filter() }
        : false,
    ({ projectId, codes, op, filter }) =>
      fetchPassages(projectId, codes, codes.length > 1 ? op : 'or', filter),
  );
  const codeName = (id: string) => codes()?.find((c) => c.id === id)?.name ?? '?';
  const coderName = (id: string) => sources.coders().find((c) => c.id === id)?.name ?? '?';
  const setCodes = (first: string, second: string) =>
    review.setParam('codes', [first, second].filter((id) => id !== '').join(','));
  const first = () => codeIds()[0] ?? '';
  const second = () => codeIds()[1] ?? '';
  const summary = () => {
    const [a, b] = codeIds();
    if (a === undefined) return '';
    if (b === undefined) return t('review.retrieval.summaryOne', { a: codeName(a) });
    return t(`review.retrieval.summary.${op()}`, { a: codeName(a), b: codeName(b) });
  };
  const codingCount = () => (result()?.passages ?? []).reduce((n, p) => n + p.codingIds.length, 0);
  const [downloadError, setDownloadError] = createSignal<unknown>();
  const download = () => {
    const current = result();
    if (!current) return;
    setDownloadError(undefined);
    downloadCsv(
      review.projectId(),
      `${t('review.retrieval.title')} ${summary()}`,
      passageRows(current.passages, csvHeaders(), codeName, coderName),
    ).catch(setDownloadError);
  };
  return {
    codes,
    ordered,
    codeIds,
    op,
    result,
    codeName,
    coderName,
    setCodes,
    first,
    second,
    summary,
    codingCount,
    downloadError,
    setDownloadError,
    download,
  };
}

export type Retrieval = ReturnType<typeof createRetrieval>;
