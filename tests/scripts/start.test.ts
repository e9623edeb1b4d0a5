/**
 * `npm start` runs the server in a process of its own (scripts/start.mjs), started with glibc's
 * MALLOC_MMAP_THRESHOLD_ on Linux (scripts/lib/server-environment.mjs), and passes SIGTERM on.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MMAP_THRESHOLD, serverEnvironment } from '../../scripts/lib/server-environment.mjs';

const started: ChildProcess[] = [];
const folders: string[] = [];
const serverPids: number[] = [];

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

afterEach(async () => {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const pid of serverPids.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  for (const dir of folders.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('serverEnvironment', () => {
  it('adds MALLOC_MMAP_THRESHOLD_ on Linux, keeps a value already set, and leaves other systems alone', () => {
    expect(serverEnvironment({ PORT: '8080' }, 'linux')).toEqual({
      PORT: '8080',
      MALLOC_MMAP_THRESHOLD_: MMAP_THRESHOLD,
    });
    expect(serverEnvironment({ MALLOC_MMAP_THRESHOLD_: '65536' }, 'linux')).toEqual({
      MALLOC_MMAP_THRESHOLD_: '65536',
    });
    expect(serverEnvironment({ PORT: '8080' }, 'darwin')).toEqual({ PORT: '8080' });
    expect(serverEnvironment({ PORT: '8080' }, 'win32')).toEqual({ PORT: '8080' });
  });
});

describe('scripts/start.mjs', { timeout: 90_000 }, () => {
  it.runIf(process.platform === 'linux')(
    'starts the server with the setting in its environment, and stops it on SIGTERM',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'verbatim-start-'));
      folders.push(dir);
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        VERBATIM_DATA: join(dir, 'data'),
        VERBATIM_CLIENT_DIR: join(dir, 'no-client'),
        VERBATIM_BACKUP_HOURS: '0',
      };
      delete env.MALLOC_MMAP_THRESHOLD_;
      const launcher = spawn(process.execPath, ['scripts/start.mjs'], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      started.push(launcher);
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          const match = /http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
          if (match) resolve(match[0]);
        };
        launcher.stdout?.on('data', onData);
        launcher.stderr?.on('data', onData);
        launcher.once('exit', (code) => reject(new Error(`exited (${code}): ${output}`)));
      });
      expect((await fetch(`${url}/api/auth/me`)).status).toBe(401);

      // The server is the launcher's one child; the setting is in the environment it started with.
      const children = readFileSync(`/proc/${launcher.pid}/task/${launcher.pid}/children`, 'utf8')
        .trim()
        .split(/\s+/)
        .map(Number);
      expect(children).toHaveLength(1);
      const server = children[0] as number;
      serverPids.push(server);
      const environment = readFileSync(`/proc/${server}/environ`, 'utf8').split('\0');
      expect(environment).toContain(`MALLOC_MMAP_THRESHOLD_=${MMAP_THRESHOLD}`);

      const exited = new Promise<number | null>((resolve) => launcher.once('exit', (code) => resolve(code)));
      launcher.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output).toContain('SIGTERM reçu');
      expect(alive(server)).toBe(false);
    },
  );
});
