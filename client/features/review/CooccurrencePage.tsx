import { Show } from 'solid-js';
import { ChoiceGroup } from './ChoiceGroup.tsx';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { formatNumber, t } from '../../i18n/index.ts';
import { createCooccurrence, type Cooccurrence } from './cooccurrence-state.ts';
import { CooccurrenceTable } from './CooccurrenceTable.tsx';
import { FilterPanel } from './FilterPanel.tsx';
import { PassageList } from './PassageList.tsx';
import { createFilterSources, useReviewSearch } from './review-state.ts';
import { ReviewHeader } from './ReviewHeader.tsx';
import './review.css';

/**
 * Co-occurrence: a code × code table whose cells count overlapping codings (or turns holding both
 * codes), shaded by size and numbered; a cell opens the passages where the two codes meet.
 */
export default function CooccurrencePage() {
  const review = useReviewSearch();
  const sources = createFilterSources(review.projectId);
  const state = createCooccurrence(review, sources);
  const { unit, showAll, matrix, shown, passages, caption } = state;
  const { downloadError, setDownloadError, download } = state;

  return (
    <div class="page wide review-page">
      <ReviewHeader
        projectId={review.projectId()}
        title={t('review.cooccurrence.title')}
        intro={t('review.cooccurrence.intro')}
      />
      <ErrorAlert error={sources.error() ?? matrix.error ?? passages.error} />
      <FilterPanel
        filter={review.filter()}
        onChange={review.setFilter}
        coders={sources.coders()}
        documents={sources.documents() ?? []}
        attributes={sources.attributes()}
      />
      <section class="card" aria-labelledby="matrix-title">
        <div class="panel-head">
          <h2 id="matrix-title">{t('review.cooccurrence.matrix')}</h2>
          <button type="button" class="small-button" onClick={download}>
            {t('review.csv.download')}
            <span class="visually-hidden">{t('review.downloadOf', { caption: caption() })}</span>
          </button>
        </div>
        <ErrorAlert error={downloadError()} onDismiss={() => setDownloadError(undefined)} />
        <div class="review-controls">
          <ChoiceGroup
            legend={t('review.cooccurrence.unit')}
            name="cooccurrence-unit"
            choices={[
              { value: 'overlap', label: t('review.cooccurrence.unitOverlap') },
              { value: 'turn', label: t('review.cooccurrence.unitTurn') },
            ]}
            selected={unit()}
            onChange={(value) => review.setParam('unit', value === 'turn' ? 'turn' : undefined)}
          />
          <label class="checkbox">
            <input
              type="checkbox"
              checked={showAll()}
              onChange={(e) => review.setParam('all', e.currentTarget.checked ? '1' : undefined)}
            />
            <span>{t('review.cooccurrence.showAll')}</span>
          </label>
        </div>
        <p class="hint">
          {t(unit() === 'turn' ? 'review.cooccurrence.hintTurn' : 'review.cooccurrence.hintOverlap')}
        </p>
        <Show when={matrix()} fallback={<p class="muted">{t('app.loading')}</p>}>
          {(current) => (
            <Show when={shown().length > 0} fallback={<p class="muted">{t('review.cooccurrence.empty')}</p>}>
              <CooccurrenceTable state={state} current={current()} />
              <p class="hint">{t('review.cooccurrence.legend')}</p>
            </Show>
          )}
        </Show>
      </section>
      <CooccurrencePair state={state} projectId={review.projectId()} />
    </div>
  );
}

/** The passages where the two codes of the chosen cell meet. */
function CooccurrencePair(props: { state: Cooccurrence; projectId: string }) {
  return (
    <Show when={props.state.pair()}>
      {(current) => (
        <section class="card" aria-labelledby="pair-title" aria-busy={props.state.passages.loading}>
          <h2 id="pair-title">
            {t('review.cooccurrence.pairTitle', {
              a: props.state.codeName(current().a),
              b: props.state.codeName(current().b),
            })}
          </h2>
          <Show when={props.state.passages()} fallback={<p class="muted">{t('app.loading')}</p>}>
            {(found) => (
              <>
                <p class="result-count" data-testid="passage-count" aria-live="polite">
                  {t('review.cooccurrence.pairCount', { count: formatNumber(found().total) })}
                </p>
                <PassageList
                  projectId={props.projectId}
                  passages={found().passages}
                  codeName={props.state.codeName}
                  coderName={props.state.coderName}
                />
              </>
            )}
          </Show>
        </section>
      )}
    </Show>
  );
}
