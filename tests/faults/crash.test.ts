/**
 * Crash safety: writers code passages against a real server process, which is killed with SIGKILL
 * at a random moment, 50 times over. After each restart every acknowledged (201) coding must be
 * there and the store must open cleanly.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';

const ADMIN = { username: 'admin', password: 'mot-de-passe-admin' };
const ROUNDS = 50;
let server: ServerProcess | undefined;
let dataDir = '';

afterAll(async () => {
  if (server) await server.kill();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function start(dir: string): Promise<string> {
  server = await startServerProcess({
    VERBATIM_DATA: dir,
    VERBATIM_ADMIN_USER: ADMIN.username,
    VERBATIM_ADMIN_PASSWORD: ADMIN.password,
  });
  return server.url;
}

async function kill(): Promise<void> {
  if (server) await server.kill();
}

async function login(url: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  if (res.status !== 200) throw new Error(`login ${res.status}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

describe('crash safety', () => {
  it(
    `loses no acknowledged coding over ${ROUNDS} kills with SIGKILL at random moments`,
    { timeout: 600_000 },
    async () => {
      dataDir = join(await mkdtemp(join(tmpdir(), 'verbatim-crash-')), 'data');
      let url = await start(dataDir);
      let cookie = await login(url);
      const json = { 'content-type': 'application/json' };
      const post = (path: string, body: unknown) =>
        fetch(url + path, { method: 'POST', headers: { ...json, cookie }, body: JSON.stringify(body) });
      const project = await (await post('/api/projects', { name: 'Crash' })).json();
      const base = `/api/projects/${project.id}`;
      const text = 'Camille : on ressaisit tout, deux fois, à la main, chaque semaine. '.repeat(40);
      const doc = (await (await post(`${base}/documents`, { name: 'e.txt', text })).json()).documents[0];
      const code = await (await post(`${base}/codes`, { name: 'Ressaisie' })).json();
      const acknowledged = new Set<string>();
      let n = 0;
      for (let round = 0; round < ROUNDS; round++) {
        let stop = false;
        const writer = async () => {
          while (!stop) {
            const start = n++ % (text.length - 10);
            try {
              const res = await post(`${base}/codings`, {
                documentId: doc.id,
                codeId: code.id,
                start,
                end: start + 5 + (n % 7),
              });
              if (res.status === 201) acknowledged.add(((await res.json()) as { id: string }).id);
              else if (res.status !== 409) throw new Error(`unexpected ${res.status}`);
            } catch (error) {
              if ((error as Error).message.startsWith('unexpected')) throw error;
              return; // The connection died with the server: this write was never acknowledged.
            }
          }
        };
        const writers = [writer(), writer(), writer(), writer()];
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 400));
        await kill();
        stop = true;
        await Promise.all(writers);
        url = await start(dataDir);
        cookie = await login(url);
        const res = await fetch(`${url}${base}/codings`, { headers: { cookie } });
        expect(res.status).toBe(200);
        const stored = new Set(
          ((await res.json()) as { codings: { id: string }[] }).codings.map((c) => c.id),
        );
        const lost = [...acknowledged].filter((id) => !stored.has(id));
        expect(lost, `round ${round}`).toEqual([]);
      }
      expect(acknowledged.size).toBeGreaterThan(ROUNDS);
      await kill();
    },
  );
});
