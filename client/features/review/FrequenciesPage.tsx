import { ownValue } from '../../../shared/attributes.ts';
import { For, Show } from 'solid-js';
import { ChoiceGroup } from './ChoiceGroup.tsx';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { formatNumber, t } from '../../i18n/index.ts';
import { BarChart } from './BarChart.tsx';
import { DataTable } from './DataTable.tsx';
import { FilterPanel } from './FilterPanel.tsx';
import { coderColumns, crosstabColumns, depthClass, frequencyColumns } from './FrequencyTables.tsx';
import { createFrequencies, type Frequencies } from './frequencies-state.ts';
import { createFilterSources, useReviewSearch, type AttributeOption } from './review-state.ts';
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
  const state = createFrequencies(review);

  return (
    <div class="page wide review-page">
      <ReviewHeader
        projectId={review.projectId()}
        title={t('review.frequencies.title')}
        intro={t('review.frequencies.intro')}
      />
      <ErrorAlert error={sources.error() ?? state.table.error ?? state.coders.error} />
      <FilterPanel
        filter={review.filter()}
        onChange={review.setFilter}
        coders={sources.coders()}
        documents={sources.documents() ?? []}
        attributes={sources.attributes()}
      />
      <FrequencyDisplay state={state} attributes={sources.attributes()} />
      <CodeFrequencies state={state} />
      <CoderFrequencies state={state} />
    </div>
  );
}

/** How the table reads: crossed with an attribute or not, percent by column or row, roll-up. */
function FrequencyDisplay(props: { state: Frequencies; attributes: readonly AttributeOption[] }) {
  return (
    <section class="card" aria-labelledby="mode-title">
      <h2 id="mode-title">{t('review.frequencies.display')}</h2>
      <div class="review-controls">
        <label class="field">
          <span>{t('review.crosstab.attribute')}</span>
          <select onChange={(e) => props.state.review.setParam('attribute', e.currentTarget.value)}>
            <option value="" selected={props.state.attribute() === undefined}>
              {t('review.crosstab.none')}
            </option>
            <For each={props.attributes}>
              {(a) => (
                <option value={a.name} selected={a.name === props.state.attribute()}>
                  {a.name}
                </option>
              )}
            </For>
          </select>
        </label>
        <Show when={props.state.attribute()}>
          <ChoiceGroup
            legend={t('review.crosstab.percentBase')}
            name="percent-base"
            choices={[
              { value: 'column', label: t('review.crosstab.columnPercent') },
              { value: 'row', label: t('review.crosstab.rowPercent') },
            ]}
            selected={props.state.base()}
            onChange={(value) => props.state.review.setParam('percent', value === 'row' ? 'row' : undefined)}
          />
          <label class="checkbox">
            <input
              type="checkbox"
              checked={props.state.useRollup()}
              onChange={(e) =>
                props.state.review.setParam('rollup', e.currentTarget.checked ? '1' : undefined)
              }
            />
            <span>{t('review.crosstab.rollup')}</span>
          </label>
        </Show>
      </div>
      <Show when={props.state.table()}>
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
  );
}

/** Frequencies by code, or crossed with the chosen attribute, each with its chart. */
function CodeFrequencies(props: { state: Frequencies }) {
  return (
    <Show when={props.state.table()} fallback={<p class="muted">{t('app.loading')}</p>}>
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
                columns={frequencyColumns(props.state.context())}
                rows={current().rows}
                rowClass={depthClass}
              />
              <BarChart
                title={t('review.frequencies.chartTitle')}
                description={t('review.frequencies.chartDesc')}
                categories={props.state.codedRows().map((r) => ({ key: r.codeId, label: r.name }))}
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
                hint={t(
                  props.state.base() === 'row' ? 'review.crosstab.hintRow' : 'review.crosstab.hintColumn',
                )}
                columns={crosstabColumns(
                  props.state.context(),
                  current(),
                  props.state.base(),
                  props.state.useRollup(),
                )}
                rows={current().rows}
                rowClass={depthClass}
              />
              <BarChart
                title={t('review.crosstab.chartTitle', { attribute: crosstab().attribute })}
                description={t('review.crosstab.chartDesc', { attribute: crosstab().attribute })}
                categories={props.state.codedRows().map((r) => ({ key: r.codeId, label: r.name }))}
                series={crosstab().columns.map((c) => ({ key: c.value, label: c.value }))}
                value={(code, value) => {
                  const row = current().rows.find((r) => r.codeId === code);
                  const figures = props.state.useRollup() && row?.rollup ? row.rollup : row;
                  return ownValue(figures?.byValue, value)?.codings ?? 0;
                }}
              />
            </section>
          )}
        </Show>
      )}
    </Show>
  );
}

/** Frequencies by coder, with their chart. */
function CoderFrequencies(props: { state: Frequencies }) {
  return (
    <section class="card" aria-labelledby="coders-title">
      <h2 id="coders-title">{t('review.coders.title')}</h2>
      <Show when={props.state.coders()} fallback={<p class="muted">{t('app.loading')}</p>}>
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
  );
}
