import { hostname } from 'node:os';
import { open, readFile, rm } from 'node:fs/promises';
import { FILE_MODE } from './durable-file.ts';

/** Another server already uses this data folder. */
export class DataFolderLockedError extends Error {
  constructor(
    readonly lockPath: string,
    readonly holder: { pid: number; hostname: string; startedAt: string },
  ) {
    super(
      `Le dossier de données est déjà utilisé par un autre serveur Verbatim (processus ${holder.pid} sur ${holder.hostname}, démarré le ${holder.startedAt}). ` +
        `Arrêtez-le, ou choisissez un autre dossier avec VERBATIM_DATA. (Verrou : ${lockPath})`,
    );
    this.name = 'DataFolderLockedError';
  }
}

/** Whether a process of this machine runs with that pid (EPERM: it runs, as another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Lock files this process holds: a second store on the same folder in one process is refused too. */
const held = new Set<string>();

/**
 * Take the data folder's lock file, created exclusively. A lock left by a process that no longer
 * runs on this machine (a crash) is taken over; a live holder is refused with a clear message.
 * Returns the function that releases the lock.
 */
export async function acquireLock(path: string): Promise<() => Promise<void>> {
  const me = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() };
  if (held.has(path)) throw new DataFolderLockedError(path, me);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx', FILE_MODE);
      await handle.writeFile(JSON.stringify(me));
      await handle.sync();
      await handle.close();
      held.add(path);
      return async () => {
        held.delete(path);
        await rm(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let holder: typeof me | undefined;
    try {
      holder = JSON.parse(await readFile(path, 'utf8')) as typeof me;
    } catch {
      holder = undefined; // Torn lock file from a crash during its creation: stale.
    }
    if (holder && holder.hostname !== me.hostname) throw new DataFolderLockedError(path, holder);
    if (holder && holder.pid !== me.pid && isAlive(holder.pid)) throw new DataFolderLockedError(path, holder);
    await rm(path, { force: true });
  }
  throw new Error(`Impossible de prendre le verrou ${path}`);
}
