/**
 * Real server processes for fault tests, started from the server bundled once per test file
 * (`scripts/lib/bundle-server.ts`), so each start costs a Node start, not a TypeScript compile.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { bundleServer } from '../../scripts/lib/bundle-server.ts';

/** The bundled server entry point, built at most once per process (removed when it exits). */
export function bundledServer(): Promise<string> {
  return bundleServer('.test-results/server');
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
