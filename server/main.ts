import { serve } from '@hono/node-server';
import { existsSync } from 'node:fs';
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
import type { Store } from './storage/store.ts';
import { SearchService } from './search/service.ts';
import { backupName, createBackup, rotateBackups } from './backup.ts';

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

async function main(): Promise<void> {
  // Transcripts are personal data: files 0600, folders 0700, whatever creates them.
  process.umask(0o077);
  const config = readConfig();
  let store: Store;
  try {
    store =
      config.store.kind === 'postgres'
        ? await openPgStore(config.store.url)
        : await openFileStore(config.dataDir);
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
  await ensureAdmin(store, config);
  const clientDir = existsSync(join(config.clientDir, 'index.html')) ? config.clientDir : undefined;
  if (!clientDir) console.warn(`Interface non construite (${config.clientDir}) : seule l'API est servie.`);
  const search = new SearchService(store);
  const app = createApp(store, { maxUploadBytes: config.maxUploadBytes, clientDir, search });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    console.info(`Verbatim écoute sur http://${config.host}:${info.port} (${describeStore(config)})`);
  });

  // Rotating backups, taken by the server itself (it holds the folder's lock). A PostgreSQL
  // database is backed up with PostgreSQL's tools (pg_dump, base backups): see docs/postgres.md.
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

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.info(`${signal} reçu : arrêt après les écritures en cours.`);
    server.close();
    // Open live feeds never end by themselves; stop accepting, finish pending writes, release the lock.
    if ('closeAllConnections' in server) (server as { closeAllConnections(): void }).closeAllConnections();
    search
      .flush()
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
