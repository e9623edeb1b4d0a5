/** Import throughput per format: `importFile` (decode, extract, normalise, find turns) on generated files. */
import { importFile } from '../../../server/import/index.ts';
import { FIRST_NAMES, LAST_NAMES, generateInterview, type Interview } from '../french.ts';
import { IMPORT_FORMATS, interviewFile, pdfFiles } from '../formats.ts';
import type { Profile } from '../profile.ts';
import { Random } from '../random.ts';
import { median, round, summaryCells, table, timed, type Table } from '../table.ts';

export async function importBenchmark(profile: Profile): Promise<Table> {
  const t = table('import', 'Import throughput per format (importFile, in process)', [
    'Format',
    'n files',
    'median ms/file',
    'p95 ms',
    'p99 ms',
    'KiB/file',
    'MB/s (median)',
    'k words/s (median)',
  ]);
  t.notes.push(
    `Each file is one generated interview of about ${profile.importWords.toLocaleString('en-US')} words; one warm-up import per format is not counted.`,
    'Windows-1252 files use CRLF line ends and no emoji (the encoding has none); the others hold an occasional emoji.',
    'PDF files are the .docx converted by LibreOffice (`soffice --convert-to pdf`); a PDF has no bold to mark speakers, so its turns are found from « Nom : » at the start of lines.',
  );
  const r = new Random(7);
  for (const format of IMPORT_FORMATS) {
    const interviews: Interview[] = [];
    for (let i = 0; i <= profile.importFiles; i++) {
      interviews.push(
        generateInterview(r, {
          words: profile.importWords,
          participant: `${r.pick(FIRST_NAMES)} ${r.pick(LAST_NAMES)}`,
          title: `Entretien n°${i + 1}`,
          // Windows-1252 has no emoji, and LibreOffice's PDF fonts may have none either.
          emoji: format !== 'txt (Windows-1252)' && format !== 'pdf',
        }),
      );
    }
    const files: { name: string; bytes: Uint8Array; words: number }[] = [];
    if (format === 'pdf') {
      const pdfs = await pdfFiles(interviews);
      if (!pdfs) {
        t.notes.push('LibreOffice (soffice) is not installed here: no PDF row.');
        continue;
      }
      pdfs.forEach((bytes, i) =>
        files.push({ name: `entretien-${i + 1}.pdf`, bytes, words: interviews[i]?.words ?? 0 }),
      );
    } else {
      for (const [i, interview] of interviews.entries()) {
        files.push({
          ...(await interviewFile(interview, format, `entretien-${i + 1}`)),
          words: interview.words,
        });
      }
    }
    const [warmUp, ...measured] = files;
    if (warmUp) await importFile(warmUp.name, warmUp.bytes);
    const times: number[] = [];
    for (const file of measured) {
      const { ms, value } = await timed(() => importFile(file.name, file.bytes));
      if (value.turns.length === 0) throw new Error(`import ${format}: no speaker turn found`);
      times.push(ms);
    }
    const bytes = median(measured.map((f) => f.bytes.length));
    const words = median(measured.map((f) => f.words));
    const ms = median(times);
    t.rows.push([
      format,
      ...summaryCells(times),
      round(bytes / 1024),
      round(bytes / 1e6 / (ms / 1000)),
      round(words / 1000 / (ms / 1000)),
    ]);
  }
  return t;
}
