/**
 * The tasks Verbatim shares with Taguette, on Taguette's own workload (one 10,000-word French
 * transcript, 12 codes, 1,336 codings): creating a code, opening the document (server side, and
 * the bytes it costs), the DOCX of one code's 334 quotes and of all 1,336, the codebook .qdc and
 * creating a highlight (a coding). Taguette's figures are those measured beside Verbatim with
 * Taguette 1.5.2 on a machine of the same kind (`TAGUETTE`); Taguette is a Python program that
 * this machine's registries cannot install, so it is not run here.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import type { DocumentId } from '../../../shared/ids.ts';
import { parseServerTiming } from '../../../server/http/server-timing.ts';
import { createBenchUsers, generateQuoteWorkload, writeDataFolder } from '../generate.ts';
import type { Profile } from '../profile.ts';
import { BENCH_DIR, Client, send, startServer, type Sent } from '../server.ts';
import { median, percentile, round, table, type Table } from '../table.ts';
import { buildClientIfStale } from './client.ts';

/** Taguette 1.5.2, same workload, same kind of machine: milliseconds (median, or p95) and KB. */
export const TAGUETTE = {
  createCode: 7.0,
  openDocument: 109,
  openDocumentKB: 71,
  docxOneCode: 1560,
  docxAll: 2560,
  codebook: 6.2,
  highlightP95: 44,
} as const;

const CLIENT_DIR = resolve('dist/client');

/** One GET with brotli asked. */
const get = (url: string, cookie: string) => send(url, { cookie, encoding: 'br' });

/** One POST of JSON, answered 201. */
const post = (url: string, cookie: string, json: unknown) => send(url, { cookie, method: 'POST', json });

/** Milliseconds of each of `runs` calls of `task`, after `warm` unmeasured ones. */
async function sample(runs: number, warm: number, task: (i: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < warm; i++) await task(-1 - i);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await task(i);
    times.push(performance.now() - started);
  }
  return times;
}

export function taguetteTable(): Table {
  const t = table('taguette', 'Beside Taguette 1.5.2, on its workload', [
    'Task',
    'n',
    'Verbatim median',
    'Verbatim p95',
    'Taguette',
    'unit',
    'ratio',
  ]);
  t.notes.push(
    'Workload: one 10,000-word French transcript, 12 codes, 1,336 codings of whole sentences (334 with the busiest code). One warm server; every request on 127.0.0.1 through node:http (one connection kept alive), brotli asked.',
    'Taguette’s column is the measurement made beside Verbatim with Taguette 1.5.2 on a machine of the same kind (median, except the highlight row: p95); it is not rerun here (Taguette installs from PyPI, which this machine cannot reach). Ratio: Taguette ÷ Verbatim on the same statistic.',
    '« open a document »: the page’s HTML shell then the document view (`GET …/documents/:id/view`: text, turns, its codings, the codebook with counts), one after the other, as a browser that has the application’s scripts cached does; Taguette’s three requests (shell, document, contents) did the same work. The bytes row counts both answers on the wire; the scripts and styles of a first visit are counted in their own row (cached afterwards: their names carry their hash). « floor: bytes to open it » is what no way of sending that document can go under: its text compressed as well as brotli can (quality 11), plus the random part of its 1,336 codings’ ids (122 bits each, which nothing compresses); its ratio is the most any tool sending those ids could reach against Taguette, whose ids are small integers.',
    'The reads (opening the document, the reports, the codebook) come before the writes (codes, then highlights), so that each reads the workload itself: 12 codes, 1,336 codings.',
    '« create a code » and « create a highlight » are each answered once written to the project’s journal and fsync’d. The two « floor » rows are what no request can go under on this machine: an authenticated GET of a few hundred bytes (HTTP on loopback, session, access check), and the append + fdatasync every durable write waits for, on the disk of the data folder.',
    '« profile » rows: where the time of the two writes goes, measured on a second server over the same data folder, started with VERBATIM_SERVER_TIMING=1 (the rows above are measured without it: its bookkeeping, an AsyncLocalStorage per request, costs a little). Each answer’s `Server-Timing` header gives the time the server waited for the journal (its write and fdatasync, joined by the writes that came meanwhile) and the rest of its time (routing, session, access check, validation, the change, the answer); « outside the server » is what remains of the time the client saw (HTTP on loopback, the client’s own work). Medians of parts do not add up to the median of the whole.',
  );
  return t;
}

export async function taguetteBenchmark(t: Table, profile: Profile): Promise<void> {
  buildClientIfStale();
  const dataDir = await mkdtemp(join(BENCH_DIR, 'taguette-'));
  try {
    const workload = await writeDataFolder(dataDir, async (store) => {
      const users = await createBenchUsers(store, 2);
      const w = await generateQuoteWorkload(store, users, { seed: 3 });
      const state = await store.readProject(w.projectId);
      const documentId = Object.keys(state?.documents ?? {})[0] as DocumentId;
      return { ...w, documentId };
    });
    const env: Record<string, string> = existsSync(join(CLIENT_DIR, 'index.html'))
      ? { VERBATIM_CLIENT_DIR: CLIENT_DIR }
      : {};
    const server = await startServer(dataDir, env);
    try {
      await measureTasks(t, profile, server.url, await new Client(server.url).login(), workload, dataDir);
    } finally {
      await server.stop();
    }
    const timed = await startServer(dataDir, { ...env, VERBATIM_SERVER_TIMING: '1' });
    try {
      await measureProfile(t, profile, timed.url, await new Client(timed.url).login(), workload);
    } finally {
      await timed.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

interface Workload {
  projectId: string;
  documentId: DocumentId;
  codes: string[];
  busiestCode: string;
}

async function measureTasks(
  t: Table,
  profile: Profile,
  url: string,
  client: Client,
  w: Workload,
  dataDir: string,
): Promise<void> {
  const runs = profile.smoke ? 3 : 200;
  const api = `/api/projects/${w.projectId}`;
  const row = (task: string, times: number[], theirs: number, unit: string, p95 = false) => {
    const ours = p95 ? percentile(times, 95) : median(times);
    t.rows.push([
      task,
      times.length,
      round(median(times)),
      round(percentile(times, 95)),
      theirs,
      unit,
      round(theirs / ours),
    ]);
  };

  const shell = `${url}/projects/${w.projectId}/documents/${w.documentId}`;
  const view = `${url}${api}/documents/${w.documentId}/view`;
  let openBytes = 0;
  const openTimes = await sample(runs, 10, async () => {
    const page = await get(shell, client.cookie);
    const data = await get(view, client.cookie);
    openBytes = page.bytes + data.bytes;
  });
  row('open a document, server side', openTimes, TAGUETTE.openDocument, 'ms');
  t.rows.push([
    'bytes to open it',
    1,
    round(openBytes / 1000),
    '',
    TAGUETTE.openDocumentKB,
    'KB',
    round(TAGUETTE.openDocumentKB / (openBytes / 1000)),
  ]);
  const floorKB =
    bytesFloor(await client.json<ViewBytes>('GET', `${api}/documents/${w.documentId}/view`)) / 1000;
  t.rows.push([
    'floor: bytes to open it',
    1,
    round(floorKB),
    '',
    '',
    'KB',
    round(TAGUETTE.openDocumentKB / floorKB),
  ]);
  const html = (await get(shell, client.cookie)).body.toString('utf8');
  let assetBytes = 0;
  for (const [, src] of html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)) {
    assetBytes += (await get(`${url}${src}`, client.cookie)).bytes;
  }
  t.rows.push(['scripts and styles, first visit only', 1, round(assetBytes / 1000), '', '', 'KB', '']);

  const docxRuns = profile.smoke ? 2 : 20;
  const one: number[] = [];
  const all: number[] = [];
  const report = `${api}/exports/report.docx`;
  const cookie = client.cookie;
  await get(`${url}${report}?codes=${w.busiestCode}`, cookie);
  await get(`${url}${report}`, cookie);
  for (let i = 0; i < docxRuns; i++) {
    one.push(...(await sample(1, 0, () => get(`${url}${report}?codes=${w.busiestCode}`, cookie))));
    all.push(...(await sample(1, 0, () => get(`${url}${report}`, cookie))));
  }
  row('DOCX of one code’s 334 quotes', one, TAGUETTE.docxOneCode, 'ms');
  row('DOCX of all 1,336 quotes', all, TAGUETTE.docxAll, 'ms');

  const codebook = await sample(runs, 10, () => get(`${url}${api}/exports/codebook.qdc`, cookie));
  row('codebook .qdc', codebook, TAGUETTE.codebook, 'ms');

  // The writes come last, so that every read above sees the workload itself: 12 codes, 1,336 codings.
  const codeTimes = await sample(runs, 10, (i) =>
    post(`${url}${api}/codes`, cookie, { name: `Nouveau thème ${i + 20}`, color: '#1f77b4' }),
  );
  row('create a code', codeTimes, TAGUETTE.createCode, 'ms');

  const state = await client.json<{ document: { length: number } }>(
    'GET',
    `${api}/documents/${w.documentId}/view`,
  );
  const length = state.document.length;
  const highlights = await sample(runs, 10, (i) => {
    const start = ((i + 20) * 37) % (length - 50);
    return post(`${url}${api}/codings`, cookie, {
      documentId: w.documentId,
      codeId: w.codes[(i + 20) % w.codes.length],
      start,
      end: start + 25,
    });
  });
  row('create a highlight (p95)', highlights, TAGUETTE.highlightP95, 'ms', true);

  const floor = (task: string, times: number[]) =>
    t.rows.push([task, times.length, round(median(times)), round(percentile(times, 95)), '', 'ms', '']);
  floor(
    'floor: a small authenticated GET (…/settings)',
    await sample(runs, 10, () => get(`${url}${api}/settings`, cookie)),
  );
  floor('floor: append 300 bytes to a file and fdatasync it', await appendAndSync(runs, dataDir));
}

/** The metrics of a `Server-Timing` header, by name, in milliseconds. */
function serverTimings(header: string | undefined): Record<string, number> {
  if (header === undefined) throw new Error('no Server-Timing header: is VERBATIM_SERVER_TIMING on?');
  return parseServerTiming(header);
}

/**
 * Where the time of the two writes goes, on a server that says so in its answers' `Server-Timing`
 * header: waiting for the journal, the rest of the server, and what the client saw outside it.
 */
async function measureProfile(t: Table, profile: Profile, url: string, client: Client, w: Workload) {
  const runs = profile.smoke ? 3 : 200;
  const api = `${url}/api/projects/${w.projectId}`;
  const { cookie } = client;
  const parts = async (task: string, write: (i: number) => Promise<Sent>) => {
    const durable: number[] = [];
    const rest: number[] = [];
    const outside: number[] = [];
    for (let i = -10; i < runs; i++) {
      const sent = await write(i);
      if (i < 0) continue;
      const timing = serverTimings(sent.serverTiming);
      durable.push(timing.durable as number);
      rest.push(timing.app as number);
      outside.push(sent.ms - (timing.total as number));
    }
    const push = (part: string, times: number[]) =>
      t.rows.push([
        `profile: ${task}, ${part}`,
        times.length,
        round(median(times)),
        round(percentile(times, 95)),
        '',
        'ms',
        '',
      ]);
    push('waiting for the journal (write + fdatasync)', durable);
    push('the rest of the server', rest);
    push('outside the server (HTTP, client)', outside);
  };
  await parts('create a code', (i) =>
    post(`${api}/codes`, cookie, { name: `Thème du profil ${i + 20}`, color: '#2ca02c' }),
  );
  const state = await client.json<{ document: { length: number } }>(
    'GET',
    `/api/projects/${w.projectId}/documents/${w.documentId}/view`,
  );
  await parts('create a highlight', (i) => {
    // One code point longer than the highlights measured above, so that none repeats one of them.
    const start = ((i + 20) * 37) % (state.document.length - 50);
    return post(`${api}/codings`, cookie, {
      documentId: w.documentId,
      codeId: w.codes[(i + 20) % w.codes.length],
      start,
      end: start + 26,
    });
  });
}

interface ViewBytes {
  document: { text: string };
  codings: { id: string }[];
}

/**
 * What no way of sending the opened document can go under: its text compressed as well as brotli
 * can (quality 11, largest window), and the random part of its codings' ids (UUID v4: 122 random
 * bits each), which no compression shortens.
 */
function bytesFloor(view: ViewBytes): number {
  const text = brotliCompressSync(Buffer.from(view.document.text), {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24 },
  }).length;
  return text + (view.codings.length * 122) / 8;
}

/** The durable write's own cost on this disk: one small append and fdatasync, in the data folder. */
async function appendAndSync(runs: number, dir: string): Promise<number[]> {
  const file = await open(join(dir, 'fsync-probe.jsonl'), 'a');
  try {
    const line = Buffer.from(`${'x'.repeat(299)}\n`);
    return await sample(runs, 10, async () => {
      await file.write(line);
      await file.datasync();
    });
  } finally {
    await file.close();
  }
}
