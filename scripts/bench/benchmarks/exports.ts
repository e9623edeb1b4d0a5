/** Exports: the DOCX quote report, and a whole project to REFI-QDA (.qdpx) and back. */
import type { GeneratedStudy } from '../generate.ts';
import type { Profile } from '../profile.ts';
import type { Client } from '../server.ts';
import { round, summaryCells, table, type Table } from '../table.ts';

export function docxTable(): Table {
  const t = table('docx', 'DOCX quote report (GET …/exports/report.docx)', [
    'Size',
    'Quotes',
    'maxPerCode',
    'n',
    'median ms',
    'p95 ms',
    'p99 ms',
    'MiB',
  ]);
  t.notes.push(
    'The number of quotes is set with `maxPerCode`, checked with `report-preview` before measuring.',
  );
  return t;
}

export function refiTable(): Table {
  const t = table(
    'refi',
    'REFI-QDA: export (GET …/exports/project.qdpx) and import (POST /api/projects/import)',
    ['Size', 'Operation', 'n', 'median ms', 'p95 ms', 'p99 ms', 'MiB', 'Codings'],
  );
  t.notes.push('Each imported project is deleted before the next import.');
  return t;
}

interface Preview {
  quotes: number;
}

/** The smallest `maxPerCode` giving about `target` quotes (fewer when the study has fewer codings). */
async function maxPerCodeFor(
  client: Client,
  projectId: string,
  target: number,
  codes: number,
): Promise<number> {
  const preview = (m: number) =>
    client.json<Preview>('GET', `/api/projects/${projectId}/exports/report-preview?maxPerCode=${m}`);
  if ((await preview(100_000)).quotes <= target) return 100_000;
  let m = Math.max(1, Math.ceil(target / codes));
  for (let i = 0; i < 6; i++) {
    const { quotes } = await preview(m);
    if (quotes >= target) return m;
    // Some codes have fewer passages than m: raise m in proportion to what is missing.
    m = Math.max(m + 1, Math.ceil((m * target) / Math.max(1, quotes)));
  }
  return m;
}

export async function docxBenchmark(
  t: Table,
  size: string,
  client: Client,
  study: GeneratedStudy,
  profile: Profile,
): Promise<void> {
  const base = `/api/projects/${study.projectId}/exports`;
  const probe = await client.request('GET', `${base}/report-preview`);
  if (probe.status === 404) {
    t.rows.push([size, 'not available (report-preview answers 404)', '', '', '', '', '', '']);
    return;
  }
  const maxPerCode = await maxPerCodeFor(
    client,
    study.projectId,
    profile.docxQuotes,
    study.childCodes.length + study.parentCodes.length,
  );
  const { quotes } = await client.json<Preview>('GET', `${base}/report-preview?maxPerCode=${maxPerCode}`);
  const times: number[] = [];
  let bytes = 0;
  const rowStart = performance.now();
  for (let i = 0; i < profile.exportRuns; i++) {
    if (i >= 1 && performance.now() - rowStart > profile.rowBudgetMs * 3) break;
    const started = performance.now();
    const res = await client.request('GET', `${base}/report.docx?maxPerCode=${maxPerCode}`);
    const ms = performance.now() - started;
    if (res.status === 404) {
      t.rows.push([size, quotes, maxPerCode, 'not available (report.docx answers 404)', '', '', '', '']);
      return;
    }
    if (res.status !== 200) {
      throw new Error(`report.docx → ${res.status}: ${new TextDecoder().decode(res.bytes).slice(0, 200)}`);
    }
    times.push(ms);
    bytes = res.bytes.length;
  }
  t.rows.push([size, quotes, maxPerCode, ...summaryCells(times), round(bytes / 2 ** 20)]);
}

interface ImportAnswer {
  project: { id: string };
  report: { codings: number; documents: number };
}

export async function refiBenchmark(
  t: Table,
  size: string,
  client: Client,
  study: GeneratedStudy,
  profile: Profile,
): Promise<void> {
  const exportTimes: number[] = [];
  let archive: Uint8Array = new Uint8Array();
  for (let i = 0; i < profile.exportRuns; i++) {
    const started = performance.now();
    const res = await client.request('GET', `/api/projects/${study.projectId}/exports/project.qdpx`);
    const ms = performance.now() - started;
    if (res.status !== 200) throw new Error(`project.qdpx → ${res.status}`);
    exportTimes.push(ms);
    archive = res.bytes;
  }
  const state = await client.json<{ counts: { codings: number } }>('GET', `/api/projects/${study.projectId}`);
  t.rows.push([
    size,
    'export .qdpx',
    ...summaryCells(exportTimes),
    round(archive.length / 2 ** 20),
    state.counts.codings,
  ]);

  const importTimes: number[] = [];
  let imported = 0;
  for (let i = 0; i < profile.exportRuns; i++) {
    const form = new FormData();
    form.append(
      'file',
      new Blob([archive.slice().buffer as ArrayBuffer], { type: 'application/zip' }),
      'projet.qdpx',
    );
    const started = performance.now();
    const answer = await client.json<ImportAnswer>('POST', '/api/projects/import', form);
    importTimes.push(performance.now() - started);
    imported = answer.report.codings;
    await client.json('DELETE', `/api/projects/${answer.project.id}`, undefined, [204]);
  }
  t.rows.push([
    size,
    'import .qdpx',
    ...summaryCells(importTimes),
    round(archive.length / 2 ** 20),
    imported,
  ]);
}
