import { ownValue } from '../../../shared/attributes.ts';
import { createMemo, createResource, For, Show } from 'solid-js';
import { ChoiceGroup } from './ChoiceGroup.tsx';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { formatNumber, t } from '../../i18n/index.ts';
import { BarChart } from './BarChart.tsx';
import { DataTable } from './DataTable.tsx';
import { FilterPanel } from './FilterPanel.tsx';
import {
  coderColumns,
  crosstabColumns,
  depthClass,
  frequencyColumns,
  type PercentBase,
} from './FrequencyTables.tsx';
import { fetchCoders, fetchFrequencies } from './review-api.ts';
import { createFilterSources, useReviewSearch } from './review-state.ts';
import { ReviewHeader } from './ReviewHeader.tsx';
import './review.css';

/**
 * Theme frequencies: per code in codebook order (codings, documents, participants, coverage, and
 * the roll-up of parents), the same crossed with one attribute, and per coder; each table with its
 * chart and its CSV. The filters and the crosstab attribute live in the address.
 */
export default function FrequenciesPage() {
  const review = useReviewSearch();
  const sources = createFilterSources(review.projectId);
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

  return (
    <div class="page wide review-page">
      <ReviewHeader
        projectId={review.projectId()}
        title={t('review.frequencies.title')}
        intro={t('review.frequencies.intro')}
      />
      <ErrorAlert error={sources.error() ?? table.error ?? coders.error} />
      <FilterPanel
        filter={review.filter()}
        onChange={review.setFilter}
        coders={sources.coders()}
        documents={sources.documents() ?? []}
        attributes={sources.attributes()}
      />
      <section class="card" aria-labelledby="mode-title">
        <h2 id="mode-title">{t('review.frequencies.display')}</h2>
        <div class="review-controls">
          <label class="field">
            <span>{t('review.crosstab.attribute')}</span>
            <select onChange={(e) => review.setParam('attribute', e.currentTarget.value)}>
              <option value="" selected={attribute() === undefined}>
                {t('review.crosstab.none')}
              </option>
              <For each={sources.attributes()}>
                {(a) => (
                  <option value={a.name} selected={a.name === attribute()}>
                    {a.name}
                  </option>
                )}
              </For>
            </select>
          </label>
          <Show when={attribute()}>
            <ChoiceGroup
              legend={t('review.crosstab.percentBase')}
              name="percent-base"
              choices={[
                { value: 'column', label: t('review.crosstab.columnPercent') },
                { value: 'row', label: t('review.crosstab.rowPercent') },
              ]}
              selected={base()}
              onChange={(value) => review.setParam('percent', value === 'row' ? 'row' : undefined)}
            />
            <label class="checkbox">
              <input
                type="checkbox"
                checked={useRollup()}
                onChange={(e) => review.setParam('rollup', e.currentTarget.checked ? '1' : undefined)}
              />
              <span>{t('review.crosstab.rollup')}</span>
            </label>
          </Show>
        </div>
        <Show when={table()}>
          {(current) => (
            <p class="muted small totals-line" data-testid="scope">
              {t('review.frequencies.scope', {
                documents: current().totals.documents,
                participants: current().totals.participants,
                codings: current().totals.codings,
                codePoints: formatNumber(current().totals.codePoints),
              })}
            </p>
          )}
        </Show>
      </section>

      <Show when={table()} fallback={<p class="muted">{t('app.loading')}</p>}>
        {(current) => (
          <Show
            when={current().crosstab}
            fallback={
              <section class="card" aria-labelledby="frequencies-title">
                <h2 id="frequencies-title">{t('review.frequencies.byCode')}</h2>
                <DataTable
                  testId="frequencies-table"
                  caption={t('review.frequencies.caption')}
                  hint={t('review.frequencies.hint')}
                  columns={frequencyColumns(context())}
                  rows={current().rows}
                  rowClass={depthClass}
                />
                <BarChart
                  title={t('review.frequencies.chartTitle')}
                  description={t('review.frequencies.chartDesc')}
                  categories={codedRows().map((r) => ({ key: r.codeId, label: r.name }))}
                  series={[{ key: 'codings', label: t('review.col.codings') }]}
                  value={(code) => current().rows.find((r) => r.codeId === code)?.codings ?? 0}
                />
              </section>
            }
          >
            {(crosstab) => (
              <section class="card" aria-labelledby="crosstab-title">
                <h2 id="crosstab-title">{t('review.crosstab.title', { attribute: crosstab().attribute })}</h2>
                <DataTable
                  testId="crosstab-table"
                  caption={t('review.crosstab.caption', { attribute: crosstab().attribute })}
                  hint={t(base() === 'row' ? 'review.crosstab.hintRow' : 'review.crosstab.hintColumn')}
                  columns={crosstabColumns(context(), current(), base(), useRollup())}
                  rows={current().rows}
                  rowClass={depthClass}
                />
                <BarChart
                  title={t('review.crosstab.chartTitle', { attribute: crosstab().attribute })}
                  description={t('review.crosstab.chartDesc', { attribute: crosstab().attribute })}
                  categories={codedRows().map((r) => ({ key: r.codeId, label: r.name }))}
                  series={crosstab().columns.map((c) => ({ key: c.value, label: c.value }))}
                  value={(code, value) => {
                    const row = current().rows.find((r) => r.codeId === code);
                    const figures = useRollup() && row?.rollup ? row.rollup : row;
                    return ownValue(figures?.byValue, value)?.codings ?? 0;
                  }}
                />
              </section>
            )}
          </Show>
        )}
      </Show>

      <section class="card" aria-labelledby="coders-title">
        <h2 id="coders-title">{t('review.coders.title')}</h2>
        <Show when={coders()} fallback={<p class="muted">{t('app.loading')}</p>}>
          {(rows) => (
            <>
              <DataTable
                testId="coders-table"
                caption={t('review.coders.caption')}
                columns={coderColumns()}
                rows={rows()}
                empty={t('review.coders.empty')}
              />
              <Show when={rows().length > 0}>
                <BarChart
                  title={t('review.coders.chartTitle')}
                  description={t('review.coders.chartDesc')}
                  categories={rows().map((r) => ({
                    key: r.coderId,
                    label: r.displayName || r.username || r.coderId,
                  }))}
                  series={[{ key: 'codings', label: t('review.col.codings') }]}
                  value={(coder) => rows().find((r) => r.coderId === coder)?.codings ?? 0}
                />
              </Show>
            </>
          )}
        </Show>
      </section>
    </div>
  );
}
