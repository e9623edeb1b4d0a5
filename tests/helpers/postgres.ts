/**
 * A throwaway PostgreSQL cluster for tests: `initdb` into a temporary folder, `pg_ctl start` on
 * 127.0.0.1 at a free port (and a socket in the same folder), one fresh database per test, and
 * everything removed by `stop()`.
 *
 * The binaries are looked for in PG_BIN, then /usr/lib/postgresql/<highest version>/bin (Debian's
 * `postgresql` package). Without them the PostgreSQL tests are skipped with a notice, except in CI
 * (`process.env.CI`), where their absence is a failure. initdb refuses to run as root: as root the
 * cluster is run as the `postgres` user through `runuser`.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { createApp } from '../../server/app.ts';
import { openPgStore, type PgStore } from '../../server/storage/pg-store.ts';

const run = promisify(execFile);

export interface PgCluster {
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

/**
 * Whether the PostgreSQL tests can run here. Logs why they are skipped; throws in CI, where a
 * missing PostgreSQL must fail the run rather than pass it silently.
 */
export function postgresAvailable(): boolean {
  if (findPostgresBin()) return true;
  const message =
    'PostgreSQL introuvable (ni PG_BIN ni /usr/lib/postgresql/*/bin) : tests PostgreSQL ignorés. ' +
    'Installez le paquet Debian « postgresql » pour les lancer.';
  if (process.env.CI) throw new Error(`${message} (en CI, c'est une erreur)`);
  console.warn(message);
  return false;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

/** Start a throwaway cluster. */
export async function startPgCluster(): Promise<PgCluster> {
  const bin = findPostgresBin();
  if (!bin) throw new Error('PostgreSQL introuvable : installez le paquet Debian « postgresql ».');
  const asRoot = userInfo().uid === 0;
  const dir = await mkdtemp(join(tmpdir(), 'verbatim-pg-'));
  const data = join(dir, 'data');
  const user = asRoot ? 'postgres' : userInfo().username;
  if (asRoot) await chown(dir, ...(await ids('postgres')));
  const exec = (command: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(bin, command), ...args])
      : run(join(bin, command), args);
  await exec('initdb', ['-D', data, '-U', user, '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
  const port = await freePort();
  // A test cluster: nothing here must survive a machine crash, so durability is traded for speed.
  const settings = [
    `port = ${port}`,
    `listen_addresses = '127.0.0.1'`,
    `unix_socket_directories = '${dir}'`,
    'fsync = off',
    'synchronous_commit = off',
    'full_page_writes = off',
    'max_connections = 200',
    'shared_buffers = 32MB',
  ];
  const conf = join(data, 'postgresql.auto.conf');
  await writeFile(conf, settings.join('\n') + '\n');
  if (asRoot) await chown(conf, ...(await ids('postgres')));
  const logFile = join(dir, 'server.log');
  const up = async () => {
    await exec('pg_ctl', ['start', '-D', data, '-l', logFile, '-w', '-t', '30']);
  };
  const down = async () => {
    await exec('pg_ctl', ['stop', '-D', data, '-m', 'fast', '-w', '-t', '30']);
  };
  await up();
  const url = (database: string) => `postgres://${user}@127.0.0.1:${port}/${database}`;
  let count = 0;
  const admin = new pg.Pool({ connectionString: url('postgres'), max: 1 });
  admin.on('error', () => undefined); // Its idle connection dies with each down().
  return {
    url,
    async createDatabase() {
      const name = `verbatim_test_${process.pid}_${++count}`;
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

async function ids(name: string): Promise<[number, number]> {
  const { stdout: uid } = await run('id', ['-u', name]);
  const { stdout: gid } = await run('id', ['-g', name]);
  return [Number(uid.trim()), Number(gid.trim())];
}

/** One Verbatim instance served in this process over a PostgreSQL store. */
export interface PgTestServer {
  url: string;
  store: PgStore;
  stop(): Promise<void>;
}

/** Start an instance of the app on 127.0.0.1 at a free port, its store on `databaseUrl`. */
export async function startPgServer(databaseUrl: string): Promise<PgTestServer> {
  process.umask(0o077);
  const store = await openPgStore(databaseUrl);
  const app = createApp(store, { maxUploadBytes: 20 * 1024 * 1024 });
  let server: ServerType | undefined;
  await new Promise<void>((ready) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => ready());
  });
  const http = server as ServerType;
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    store,
    async stop() {
      await new Promise<void>((done) => {
        http.close(() => done());
        if ('closeAllConnections' in http) (http as { closeAllConnections(): void }).closeAllConnections();
      });
      await store.close();
    },
  };
}
