import { createMemo, createResource } from 'solid-js';
import { nullReason, type Universe } from './agreement-columns.tsx';
import { fetchAgreement, fetchCodes, type AgreementUnit } from './review-api.ts';
import { orderCodes, type createFilterSources, type useReviewSearch } from './review-state.ts';

/**
 * The agreement page's data, read from its address: the coders compared (by default the two who
 * coded the most documents in common), the unit, and the report with its rows by code.
 */
export function createAgreement(
  review: ReturnType<typeof useReviewSearch>,
  sources: ReturnType<typeof createFilterSources>,
) {
  const [codes] = createResource(review.projectId, fetchCodes);
  const ordered = createMemo(() => orderCodes(codes() ?? []));
  // Until someone ticks coders, the page compares the two who coded the most documents in common.
  const chosen = createMemo(() => {
    const written = review.param('coders');
    if (written === undefined) return [...(sources.coderPairs()[0]?.coders ?? [])];
    return written.split(',').filter((id) => id !== '');
  });
  const unit = (): AgreementUnit => (review.param('unit') === 'turn' ? 'turn' : 'character');
  const filter = () => ({ ...review.filter(), coderIds: [] });
  const [report] = createResource(
    () =>
      chosen().length >= 2
        ? { projectId: review.projectId(), coders: chosen(), unit: unit(), filter: filter() }
        : false,
    ({ projectId, coders, unit, filter }) => fetchAgreement(projectId, coders, unit, filter),
  );
  const depthOf = (codeId: string) => ordered().find((c) => c.id === codeId)?.depth ?? 0;
  const rows = createMemo(() =>
    (report()?.rows ?? []).map((row) => ({ ...row, depth: depthOf(row.codeId) })),
  );
  const codeName = (id: string) =>
    report()?.rows.find((r) => r.codeId === id)?.name ?? ordered().find((c) => c.id === id)?.name ?? '?';
  const reasonOf = (id: string, universe: Universe) =>
    nullReason(report()?.rows.find((r) => r.codeId === id)?.[universe].kappaNullReason);
  const comparedDocuments = () =>
    (report()?.documentIds ?? []).map((id) => ({
      id,
      name: sources.documents()?.find((d) => d.id === id)?.name ?? id,
    }));
  // No coder ticked is written « , »: an absent parameter would bring the first pair back.
  const setCoders = (ids: readonly string[]) =>
    review.setParam('coders', ids.length === 0 ? ',' : ids.join(','));
  return {
    codes,
    ordered,
    chosen,
    unit,
    filter,
    report,
    rows,
    codeName,
    reasonOf,
    comparedDocuments,
    setCoders,
  };
}

export type Agreement = ReturnType<typeof createAgreement>;
export type AgreementReport = NonNullable<ReturnType<Agreement['report']>>;
