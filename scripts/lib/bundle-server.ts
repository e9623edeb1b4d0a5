/**
 * The server bundled into one file with esbuild (dependencies left external), so that each start
 * of a real server process — in the fault tests, in the benchmark — costs a Node start, not a
 * TypeScript compile. One bundle per process, named after its pid, removed when the process
 * exits; bundles left by processes that died without exiting are swept at the next bundling.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { isAlive } from '../../server/storage/lock.ts';

const bundles = new Map<string, Promise<string>>();

/** Remove the bundles of processes that no longer run. */
function sweep(dir: string): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const pid = Number(/^main-(\d+)\.mjs$/.exec(name)?.[1]);
    if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid))
      rmSync(join(dir, name), { force: true });
  }
}

/**
 * The path of `server/main.ts` bundled into `dir` (inside the repository, so node_modules and
 * fixtures/ resolve as from server/), built at most once per process and folder.
 */
export function bundleServer(dir: string): Promise<string> {
  const folder = resolve(dir);
  let bundled = bundles.get(folder);
  if (!bundled) {
    bundled = (async () => {
      await mkdir(folder, { recursive: true });
      sweep(folder);
      const outfile = join(folder, `main-${process.pid}.mjs`);
      await build({
        entryPoints: ['server/main.ts'],
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        packages: 'external',
        outfile,
        logLevel: 'error',
      });
      process.once('exit', () => rmSync(outfile, { force: true }));
      return outfile;
    })();
    bundles.set(folder, bundled);
  }
  return bundled;
}

/** Remove this process's bundle in `dir` now (it would be removed at exit anyway). */
export async function removeBundle(dir: string): Promise<void> {
  const folder = resolve(dir);
  const bundled = bundles.get(folder);
  if (!bundled) return;
  bundles.delete(folder);
  const file = await bundled.catch(() => undefined);
  if (file) rmSync(file, { force: true });
}
