import Papa from 'papaparse';

/**
 * Neutralise a cell a spreadsheet would read as a formula (`= + - @`, tab or carriage return
 * first): prefixed with an apostrophe, it is shown as text.
 */
export function neutraliseCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** A CSV file as French Excel and LibreOffice open it cleanly: UTF-8 with BOM, CRLF. */
export function toCsv(rows: readonly (readonly (string | number)[])[], delimiter: ',' | ';' = ';'): string {
  const safe = rows.map((row) =>
    row.map((cell) => (typeof cell === 'number' ? String(cell) : neutraliseCell(cell))),
  );
  return '\uFEFF' + Papa.unparse(safe, { delimiter, newline: '\r\n', quotes: false }) + '\r\n';
}
