import { createMemo, createResource, For, Show } from 'solid-js';
import { ChoiceGroup } from './ChoiceGroup.tsx';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { formatNumber, t } from '../../i18n/index.ts';
import { ComparisonView } from './ComparisonView.tsx';
import { DataTable, type Column } from './DataTable.tsx';
import { FilterPanel } from './FilterPanel.tsx';
import { formatCoefficient, formatPercent, roundTo } from './format.ts';
import { fetchAgreement, fetchCodes, type AgreementRow, type AgreementUnit } from './review-api.ts';
import { toggleValue } from './review-filter.ts';
import { createFilterSources, orderCodes, useReviewSearch } from './review-state.ts';
import { ReviewHeader } from './ReviewHeader.tsx';
import './review.css';

type Universe = 'all' | 'codedText';
type Figures = AgreementRow['all'];

/** A kappa or alpha, or a dash that says why there is none. */
function Coefficient(props: { value: number | null; reason?: string }) {
  return (
    <Show
      when={props.value !== null}
      fallback={
        <abbr class="no-value" title={props.reason}>
          —
        </abbr>
      }
    >
      {formatCoefficient(props.value)}
    </Show>
  );
}

export function nullReason(reason: string | undefined): string {
  if (reason === 'chance_agreement_is_total') return t('review.agreement.reason.total');
  if (reason === 'no_units') return t('review.agreement.reason.noUnits');
  if (reason === 'no_variation') return t('review.agreement.reason.noVariation');
  return '';
}

function agreementColumns(): Column<AgreementRow & { depth: number }>[] {
  const columns: Column<AgreementRow & { depth: number }>[] = [
    {
      key: 'code',
      label: t('review.col.code'),
      rowHeader: true,
      sortValue: (row) => row.name,
      cell: (row) => <span class="code-cell">{row.name}</span>,
      csv: (row) => row.name,
    },
  ];
  for (const universe of ['all', 'codedText'] as const satisfies readonly Universe[]) {
    const group = t(universe === 'all' ? 'review.agreement.all' : 'review.agreement.codedText');
    const figures = (row: AgreementRow): Figures => row[universe];
    columns.push(
      {
        key: `${universe}:percent`,
        group,
        label: t('review.col.percentAgreement'),
        csvLabel: t('review.col.percentAgreementCsv'),
        numeric: true,
        sortValue: (row) => figures(row).percentAgreement,
        cell: (row) => formatPercent(figures(row).percentAgreement),
        csv: (row) => roundTo(figures(row).percentAgreement, 2),
      },
      {
        key: `${universe}:kappa`,
        group,
        label: t('review.col.kappa'),
        numeric: true,
        sortValue: (row) => figures(row).kappa,
        cell: (row) => (
          <Coefficient value={figures(row).kappa} reason={nullReason(figures(row).kappaNullReason)} />
        ),
        csv: (row) => roundTo(figures(row).kappa, 4) ?? nullReason(figures(row).kappaNullReason),
      },
      {
        key: `${universe}:alpha`,
        group,
        label: t('review.col.alpha'),
        numeric: true,
        sortValue: (row) => figures(row).alpha,
        cell: (row) => (
          <Coefficient value={figures(row).alpha} reason={nullReason(figures(row).alphaNullReason)} />
        ),
        csv: (row) => roundTo(figures(row).alpha, 4) ?? nullReason(figures(row).alphaNullReason),
      },
    );
  }
  return columns;
}

/**
 * Inter-coder agreement: two or more coders, a unit (code point or turn), optionally some
 * documents; per code the percent agreement, Cohen's kappa and Krippendorff's alpha, over all the
 * text and over the text someone coded; the mean kappa, with the codes left out and why; then a
 * side-by-side comparison of two coders on one document.
 */
export default function AgreementPage() {
  const review = useReviewSearch();
  const sources = createFilterSources(review.projectId);
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

  return (
    <div class="page wide review-page">
      <ReviewHeader
        projectId={review.projectId()}
        title={t('review.agreement.title')}
        intro={t('review.agreement.intro')}
      />
      <ErrorAlert error={sources.error() ?? codes.error ?? report.error} />
      <section class="card" aria-labelledby="agreement-setup">
        <h2 id="agreement-setup">{t('review.agreement.setup')}</h2>
        <div class="review-controls">
          <fieldset class="filter-group">
            <legend>{t('review.agreement.coders')}</legend>
            <ul class="plain-list filter-options">
              <For each={sources.coders()}>
                {(coder) => (
                  <li>
                    <label class="checkbox">
                      <input
                        type="checkbox"
                        checked={chosen().includes(coder.id)}
                        onChange={(e) => setCoders(toggleValue(chosen(), coder.id, e.currentTarget.checked))}
                      />
                      <span>{coder.name}</span>
                    </label>
                  </li>
                )}
              </For>
            </ul>
          </fieldset>
          <ChoiceGroup
            legend={t('review.agreement.unit')}
            name="agreement-unit"
            choices={[
              { value: 'character', label: t('review.agreement.unitCharacter') },
              { value: 'turn', label: t('review.agreement.unitTurn') },
            ]}
            selected={unit()}
            onChange={(value) => review.setParam('unit', value === 'turn' ? 'turn' : undefined)}
          />
        </div>
        <p class="kappa-explainer">{t('review.agreement.kappaLine')}</p>
        <details class="explainer">
          <summary>{t('review.agreement.howToRead')}</summary>
          <ul>
            <li>{t('review.agreement.explainPercent')}</li>
            <li>{t('review.agreement.explainKappa')}</li>
            <li>{t('review.agreement.explainAlpha')}</li>
            <li>{t('review.agreement.explainUniverse')}</li>
            <li>{t('review.agreement.explainDocuments')}</li>
            <li>{t('review.agreement.explainBands')}</li>
          </ul>
          <p class="small muted">{t('review.agreement.sources')}</p>
        </details>
      </section>
      <FilterPanel
        filter={filter()}
        onChange={(next) => review.setFilter({ ...next, coderIds: [] })}
        documents={sources.documents() ?? []}
        attributes={sources.attributes()}
      />
      <Show when={chosen().length >= 2} fallback={<p class="card muted">{t('review.agreement.pickTwo')}</p>}>
        <Show when={report()} fallback={<p class="muted">{t('app.loading')}</p>}>
          {(current) => (
            <>
              <section class="card" aria-labelledby="overall-title">
                <h2 id="overall-title">{t('review.agreement.overall')}</h2>
                <p class="muted small">
                  {t('review.agreement.scope', {
                    documents: current().documentIds.length,
                    units: formatNumber(current().units.all ?? 0),
                    coded: formatNumber(current().units.codedText ?? 0),
                    unit: t(
                      unit() === 'turn' ? 'review.agreement.unitsTurn' : 'review.agreement.unitsCharacter',
                    ),
                  })}
                </p>
                <Show when={current().skippedDocumentIds.length > 0}>
                  <p class="notice">
                    {t('review.agreement.skipped', {
                      documents: current()
                        .skippedDocumentIds.map(
                          (id) => sources.documents()?.find((d) => d.id === id)?.name ?? id,
                        )
                        .join(', '),
                    })}
                  </p>
                </Show>
                <dl class="totals agreement-totals" data-testid="overall">
                  <For each={['all', 'codedText'] as const}>
                    {(universe) => (
                      <div class="total" data-universe={universe}>
                        <dt>
                          {t(
                            universe === 'all'
                              ? 'review.agreement.meanKappaAll'
                              : 'review.agreement.meanKappaCoded',
                          )}
                        </dt>
                        <dd class="total-value">
                          <Coefficient value={current().overall[universe].meanKappa} />
                        </dd>
                        <dd class="total-note">
                          {t('review.agreement.meanDetail', {
                            codes: current().overall[universe].codesInMean,
                            percent: formatPercent(current().overall[universe].meanPercentAgreement),
                            alpha: formatCoefficient(current().overall[universe].meanAlpha),
                          })}
                        </dd>
                      </div>
                    )}
                  </For>
                </dl>
                <For each={['all', 'codedText'] as const}>
                  {(universe) => (
                    <Show when={current().overall[universe].codesWithoutKappa.length > 0}>
                      <p class="small">
                        {t(
                          universe === 'all'
                            ? 'review.agreement.leftOutAll'
                            : 'review.agreement.leftOutCoded',
                        )}{' '}
                        {current()
                          .overall[universe].codesWithoutKappa.map(
                            (id) => `« ${codeName(id)} » (${reasonOf(id, universe)})`,
                          )
                          .join(' ; ')}
                      </p>
                    </Show>
                  )}
                </For>
              </section>
              <section class="card" aria-labelledby="bycode-title">
                <h2 id="bycode-title">{t('review.agreement.byCode')}</h2>
                <DataTable
                  testId="agreement-table"
                  caption={t('review.agreement.caption', {
                    coders: current()
                      .coderIds.map((id) => sources.coders().find((c) => c.id === id)?.name ?? id)
                      .join(', '),
                  })}
                  hint={current().coderIds.length > 2 ? t('review.agreement.manyCoders') : undefined}
                  columns={agreementColumns()}
                  rows={rows()}
                  rowClass={(row, sorted) => (sorted ? undefined : `depth-${Math.min(row.depth, 4)}`)}
                  empty={t('review.agreement.noCodes')}
                />
              </section>
              <Show when={current().documentIds.length > 0}>
                <ComparisonView
                  projectId={review.projectId()}
                  coders={sources.coders()}
                  coderA={current().coderIds[0] ?? ''}
                  coderB={current().coderIds[1] ?? ''}
                  documents={comparedDocuments()}
                  codes={ordered()}
                />
              </Show>
            </>
          )}
        </Show>
      </Show>
    </div>
  );
}
