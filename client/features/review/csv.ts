/**
 * Review tables downloaded as CSV or XLSX. The rows shown are sent to the server, which
 * pseudonymises them as every export is (names and their parts, accepted replacements, values of
 * unpublished attributes) and writes the file (shared/table-csv.ts, server/export/table-xlsx.ts):
 * a table of quotes or of structures by name never leaves with real names by default.
 */
import type { ClientResponse } from 'hono/client';
import { api, unwrap } from '../../api/client.ts';
import { tableFileStem, type CsvCell } from '../../../shared/table-csv.ts';

export type { CsvCell } from '../../../shared/table-csv.ts';

/** A file name safe on every system, from a table's title: « Fréquences des codes » → frequences-des-codes.csv */
export function csvFileName(title: string): string {
  return `${tableFileStem(title)}.csv`;
}

/** Cells as JSON carries them: no `undefined`, no infinite number. */
function jsonRows(rows: readonly (readonly CsvCell[])[]): (string | number | null)[][] {
  return rows.map((row) =>
    row.map((cell) =>
      cell === undefined || (typeof cell === 'number' && !Number.isFinite(cell)) ? null : cell,
    ),
  );
}

/** Offer a downloaded body under `name`, and let the browser keep it. */
async function offer(response: ClientResponse<unknown, number, string>, name: string): Promise<void> {
  if (!response.ok) await unwrap(Promise.resolve(response));
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoke later: some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Download `rows` as a pseudonymised CSV file. */
export async function downloadCsv(projectId: string, title: string, rows: readonly (readonly CsvCell[])[]) {
  const response = await api.projects[':projectId'].exports['table.csv'].$post({
    param: { projectId },
    json: { title, rows: jsonRows(rows) },
  });
  await offer(response, csvFileName(title));
}

/** Download `rows` as a pseudonymised .xlsx workbook. */
export async function downloadXlsx(projectId: string, title: string, rows: readonly (readonly CsvCell[])[]) {
  const response = await api.projects[':projectId'].exports['table.xlsx'].$post({
    param: { projectId },
    json: { title, rows: jsonRows(rows) },
  });
  await offer(response, `${tableFileStem(title)}.xlsx`);
}
