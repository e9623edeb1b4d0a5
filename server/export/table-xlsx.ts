import ExcelJS from 'exceljs';
import { looksLikeFormula } from '../../shared/csv-safety.ts';

/**
 * A table (a header row, then rows) as an .xlsx workbook of one sheet. Text stays text: a cell a
 * spreadsheet would read as a formula is written as a string with the text format « @ », never as
 * a formula; numbers stay numbers.
 */
export async function tableToXlsx(
  title: string,
  rows: readonly (readonly (string | number | null)[])[],
): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Verbatim';
  // Sheet names: at most 31 characters, none of : \ / ? * [ ].
  const sheet = workbook.addWorksheet(title.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31) || 'Tableau', {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  rows.forEach((cells, r) => {
    const row = sheet.addRow(cells.map((value) => (value === null ? '' : value)));
    cells.forEach((value, i) => {
      if (typeof value === 'string' && looksLikeFormula(value)) row.getCell(i + 1).numFmt = '@';
    });
    if (r === 0) row.font = { bold: true };
  });
  sheet.columns.forEach((column, i) => {
    const longest = Math.max(...rows.map((row) => String(row[i] ?? '').length), 8);
    column.width = Math.min(60, longest + 2);
  });
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
