import { createMemo, createResource, createSignal, For, Show } from 'solid-js';
import { ChoiceGroup } from './ChoiceGroup.tsx';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { formatNumber, t } from '../../i18n/index.ts';
import { downloadCsv } from './csv.ts';
import { FilterPanel } from './FilterPanel.tsx';
import { PassageList } from './PassageList.tsx';
import { passageRows } from './passages-csv.ts';
import { fetchCodes, fetchPassages, PASSAGE_LIMIT } from './review-api.ts';
import type { RetrieveOp } from './review-filter.ts';
import { createFilterSources, orderCodes, useReviewSearch } from './review-state.ts';
import { ReviewHeader } from './ReviewHeader.tsx';
import './review.css';

const OPS: readonly RetrieveOp[] = ['and', 'or', 'not'];

/**
 * Retrieval: the passages of one code, or of two codes combined (both, either, the first without
 * the second), under the filters; each with its context and a link into the document.
 */
export default function RetrievalPage() {
  const review = useReviewSearch();
  const sources = createFilterSources(review.projectId);
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
      passageRows(
        current.passages,
        [
          t('review.col.document'),
          t('review.col.participant'),
          t('review.col.speaker'),
          t('review.col.time'),
          t('review.col.start'),
          t('review.col.end'),
          t('review.col.quote'),
          t('review.col.codes'),
          t('review.col.coders'),
        ],
        codeName,
        coderName,
      ),
    ).catch(setDownloadError);
  };

  // `selected` on the options, not `value` on the select: the codes arrive after the address.
  const CodeOptions = (props: { selected: string }) => (
    <For each={ordered()}>
      {(code) => (
        <option value={code.id} selected={code.id === props.selected}>
          {`${'\u00a0\u00a0'.repeat(code.depth)}${code.name}`}
        </option>
      )}
    </For>
  );

  return (
    <div class="page wide review-page">
      <ReviewHeader
        projectId={review.projectId()}
        title={t('review.retrieval.title')}
        intro={t('review.retrieval.intro')}
      />
      <ErrorAlert error={sources.error() ?? codes.error ?? result.error} />
      <section class="card" aria-labelledby="query-title">
        <h2 id="query-title">{t('review.retrieval.query')}</h2>
        <div class="review-controls">
          <label class="field">
            <span>{t('review.retrieval.first')}</span>
            <select onChange={(e) => setCodes(e.currentTarget.value, second())}>
              <option value="" selected={first() === ''}>
                {t('review.retrieval.choose')}
              </option>
              <CodeOptions selected={first()} />
            </select>
          </label>
          <label class="field">
            <span>{t('review.retrieval.second')}</span>
            <select onChange={(e) => setCodes(first(), e.currentTarget.value)} disabled={first() === ''}>
              <option value="" selected={second() === ''}>
                {t('review.retrieval.noSecond')}
              </option>
              <CodeOptions selected={second()} />
            </select>
          </label>
          <ChoiceGroup
            legend={t('review.retrieval.op')}
            name="retrieve-op"
            choices={OPS.map((value) => ({ value, label: t(`review.retrieval.op.${value}`) }))}
            selected={op()}
            onChange={(value) => review.setParam('op', value)}
            disabled={second() === ''}
          />
        </div>
      </section>
      <FilterPanel
        filter={review.filter()}
        onChange={review.setFilter}
        coders={sources.coders()}
        documents={sources.documents() ?? []}
        attributes={sources.attributes()}
      />
      <section class="card" aria-labelledby="passages-title" aria-busy={result.loading}>
        <div class="panel-head">
          <h2 id="passages-title">{t('review.retrieval.results')}</h2>
          <Show when={(result()?.total ?? 0) > 0}>
            <button type="button" class="small-button" onClick={download}>
              {t('review.csv.download')}
              <span class="visually-hidden">
                {t('review.downloadOf', { caption: t('review.retrieval.results') })}
              </span>
            </button>
          </Show>
        </div>
        <ErrorAlert error={downloadError()} onDismiss={() => setDownloadError(undefined)} />
        <Show when={codeIds().length > 0} fallback={<p class="muted">{t('review.retrieval.pick')}</p>}>
          <Show when={result()} fallback={<p class="muted">{t('app.loading')}</p>}>
            {(current) => (
              <>
                <p class="result-count" data-testid="passage-count" aria-live="polite">
                  {t('review.retrieval.count', {
                    passages: formatNumber(current().total),
                    codings: formatNumber(codingCount()),
                    summary: summary(),
                  })}
                  <Show when={current().total > current().passages.length}>
                    {' '}
                    {t('review.retrieval.truncated', { shown: formatNumber(PASSAGE_LIMIT) })}
                  </Show>
                </p>
                <PassageList
                  projectId={review.projectId()}
                  passages={current().passages}
                  codeName={codeName}
                  coderName={coderName}
                />
              </>
            )}
          </Show>
        </Show>
      </section>
    </div>
  );
}
