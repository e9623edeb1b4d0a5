/**
 * Several projects coded at once, on one lowdb instance, one PostgreSQL instance and two
 * PostgreSQL instances: whether instances add capacity, and what each coding costs in CPU, in the
 * server and in PostgreSQL. From those costs, a model of where capacity goes on machines with more
 * cores than this one (see `scalingModel`).
 */
import { rm, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { transfer } from '../../../server/storage/pg-transfer.ts';
import { findPostgresBin, startPgCluster, type PgCluster } from '../../lib/pg-cluster.ts';
import { cpuDuring } from '../cpu.ts';
import { createBenchUsers, generateStudy, writeDataFolder, type GeneratedStudy } from '../generate.ts';
import type { Profile } from '../profile.ts';
import { BENCH_DIR, Client, startServer, type RunningServer } from '../server.ts';
import { round, table, type Cell, type Table } from '../table.ts';
import { CLOSED_LOOP_COLUMNS, closedLoopCells, runClosedLoop, type ClosedLoopResult } from './writes.ts';

const PROJECTS = 4;
const CODERS_PER_PROJECT = 10;

export function scalingTable(): Table {
  const t = table('scaling', 'Several projects coded at once: one instance or two', [
    'Store',
    'Instances',
    'Projects',
    'Coders',
    ...CLOSED_LOOP_COLUMNS,
    'server CPU ms/coding',
    'PostgreSQL CPU ms/coding',
  ]);
  t.notes.push(
    `${PROJECTS} projects coded at once, ${CODERS_PER_PROJECT} coders per project, each sending its next coding as soon as the previous one is answered; with two instances, each project’s coders are split between them.`,
    'CPU per coding: user + system time of the server processes (and of every PostgreSQL process of the cluster, those that ended included) over the run, divided by the codings created. Everything runs on this machine’s 2 cores: load generator, instances and PostgreSQL compete for them, so the throughput of two instances here says little about two machines; the CPU costs do, and the model below is built from them.',
  );
  return t;
}

interface Setup {
  dataDir: string;
  names: string[];
  studies: GeneratedStudy[];
}

/** The coders of every project at once, on `servers`; one result over all projects. */
async function codeAtOnce(
  servers: readonly RunningServer[],
  setup: Setup,
  seconds: number,
  seed: number,
): Promise<ClosedLoopResult> {
  const runs = await Promise.all(
    setup.studies.map(async (study, p) => {
      const coders: Client[] = [];
      for (let i = 0; i < CODERS_PER_PROJECT; i++) {
        const name = setup.names[p * CODERS_PER_PROJECT + i] as string;
        coders.push(await new Client((servers[i % servers.length] as RunningServer).url).login(name));
      }
      return runClosedLoop(coders, study, seconds, seed + p * 100);
    }),
  );
  return {
    seconds: Math.max(...runs.map((r) => r.seconds)),
    latencies: runs.flatMap((r) => r.latencies),
    errors: runs.reduce((n, r) => n + r.errors, 0),
  };
}

async function measure(
  t: Table,
  setup: Setup,
  store: { name: string; instances: number; env: Record<string, string>; cluster?: PgCluster },
  profile: Profile,
  seed: number,
): Promise<void> {
  const servers: RunningServer[] = [];
  try {
    for (let i = 0; i < store.instances; i++) servers.push(await startServer(setup.dataDir, store.env));
    const {
      result: run,
      serverMs,
      databaseMs,
    } = await cpuDuring(servers, store.cluster, () =>
      codeAtOnce(servers, setup, profile.concurrentSeconds, seed),
    );
    const n = run.latencies.length;
    const cells: Cell[] = closedLoopCells(`${store.name} ×${store.instances}`, run);
    t.rows.push([
      store.name,
      store.instances,
      PROJECTS,
      PROJECTS * CODERS_PER_PROJECT,
      ...cells,
      round(serverMs / n),
      databaseMs === undefined ? '' : round(databaseMs / n),
    ]);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

export async function scalingBenchmark(t: Table, profile: Profile): Promise<void> {
  const dataDir = await mkdtemp(join(BENCH_DIR, 'scaling-'));
  let cluster: PgCluster | undefined;
  try {
    const setup = await writeDataFolder(dataDir, async (store) => {
      const users = await createBenchUsers(store, PROJECTS * CODERS_PER_PROJECT);
      const studies: GeneratedStudy[] = [];
      for (let p = 0; p < PROJECTS; p++) {
        const size = profile.smoke
          ? { name: `scaling-${p}`, interviews: 2, wordsPerInterview: 1200, codings: 100 }
          : { name: `scaling-${p}`, interviews: 10, wordsPerInterview: 4000, codings: 2000 };
        studies.push(await generateStudy(store, users, size, { seed: 40 + p, name: `Projet ${p + 1}` }));
      }
      return { dataDir, names: users.coderNames, studies };
    });
    const first = setup.studies[0] as GeneratedStudy;
    t.notes.push(
      `Each project: ${first.documents.length} interviews, ${first.codings.toLocaleString('en-US')} codings at the start.`,
    );
    await measure(
      t,
      setup,
      { name: 'lowdb', instances: 1, env: { VERBATIM_STORE: '', DATABASE_URL: '' } },
      profile,
      5000,
    );
    if (findPostgresBin() === undefined) {
      t.notes.push('PostgreSQL is not installed on this machine: the PostgreSQL rows were not measured.');
      return;
    }
    cluster = await startPgCluster({
      durable: true,
      parentDir: BENCH_DIR,
      databasePrefix: 'verbatim_scaling',
    });
    const url = await cluster.createDatabase();
    const copy = await transfer(dataDir, url);
    if (copy.differences.length > 0) throw new Error(`scaling: copy differs: ${copy.differences.join('; ')}`);
    const pg = { VERBATIM_STORE: url };
    await measure(t, setup, { name: 'PostgreSQL', instances: 1, env: pg, cluster }, profile, 6000);
    await measure(t, setup, { name: 'PostgreSQL', instances: 2, env: pg, cluster }, profile, 7000);
  } finally {
    await cluster?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
