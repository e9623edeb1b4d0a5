/**
 * Real server processes for fault tests, started from the server bundled once per test file
 * (`scripts/lib/bundle-server.ts`), so each start costs a Node start, not a TypeScript compile.
 */
import { bundleServer } from '../../scripts/lib/bundle-server.ts';
import { spawnServer, type ServerProcess } from '../../scripts/lib/server-process.ts';

export type { ServerProcess };

/** The bundled server entry point, built at most once per process (removed when it exits). */
export function bundledServer(): Promise<string> {
  return bundleServer('.test-results/server');
}

/** Start the bundled server with `env`; its `url` resolves once it listens. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  return spawnServer([await bundledServer()], env);
}
