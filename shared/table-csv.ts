/**
 * Review tables as CSV for a French spreadsheet: UTF-8 with a byte-order mark (so Excel reads the
 * accents), semicolons between cells and decimal commas (what French Excel expects), CRLF line
 * ends, and no cell a spreadsheet would run as a formula (shared/csv-safety.ts).
 */
import { neutraliseFormula } from './csv-safety.ts';

/** A cell as the tables hand it over: text, a number, or nothing. */
export type CsvCell = string | number | null | undefined;

export const CSV_SEPARATOR = ';';
export const CSV_BOM = '\uFEFF';

/**
 * One cell as CSV text: numbers with a decimal comma and no grouping, text neutralised when it
 * starts like a formula, then quoted when it holds a separator, a quote or a line break.
 * @example csvCell(12.5) → '12,5' · csvCell('=SOMME(A1)') → "'=SOMME(A1)" · csvCell('a;b') → '"a;b"'
 */
export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value).replace('.', ',') : '';
  const text = neutraliseFormula(value);
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

/** A file name safe on every system, from a table's title: « Fréquences des codes » → frequences-des-codes */
export function tableFileStem(title: string): string {
  const slug = title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return slug === '' ? 'tableau' : slug;
}
