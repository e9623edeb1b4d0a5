/**
 * A throwaway PostgreSQL cluster, for the tests and the benchmark: `initdb` into a temporary
 * folder, `pg_ctl start` on 127.0.0.1 at a free port (and a socket in the same folder), new
 * databases on demand, and everything removed by `stop()`.
 *
 * The binaries are looked for in PG_BIN, then /usr/lib/postgresql/<highest version>/bin (Debian's
 * `postgresql` package). initdb refuses to run as root: as root the cluster is run as the
 * `postgres` user through `runuser`.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface PgCluster {
  /** The cluster's data folder (its `postmaster.pid` names the server's process). */
  readonly dataDir: string;
  /** The URL of a database of this cluster. */
  url(database: string): string;
  /** Create a new empty database and return its URL. */
  createDatabase(): Promise<string>;
  /** Stop the server (fast shutdown: sessions are ended, committed data kept). */
  down(): Promise<void>;
  /** Start it again on the same port. */
  up(): Promise<void>;
  /** Stop the server and remove its folder. */
  stop(): Promise<void>;
}

export interface PgClusterOptions {
  /**
   * Keep PostgreSQL's durability (`fsync`, `synchronous_commit`, `full_page_writes` on, the
   * default shared buffers), as a production server would: for measurements of writes that must
   * survive a crash. Without it (tests), durability is traded for speed.
   */
  durable?: boolean;
  /** Where the cluster's folder is made (default: the system's temporary folder). */
  parentDir?: string;
  /** Prefix of the databases `createDatabase` makes (default `verbatim_test`). */
  databasePrefix?: string;
}

/** Folder of PostgreSQL's server binaries, or undefined when PostgreSQL is not installed. */
export function findPostgresBin(): string | undefined {
  const candidates: string[] = [];
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(root, v, 'bin')));
  }
  return candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
}

/** A TCP port free on 127.0.0.1 at the time of asking. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('freePort: no address')),
      );
    });
  });
}

/** The uid and gid of a system user. */
async function ids(name: string): Promise<[number, number]> {
  const { stdout: uid } = await run('id', ['-u', name]);
  const { stdout: gid } = await run('id', ['-g', name]);
  return [Number(uid.trim()), Number(gid.trim())];
}

/** Start a throwaway cluster; its folder is removed if it fails to start. */
export async function startPgCluster(options: PgClusterOptions = {}): Promise<PgCluster> {
  const bin = findPostgresBin();
  if (!bin) throw new Error('PostgreSQL introuvable : installez le paquet Debian « postgresql ».');
  const asRoot = userInfo().uid === 0;
  const dir = await mkdtemp(join(options.parentDir ?? tmpdir(), 'verbatim-pg-'));
  const data = join(dir, 'data');
  const user = asRoot ? 'postgres' : userInfo().username;
  const exec = (command: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(bin, command), ...args])
      : run(join(bin, command), args);
  const logFile = join(dir, 'server.log');
  const up = async () => {
    await exec('pg_ctl', ['start', '-D', data, '-l', logFile, '-w', '-t', '30']);
  };
  const down = async () => {
    await exec('pg_ctl', ['stop', '-D', data, '-m', 'fast', '-w', '-t', '30']);
  };
  let initialised = false;
  let port: number;
  try {
    if (asRoot) await chown(dir, ...(await ids('postgres')));
    // --no-sync concerns initdb's own files only: a throwaway cluster's catalog need not survive a crash.
    await exec('initdb', ['-D', data, '-U', user, '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
    initialised = true;
    port = await freePort();
    const settings = [
      `port = ${port}`,
      `listen_addresses = '127.0.0.1'`,
      `unix_socket_directories = '${dir}'`,
      'max_connections = 200',
      ...(options.durable
        ? ['fsync = on', 'synchronous_commit = on', 'full_page_writes = on']
        : // A test cluster: nothing here must survive a machine crash.
          ['fsync = off', 'synchronous_commit = off', 'full_page_writes = off', 'shared_buffers = 32MB']),
    ];
    const conf = join(data, 'postgresql.auto.conf');
    await writeFile(conf, settings.join('\n') + '\n');
    if (asRoot) await chown(conf, ...(await ids('postgres')));
    await up();
  } catch (error) {
    // pg_ctl may give up waiting on a server that did start: stop it before removing its folder.
    if (initialised) await down().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const url = (database: string) => `postgres://${user}@127.0.0.1:${port}/${database}`;
  const prefix = options.databasePrefix ?? 'verbatim_test';
  let count = 0;
  const admin = new pg.Pool({ connectionString: url('postgres'), max: 1 });
  admin.on('error', () => undefined); // Its idle connection dies with each down().
  return {
    dataDir: data,
    url,
    async createDatabase() {
      const name = `${prefix}_${process.pid}_${++count}`;
      await admin.query(`CREATE DATABASE ${name} TEMPLATE template0`);
      return url(name);
    },
    down,
    up,
    async stop() {
      await admin.end().catch(() => undefined);
      await down().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
