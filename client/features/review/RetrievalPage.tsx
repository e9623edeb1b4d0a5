import { Show } from 'solid-js';
import { ChoiceGroup } from './ChoiceGroup.tsx';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { formatNumber, t } from '../../i18n/index.ts';
import { FilterPanel } from './FilterPanel.tsx';
import { PassageList } from './PassageList.tsx';
import { PASSAGE_LIMIT } from './review-api.ts';
import { createFilterSources, useReviewSearch } from './review-state.ts';
import { createRetrieval, OPS, type Retrieval } from './retrieval-state.ts';
import { ReviewHeader } from './ReviewHeader.tsx';
import { IndentedCodeOptions } from '../../app/IndentedCodeOptions.tsx';
import './review.css';

/**
 * Retrieval: the passages of one code, or of two codes combined (both, either, the first without
 * the second), under the filters; each with its context and a link into the document.
 */
export default function RetrievalPage() {
  const review = useReviewSearch();
  const sources = createFilterSources(review.projectId);
  const state = createRetrieval(review, sources);

  return (
    <div class="page wide review-page">
      <ReviewHeader
        projectId={review.projectId()}
        title={t('review.retrieval.title')}
        intro={t('review.retrieval.intro')}
      />
      <ErrorAlert error={sources.error() ?? state.codes.error ?? state.result.error} />
      <RetrievalQuery state={state} setOp={(value) => review.setParam('op', value)} />
      <FilterPanel
        filter={review.filter()}
        onChange={review.setFilter}
        coders={sources.coders()}
        documents={sources.documents() ?? []}
        attributes={sources.attributes()}
      />
      <RetrievalResults state={state} projectId={review.projectId()} />
    </div>
  );
}

/** The one or two codes whose passages are read, and how two codes combine. */
function RetrievalQuery(props: { state: Retrieval; setOp: (op: string) => void }) {
  return (
    <section class="card" aria-labelledby="query-title">
      <h2 id="query-title">{t('review.retrieval.query')}</h2>
      <div class="review-controls">
        <label class="field">
          <span>{t('review.retrieval.first')}</span>
          <select onChange={(e) => props.state.setCodes(e.currentTarget.value, props.state.second())}>
            <option value="" selected={props.state.first() === ''}>
              {t('review.retrieval.choose')}
            </option>
            <IndentedCodeOptions codes={props.state.ordered()} selected={props.state.first()} />
          </select>
        </label>
        <label class="field">
          <span>{t('review.retrieval.second')}</span>
          <select
            onChange={(e) => props.state.setCodes(props.state.first(), e.currentTarget.value)}
            disabled={props.state.first() === ''}
          >
            <option value="" selected={props.state.second() === ''}>
              {t('review.retrieval.noSecond')}
            </option>
            <IndentedCodeOptions codes={props.state.ordered()} selected={props.state.second()} />
          </select>
        </label>
        <ChoiceGroup
          legend={t('review.retrieval.op')}
          name="retrieve-op"
          choices={OPS.map((value) => ({ value, label: t(`review.retrieval.op.${value}`) }))}
          selected={props.state.op()}
          onChange={(value) => props.setOp(value)}
          disabled={props.state.second() === ''}
        />
      </div>
    </section>
  );
}

/** The passages found, with their count and their CSV. */
function RetrievalResults(props: { state: Retrieval; projectId: string }) {
  return (
    <section class="card" aria-labelledby="passages-title" aria-busy={props.state.result.loading}>
      <div class="panel-head">
        <h2 id="passages-title">{t('review.retrieval.results')}</h2>
        <Show when={(props.state.result()?.total ?? 0) > 0}>
          <button type="button" class="small-button" onClick={() => props.state.download()}>
            {t('review.csv.download')}
            <span class="visually-hidden">
              {t('review.downloadOf', { caption: t('review.retrieval.results') })}
            </span>
          </button>
        </Show>
      </div>
      <ErrorAlert
        error={props.state.downloadError()}
        onDismiss={() => props.state.setDownloadError(undefined)}
      />
      <Show
        when={props.state.codeIds().length > 0}
        fallback={<p class="muted">{t('review.retrieval.pick')}</p>}
      >
        <Show when={props.state.result()} fallback={<p class="muted">{t('app.loading')}</p>}>
          {(current) => (
            <>
              <p class="result-count" data-testid="passage-count" aria-live="polite">
                {t('review.retrieval.count', {
                  passages: formatNumber(current().total),
                  codings: formatNumber(props.state.codingCount()),
                  summary: props.state.summary(),
                })}
                <Show when={current().total > current().passages.length}>
                  {' '}
                  {t('review.retrieval.truncated', { shown: formatNumber(PASSAGE_LIMIT) })}
                </Show>
              </p>
              <PassageList
                projectId={props.projectId}
                passages={current().passages}
                codeName={props.state.codeName}
                coderName={props.state.coderName}
              />
            </>
          )}
        </Show>
      </Show>
    </section>
  );
}
