/**
 * Tables as CSV for a French spreadsheet: UTF-8 with a byte-order mark (so Excel reads the
 * accents), semicolons between cells and decimal commas (what French Excel expects), CRLF line
 * ends. A text cell a spreadsheet would run as a formula (= + - @, tab, carriage return) is
 * prefixed with an apostrophe: an interview quote must never become a formula (CSV injection).
 */

/** A cell as the tables hand it over: text, a number, or nothing. */
export type CsvCell = string | number | null | undefined;

export const CSV_SEPARATOR = ';';
export const CSV_BOM = '\uFEFF';

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One cell as CSV text: numbers with a decimal comma and no grouping, text neutralised when it
 * starts like a formula, then quoted when it holds a separator, a quote or a line break.
 * @example csvCell(12.5) → '12,5' · csvCell('=SOMME(A1)') → "'=SOMME(A1)" · csvCell('a;b') → '"a;b"'
 */
export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value).replace('.', ',') : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A whole table as CSV text, the byte-order mark first: one line per row, cells separated by
 * semicolons, lines by CRLF.
 * @example toCsv([['Code', 'Codages'], ['Coûts', 3]]) → '\uFEFFCode;Codages\r\nCoûts;3\r\n'
 */
export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  return CSV_BOM + rows.map((row) => row.map(csvCell).join(CSV_SEPARATOR) + '\r\n').join('');
}

/** A file name safe on every system, from a table's title: « Fréquences des codes » → frequences-des-codes.csv */
export function csvFileName(title: string): string {
  const slug = title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return `${slug === '' ? 'tableau' : slug}.csv`;
}

/** Offer `rows` as a CSV file download, built in the browser (no round trip to the server). */
export function downloadCsv(title: string, rows: readonly (readonly CsvCell[])[]): void {
  // The BOM is part of the text; the Blob stores it as the three bytes EF BB BF.
  const blob = new Blob([toCsv(rows)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = csvFileName(title);
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoke later: some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
