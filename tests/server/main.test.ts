import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const started: ChildProcess[] = [];
const folders: string[] = [];

afterEach(async () => {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of folders.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** Start `server/main.ts` as a real process; resolves with its URL once it listens, or its exit. */
function startServer(dataDir: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', VERBATIM_DATA: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let output = '';
  return new Promise<{ url?: string; code?: number | null; output: string; child: ChildProcess }>(
    (resolve) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
        if (match) resolve({ url: `http://127.0.0.1:${match[1]}`, output, child });
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.on('exit', (code) => resolve({ code, output, child }));
    },
  );
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'verbatim-main-'));
  folders.push(dir);
  return join(dir, 'data');
}

// Each test starts real Node processes compiling TypeScript: slow on a busy 2-core machine.
describe('the server process', { timeout: 90_000 }, () => {
  it('creates the administrator from VERBATIM_ADMIN_USER and VERBATIM_ADMIN_PASSWORD', async () => {
    const dataDir = await tempDir();
    const first = await startServer(dataDir, {
      VERBATIM_ADMIN_USER: 'direction',
      VERBATIM_ADMIN_PASSWORD: 'un-mot-de-passe-long',
    });
    expect(first.url).toBeDefined();
    const login = await fetch(`${first.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'direction', password: 'un-mot-de-passe-long' }),
    });
    expect(login.status).toBe(200);
    expect((await login.json()).user.isAdmin).toBe(true);
  });

  it('refuses to start a second server on the same data folder, with a clear message, changing nothing', async () => {
    const dataDir = await tempDir();
    const first = await startServer(dataDir);
    expect(first.url).toBeDefined();
    const listing = async () =>
      Promise.all(
        (await readdir(dataDir))
          .sort()
          .map(async (name) => [name, (await stat(join(dataDir, name))).mtimeMs]),
      );
    const before = await listing();
    const second = await startServer(dataDir);
    expect(second.url).toBeUndefined();
    expect(second.code).toBe(1);
    expect(second.output).toMatch(/déjà utilisé par un autre serveur Verbatim/);
    expect(await listing()).toEqual(before);
    // The first still serves.
    expect((await fetch(`${first.url}/api/auth/status`)).status).toBe(200);
  });

  it('creates its files readable by their owner only', async () => {
    const dataDir = await tempDir();
    const first = await startServer(dataDir);
    expect(first.url).toBeDefined();
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(dataDir, 'verbatim.json'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dataDir, 'instance.events.jsonl'))).mode & 0o777).toBe(0o600);
  });

  it('loads the demo study with npm run demo, and refuses while a server holds the folder', async () => {
    const dataDir = await tempDir();
    const run = (env: Record<string, string>) =>
      new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
          env: { ...process.env, VERBATIM_DATA: dataDir, ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        started.push(child);
        let output = '';
        child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
        child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
        child.on('exit', (code) => resolve({ code, output }));
      });
    const noAccount = await run({});
    expect(noAccount.code).toBe(1);
    expect(noAccount.output).toMatch(/Aucun compte/);
    const ok = await run({
      VERBATIM_ADMIN_USER: 'direction',
      VERBATIM_ADMIN_PASSWORD: 'un-mot-de-passe-long',
    });
    expect(ok.output).toMatch(/Étude démo.*4 entretiens, 17 codes, 4 participants/);
    expect(ok.code).toBe(0);
    const server = await startServer(dataDir);
    expect(server.url).toBeDefined();
    const locked = await run({});
    expect(locked.code).toBe(1);
    expect(locked.output).toMatch(/bouton « Étude démo »/);
  });

  it('stops cleanly on SIGTERM and releases its lock', async () => {
    const dataDir = await tempDir();
    const first = await startServer(dataDir);
    const exited = new Promise<number | null>((r) => first.child.on('exit', (code) => r(code)));
    first.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect((await readdir(dataDir)).includes('LOCK')).toBe(false);
  });
});
