/** Server start time and memory over a generated study (the bundled server, as in production). */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { SEARCH_CACHE_NAME } from '../../../server/search/service.ts';
import type { GeneratedStudy } from '../generate.ts';
import type { Profile } from '../profile.ts';
import { Client, memoryOf, startServer } from '../server.ts';
import { round, summaryCells, table, type Table } from '../table.ts';

export function startTable(): Table {
  const t = table('start', 'Server start and memory (bundled server process)', [
    'Size',
    'Measure',
    'n',
    'median',
    'p95',
    'p99',
    'unit',
  ]);
  t.notes.push(
    'Start: from spawning `node main.mjs` to its « listening » line (opening the data folder, reading snapshots, replaying journals).',
    'RSS is VmRSS from /proc after the event; the peak (VmHWM) is over the whole benchmark run of that size, writes included.',
    'The first search after a start loads the index the previous server saved, and brings it up to date with the project’s documents.',
    '« first search after start, no saved index »: the same, with the saved index removed before each start: the search builds the index over every document (once per server, as after an import or the loss of the cache), each sample on a fresh server.',
  );
  return t;
}

export async function startBenchmark(
  t: Table,
  size: string,
  dataDir: string,
  study: GeneratedStudy,
  profile: Profile,
  peakOfRun: number | undefined,
): Promise<void> {
  const starts: number[] = [];
  const rssAtStart: number[] = [];
  const firstSearch: number[] = [];
  const rssAfter: number[] = [];
  for (let i = 0; i < profile.startRuns; i++) {
    const server = await startServer(dataDir);
    try {
      starts.push(server.startMs);
      rssAtStart.push((await memoryOf(server.child.pid as number)).rss);
      const client = await new Client(server.url).login();
      const started = performance.now();
      await client.json('GET', `/api/projects/${study.projectId}/search?q=billetterie`);
      firstSearch.push(performance.now() - started);
      await client.json('GET', `/api/projects/${study.projectId}/stats/frequencies`);
      rssAfter.push((await memoryOf(server.child.pid as number)).rss);
    } finally {
      await server.stop();
    }
  }
  // Then the index built by the first search, on as many fresh servers.
  const firstBuild: number[] = [];
  for (let i = 0; i < profile.startRuns; i++) {
    await rm(join(dataDir, 'projects', study.projectId, 'cache', SEARCH_CACHE_NAME), { force: true });
    const server = await startServer(dataDir);
    try {
      const client = await new Client(server.url).login();
      const started = performance.now();
      await client.json('GET', `/api/projects/${study.projectId}/search?q=billetterie`);
      firstBuild.push(performance.now() - started);
    } finally {
      await server.stop();
    }
  }
  t.rows.push([size, 'start to listening', ...summaryCells(starts), 'ms']);
  t.rows.push([size, 'RSS once listening', ...summaryCells(rssAtStart), 'MiB']);
  t.rows.push([size, 'first search after start', ...summaryCells(firstSearch), 'ms']);
  t.rows.push([size, 'first search after start, no saved index', ...summaryCells(firstBuild), 'ms']);
  t.rows.push([size, 'RSS after a search and frequencies', ...summaryCells(rssAfter), 'MiB']);
  if (peakOfRun !== undefined)
    t.rows.push([size, 'peak RSS during the benchmarks', 1, round(peakOfRun), '', '', 'MiB']);
}
