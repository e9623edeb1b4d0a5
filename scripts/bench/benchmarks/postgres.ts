/**
 * The stores side by side: 40 coders creating codings as fast as answers come, on one instance
 * over the data folder (lowdb, the embedded store), then on two instances sharing one PostgreSQL
 * database, half the coders on each. Both start from the same study: the data folder is copied into
 * a fresh database of a throwaway cluster (with the code of `npm run migrate`) before either runs,
 * and both send the same codings.
 */
import pg from 'pg';
import { SNAPSHOT_EVERY } from '../../../server/storage/pg-snapshot-writer.ts';
import { transfer } from '../../../server/storage/pg-transfer.ts';
import { findPostgresBin, startPgCluster, type PgCluster } from '../../lib/pg-cluster.ts';
import { cpuDuring } from '../cpu.ts';
import type { BenchUsers, GeneratedStudy } from '../generate.ts';
import type { Profile } from '../profile.ts';
import { BENCH_DIR, Client, startServer, type RunningServer } from '../server.ts';
import { round, summarise, summaryCells, table, type Table } from '../table.ts';
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
    'server CPU ms/coding',
    'PostgreSQL CPU ms/coding',
    'write transaction open %',
    'lock waits %',
    'codings per write transaction',
    'ms per write transaction',
  ]);
  t.notes.push(
    'Each coder is one signed-in client sending its next coding as soon as the previous one is answered; with two instances, half the coders are signed in on each.',
    'Both rows of a size start from the same study and send the same codings: the data folder is copied into a new PostgreSQL database (the code of `npm run migrate`) before the lowdb row runs.',
    'lowdb: one server over the data folder; a coding is answered 201 once fsync’d to the project’s journal (writes arriving meanwhile share the next fsync).',
    'PostgreSQL: a throwaway local cluster with fsync, synchronous_commit and full_page_writes on and default memory settings, on the same disk as the data folder; a coding is answered 201 once its transaction is committed. Every change to a project locks its row, so writers of one project queue one after the other across instances.',
    'CPU per coding: user + system time of the server processes (and of every PostgreSQL process of the cluster) over the run, divided by the codings created, as in « Several projects coded at once ». Sampled from `pg_stat_activity` every 20 ms during the run: « write transaction open % », the share of samples in which a connection of the study’s database held a write transaction open (every change takes the project’s row lock first, so this is how busy that lock was: 100 % is the most one project’s writers can get from it); « lock waits % », the share in which one was waiting for a lock. « codings per write transaction »: codings created over the transactions that wrote the study’s events (the distinct `xmin` of the rows inserted), each the batch one instance had gathered while its previous one was committed; « ms per write transaction »: the time a write transaction was open over the run, divided by their number — how long each held the project’s row lock.',
  );
  return t;
}

export function pgStartTable(): Table {
  const t = table('pgstart', 'A new instance opening the study: lowdb and PostgreSQL', [
    'Size',
    'Store',
    'Events',
    'n',
    'median',
    'p95',
    'p99',
    'unit',
  ]);
  t.notes.push(
    'From spawning `node main.mjs` to its « listening » line, after the write benchmarks above: lowdb reads each project’s snapshot and replays its journal past it; a PostgreSQL instance reads every project before listening, from its snapshot (`project_snapshots`) and the events after it, or, without one, from its whole log. Runs alternate between the three.',
    'Events: the study project’s events (its seq) when the runs started; the lowdb and PostgreSQL write rows created different numbers of codings.',
    'Without a snapshot: the table is emptied before each such start. With one: the snapshot an instance wrote after opening the project (it then holds every event).',
  );
  return t;
}

/** Batches of codings appended alone (`lockTable`): up to one instance's share of the coders. */
const LOCK_BATCHES = [1, 5, 10, 20];
/** Batches of each size appended alone. */
const LOCK_RUNS = 200;

export function pgLockTable(): Table {
  const t = table('pglock', 'The project’s row lock alone: one batch of codings appended at a time', [
    'Size',
    'Codings per batch',
    'n',
    'median ms',
    'p95 ms',
    'Codings/s at the median',
  ]);
  t.notes.push(
    'After the two-instance run, with no server left and nothing else running: batches of the study’s own coding events (its last ones, given new ids), appended one after the other to a scratch project of the same database by the statement the instances use (`append_project_events`), from the benchmark’s process. A statement’s round trip (sent, locked, inserted, committed with the WAL flushed, answered) is longer than the time it holds the project’s row lock: « Codings/s at the median » is a floor of what that lock lets one project take in with batches that size.',
    'An instance’s batch holds the changes that arrived while its previous one was committed: with 40 coders on two instances, each waiting for its answer before sending the next coding, a batch holds at most 20.',
    'The scratch project’s rows are deleted afterwards.',
  );
  return t;
}

/**
 * Append batches of the study's coding events to a scratch project of the database at `url`, one
 * at a time, and time each statement (`pgLockTable`).
 */
async function measureLock(t: Table, size: string, url: string, projectId: string): Promise<void> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const scratch = `bench-lock-${process.pid}`;
  try {
    const largest = Math.max(...LOCK_BATCHES);
    const { rows: sample } = await db.query<{ body: { userId: string; coding: object } }>(
      `SELECT body FROM project_events WHERE project_id = $1 AND body->>'type' = 'coding_created'
       ORDER BY seq DESC LIMIT $2`,
      [projectId, largest],
    );
    if (sample.length < largest) throw new Error('postgres benchmark: too few codings to append');
    await db.query('INSERT INTO projects (id, seq) VALUES ($1, 0)', [scratch]);
    let head = 0;
    for (const k of LOCK_BATCHES) {
      const times: number[] = [];
      for (let run = 0; run < LOCK_RUNS; run++) {
        const events = sample.slice(0, k).map(({ body }, i) => ({
          ...body,
          seq: head + 1 + i,
          txn: head + 1 + i,
          coding: { ...body.coding, id: `${scratch}-${head + 1 + i}` },
        }));
        const users = [...new Set(events.map((e) => e.userId))];
        const started = performance.now();
        const { rows } = await db.query<{ appended: boolean }>(
          'SELECT appended FROM append_project_events($1, $2, $3, true, $4, $5)',
          [scratch, head, JSON.stringify(events), users, 'verbatim_bench_lock'],
        );
        times.push(performance.now() - started);
        if (!rows[0]?.appended) throw new Error('postgres benchmark: a batch was not appended');
        head += k;
      }
      const s = summarise(times);
      t.rows.push([size, k, s.n, round(s.median), round(s.p95), Math.round((k * 1000) / s.median)]);
    }
  } finally {
    await db.query('DELETE FROM project_events WHERE project_id = $1', [scratch]);
    await db.query('DELETE FROM projects WHERE id = $1', [scratch]);
    await db.end();
  }
}

/**
 * Every 20 ms while `work` runs, whether a connection of the database at `url` holds a write
 * transaction open (one with a transaction id: every change takes its project's row lock first,
 * reads take none), and whether one waits for a lock; and how many transactions wrote the
 * project's events meanwhile (the distinct `xmin` of the rows they inserted).
 */
async function writesDuring<T>(
  url: string,
  projectId: string,
  work: () => Promise<T>,
): Promise<{ result: T; held: number; waited: number; transactions: number }> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  let running = true;
  let samples = 0;
  let held = 0;
  let waited = 0;
  const sampling = (async () => {
    while (running) {
      const { rows } = await db.query<{ holding: number; waiting: number }>(
        `SELECT count(*) FILTER (WHERE backend_xid IS NOT NULL)::int AS holding,
                count(*) FILTER (WHERE wait_event_type = 'Lock')::int AS waiting
         FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
      );
      samples++;
      if ((rows[0]?.holding ?? 0) > 0) held++;
      if ((rows[0]?.waiting ?? 0) > 0) waited++;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  try {
    const before = (await heads(db, projectId)).seq;
    const result = await work();
    running = false;
    await sampling;
    const { rows } = await db.query<{ transactions: number }>(
      `SELECT count(DISTINCT xmin::text)::int AS transactions
       FROM project_events WHERE project_id = $1 AND seq > $2`,
      [projectId, before],
    );
    return {
      result,
      held: held / samples,
      waited: waited / samples,
      transactions: rows[0]?.transactions ?? 0,
    };
  } finally {
    running = false;
    await sampling.catch(() => undefined);
    await db.end();
  }
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
  database?: { cluster: PgCluster; url: string },
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
  const code = () => runClosedLoop(coders, study, profile.concurrentSeconds, SEED);
  const { result, serverMs, databaseMs } = await cpuDuring(servers, database?.cluster, () =>
    database
      ? writesDuring(database.url, study.projectId, code)
      : code().then((run) => ({ result: run, held: NaN, waited: NaN, transactions: NaN })),
  );
  const { result: run, held, waited, transactions } = result;
  const n = run.latencies.length;
  const measured = (value: number) => (Number.isFinite(value) ? round(value) : '');
  t.rows.push([
    size,
    store,
    servers.length,
    coders.length,
    counts.codings,
    ...closedLoopCells(`${store} writes (${size})`, run),
    round(serverMs / n),
    databaseMs === undefined ? '' : round(databaseMs / n),
    measured(held * 100),
    measured(waited * 100),
    measured(n / transactions),
    // The lock's busy time over the run, shared among the transactions that wrote.
    measured((held * run.seconds * 1000) / transactions),
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

/** The study's seq, and that of its snapshot (0: none), in the database at `url`. */
async function heads(db: pg.Client, projectId: string): Promise<{ seq: number; snapshot: number }> {
  const { rows } = await db.query<{ seq: number; snapshot: number }>(
    `SELECT p.seq, coalesce(s.seq, 0) AS snapshot
     FROM projects p LEFT JOIN project_snapshots s ON s.project_id = p.id WHERE p.id = $1`,
    [projectId],
  );
  const row = rows[0];
  if (!row) throw new Error('postgres benchmark: the study is not in the database');
  return row;
}

/** Start an instance and let it write the study's snapshot at its head, unless it is there. */
async function ensureSnapshot(db: pg.Client, dataDir: string, url: string, projectId: string): Promise<void> {
  if ((await heads(db, projectId)).snapshot > 0) return;
  await withServers(1, dataDir, { VERBATIM_STORE: url }, async () => {
    const deadline = performance.now() + 120_000;
    for (;;) {
      const { seq, snapshot } = await heads(db, projectId);
      if (snapshot === seq) return;
      if (performance.now() > deadline) throw new Error('postgres benchmark: no snapshot written in 2 min');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });
}

/**
 * Time `runs` starts of a new server over the data folder, over PostgreSQL without the study's
 * snapshot and with it, alternating.
 */
async function measureStarts(
  t: Table,
  size: string,
  dataDir: string,
  url: string,
  study: GeneratedStudy,
  runs: number,
): Promise<void> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const lowdbEvents = await withStarted(dataDir, { VERBATIM_STORE: '', DATABASE_URL: '' }, study);
    const pgEvents = (await heads(db, study.projectId)).seq;
    const times = { lowdb: [] as number[], without: [] as number[], with: [] as number[] };
    // A project with fewer events is not given a snapshot.
    const snapshots = pgEvents >= SNAPSHOT_EVERY;
    for (let i = 0; i < runs; i++) {
      times.lowdb.push(await startTime(dataDir, { VERBATIM_STORE: '', DATABASE_URL: '' }));
      await db.query('DELETE FROM project_snapshots');
      times.without.push(await startTime(dataDir, { VERBATIM_STORE: url }));
      if (!snapshots) continue;
      await ensureSnapshot(db, dataDir, url, study.projectId);
      times.with.push(await startTime(dataDir, { VERBATIM_STORE: url }));
    }
    const { rows } = await db.query<{ bytes: number }>(
      'SELECT octet_length(state) AS bytes FROM project_snapshots WHERE project_id = $1',
      [study.projectId],
    );
    if (rows[0])
      t.notes.push(`${size}: the study’s snapshot is ${round(rows[0].bytes / 2 ** 20)} MiB (gzip).`);
    t.rows.push([size, 'lowdb', lowdbEvents, ...summaryCells(times.lowdb), 'ms']);
    t.rows.push([size, 'PostgreSQL, no snapshot', pgEvents, ...summaryCells(times.without), 'ms']);
    if (snapshots) t.rows.push([size, 'PostgreSQL, snapshot', pgEvents, ...summaryCells(times.with), 'ms']);
    else t.notes.push(`${size}: fewer than ${SNAPSHOT_EVERY} events, so no snapshot is written.`);
  } finally {
    await db.end();
  }
}

/** One server's start time. */
async function startTime(dataDir: string, env: Record<string, string>): Promise<number> {
  let ms = NaN;
  await withServers(1, dataDir, env, async ([server]) => {
    ms = (server as RunningServer).startMs;
  });
  return ms;
}

/** The study's seq as a server over `dataDir` with `env` reads it. */
async function withStarted(
  dataDir: string,
  env: Record<string, string>,
  study: GeneratedStudy,
): Promise<number> {
  let seq = NaN;
  await withServers(1, dataDir, env, async ([server]) => {
    const admin = await new Client((server as RunningServer).url).login();
    seq = (await admin.json<{ seq: number }>('GET', `/api/projects/${study.projectId}`)).seq;
  });
  return seq;
}

/**
 * Measure `study`, generated in `dataDir`, on lowdb (one instance) and on PostgreSQL (two
 * instances), with `profile.pgCoders` coders each. No server may be running over `dataDir`.
 */
export async function postgresBenchmark(
  t: Table,
  starts: Table,
  lock: Table,
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
      const database = { cluster: cluster as PgCluster, url };
      await withServers(PG_INSTANCES, dataDir, { VERBATIM_STORE: url }, (servers) =>
        measure(t, size, 'PostgreSQL', servers, names, study, profile, database),
      );
      await measureLock(lock, size, url, study.projectId);
      await measureStarts(starts, size, dataDir, url, study, profile.startRuns);
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
