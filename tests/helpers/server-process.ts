/**
 * Real server processes for fault tests. The server is bundled once per test file with esbuild
 * (dependencies left external), so each start costs a Node start, not a TypeScript compile.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { build } from 'esbuild';

let bundled: Promise<string> | undefined;

/** The bundled server entry point, built at most once per process. */
export function bundledServer(): Promise<string> {
  // Inside the repository, so node_modules and fixtures/ resolve as from server/.
  const dir = resolve('.test-results/server');
  bundled ??= mkdir(dir, { recursive: true }).then(async () => {
    const outfile = resolve(dir, `main-${process.pid}.mjs`);
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
    return outfile;
  });
  return bundled;
}

export interface ServerProcess {
  child: ChildProcess;
  /** Resolves with the URL once listening; rejects with the output if it exits first. */
  url: Promise<string>;
  output(): string;
}

export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const entry = await bundledServer();
  const child = spawn(process.execPath, [entry], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = new Promise<string>((resolveUrl, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) resolveUrl(`http://127.0.0.1:${match[1]}`);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${output}`)));
  });
  url.catch(() => undefined);
  return { child, url, output: () => output };
}

/** Kill with SIGKILL and wait for the exit. */
export async function killProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}
