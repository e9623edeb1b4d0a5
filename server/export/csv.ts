import Papa from 'papaparse';
import { neutraliseFormula } from '../../shared/csv-safety.ts';

/** A CSV file as French Excel and LibreOffice open it cleanly: UTF-8 with BOM, CRLF. */
export function toCsv(rows: readonly (readonly (string | number)[])[], delimiter: ',' | ';' = ';'): string {
  const safe = rows.map((row) =>
    row.map((cell) => (typeof cell === 'number' ? String(cell) : neutraliseFormula(cell))),
  );
  return '\uFEFF' + Papa.unparse(safe, { delimiter, newline: '\r\n', quotes: false }) + '\r\n';
}
