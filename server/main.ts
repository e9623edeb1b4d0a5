import { serve } from '@hono/node-server';
import { existsSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { isDomainError } from '../shared/errors.ts';
import { createApp } from './app.ts';
import { createUser, findUserByName } from './auth/users.ts';
import { describeStore, readConfig, type Config } from './config.ts';
import { StorageCorruptError } from './storage/durable-file.ts';
import { openFileStore } from './storage/file-store.ts';
import { DataFolderLockedError } from './storage/lock.ts';
import { NewerSchemaError } from './storage/pg-schema.ts';
import { isConnectionError, openPgStore } from './storage/pg-store.ts';
import { sweepRecordingsFolder, withRecordingsFolder } from './media/recordings-folder.ts';
import type { Store } from './storage/store.ts';
import { warmBuildThread } from './search/off-thread.ts';
import { SearchService } from './search/service.ts';
import { importThread } from './import/off-thread.ts';
import { Presence } from './live/presence.ts';
import { Activity } from './quiet.ts';
import { collectGarbage } from './collect-garbage.ts';
import { backupName, createBackup, rotateBackups } from './backup.ts';

/** Whether a request asks for a live feed (`…/events/live`), which never ends by itself. */
function isLiveFeed(url: string | undefined): boolean {
  return /^\/api\/projects\/[^/]+\/events\/live(?:\?|$)/.test(url ?? '');
}

/** How long a shutdown waits for the requests under way (a slow upload) before cutting them off. */
const SHUTDOWN_GRACE_MS = 10_000;

/** Create the administrator named by VERBATIM_ADMIN_USER / _PASSWORD when no account exists yet. */
async function ensureAdmin(store: Store, config: Config): Promise<void> {
  if (!config.admin) return;
  const { users } = await store.readInstance();
  if (Object.keys(users).length > 0) {
    if (!findUserByName(users, config.admin.username)) {
      console.warn(`VERBATIM_ADMIN_USER ignoré : des comptes existent déjà.`);
    }
    return;
  }
  try {
    await createUser(store, null, { ...config.admin, isAdmin: true }, { onlyIfNoUser: true });
  } catch (error) {
    // Several instances on one database start together: another one created the first account.
    if (isDomainError(error) && error.code === 'already_set_up') return;
    throw error;
  }
  console.info(`Compte administrateur « ${config.admin.username} » créé.`);
}

/** The store the configuration names; a locked, damaged or newer one, or an unreachable database, ends the process. */
async function openStore(config: Config): Promise<Store> {
  try {
    const store =
      config.store.kind === 'postgres'
        ? await openPgStore(config.store.url)
        : await openFileStore(config.dataDir, { backupDir: config.backups.dir });
    if (config.store.kind !== 'postgres' || config.mediaRoot === undefined) return store;
    const shared = withRecordingsFolder(store, config.mediaRoot);
    const swept = await sweepRecordingsFolder(shared, config.mediaRoot);
    if (swept > 0)
      console.info(`Enregistrements effacés ou supprimés retirés de VERBATIM_MEDIA_DIR : ${swept}.`);
    return shared;
  } catch (error) {
    if (
      error instanceof DataFolderLockedError ||
      error instanceof StorageCorruptError ||
      error instanceof NewerSchemaError
    ) {
      console.error(error.message);
      process.exit(1);
    }
    if (config.store.kind === 'postgres' && isConnectionError(error)) {
      console.error(`PostgreSQL injoignable (${describeStore(config)}) :`, (error as Error).message);
      process.exit(1);
    }
    throw error;
  }
}

/**
 * Rotating backups, taken by the server itself (it holds the folder's lock). A PostgreSQL
 * database is backed up with PostgreSQL's tools (pg_dump, base backups): see docs/postgres.md.
 */
function startBackups(config: Config): void {
  const backupTimer =
    config.backups.hours > 0 && config.store.kind === 'file'
      ? setInterval(() => {
          const out = join(config.backups.dir, backupName());
          createBackup(config.dataDir, out)
            .then(() => rotateBackups(config.backups.dir, config.backups.keep))
            .then(
              () => console.info(`Sauvegarde automatique : ${out}`),
              (error: unknown) => console.error('Sauvegarde automatique échouée :', error),
            );
        }, config.backups.hours * 3_600_000)
      : undefined;
  backupTimer?.unref();
}

async function main(): Promise<void> {
  // Transcripts are personal data: files 0600, folders 0700, whatever creates them.
  process.umask(0o077);
  // The index builder's code is compiled while the data folder is opened, so that a first build
  // does not wait for it.
  warmBuildThread();
  const config = readConfig();
  const store = await openStore(config);
  await ensureAdmin(store, config);
  // Opening a large study leaves hundreds of megabytes of garbage (its snapshot's JSON, the
  // journal's lines): collected now, while nobody waits for an answer, rather than by the first
  // requests (a first search, whose index build it would slow by a tenth).
  collectGarbage();
  const clientDir = existsSync(join(config.clientDir, 'index.html')) ? config.clientDir : undefined;
  if (!clientDir) console.warn(`Interface non construite (${config.clientDir}) : seule l'API est servie.`);
  // Requests being answered. At shutdown they are waited for: a change the server has received
  // is decided, made durable and answered. A live feed never ends by itself and is not waited for.
  const answering = new Set<ServerResponse>();
  const activity = new Activity(() => answering.size);
  // A missing index is built on a thread of its own (search/off-thread.ts); a changed one is
  // written back at a quiet moment, not beside the requests that follow it.
  const search = new SearchService(store, {
    offThread: true,
    whenQuiet: (work) => activity.whenQuiet(work),
  });
  const presence = new Presence({ bus: store.presenceBus });
  let stopping = false;
  const app = createApp(store, {
    maxUploadBytes: config.maxUploadBytes,
    clientDir,
    search,
    presence,
    trustProxy: config.trustProxy,
    mediaRoot: config.mediaRoot,
    maxMediaBytes: config.maxMediaBytes,
    serverTiming: config.serverTiming,
  });
  // Without `createServer` in its options, serve() makes a node:http server.
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    console.info(`Verbatim écoute sur http://${config.host}:${info.port} (${describeStore(config)})`);
  }) as Server;

  let drained: (() => void) | undefined;
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    activity.arrived();
    if ((request.headers.accept ?? '').includes('text/event-stream') || isLiveFeed(request.url)) return;
    answering.add(response);
    // Arrived on a kept-alive connection during shutdown: answered, then the connection closes.
    if (stopping) response.setHeader('Connection', 'close');
    response.on('close', () => {
      answering.delete(response);
      if (stopping && answering.size === 0) drained?.();
    });
  });

  startBackups(config);
  // Uploaded files are read on their own thread (import/off-thread.ts), loaded at the first quiet
  // moment rather than at the first upload, and not while the first requests are answered.
  const stopWaiting = activity.whenQuiet(() => importThread.warm());

  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    stopWaiting();
    console.info(`${signal} reçu : arrêt après les écritures en cours.`);
    // Stop accepting and close idle kept-alive connections; let the requests under way finish
    // (within a bound), then close the rest (live feeds), write the search indexes, tell the other
    // instances that nobody is here any more (presence), release the lock.
    server.close();
    server.closeIdleConnections();
    const finished = new Promise<void>((resolve) => {
      drained = resolve;
      if (answering.size === 0) resolve();
    });
    const bound = new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS));
    Promise.race([finished, bound])
      .then(() => {
        server.closeAllConnections();
        return Promise.all([search.flush(), presence.close()]);
      })
      .then(() => store.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

await main();
