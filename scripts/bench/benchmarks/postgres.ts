/**
 * The stores side by side: 40 coders creating codings as fast as answers come, on one instance
 * over the data folder (lowdb, the embedded store), then on two instances sharing one PostgreSQL
 * database, half the coders on each. Both start from the same study: the data folder is copied into
 * a fresh database of a throwaway cluster (with the code of `npm run migrate`) before either runs,
 * and both send the same codings.
 */
import { transfer } from '../../../server/storage/pg-transfer.ts';
import { findPostgresBin, startPgCluster, type PgCluster } from '../../lib/pg-cluster.ts';
import type { BenchUsers, GeneratedStudy } from '../generate.ts';
import type { Profile } from '../profile.ts';
import { BENCH_DIR, Client, startServer, type RunningServer } from '../server.ts';
import { round, table, type Table } from '../table.ts';
import { CLOSED_LOOP_COLUMNS, closedLoopCells, runClosedLoop } from './writes.ts';

/** Instances sharing the PostgreSQL database. */
const PG_INSTANCES = 2;
/** Seed of the coders' codings: not the concurrent benchmark's, whose codings the study may hold. */
const SEED = 1000;

export const POSTGRES_MISSING =
  'PostgreSQL is not installed on this machine (neither PG_BIN nor /usr/lib/postgresql/*/bin): the two-instance PostgreSQL rows were not measured.';

export function postgresTable(): Table {
  const t = table('postgres', 'Coders creating codings at the same time: lowdb and PostgreSQL', [
    'Size',
    'Store',
    'Instances',
    'Coders',
    'Codings at start',
    ...CLOSED_LOOP_COLUMNS,
  ]);
  t.notes.push(
    'Each coder is one signed-in client sending its next coding as soon as the previous one is answered; with two instances, half the coders are signed in on each.',
    'Both rows of a size start from the same study and send the same codings: the data folder is copied into a new PostgreSQL database (the code of `npm run migrate`) before the lowdb row runs.',
    'lowdb: one server over the data folder; a coding is answered 201 once fsync’d to the project’s journal (writes arriving meanwhile share the next fsync).',
    'PostgreSQL: a throwaway local cluster with fsync, synchronous_commit and full_page_writes on and default memory settings, on the same disk as the data folder; a coding is answered 201 once its transaction is committed. Every change to a project locks its row, so writers of one project queue one after the other across instances.',
  );
  return t;
}

/** Sign in `names` round-robin on `servers`, and measure them creating codings in `study`. */
async function measure(
  t: Table,
  size: string,
  store: string,
  servers: readonly RunningServer[],
  names: readonly string[],
  study: GeneratedStudy,
  profile: Profile,
): Promise<void> {
  const first = servers[0];
  if (!first) throw new Error('postgres benchmark: no server');
  const admin = await new Client(first.url).login();
  const { counts } = await admin.json<{ counts: { codings: number } }>(
    'GET',
    `/api/projects/${study.projectId}`,
  );
  const coders: Client[] = [];
  for (const [i, name] of names.entries()) {
    const server = servers[i % servers.length] as RunningServer;
    coders.push(await new Client(server.url).login(name));
  }
  const run = await runClosedLoop(coders, study, profile.concurrentSeconds, SEED);
  t.rows.push([
    size,
    store,
    servers.length,
    coders.length,
    counts.codings,
    ...closedLoopCells(`${store} writes (${size})`, run),
  ]);
}

/** Start `count` servers with `env`, run `body` with them, and stop every one that started. */
async function withServers(
  count: number,
  dataDir: string,
  env: Record<string, string>,
  body: (servers: RunningServer[]) => Promise<void>,
): Promise<void> {
  const servers: RunningServer[] = [];
  try {
    for (let i = 0; i < count; i++) servers.push(await startServer(dataDir, env));
    await body(servers);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

/**
 * Measure `study`, generated in `dataDir`, on lowdb (one instance) and on PostgreSQL (two
 * instances), with `profile.pgCoders` coders each. No server may be running over `dataDir`.
 */
export async function postgresBenchmark(
  t: Table,
  size: string,
  dataDir: string,
  users: BenchUsers,
  study: GeneratedStudy,
  profile: Profile,
): Promise<void> {
  const names = users.coderNames.slice(0, profile.pgCoders);
  if (names.length < profile.pgCoders) {
    throw new Error(`postgres benchmark: ${profile.pgCoders} coders wanted, ${names.length} accounts`);
  }
  const installed = findPostgresBin() !== undefined;
  let cluster: PgCluster | undefined;
  try {
    let databaseUrl: string | undefined;
    if (installed) {
      cluster = await startPgCluster({
        durable: true,
        parentDir: BENCH_DIR,
        databasePrefix: 'verbatim_bench',
      });
      databaseUrl = await cluster.createDatabase();
      const copyStarted = performance.now();
      const copy = await transfer(dataDir, databaseUrl);
      if (copy.differences.length > 0) {
        throw new Error(
          `postgres benchmark: the copy differs from the data folder: ${copy.differences.join('; ')}`,
        );
      }
      t.notes.push(
        `${size}: the data folder was copied into PostgreSQL in ${round((performance.now() - copyStarted) / 1000)} s.`,
      );
    }
    // The data folder, whatever VERBATIM_STORE or DATABASE_URL the bench was started with.
    const lowdb = { VERBATIM_STORE: '', DATABASE_URL: '' };
    await withServers(1, dataDir, lowdb, (servers) =>
      measure(t, size, 'lowdb', servers, names, study, profile),
    );
    if (databaseUrl) {
      const url = databaseUrl;
      await withServers(PG_INSTANCES, dataDir, { VERBATIM_STORE: url }, (servers) =>
        measure(t, size, 'PostgreSQL', servers, names, study, profile),
      );
    } else {
      console.warn(POSTGRES_MISSING);
      if (!t.notes.includes(POSTGRES_MISSING)) t.notes.push(POSTGRES_MISSING);
      const missing = t.columns.length - 5;
      t.rows.push([
        size,
        'PostgreSQL',
        PG_INSTANCES,
        names.length,
        'not installed',
        ...Array.from({ length: missing }, () => '—'),
      ]);
    }
  } finally {
    await cluster?.stop();
  }
}
