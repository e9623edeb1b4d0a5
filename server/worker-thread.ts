/**
 * Starting a worker thread on one of the server's TypeScript modules (the import thread, the
 * search index builder): through one entry point that registers the TypeScript loader first, or
 * from the module compiled once per process into one script (`startCompiledWorker`).
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

const compiled = new Map<string, Promise<string | undefined>>();
/** One compilation at a time: each stops esbuild's helper process once done. */
let compiling: Promise<unknown> = Promise.resolve();

/**
 * `module` and all it imports, packages included, compiled into one CommonJS script, once per
 * process, with esbuild (which tsx, the server's TypeScript loader, already brings). A thread
 * started from it is ready in about 40 ms, where one that compiles its TypeScript as it loads
 * (`startWorker`) takes a quarter of a second on its own and over half a second while other
 * threads are busy. Undefined, and said once, if it cannot be compiled.
 */
export function compileWorker(module: string): Promise<string | undefined> {
  let code = compiled.get(module);
  if (!code) {
    code = compiling.then(async () => {
      const esbuild = await import('esbuild');
      try {
        const { outputFiles } = await esbuild.build({
          entryPoints: [serverFile(module)],
          bundle: true,
          platform: 'node',
          format: 'cjs',
          target: 'node20',
          write: false,
          logLevel: 'silent',
        });
        return outputFiles[0]?.text;
      } finally {
        await esbuild.stop();
      }
    });
    code = code.catch((error: unknown) => {
      console.warn(`Fil ${module} non compilé d'avance ; il compilera son code en démarrant :`, error);
      return undefined;
    });
    compiling = code;
    compiled.set(module, code);
  }
  return code;
}

/** A thread running `module` from its compiled script (`compileWorker`), or as `startWorker` does. */
export async function startCompiledWorker(
  module: string,
  options: Omit<WorkerOptions, 'workerData' | 'eval'> = {},
): Promise<Worker> {
  const code = await compileWorker(module);
  return code === undefined ? startWorker(module, options) : new Worker(code, { ...options, eval: true });
}
