/** Import throughput per format: `importFile` (decode, extract, normalise, find turns) on generated files. */
import { importFile } from '../../../server/import/index.ts';
import { FIRST_NAMES, LAST_NAMES, generateInterview } from '../french.ts';
import { IMPORT_FORMATS, interviewFile } from '../formats.ts';
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
  );
  const r = new Random(7);
  for (const format of IMPORT_FORMATS) {
    const files = [];
    for (let i = 0; i <= profile.importFiles; i++) {
      const interview = generateInterview(r, {
        words: profile.importWords,
        participant: `${r.pick(FIRST_NAMES)} ${r.pick(LAST_NAMES)}`,
        title: `Entretien n°${i + 1}`,
        emoji: format !== 'txt (Windows-1252)',
      });
      files.push({
        ...(await interviewFile(interview, format, `entretien-${i + 1}`)),
        words: interview.words,
      });
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
