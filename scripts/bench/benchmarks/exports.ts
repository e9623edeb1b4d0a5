/** Exports: the DOCX quote report, and a whole project to REFI-QDA (.qdpx) and back. */
import type { GeneratedStudy, QuoteWorkload } from '../generate.ts';
import type { Profile } from '../profile.ts';
import type { Client } from '../server.ts';
import { round, summaryCells, table, type Table } from '../table.ts';

export function docxTable(): Table {
  const t = table('docx', 'DOCX quote report (GET …/exports/report.docx)', [
    'Size',
    'Quotes',
    'Selection',
    'n',
    'median ms',
    'p95 ms',
    'p99 ms',
    'MiB',
  ]);
  t.notes.push(
    'For the studies, the number of quotes is set with `maxPerCode`, checked with `report-preview` before measuring.',
    'The « workload » rows are the issue’s comparison with Taguette: one 10,000-word transcript, 12 codes, 1,336 codings of whole sentences; the report of its busiest code (334 quotes) and of all 12 (1,336 quotes), measured in alternation on one warm server after one unmeasured request each. Target: no report slower than one of more quotes, 334 quotes under 0.2 s.',
  );
  return t;
}

export function refiTable(): Table {
  const t = table(
    'refi',
    'REFI-QDA: export (GET …/exports/project.qdpx, …/exports/codebook.qdc) and import (POST /api/projects/import)',
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
  workload?: QuoteWorkload,
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
  t.rows.push([size, quotes, `maxPerCode=${maxPerCode}`, ...summaryCells(times), round(bytes / 2 ** 20)]);
  if (workload) await workloadRows(t, client, workload, profile);
}

/** The report of one code (334 quotes) and of all (1,336), alternated so both see the same load. */
async function workloadRows(
  t: Table,
  client: Client,
  workload: QuoteWorkload,
  profile: Profile,
): Promise<void> {
  const base = `/api/projects/${workload.projectId}/exports`;
  const cases = [
    { quotes: workload.oneCodeQuotes, selection: 'one code', query: `codes=${workload.busiestCode}` },
    { quotes: workload.quotes, selection: `all ${workload.codes.length} codes`, query: '' },
  ];
  const times = cases.map((): number[] => []);
  const bytes = cases.map(() => 0);
  const fetchReport = async (i: number): Promise<number> => {
    const c = cases[i] as (typeof cases)[number];
    const started = performance.now();
    const res = await client.request('GET', `${base}/report.docx?${c.query}`);
    const ms = performance.now() - started;
    if (res.status !== 200) throw new Error(`report.docx (${c.selection}) → ${res.status}`);
    bytes[i] = res.bytes.length;
    return ms;
  };
  for (let i = 0; i < cases.length; i++) await fetchReport(i);
  const runs = Math.max(profile.exportRuns, profile.smoke ? 1 : 10);
  for (let run = 0; run < runs; run++) {
    for (let i = 0; i < cases.length; i++) (times[i] as number[]).push(await fetchReport(i));
  }
  cases.forEach((c, i) => {
    t.rows.push([
      'workload',
      c.quotes,
      c.selection,
      ...summaryCells(times[i] as number[]),
      round((bytes[i] ?? 0) / 2 ** 20),
    ]);
  });
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

  // The codebook alone: its cost should follow the codebook, not the project's codings.
  const qdcTimes: number[] = [];
  let codebook: Uint8Array = new Uint8Array();
  await client.request('GET', `/api/projects/${study.projectId}/exports/codebook.qdc`);
  for (let i = 0; i < Math.max(profile.exportRuns, profile.smoke ? 1 : 20); i++) {
    const started = performance.now();
    const res = await client.request('GET', `/api/projects/${study.projectId}/exports/codebook.qdc`);
    const ms = performance.now() - started;
    if (res.status !== 200) throw new Error(`codebook.qdc → ${res.status}`);
    qdcTimes.push(ms);
    codebook = res.bytes;
  }
  t.rows.push([
    size,
    'export codebook .qdc',
    ...summaryCells(qdcTimes),
    round(codebook.length / 2 ** 20),
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
