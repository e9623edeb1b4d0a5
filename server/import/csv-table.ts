import Papa from 'papaparse';
import { DomainError } from '../../shared/errors.ts';
import { decodePlainText } from './plain-text.ts';

/**
 * Read a table exported from a spreadsheet (participants, a codebook): UTF-8 (with or without BOM)
 * or Windows-1252, comma-, semicolon- or tab-separated (French Excel writes semicolons).
 * `minColumns` (default 2) is the fewest columns a header may have: a codebook may be one column
 * of code names, a participants table needs a name and an attribute.
 */
export function parseCsvTable(
  fileName: string,
  bytes: Uint8Array,
  { minColumns = 2 }: { minColumns?: number } = {},
): { header: string[]; rows: string[][] } {
  const { text } = decodePlainText(fileName, bytes);
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'), {
    delimitersToGuess: [';', ',', '\t'],
    skipEmptyLines: 'greedy',
  });
  const fatal = parsed.errors.find((e) => e.type === 'Quotes');
  if (fatal) {
    throw new DomainError(
      'unprocessable',
      `« ${fileName} » : guillemets mal fermés ligne ${(fatal.row ?? 0) + 1}.`,
    );
  }
  const [header, ...rows] = parsed.data;
  if (!header || header.length < minColumns || header.every((cell) => cell.trim() === '')) {
    throw new DomainError(
      'unprocessable',
      `« ${fileName} » ne ressemble pas à un tableau CSV avec un en-tête.`,
    );
  }
  return { header: header.map((h) => h.trim()), rows };
}
