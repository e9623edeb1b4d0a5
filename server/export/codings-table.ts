/**
 * The codings table, one row per coding, as CSV (UTF-8 with BOM, `;` or `,`) or XLSX. Both are
 * written in chunks as a stream, so a large project's table never sits whole in memory twice.
 */
import ExcelJS from 'exceljs';
import { PassThrough, Readable } from 'node:stream';
import { looksLikeFormula } from '../../shared/csv-safety.ts';
import { toCsv } from './csv.ts';
import { rowCells, type CodingRow } from './coding-rows.ts';

const CHUNK_ROWS = 500;

/** The table as CSV text chunks: BOM and header first, then rows by hundreds. */
export function* csvChunks(
  header: readonly string[],
  rows: readonly CodingRow[],
  delimiter: ',' | ';',
): Generator<string> {
  // toCsv starts every chunk with a BOM: keep the first only.
  yield toCsv([header], delimiter);
  for (let i = 0; i < rows.length; i += CHUNK_ROWS) {
    yield toCsv(rows.slice(i, i + CHUNK_ROWS).map(rowCells), delimiter).slice(1);
  }
}

/** The CSV as a byte stream for a response body. */
export function csvStream(
  header: readonly string[],
  rows: readonly CodingRow[],
  delimiter: ',' | ';',
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const chunks = csvChunks(header, rows, delimiter);
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
  });
}

/** Column widths in characters, for a readable sheet. */
function widthOf(name: string): number {
  if (name === 'citation') return 80;
  if (name === 'mémo') return 40;
  if (name === 'code') return 36;
  if (name === 'début' || name === 'fin') return 9;
  return Math.min(28, Math.max(12, name.length + 2));
}

/**
 * The table as an .xlsx byte stream (exceljs' streaming writer, rows committed as they go). Every
 * text is written as a string cell, never a formula: a quote that starts with « = » stays text.
 */
export function xlsxStream(
  header: readonly string[],
  rows: readonly CodingRow[],
): ReadableStream<Uint8Array> {
  const output = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: output,
    useSharedStrings: false,
    useStyles: true,
  });
  workbook.creator = 'Verbatim';
  const sheet = workbook.addWorksheet('Codages', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = header.map((name) => ({ header: name, key: name, width: widthOf(name) }));
  sheet.getRow(1).font = { bold: true };
  const quoteColumn = header.indexOf('citation') + 1;
  const write = async () => {
    for (const row of rows) {
      const cells = rowCells(row);
      const added = sheet.addRow(cells);
      cells.forEach((value, i) => {
        // A text a spreadsheet would read as a formula is marked as text (format « @ ») as well.
        if (typeof value === 'string' && looksLikeFormula(value)) added.getCell(i + 1).numFmt = '@';
      });
      if (quoteColumn > 0) added.getCell(quoteColumn).alignment = { wrapText: true, vertical: 'top' };
      added.commit();
    }
    sheet.commit();
    await workbook.commit();
  };
  write().catch((error: unknown) => output.destroy(error as Error));
  return Readable.toWeb(output) as ReadableStream<Uint8Array>;
}
