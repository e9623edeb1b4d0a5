/** Reading a study: full-text search, and each statistic and retrieval of the review pages. */
import type { GeneratedStudy } from '../generate.ts';
import type { Profile } from '../profile.ts';
import type { Client } from '../server.ts';
import { round, summaryCells, table, type Table } from '../table.ts';

export function searchTable(): Table {
  const t = table('search', 'Search latency (GET …/search)', [
    'Size',
    'Query',
    'n',
    'median ms',
    'p95 ms',
    'p99 ms',
    'passages',
  ]);
  t.notes.push(
    'The first search after generation builds the project’s index (no cached index yet): that one request is its own row; the index is warm for the others.',
    'Results are paged by 100 hits (the route’s default); a row stops early (after at least 3 runs) once 20 s are spent.',
    'The generated text draws on a small vocabulary, so a domain word such as « billetterie » occurs in far more passages than in real interviews: these figures are pessimistic for common words.',
  );
  return t;
}

/** The columns of a table of GETs timed by `measureGet`, each row named in `what`. */
const timedGetColumns = (what: string) => [
  'Size',
  what,
  'n',
  'median ms',
  'p95 ms',
  'p99 ms',
  'KiB answered',
];

export function reviewTable(): Table {
  const t = table(
    'review',
    'Review statistics and retrieval (GET …/stats/…, …/retrieve)',
    timedGetColumns('Statistic'),
  );
  t.notes.push(
    'One warm-up request per statistic is not counted; a row stops early (after at least 3 runs) once 20 s are spent.',
  );
  return t;
}

/**
 * Time up to `runs` GETs of `path`, after `warmUp` uncounted ones, stopping early once the
 * profile's time budget for a row is spent; the last answer's bytes too.
 */
async function measureGet(
  client: Client,
  path: string,
  runs: number,
  profile: Profile,
  warmUp = 1,
): Promise<{ times: number[]; bytes: Uint8Array }> {
  let bytes: Uint8Array = new Uint8Array();
  const times: number[] = [];
  const rowStart = performance.now();
  for (let i = 0; i < warmUp + runs; i++) {
    if (times.length >= profile.minRuns && performance.now() - rowStart > profile.rowBudgetMs) break;
    const started = performance.now();
    const res = await client.request('GET', path);
    const ms = performance.now() - started;
    if (res.status !== 200) {
      throw new Error(`GET ${path} → ${res.status}: ${new TextDecoder().decode(res.bytes).slice(0, 200)}`);
    }
    bytes = res.bytes;
    if (i >= warmUp) times.push(ms);
  }
  return { times, bytes };
}

export async function searchBenchmark(
  t: Table,
  size: string,
  client: Client,
  study: GeneratedStudy,
  profile: Profile,
): Promise<void> {
  const base = `/api/projects/${study.projectId}/search`;
  const first = await measureGet(client, `${base}?q=billetterie`, 1, profile, 0);
  const matches = (bytes: Uint8Array) =>
    (JSON.parse(new TextDecoder().decode(bytes)) as { total: number }).total;
  t.rows.push([size, 'first search: builds the index', ...summaryCells(first.times), matches(first.bytes)]);
  const queries: [string, string][] = [
    ['billetterie', 'q=billetterie'],
    ['ressaisir (stemmed)', 'q=ressaisir'],
    ['"logiciel de billetterie" (phrase)', `q=${encodeURIComponent('"logiciel de billetterie"')}`],
    ['tableur OR excel', `q=${encodeURIComponent('tableur OR excel')}`],
    ['données -RGPD', `q=${encodeURIComponent('données -RGPD')}`],
    ['accessibilite, interviewees only', 'q=accessibilite&speaker=interviewees'],
    ['prestataire, inside one code', `q=prestataire&codeId=${study.childCodes[0]}`],
    ['billeterie (typo), fuzzy', 'q=billeterie&fuzzy=true'],
  ];
  for (const [label, query] of queries) {
    const { times, bytes } = await measureGet(client, `${base}?${query}`, profile.searchRuns, profile, 0);
    t.rows.push([size, label, ...summaryCells(times), matches(bytes)]);
  }
}

export async function reviewBenchmark(
  t: Table,
  size: string,
  client: Client,
  study: GeneratedStudy,
  profile: Profile,
): Promise<void> {
  const base = `/api/projects/${study.projectId}`;
  const [a, b] = study.codingCoders;
  const [c1, c2] = study.childCodes;
  const routes: [string, string][] = [
    ['frequencies', '/stats/frequencies'],
    [
      'frequencies by « type de structure »',
      `/stats/frequencies?attribute=${encodeURIComponent('type de structure')}`,
    ],
    ['coders', '/stats/coders'],
    ['co-occurrence, overlap', '/stats/cooccurrence?unit=overlap'],
    ['co-occurrence, turn', '/stats/cooccurrence?unit=turn'],
    ['agreement, character', `/stats/agreement?coders=${a},${b}&unit=character`],
    ['agreement, turn', `/stats/agreement?coders=${a},${b}&unit=turn`],
    ['retrieve A OR B (500 passages)', `/retrieve?codes=${c1},${c2}&op=or`],
    ['retrieve A AND B', `/retrieve?codes=${c1},${c2}&op=and`],
  ];
  await timeGets(
    t,
    size,
    client,
    routes.map(([label, path]) => [label, base + path]),
    profile,
  );
}

/** A row of `t` per route: `profile.statsRuns` GETs of its path, timed, and the KiB of the last. */
async function timeGets(
  t: Table,
  size: string,
  client: Client,
  routes: readonly (readonly [string, string])[],
  profile: Profile,
): Promise<void> {
  for (const [label, path] of routes) {
    const { times, bytes } = await measureGet(client, path, profile.statsRuns, profile);
    t.rows.push([size, label, ...summaryCells(times), round(bytes.length / 1024)]);
  }
}

export function pagesTable(): Table {
  const t = table(
    'pages',
    'Project pages: what they read follows what they show',
    timedGetColumns('Request'),
  );
  t.notes.push(
    'Measured with the review statistics (`--only review`), on the same warm server. Each of these once read every coding or every event of the project: the counts (`Object.keys` of 100,000 codings: ~18 ms at each call), the document list (each document’s codings gathered to count them), a page of the audit trail (the whole log read forwards), a code’s codings (every coding filtered).',
    '« check before publishing » (`GET …/exports/check`) reads every quote, citation and memo a pseudonymised export of the whole project would hold: its cost follows the project, as the export’s does. One warm-up request per row is not counted; a row stops early (after at least 3 runs) once 20 s are spent.',
  );
  return t;
}

export async function pagesBenchmark(
  t: Table,
  size: string,
  client: Client,
  study: GeneratedStudy,
  profile: Profile,
): Promise<void> {
  const base = `/api/projects/${study.projectId}`;
  const document = study.documents[0]?.id;
  const routes: [string, string][] = [
    ['project (its counts)', base],
    ['project list', '/api/projects'],
    ['document list', `${base}/documents`],
    ['audit trail, newest 50', `${base}/audit`],
    ['one code’s codings', `${base}/codings?codeId=${study.childCodes[0]}`],
    ['one document, names replaced (spans)', `${base}/documents/${document}/replacements`],
    ['check before publishing', `${base}/exports/check`],
  ];
  await timeGets(t, size, client, routes, profile);
}
