import { Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import type { Column } from './DataTable.tsx';
import { formatCoefficient, formatPercent, roundTo } from './format.ts';
import type { AgreementRow } from './review-api.ts';

export type Universe = 'all' | 'codedText';
type Figures = AgreementRow['all'];

/** A kappa or alpha, or a dash that says why there is none. */
export function Coefficient(props: { value: number | null; reason?: string }) {
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

export function agreementColumns(): Column<AgreementRow & { depth: number }>[] {
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
  for (const universe of ['all', 'codedText'] as const satisfies readonly Universe[])
    columns.push(...universeColumns(universe));
  return columns;
}

/** The percent agreement, kappa and alpha over all the text, or over the text someone coded. */
function universeColumns(universe: Universe): Column<AgreementRow & { depth: number }>[] {
  const group = t(universe === 'all' ? 'review.agreement.all' : 'review.agreement.codedText');
  const figures = (row: AgreementRow): Figures => row[universe];
  return [
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
  ];
}
