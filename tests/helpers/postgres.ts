/**
 * PostgreSQL for tests: a throwaway cluster (`scripts/lib/pg-cluster.ts`, shared with the
 * benchmark; tests use its fast, non-durable settings), one fresh database per test, and
 * instances of the app served in this process over it.
 *
 * Without PostgreSQL's binaries (PG_BIN, /usr/lib/postgresql/<version>/bin) the PostgreSQL tests
 * are skipped with a notice, except in CI (`process.env.CI`), where their absence is a failure.
 */
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { findPostgresBin } from '../../scripts/lib/pg-cluster.ts';
import { createApp } from '../../server/app.ts';
import { sweepRecordingsFolder, withRecordingsFolder } from '../../server/media/recordings-folder.ts';
import { openPgStore, type PgStore, type PgStoreOptions } from '../../server/storage/pg-store.ts';

export { findPostgresBin, startPgCluster, type PgCluster } from '../../scripts/lib/pg-cluster.ts';

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

/** One Verbatim instance served in this process over a PostgreSQL store. */
export interface PgTestServer {
  url: string;
  store: PgStore;
  stop(): Promise<void>;
}

/**
 * Start an instance of the app on 127.0.0.1 at a free port, its store on `databaseUrl` (with
 * `storeOptions`), its recordings in `mediaDir` when given (VERBATIM_MEDIA_DIR, wired as
 * server/main.ts does).
 */
export async function startPgServer(
  databaseUrl: string,
  options: { mediaDir?: string; storeOptions?: PgStoreOptions } = {},
): Promise<PgTestServer> {
  process.umask(0o077);
  const opened = await openPgStore(databaseUrl, options.storeOptions);
  const store = options.mediaDir ? withRecordingsFolder(opened, options.mediaDir) : opened;
  if (options.mediaDir) await sweepRecordingsFolder(store, options.mediaDir);
  const app = createApp(store, { maxUploadBytes: 20 * 1024 * 1024, mediaRoot: options.mediaDir });
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
