import { createMemo, createResource, createSignal, For, Index, Show } from 'solid-js';
import { ChoiceGroup } from './ChoiceGroup.tsx';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { formatNumber, t } from '../../i18n/index.ts';
import { downloadCsv } from './csv.ts';
import { FilterPanel } from './FilterPanel.tsx';
import { PassageList } from './PassageList.tsx';
import { fetchCooccurrence, fetchPassages, type CooccurrenceUnit } from './review-api.ts';
import { createFilterSources, useReviewSearch } from './review-state.ts';
import { ReviewHeader } from './ReviewHeader.tsx';
import './review.css';

/** Shade steps of the heat map: 0 for nothing, then 1–5 by share of the largest count. */
export function heatLevel(value: number, max: number): number {
  if (value <= 0 || max <= 0) return 0;
  return Math.max(1, Math.min(5, Math.ceil((value / max) * 5)));
}

/**
 * Co-occurrence: a code × code table whose cells count overlapping codings (or turns holding both
 * codes), shaded by size and numbered; a cell opens the passages where the two codes meet.
 */
export default function CooccurrencePage() {
  const review = useReviewSearch();
  const sources = createFilterSources(review.projectId);
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
              <div class="table-scroll">
                <table class="review-table heatmap" data-testid="cooccurrence-table">
                  <caption>{caption()}</caption>
                  <thead>
                    <tr>
                      <td class="corner" />
                      <For each={shown()}>
                        {(j) => (
                          <th scope="col" class="vertical">
                            <span>{current().codes[j]?.name}</span>
                          </th>
                        )}
                      </For>
                    </tr>
                  </thead>
                  <tbody>
                    <Index each={shown()}>
                      {(i) => {
                        const row = () => current().codes[i()];
                        return (
                          <tr>
                            <th scope="row">{row()?.name}</th>
                            <For each={shown()}>
                              {(j) => {
                                const column = () => current().codes[j];
                                const count = () => value(i(), j);
                                const diagonal = () => i() === j;
                                const selected = () =>
                                  pair()?.a === row()?.codeId && pair()?.b === column()?.codeId;
                                return (
                                  <td
                                    class={`num heat-${diagonal() ? 'diagonal' : heatLevel(count(), max())}`}
                                  >
                                    <Show
                                      when={!diagonal() && count() > 0}
                                      fallback={
                                        <span classList={{ zero: count() === 0 }}>
                                          {formatNumber(count())}
                                        </span>
                                      }
                                    >
                                      <button
                                        type="button"
                                        class="cell-button"
                                        aria-pressed={selected()}
                                        aria-label={t('review.cooccurrence.cellLabel', {
                                          a: row()?.name ?? '',
                                          b: column()?.name ?? '',
                                          count: count(),
                                        })}
                                        onClick={() => select(row()?.codeId ?? '', column()?.codeId ?? '')}
                                      >
                                        {formatNumber(count())}
                                      </button>
                                    </Show>
                                  </td>
                                );
                              }}
                            </For>
                          </tr>
                        );
                      }}
                    </Index>
                  </tbody>
                </table>
              </div>
              <p class="hint">{t('review.cooccurrence.legend')}</p>
            </Show>
          )}
        </Show>
      </section>
      <Show when={pair()}>
        {(current) => (
          <section class="card" aria-labelledby="pair-title" aria-busy={passages.loading}>
            <h2 id="pair-title">
              {t('review.cooccurrence.pairTitle', { a: codeName(current().a), b: codeName(current().b) })}
            </h2>
            <Show when={passages()} fallback={<p class="muted">{t('app.loading')}</p>}>
              {(found) => (
                <>
                  <p class="result-count" data-testid="passage-count" aria-live="polite">
                    {t('review.cooccurrence.pairCount', { count: formatNumber(found().total) })}
                  </p>
                  <PassageList
                    projectId={review.projectId()}
                    passages={found().passages}
                    codeName={codeName}
                    coderName={coderName}
                  />
                </>
              )}
            </Show>
          </section>
        )}
      </Show>
    </div>
  );
}
