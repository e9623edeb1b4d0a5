import { resolve } from 'node:path';

/** Settings, from the environment. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /**
   * Where the data lives: the embedded store in `dataDir` (default), or PostgreSQL when
   * VERBATIM_STORE (or else DATABASE_URL) holds a postgres:// URL.
   */
  store: { kind: 'file' } | { kind: 'postgres'; url: string };
  /** Largest accepted upload per file, in bytes. */
  maxUploadBytes: number;
  admin: { username: string; password: string } | undefined;
  /** Where the built client is, when the server serves it. */
  clientDir: string;
  /** Automatic backups: every `hours` (0: none), keeping the `keep` latest, in `dir`. */
  backups: { hours: number; keep: number; dir: string };
  /** VERBATIM_TRUST_PROXY: believe the reverse proxy's X-Forwarded-For and X-Forwarded-Proto. */
  trustProxy: boolean;
  /**
   * Where recordings live: the data folder's `projects`, so that each sits in its project's folder
   * and erasure reaches it there; on PostgreSQL, VERBATIM_MEDIA_DIR, a folder every instance shares
   * (undefined when it is not set: attaching a recording answers 503, saying so).
   */
  mediaRoot: string | undefined;
  /** VERBATIM_MAX_MEDIA_MB (2048 by default): the largest recording, in bytes. */
  maxMediaBytes: number;
  /** VERBATIM_SERVER_TIMING: answer with a `Server-Timing` header saying where each request's time went. */
  serverTiming: boolean;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = env.PORT === undefined ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT invalide : ${env.PORT}`);
  const maxMb = env.VERBATIM_MAX_UPLOAD_MB === undefined ? 20 : Number(env.VERBATIM_MAX_UPLOAD_MB);
  if (!(maxMb > 0)) throw new Error(`VERBATIM_MAX_UPLOAD_MB invalide : ${env.VERBATIM_MAX_UPLOAD_MB}`);
  const username = env.VERBATIM_ADMIN_USER;
  const password = env.VERBATIM_ADMIN_PASSWORD;
  if ((username === undefined) !== (password === undefined)) {
    throw new Error('VERBATIM_ADMIN_USER et VERBATIM_ADMIN_PASSWORD vont ensemble.');
  }
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    dataDir: resolve(env.VERBATIM_DATA ?? 'data'),
    store: storeSetting(env),
    maxUploadBytes: Math.round(maxMb * 1024 * 1024),
    admin: username !== undefined && password !== undefined ? { username, password } : undefined,
    clientDir: resolve(env.VERBATIM_CLIENT_DIR ?? 'dist/client'),
    backups: {
      hours: numberSetting(env, 'VERBATIM_BACKUP_HOURS', 24),
      keep: numberSetting(env, 'VERBATIM_BACKUP_KEEP', 7),
      dir: resolve(env.VERBATIM_BACKUP_DIR ?? `${resolve(env.VERBATIM_DATA ?? 'data')}/backups`),
    },
    trustProxy: booleanSetting(env, 'VERBATIM_TRUST_PROXY'),
    mediaRoot:
      storeSetting(env).kind === 'file'
        ? resolve(env.VERBATIM_DATA ?? 'data', 'projects')
        : env.VERBATIM_MEDIA_DIR
          ? resolve(env.VERBATIM_MEDIA_DIR)
          : undefined,
    maxMediaBytes: Math.round(numberSetting(env, 'VERBATIM_MAX_MEDIA_MB', 2048) * 1024 * 1024),
    serverTiming: booleanSetting(env, 'VERBATIM_SERVER_TIMING'),
  };
}

function storeSetting(env: NodeJS.ProcessEnv): Config['store'] {
  const name = env.VERBATIM_STORE ? 'VERBATIM_STORE' : env.DATABASE_URL ? 'DATABASE_URL' : undefined;
  if (!name) return { kind: 'file' };
  const url = env[name] ?? '';
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new Error(`${name} invalide : une URL postgres://… est attendue (sans elle, VERBATIM_DATA).`);
  }
  return { kind: 'postgres', url };
}

/** The URL without its password, for messages. */
export function describeStore(config: Config): string {
  if (config.store.kind === 'file') return `données : ${config.dataDir}`;
  const url = new URL(config.store.url);
  url.password = '';
  return `PostgreSQL : ${url.host}${url.pathname}`;
}

function numberSetting(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!(value >= 0)) throw new Error(`${name} invalide : ${raw}`);
  return value;
}

function booleanSetting(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (['', '0', 'false', 'no', 'non'].includes(raw)) return false;
  if (['1', 'true', 'yes', 'oui'].includes(raw)) return true;
  throw new Error(`${name} invalide : ${env[name]} (1 ou 0 attendu)`);
}
