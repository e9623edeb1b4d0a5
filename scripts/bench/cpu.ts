/**
 * CPU time of the processes a benchmark runs (user + system, from /proc): the servers it started,
 * and a PostgreSQL cluster with every process it has had. On this machine's 2 cores, shared by
 * the load generator, the servers and PostgreSQL, what a request costs in CPU says more about
 * larger machines than the throughput measured here.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PgCluster } from '../lib/pg-cluster.ts';
import type { RunningServer } from './server.ts';

/** Ticks of user + system time of a process, and of its children it has waited for. */
async function cpuTicks(pid: number, withChildren: boolean): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14–17 of proc(5) (utime, stime, cutime, cstime), counted from field 3 here.
    const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((i) => Number(fields[i]));
    return (utime ?? 0) + (stime ?? 0) + (withChildren ? (cutime ?? 0) + (cstime ?? 0) : 0);
  } catch {
    return 0; // Ended meanwhile: its time went to its parent's children.
  }
}

/** CPU seconds of the PostgreSQL cluster so far: the postmaster, its children alive and ended. */
async function clusterSeconds(cluster: PgCluster): Promise<number> {
  const postmaster = Number((await readFile(join(cluster.dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  let ticks = await cpuTicks(postmaster, true);
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === postmaster) ticks += await cpuTicks(Number(entry), false);
  }
  return ticks / 100;
}

/** CPU seconds of `servers` so far. */
async function serverSeconds(servers: readonly RunningServer[]): Promise<number> {
  let ticks = 0;
  for (const s of servers) ticks += await cpuTicks(s.child.pid as number, false);
  return ticks / 100;
}

/** CPU milliseconds per unit of work spent by `servers` and `cluster` (if any) while `work` runs. */
export async function cpuDuring<T>(
  servers: readonly RunningServer[],
  cluster: PgCluster | undefined,
  work: () => Promise<T>,
): Promise<{ result: T; serverMs: number; databaseMs: number | undefined }> {
  const [server0, database0] = [await serverSeconds(servers), cluster && (await clusterSeconds(cluster))];
  const result = await work();
  const [server1, database1] = [await serverSeconds(servers), cluster && (await clusterSeconds(cluster))];
  return {
    result,
    serverMs: (server1 - server0) * 1000,
    databaseMs:
      database1 === undefined || database0 === undefined ? undefined : (database1 - database0) * 1000,
  };
}
