/**
 * The client: how long Chromium takes to open a long coded transcript, and how much the built
 * interface weighs once gzipped.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { createBenchUsers, generateStudy, writeDataFolder } from '../generate.ts';
import type { Profile } from '../profile.ts';
import { BENCH_DIR, Client, startServer } from '../server.ts';
import { round, summaryCells, table, type Table } from '../table.ts';

const CHROMIUM = '/usr/bin/chromium';
const CLIENT_DIR = resolve('dist/client');

/** Build dist/client when missing or older than its sources (as `npm start` does). */
export function buildClientIfStale(): void {
  execFileSync(process.execPath, ['scripts/build-client-if-stale.mjs'], { stdio: 'inherit' });
}

/**
 * How many highlighted segments the transcript must at least draw: the stretches between
 * consecutive coding boundaries that some coding covers (the view cuts further, at turns).
 */
function codedSegments(spans: readonly { start: number; end: number }[]): number {
  const boundaries = [...new Set(spans.flatMap((s) => [s.start, s.end]))].sort((a, b) => a - b);
  const depth = new Map<number, number>();
  for (const s of spans) {
    depth.set(s.start, (depth.get(s.start) ?? 0) + 1);
    depth.set(s.end, (depth.get(s.end) ?? 0) - 1);
  }
  let open = 0;
  let segments = 0;
  for (const b of boundaries.slice(0, -1)) {
    open += depth.get(b) ?? 0;
    if (open > 0) segments++;
  }
  return segments;
}

export async function clientOpenBenchmark(profile: Profile): Promise<Table> {
  const t = table('client', 'Opening a coded transcript in Chromium (headless)', [
    'Document',
    'Measure',
    'n',
    'median ms',
    'p95 ms',
    'p99 ms',
  ]);
  t.notes.push(
    'From navigation start (the page’s performance.now()) to the first frame where the transcript shows text, and to the first frame where at least as many highlighted segments (`.transcript [data-start][data-codes]`) as there are coded stretches between coding boundaries are drawn.',
    'Each run opens a new tab in the same browser profile: the first loads the assets, the others find them in the cache.',
  );
  buildClientIfStale();
  if (!existsSync(join(CLIENT_DIR, 'index.html'))) {
    t.rows.push(['not available: dist/client is not built', '', '', '', '', '']);
    return t;
  }
  if (!existsSync(CHROMIUM)) {
    t.rows.push([`not available: ${CHROMIUM} is missing`, '', '', '', '', '']);
    return t;
  }
  const dataDir = await mkdtemp(join(BENCH_DIR, 'client-'));
  const profileDir = await mkdtemp(join(tmpdir(), 'verbatim-bench-chromium-'));
  try {
    const study = await writeDataFolder(dataDir, async (store) => {
      const users = await createBenchUsers(store, 2);
      return generateStudy(
        store,
        users,
        {
          name: 'client',
          interviews: 1,
          wordsPerInterview: profile.clientWords,
          codings: profile.clientCodings,
        },
        { seed: 3, name: 'Document long' },
      );
    });
    const server = await startServer(dataDir, { VERBATIM_CLIENT_DIR: CLIENT_DIR });
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 800 },
      locale: 'fr-FR',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-sync',
      ],
    });
    try {
      const client = await new Client(server.url).login();
      const doc = study.documents[0];
      if (!doc) throw new Error('client benchmark: no document generated');
      const { codings } = await client.json<{ codings: { start: number; end: number }[] }>(
        'GET',
        `/api/projects/${study.projectId}/codings?documentId=${doc.id}`,
      );
      const expected = codedSegments(codings);
      const [name, value] = client.cookie.split('=');
      await context.addCookies([{ name: name ?? '', value: value ?? '', url: server.url }]);
      // Record, frame by frame, when the text and then every highlight are on screen. A string,
      // not a function: tsx would wrap the inner function in a helper the page does not have.
      await context.addInitScript(`
        (() => {
          const marks = {};
          window.__bench = marks;
          const check = () => {
            if (marks.text === undefined && document.querySelector('.transcript [data-start]')) {
              marks.text = performance.now();
            }
            const coded = document.querySelectorAll('.transcript [data-start][data-codes]').length;
            if (coded >= ${expected}) marks.coded = performance.now();
            else requestAnimationFrame(check);
          };
          requestAnimationFrame(check);
        })();
      `);
      const text: number[] = [];
      const coded: number[] = [];
      let failure: string | undefined;
      for (let i = 0; i < profile.clientRuns; i++) {
        const page = await context.newPage();
        try {
          await page.goto(`${server.url}/projects/${study.projectId}/documents/${doc.id}`);
          const marks = await page
            .waitForFunction(
              () => {
                const m = (window as unknown as { __bench?: { text?: number; coded?: number } }).__bench;
                return m?.coded !== undefined ? m : false;
              },
              undefined,
              { timeout: 120_000, polling: 100 },
            )
            .then((handle) => handle.jsonValue() as Promise<{ text: number; coded: number }>)
            .catch(async (error: unknown) => {
              const drawn = await page
                .locator('.transcript [data-start][data-codes]')
                .count()
                .catch(() => -1);
              failure = `not reached: ${drawn} of ${expected} highlighted segments after 120 s (${String(error).split('\n')[0]})`;
              return undefined;
            });
          if (!marks) break;
          text.push(marks.text);
          coded.push(marks.coded);
        } finally {
          await page.close();
        }
      }
      const label = `${study.words.toLocaleString('en-US')} words, ${study.codings.toLocaleString('en-US')} codings`;
      if (failure) {
        t.rows.push([label, failure, '', '', '', '']);
        return t;
      }
      t.rows.push([label, 'transcript text shown', ...summaryCells(text)]);
      t.rows.push([label, `all highlights drawn (≥ ${expected} segments)`, ...summaryCells(coded)]);
    } finally {
      await context.close();
      await server.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
    await rm(profileDir, { recursive: true, force: true });
  }
  return t;
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else out.push(path);
  }
  return out;
}

export async function clientSizeBenchmark(): Promise<Table> {
  const t = table('clientsize', 'Size of the built client (dist/client)', [
    'Kind',
    'Files',
    'KiB',
    'KiB gzip',
  ]);
  t.notes.push('Each file gzipped on its own (zlib level 9), as a server or proxy would send it.');
  buildClientIfStale();
  if (!existsSync(join(CLIENT_DIR, 'index.html'))) {
    t.rows.push(['not available: dist/client is not built', '', '', '']);
    return t;
  }
  const kinds = new Map<string, { files: number; raw: number; gzip: number }>();
  for (const file of await filesUnder(CLIENT_DIR)) {
    const bytes = await readFile(file);
    const kind = extname(file).slice(1) || 'other';
    const entry = kinds.get(kind) ?? { files: 0, raw: 0, gzip: 0 };
    entry.files++;
    entry.raw += bytes.length;
    entry.gzip += gzipSync(bytes, { level: 9 }).length;
    kinds.set(kind, entry);
  }
  let files = 0;
  let raw = 0;
  let gzip = 0;
  for (const [kind, entry] of [...kinds].sort((a, b) => b[1].gzip - a[1].gzip)) {
    t.rows.push([kind, entry.files, round(entry.raw / 1024), round(entry.gzip / 1024)]);
    files += entry.files;
    raw += entry.raw;
    gzip += entry.gzip;
  }
  t.rows.push(['total', files, round(raw / 1024), round(gzip / 1024)]);
  return t;
}
