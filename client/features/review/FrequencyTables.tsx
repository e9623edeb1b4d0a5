import { ownValue } from '../../../shared/attributes.ts';
import { A } from '@solidjs/router';
import { Show } from 'solid-js';
import { formatNumber, t } from '../../i18n/index.ts';
import type { Column } from './DataTable.tsx';
import { formatPercent, formatShare, roundTo } from './format.ts';
import type { CoderRow, FrequencyRow, FrequencyTable } from './review-api.ts';
import { retrievalHref, withAttributeValue, type ReviewFilter } from './review-filter.ts';
import { subtreeIds } from './review-state.ts';

type Figures = Pick<FrequencyRow, 'codings' | 'documents' | 'participants' | 'coverage' | 'byValue'>;

export interface FrequencyContext {
  readonly projectId: string;
  readonly filter: ReviewFilter;
  readonly rows: readonly FrequencyRow[];
}

/** A count that opens the passages it counts. Zero is shown, not linked: there is nothing to read. */
function CountLink(props: { count: number; href: string; label: string }) {
  return (
    <Show when={props.count > 0} fallback={<span class="zero">{formatNumber(0)}</span>}>
      <A href={props.href} class="count-link" aria-label={props.label}>
        {formatNumber(props.count)}
      </A>
    </Show>
  );
}

/** A code's name in its row, indented by its depth while the table is in codebook order. */
export function codeColumn<T extends { name: string }>(label: string): Column<T> {
  return {
    key: 'code',
    label,
    rowHeader: true,
    sortValue: (row) => row.name,
    cell: (row) => <span class="code-cell">{row.name}</span>,
    csv: (row) => row.name,
  };
}

/** Rows indented by depth in codebook order; flat once sorted. */
export function depthClass(row: { depth: number }, sorted: boolean): string | undefined {
  return sorted ? undefined : `depth-${Math.min(row.depth, 4)}`;
}

/** The codes that take part in a row's roll-up: the code itself and every code under it. */
function rollupCodes(context: FrequencyContext, row: FrequencyRow): string[] {
  return subtreeIds(context.rows, row.codeId);
}

/** Columns of the frequency table: own figures, then the roll-up (code and sub-codes). */
export function frequencyColumns(context: FrequencyContext): Column<FrequencyRow>[] {
  const own = (row: FrequencyRow): Figures => row;
  const link = (row: FrequencyRow, withChildren: boolean) =>
    retrievalHref(
      context.projectId,
      withChildren ? rollupCodes(context, row) : [row.codeId],
      'or',
      context.filter,
    );
  return [
    codeColumn(t('review.col.code')),
    {
      key: 'codings',
      label: t('review.col.codings'),
      numeric: true,
      sortValue: (row) => row.codings,
      cell: (row) => (
        <CountLink
          count={row.codings}
          href={link(row, false)}
          label={t('review.count.codingsOf', { count: row.codings, code: row.name })}
        />
      ),
      csv: (row) => row.codings,
    },
    {
      key: 'documents',
      label: t('review.col.documents'),
      numeric: true,
      sortValue: (row) => own(row).documents,
      cell: (row) => formatNumber(row.documents),
      csv: (row) => row.documents,
    },
    {
      key: 'participants',
      label: t('review.col.participants'),
      numeric: true,
      sortValue: (row) => row.participants,
      cell: (row) => formatNumber(row.participants),
      csv: (row) => row.participants,
    },
    {
      key: 'coverage',
      label: t('review.col.coverage'),
      csvLabel: t('review.col.coveragePercent'),
      numeric: true,
      sortValue: (row) => row.coverage,
      cell: (row) => formatShare(row.coverage),
      csv: (row) => roundTo(row.coverage === null ? null : row.coverage * 100, 2),
    },
    ...rollupColumns(link),
  ];
}

/** The roll-up columns: the figures of a code with every code under it. */
function rollupColumns(link: (row: FrequencyRow, withChildren: boolean) => string): Column<FrequencyRow>[] {
  const total = (row: FrequencyRow): Figures => row.rollup ?? row;
  return [
    {
      key: 'rollupCodings',
      label: t('review.col.rollupCodings'),
      numeric: true,
      sortValue: (row) => total(row).codings,
      cell: (row) => (
        <Show
          when={row.rollup}
          fallback={
            <span class="muted" aria-label={t('review.col.noSubcodes')}>
              —
            </span>
          }
        >
          {(rollup) => (
            <CountLink
              count={rollup().codings}
              href={link(row, true)}
              label={t('review.count.rollupOf', { count: rollup().codings, code: row.name })}
            />
          )}
        </Show>
      ),
      csv: (row) => row.rollup?.codings ?? null,
    },
    {
      key: 'rollupParticipants',
      label: t('review.col.rollupParticipants'),
      numeric: true,
      sortValue: (row) => total(row).participants,
      cell: (row) => (row.rollup ? formatNumber(row.rollup.participants) : ''),
      csv: (row) => row.rollup?.participants ?? null,
    },
    {
      key: 'rollupCoverage',
      label: t('review.col.rollupCoverage'),
      csvLabel: t('review.col.rollupCoveragePercent'),
      numeric: true,
      sortValue: (row) => total(row).coverage,
      cell: (row) => (row.rollup ? formatShare(row.rollup.coverage) : ''),
      csv: (row) =>
        row.rollup ? roundTo(row.rollup.coverage === null ? null : row.rollup.coverage * 100, 2) : null,
    },
  ];
}

export type PercentBase = 'row' | 'column';

/**
 * Columns of a crosstab: for each value of the attribute, the codings (linked to their passages
 * with the value as a filter), their row or column percentage, and the participants with that
 * value who mention the code, out of all participants with that value.
 */
export function crosstabColumns(
  context: FrequencyContext,
  table: FrequencyTable,
  base: PercentBase,
  useRollup: boolean,
): Column<FrequencyRow>[] {
  const crosstab = table.crosstab;
  if (!crosstab) return [];
  const figures = (row: FrequencyRow): Figures => (useRollup && row.rollup ? row.rollup : row);
  const codes = (row: FrequencyRow) => (useRollup && row.rollup ? rollupCodes(context, row) : [row.codeId]);
  const columns: Column<FrequencyRow>[] = [codeColumn(t('review.col.code'))];
  for (const column of crosstab.columns) {
    const group = t('review.crosstab.group', {
      value: column.value,
      participants: column.participants,
      codings: column.codings,
    });
    const cell = (row: FrequencyRow) => ownValue(figures(row).byValue, column.value);
    const percent = (row: FrequencyRow) =>
      base === 'row' ? (cell(row)?.codingsRowPercent ?? null) : (cell(row)?.codingsColumnPercent ?? null);
    columns.push(
      {
        key: `${column.value}:codings`,
        group,
        label: t('review.col.codings'),
        numeric: true,
        sortValue: (row) => cell(row)?.codings ?? 0,
        cell: (row) => (
          <CountLink
            count={cell(row)?.codings ?? 0}
            href={retrievalHref(
              context.projectId,
              codes(row),
              'or',
              withAttributeValue(context.filter, crosstab.attribute, column.value),
            )}
            label={t('review.count.codingsOfValue', {
              count: cell(row)?.codings ?? 0,
              code: row.name,
              value: column.value,
            })}
          />
        ),
        csv: (row) => cell(row)?.codings ?? 0,
      },
      {
        key: `${column.value}:percent`,
        group,
        label: base === 'row' ? t('review.col.rowPercent') : t('review.col.columnPercent'),
        numeric: true,
        sortValue: (row) => percent(row),
        cell: (row) => <span class="percent">{formatPercent(percent(row))}</span>,
        csv: (row) => roundTo(percent(row), 2),
      },
      {
        key: `${column.value}:participants`,
        group,
        label: t('review.col.participantsOfValue'),
        numeric: true,
        sortValue: (row) => cell(row)?.participantsColumnPercent ?? null,
        cell: (row) => (
          <span>
            {t('review.crosstab.participantsCell', {
              count: cell(row)?.participants ?? 0,
              of: column.participants,
            })}
            <Show when={cell(row)?.participantsColumnPercent !== null && column.participants > 0}>
              <span class="percent"> ({formatPercent(cell(row)?.participantsColumnPercent ?? null, 0)})</span>
            </Show>
          </span>
        ),
        csv: (row) => cell(row)?.participants ?? 0,
      },
    );
  }
  return columns;
}

/** Columns of the per-coder table. */
export function coderColumns(): Column<CoderRow>[] {
  const name = (row: CoderRow) => row.displayName || row.username || row.coderId;
  return [
    {
      key: 'coder',
      label: t('review.col.coder'),
      rowHeader: true,
      sortValue: name,
      cell: name,
      csv: name,
    },
    {
      key: 'codings',
      label: t('review.col.codings'),
      numeric: true,
      sortValue: (row) => row.codings,
      cell: (row) => formatNumber(row.codings),
      csv: (row) => row.codings,
    },
    {
      key: 'documents',
      label: t('review.col.documents'),
      numeric: true,
      sortValue: (row) => row.documents,
      cell: (row) => formatNumber(row.documents),
      csv: (row) => row.documents,
    },
    {
      key: 'codes',
      label: t('review.col.codesUsed'),
      numeric: true,
      sortValue: (row) => row.codes,
      cell: (row) => formatNumber(row.codes),
      csv: (row) => row.codes,
    },
    {
      key: 'coverage',
      label: t('review.col.coverage'),
      csvLabel: t('review.col.coveragePercent'),
      numeric: true,
      sortValue: (row) => row.coverage,
      cell: (row) => formatShare(row.coverage),
      csv: (row) => roundTo(row.coverage === null ? null : row.coverage * 100, 2),
    },
  ];
}
