import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnServer } from '../../scripts/lib/server-process.ts';

const started: ChildProcess[] = [];
const folders: string[] = [];

afterEach(async () => {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of folders.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** Start `server/main.ts` as a real process; resolves with its URL once it listens, or its exit. */
async function startServer(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<{ url?: string; code?: number | null; output: string; child: ChildProcess }> {
  const server = spawnServer(['--import', 'tsx', 'server/main.ts'], { VERBATIM_DATA: dataDir, ...env });
  const child = server.child;
  started.push(child);
  return server.url.then(
    (url) => ({ url, output: server.output(), child }),
    () => ({ code: child.exitCode, output: server.output(), child }),
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

describe('graceful shutdown', { timeout: 90_000 }, () => {
  const ADMIN = { username: 'direction', password: 'un-mot-de-passe-long' };
  const ENV = { VERBATIM_ADMIN_USER: ADMIN.username, VERBATIM_ADMIN_PASSWORD: ADMIN.password };
  const TEXT =
    'Enquêtrice : Comment gérez-vous la billetterie au quotidien ? Camille : On ressaisit tout à la main.';

  interface Answer {
    status: number;
    body: string;
  }

  /**
   * POST JSON on a connection of its own (node:http, no pooling). `sent` resolves once the whole
   * request is written; `answer` with the status and body, or status 0 when the connection failed.
   * With `holdBody`, only the headers go, with `Expect: 100-continue`: `sent` then resolves once the
   * server has taken the request in (it answers 100 Continue), and the body waits for `release()`.
   */
  function postOnNewConnection(url: string, cookie: string, path: string, body: unknown, holdBody = false) {
    const payload = JSON.stringify(body);
    let markSent!: () => void;
    const sent = new Promise<void>((resolve) => (markSent = resolve));
    const req = request(`${url}${path}`, {
      method: 'POST',
      agent: false,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(payload),
        cookie,
        ...(holdBody ? { expect: '100-continue' } : {}),
      },
    });
    const answer = new Promise<Answer>((resolve) => {
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', (error) => resolve({ status: 0, body: String(error) }));
        // Cut off mid-answer: not answered.
        res.on('close', () => resolve({ status: res.complete ? (res.statusCode ?? 0) : 0, body: text }));
      });
      req.on('error', (error) => {
        markSent();
        resolve({ status: 0, body: String(error) });
      });
    });
    if (holdBody) {
      req.on('continue', markSent);
      req.flushHeaders();
    } else {
      req.on('finish', markSent);
      req.end(payload);
    }
    return { sent, answer, release: () => req.end(payload) };
  }

  async function signIn(url: string): Promise<string> {
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    expect(login.status).toBe(200);
    return (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  }

  async function postJson(url: string, cookie: string, path: string, body: unknown) {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(201);
    return res.json();
  }

  it('on SIGTERM, finishes the changes it has received, answers them once durable, and exits 0', async () => {
    const dataDir = await tempDir();
    const first = await startServer(dataDir, ENV);
    expect(first.url).toBeDefined();
    const url = first.url as string;
    const cookie = await signIn(url);
    const base = `/api/projects/${(await postJson(url, cookie, '/api/projects', { name: 'Arrêt' })).id}`;
    const documentId = (await postJson(url, cookie, `${base}/documents`, { name: 'e.txt', text: TEXT }))
      .documents[0].id as string;
    const codeId = (await postJson(url, cookie, `${base}/codes`, { name: 'Ressaisie' })).id as string;
    const coding = (start: number) => ({ documentId, codeId, start, end: start + 5 });
    let output = '';
    first.child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((r) => first.child.on('exit', (code) => r(code)));

    // One request the server has taken in but whose body is still to come when SIGTERM arrives,
    // and 40 codings of distinct spans [i, i + 5) written in full just before it.
    const slow = postOnNewConnection(url, cookie, `${base}/codings`, coding(50), true);
    await slow.sent;
    const burst = Array.from({ length: 40 }, (_, i) =>
      postOnNewConnection(url, cookie, `${base}/codings`, coding(i)),
    );
    await Promise.all(burst.map((r) => r.sent));
    first.child.kill('SIGTERM');
    await expect.poll(() => output, { timeout: 30_000 }).toMatch(/SIGTERM reçu/);
    slow.release();

    expect((await slow.answer).status).toBe(201);
    const results = await Promise.all(burst.map(async (r, start) => ({ start, ...(await r.answer) })));
    // Each of the burst was answered 201, or never reached the server (refused or reset connection).
    for (const result of results) expect([0, 201], result.body).toContain(result.status);
    expect(await exited).toBe(0);
    expect((await readdir(dataDir)).includes('LOCK')).toBe(false);

    const answered = [50, ...results.filter((r) => r.status === 201).map((r) => r.start)];
    const second = await startServer(dataDir, ENV);
    expect(second.url).toBeDefined();
    const listed = await fetch(`${second.url}${base}/codings`, {
      headers: { cookie: await signIn(second.url as string) },
    });
    const present = ((await listed.json()).codings as { start: number }[]).map((c) => c.start);
    // Every 201 is on disk, and nothing is on disk that its sender was not told about.
    const ascending = (a: number, b: number) => a - b;
    expect(present.sort(ascending)).toEqual(answered.sort(ascending));
  });

  it('does not wait for an open live feed on SIGTERM: it ends, and the server exits 0', async () => {
    const dataDir = await tempDir();
    const first = await startServer(dataDir, ENV);
    expect(first.url).toBeDefined();
    const url = first.url as string;
    const cookie = await signIn(url);
    const base = `/api/projects/${(await postJson(url, cookie, '/api/projects', { name: 'Flux' })).id}`;
    const feed = await fetch(`${url}${base}/events?after=0`, {
      headers: { cookie, accept: 'text/event-stream' },
    });
    expect(feed.status).toBe(200);
    const reader = (feed.body as ReadableStream<Uint8Array>).getReader();
    expect((await reader.read()).done).toBe(false); // the feed is open and has spoken
    const exited = new Promise<number | null>((r) => first.child.on('exit', (code) => r(code)));
    const startedAt = Date.now();
    first.child.kill('SIGTERM');
    // Read to the end: the server closes the feed rather than waiting for it.
    for (let ended = false; !ended;) {
      ended = (await reader.read().catch(() => ({ done: true }))).done;
    }
    expect(await exited).toBe(0);
    // Far below the 10 s a shutdown grants requests under way: the feed was not waited for.
    expect(Date.now() - startedAt).toBeLessThan(9_000);
  });
});
