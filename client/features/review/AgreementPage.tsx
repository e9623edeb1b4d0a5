import { For, Show } from 'solid-js';
import { ChoiceGroup } from './ChoiceGroup.tsx';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { formatNumber, t } from '../../i18n/index.ts';
import { ComparisonView } from './ComparisonView.tsx';
import { Coefficient, agreementColumns } from './agreement-columns.tsx';
import { createAgreement, type Agreement, type AgreementReport } from './agreement-state.ts';
import { DataTable } from './DataTable.tsx';
import { FilterPanel } from './FilterPanel.tsx';
import { formatCoefficient, formatPercent } from './format.ts';
import { toggleValue } from './review-filter.ts';
import { createFilterSources, useReviewSearch, type CoderOption } from './review-state.ts';
import { ReviewHeader } from './ReviewHeader.tsx';
import './review.css';

/**
 * Inter-coder agreement: two or more coders, a unit (code point or turn), optionally some
 * documents; per code the percent agreement, Cohen's kappa and Krippendorff's alpha, over all the
 * text and over the text someone coded; the mean kappa, with the codes left out and why; then a
 * side-by-side comparison of two coders on one document.
 */
export default function AgreementPage() {
  const review = useReviewSearch();
  const sources = createFilterSources(review.projectId);
  const agreement = createAgreement(review, sources);
  const { codes, ordered, chosen, filter, report, rows, comparedDocuments } = agreement;

  return (
    <div class="page wide review-page">
      <ReviewHeader
        projectId={review.projectId()}
        title={t('review.agreement.title')}
        intro={t('review.agreement.intro')}
      />
      <ErrorAlert error={sources.error() ?? codes.error ?? report.error} />
      <AgreementSetup
        agreement={agreement}
        coders={sources.coders()}
        setUnit={(unit) => review.setParam('unit', unit === 'turn' ? 'turn' : undefined)}
      />
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
              <AgreementOverall agreement={agreement} current={current()} documents={sources.documents()} />
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

/** Which coders are compared, in which unit, and how to read the figures. */
function AgreementSetup(props: {
  agreement: Agreement;
  coders: readonly CoderOption[];
  setUnit: (unit: string) => void;
}) {
  return (
    <section class="card" aria-labelledby="agreement-setup">
      <h2 id="agreement-setup">{t('review.agreement.setup')}</h2>
      <div class="review-controls">
        <fieldset class="filter-group">
          <legend>{t('review.agreement.coders')}</legend>
          <ul class="plain-list filter-options">
            <For each={props.coders}>
              {(coder) => (
                <li>
                  <label class="checkbox">
                    <input
                      type="checkbox"
                      checked={props.agreement.chosen().includes(coder.id)}
                      onChange={(e) =>
                        props.agreement.setCoders(
                          toggleValue(props.agreement.chosen(), coder.id, e.currentTarget.checked),
                        )
                      }
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
          selected={props.agreement.unit()}
          onChange={(value) => props.setUnit(value)}
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
  );
}

/** The mean kappa over all the text and over the coded text, with the codes left out and why. */
function AgreementOverall(props: {
  agreement: Agreement;
  current: AgreementReport;
  documents: readonly { id: string; name: string }[] | undefined;
}) {
  return (
    <section class="card" aria-labelledby="overall-title">
      <h2 id="overall-title">{t('review.agreement.overall')}</h2>
      <p class="muted small">
        {t('review.agreement.scope', {
          documents: props.current.documentIds.length,
          units: formatNumber(props.current.units.all ?? 0),
          coded: formatNumber(props.current.units.codedText ?? 0),
          unit: t(
            props.agreement.unit() === 'turn'
              ? 'review.agreement.unitsTurn'
              : 'review.agreement.unitsCharacter',
          ),
        })}
      </p>
      <Show when={props.current.skippedDocumentIds.length > 0}>
        <p class="notice">
          {t('review.agreement.skipped', {
            documents: props.current.skippedDocumentIds
              .map((id) => props.documents?.find((d) => d.id === id)?.name ?? id)
              .join(', '),
          })}
        </p>
      </Show>
      <dl class="totals agreement-totals" data-testid="overall">
        <For each={['all', 'codedText'] as const}>
          {(universe) => (
            <div class="total" data-universe={universe}>
              <dt>
                {t(universe === 'all' ? 'review.agreement.meanKappaAll' : 'review.agreement.meanKappaCoded')}
              </dt>
              <dd class="total-value">
                <Coefficient value={props.current.overall[universe].meanKappa} />
              </dd>
              <dd class="total-note">
                {t('review.agreement.meanDetail', {
                  codes: props.current.overall[universe].codesInMean,
                  percent: formatPercent(props.current.overall[universe].meanPercentAgreement),
                  alpha: formatCoefficient(props.current.overall[universe].meanAlpha),
                })}
              </dd>
            </div>
          )}
        </For>
      </dl>
      <For each={['all', 'codedText'] as const}>
        {(universe) => (
          <Show when={props.current.overall[universe].codesWithoutKappa.length > 0}>
            <p class="small">
              {t(universe === 'all' ? 'review.agreement.leftOutAll' : 'review.agreement.leftOutCoded')}{' '}
              {props.current.overall[universe].codesWithoutKappa
                .map(
                  (id) => `« ${props.agreement.codeName(id)} » (${props.agreement.reasonOf(id, universe)})`,
                )
                .join(' ; ')}
            </p>
          </Show>
        )}
      </For>
    </section>
  );
}
