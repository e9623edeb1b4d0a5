/**
 * Starting a worker thread on one of the server's TypeScript modules (the import thread, the
 * search index builder), through one entry point that registers the TypeScript loader first.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A file of `server/`, by its path there: beside this module when it runs from its sources; from
 * the repository's `server/` when this module was bundled into another file (the benchmark's
 * server, the process tests').
 */
function serverFile(path: string): string {
  const beside = fileURLToPath(new URL(path, import.meta.url));
  return existsSync(beside) ? beside : resolve('server', path);
}

/** A thread running `module` (a path within `server/`, such as `search/build-worker.ts`). */
export function startWorker(module: string, options: Omit<WorkerOptions, 'workerData'> = {}): Worker {
  return new Worker(serverFile('worker-entry.mjs'), {
    ...options,
    workerData: { module: pathToFileURL(serverFile(module)).href },
  });
}
