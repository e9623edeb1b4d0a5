/**
 * A review table as an .xlsx file: the rows shown are sent to the server, which writes the
 * workbook (text kept as text, numbers as numbers) and sends it back for download.
 */
import { api, unwrap } from '../../api/client.ts';
import type { CsvCell } from './csv.ts';
import { csvFileName } from './csv.ts';

export async function downloadXlsx(projectId: string, title: string, rows: readonly (readonly CsvCell[])[]) {
  const response = await api.projects[':projectId'].exports['table.xlsx'].$post({
    param: { projectId },
    json: {
      title,
      rows: rows.map((row) =>
        row.map((cell) =>
          cell === undefined || (typeof cell === 'number' && !Number.isFinite(cell)) ? null : cell,
        ),
      ),
    },
  });
  if (!response.ok) await unwrap(Promise.resolve(response));
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = csvFileName(title).replace(/\.csv$/, '.xlsx');
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
