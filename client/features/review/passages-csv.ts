/** Retrieved passages as CSV rows, one per passage, for reading or quoting in a spreadsheet. */
import type { CsvCell } from './csv.ts';
import { formatTime } from '../../../shared/time.ts';
import type { Passage } from './review-api.ts';

export function passageRows(
  passages: readonly Passage[],
  headers: readonly string[],
  codeName: (id: string) => string,
  coderName: (id: string) => string,
): CsvCell[][] {
  return [
    [...headers],
    ...passages.map((p): CsvCell[] => [
      p.documentName,
      p.participant?.pseudonym ?? '',
      p.speaker ?? '',
      p.time === null ? '' : formatTime(p.time),
      p.start,
      p.end,
      p.text,
      p.codeIds.map(codeName).join(', '),
      p.coderIds.map(coderName).join(', '),
    ]),
  ];
}
