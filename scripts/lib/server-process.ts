/**
 * A Verbatim server as a process of its own, for the benchmark and the tests that need a real
 * process (crashes, signals, memory): spawned on 127.0.0.1 and a port the system chooses, its URL
 * read from the line it prints once it listens.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface ServerProcess {
  child: ChildProcess;
  /** Resolves with the URL once the server listens; rejects with its output if it exits first. */
  url: Promise<string>;
  /** Everything it has printed so far, standard output and error together. */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL, as a crash would; resolves once it has exited. */
  kill(): Promise<void>;
}

/**
 * Start `node <args>` (the bundled server, or `--import tsx server/main.ts`) with `env` over the
 * current environment, listening on 127.0.0.1 on a free port.
 */
export function spawnServer(args: readonly string[], env: Record<string, string> = {}): ServerProcess {
  const child = spawn(process.execPath, args, {
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
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${output}`)));
  });
  // A caller that never waits for the URL must not see an unhandled rejection when it exits.
  url.catch(() => undefined);
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const signal = async (name: NodeJS.Signals, graceMs?: number) => {
    if (exited()) return;
    const done = new Promise((r) => child.once('exit', r));
    child.kill(name);
    const timer = graceMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), graceMs);
    await done;
    clearTimeout(timer);
  };
  return {
    child,
    url,
    output: () => output,
    stop: (graceMs = 60_000) => signal('SIGTERM', graceMs),
    kill: () => signal('SIGKILL'),
  };
}
