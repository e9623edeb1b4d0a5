import { createMemo, createSignal, For, Show, type JSX } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { useParams } from '@solidjs/router';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { downloadCsv, downloadXlsx, type CsvCell } from './csv.ts';
import { nextSort, sortRows, type SortState, type SortValue } from './sort.ts';
import './review.css';

/** One column of a review table: how to show a row's cell, sort by it and write it to CSV. */
export interface Column<T> {
  readonly key: string;
  readonly label: string;
  /** Columns with the same group, side by side, share a header above theirs. */
  readonly group?: string;
  readonly numeric?: boolean;
  /** Sortable when given. */
  readonly sortValue?: (row: T) => SortValue;
  readonly cell: (row: T) => JSX.Element;
  readonly csv: (row: T) => CsvCell;
  /** The CSV header when it must say more than the screen (a unit: « Couverture (%) »). */
  readonly csvLabel?: string;
  /** The cell names the row (`<th scope="row">`). */
  readonly rowHeader?: boolean;
}

interface HeaderCell<T> {
  readonly label: string;
  readonly column?: Column<T>;
  readonly colspan: number;
  readonly rowspan: number;
  readonly scope: 'col' | 'colgroup';
}

/** The header rows: one, or two when some columns are grouped (group cells above, span below). */
function headerRows<T>(columns: readonly Column<T>[]): HeaderCell<T>[][] {
  const grouped = columns.some((c) => c.group !== undefined);
  if (!grouped)
    return [columns.map((column) => ({ label: column.label, column, colspan: 1, rowspan: 1, scope: 'col' }))];
  const top: HeaderCell<T>[] = [];
  const bottom: HeaderCell<T>[] = [];
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i] as Column<T>;
    if (column.group === undefined) {
      top.push({ label: column.label, column, colspan: 1, rowspan: 2, scope: 'col' });
      continue;
    }
    let span = 1;
    while (columns[i + span]?.group === column.group) span++;
    top.push({ label: column.group, colspan: span, rowspan: 1, scope: 'colgroup' });
    for (const member of columns.slice(i, i + span)) {
      bottom.push({ label: member.label, column: member, colspan: 1, rowspan: 1, scope: 'col' });
    }
    i += span - 1;
  }
  return [top, bottom];
}

/** Runs of columns for `<colgroup>`: a group's columns together, every other column alone. */
function columnGroups<T>(columns: readonly Column<T>[]): number[] {
  const spans: number[] = [];
  for (let i = 0; i < columns.length; i++) {
    const group = columns[i]?.group;
    let span = 1;
    if (group !== undefined) while (columns[i + span]?.group === group) span++;
    spans.push(span);
    i += span - 1;
  }
  return spans;
}

/**
 * A real table with a caption, column headers, row headers, columns sortable with a button in
 * their header (the sorted one carries `aria-sort`, and the new order is announced), and a button
 * that downloads the table as CSV, in the order shown.
 */
export function DataTable<T>(props: {
  caption: string;
  hint?: string;
  columns: readonly Column<T>[];
  rows: readonly T[];
  /** A class for a row; `sorted` says whether the rows are out of their original order. */
  rowClass?: (row: T, sorted: boolean) => string | undefined;
  testId?: string;
  empty?: string;
}) {
  const [sort, setSort] = createSignal<SortState | null>(null);
  const sortedColumn = () => props.columns.find((c) => c.key === sort()?.key);
  const rows = createMemo(() => {
    const current = sort();
    const column = sortedColumn();
    if (!current || !column?.sortValue) return [...props.rows];
    return sortRows(props.rows, column.sortValue, current.direction);
  });
  const announcement = () => {
    const current = sort();
    const column = sortedColumn();
    if (!current || !column) return '';
    return t(
      current.direction === 'ascending' ? 'review.table.sortedAscending' : 'review.table.sortedDescending',
      {
        column: column.group ? `${column.group}, ${column.label}` : column.label,
      },
    );
  };
  const table = () => [
    props.columns.map((c) => (c.group ? `${c.group} — ${c.csvLabel ?? c.label}` : (c.csvLabel ?? c.label))),
    ...rows().map((row) => props.columns.map((c) => c.csv(row))),
  ];
  return (
    <div class="data-table" data-testid={props.testId}>
      <TableTools caption={props.caption} table={table} />
      <div class="table-scroll">
        <table class="review-table">
          <caption>
            {props.caption}
            <Show when={props.hint}>
              <span class="caption-hint">{props.hint}</span>
            </Show>
          </caption>
          <For each={columnGroups(props.columns)}>{(span) => <colgroup span={span} />}</For>
          <DataTableHead columns={props.columns} sort={sort()} onSort={setSort} />
          <tbody>
            <Show when={rows().length > 0}>
              <For each={rows()}>
                {(row) => (
                  <tr class={props.rowClass?.(row, sort() !== null)}>
                    <For each={props.columns}>
                      {(column) =>
                        column.rowHeader ? (
                          <th scope="row">{column.cell(row)}</th>
                        ) : (
                          <td classList={{ num: column.numeric === true }}>{column.cell(row)}</td>
                        )
                      }
                    </For>
                  </tr>
                )}
              </For>
            </Show>
          </tbody>
        </table>
      </div>
      <Show when={rows().length === 0}>
        <p class="muted">{props.empty ?? t('review.table.empty')}</p>
      </Show>
      <p class="visually-hidden" aria-live="polite">
        {announcement()}
      </p>
    </div>
  );
}

/** The header rows; a sortable column's header is a button showing the order. */
function DataTableHead<T>(props: {
  columns: readonly Column<T>[];
  sort: SortState | null;
  onSort: (sort: SortState | null) => void;
}) {
  const ariaSort = (column: Column<T> | undefined) => {
    const current = props.sort;
    return column && current && current.key === column.key ? current.direction : undefined;
  };
  return (
    <thead>
      <For each={headerRows(props.columns)}>
        {(cells) => (
          <tr>
            <For each={cells}>
              {(cell) => (
                <th
                  scope={cell.scope}
                  colSpan={cell.colspan > 1 ? cell.colspan : undefined}
                  rowSpan={cell.rowspan > 1 ? cell.rowspan : undefined}
                  aria-sort={ariaSort(cell.column)}
                  classList={{ num: cell.column?.numeric === true, group: cell.scope === 'colgroup' }}
                >
                  <Show when={cell.column?.sortValue !== undefined && cell.column} fallback={cell.label}>
                    {(column) => (
                      <button
                        type="button"
                        class="sort-button"
                        onClick={() =>
                          props.onSort(nextSort(props.sort, column().key, column().numeric === true))
                        }
                      >
                        {cell.label}
                        <span class="sort-icon" aria-hidden="true">
                          {ariaSort(column()) === 'ascending'
                            ? '▲'
                            : ariaSort(column()) === 'descending'
                              ? '▼'
                              : '↕'}
                        </span>
                      </button>
                    )}
                  </Show>
                </th>
              )}
            </For>
          </tr>
        )}
      </For>
    </thead>
  );
}

/** The buttons that download the table, in the order shown, as CSV or as a spreadsheet. */
function TableTools(props: { caption: string; table: () => CsvCell[][] }) {
  const params = useParams<{ projectId: string }>();
  const [downloadError, setDownloadError] = createSignal<unknown>();
  const download = () => {
    setDownloadError(undefined);
    downloadCsv(params.projectId, props.caption, props.table()).catch(setDownloadError);
  };
  const downloadSpreadsheet = () => {
    setDownloadError(undefined);
    downloadXlsx(params.projectId, props.caption, props.table()).catch(setDownloadError);
  };
  return (
    <div class="table-tools">
      <button type="button" class="small-button" onClick={download}>
        {t('review.csv.download')}
        <span class="visually-hidden">{t('review.downloadOf', { caption: props.caption })}</span>
      </button>
      <button type="button" class="small-button" onClick={downloadSpreadsheet}>
        {t('review.xlsx.download')}
        <span class="visually-hidden">{t('review.downloadOf', { caption: props.caption })}</span>
      </button>
      <ErrorAlert error={downloadError()} onDismiss={() => setDownloadError(undefined)} />
    </div>
  );
}
