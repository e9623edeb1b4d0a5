/**
 * Crash safety of erasure: a participant is erased while coders write, and the server is killed
 * with SIGKILL at a random moment of the erasure, round after round. After each restart every
 * acknowledged coding is there, and the participant is either whole (before) or gone from every
 * byte of the data folder, backups included (after) — never half erased; an acknowledged erasure
 * is always "after".
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backupName, createBackup } from '../../server/backup.ts';
import { findInFolder } from '../helpers/find-bytes.ts';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';

const ADMIN = { username: 'admin', password: 'mot-de-passe-admin' };
const ROUNDS = 12;
let server: ServerProcess | undefined;
let root = '';

afterAll(async () => {
  if (server) await server.kill();
  if (root) await rm(root, { recursive: true, force: true });
});

async function start(dir: string): Promise<string> {
  server = await startServerProcess({
    VERBATIM_DATA: dir,
    VERBATIM_ADMIN_USER: ADMIN.username,
    VERBATIM_ADMIN_PASSWORD: ADMIN.password,
  });
  return server.url;
}

function client(url: string, cookie: string) {
  const headers = { 'content-type': 'application/json', cookie };
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(url + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
    return { status: res.status, body: (await res.json().catch(() => null)) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body?: unknown) => call('POST', path, body),
    patch: (path: string, body?: unknown) => call('PATCH', path, body),
  };
}

async function login(url: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

describe('crash safety of erasure', () => {
  it(
    `leaves the state before or after, never half, over ${ROUNDS} kills during erasures`,
    { timeout: 600_000 },
    async () => {
      root = await mkdtemp(join(tmpdir(), 'verbatim-erasure-crash-'));
      const dataDir = join(root, 'data');
      let url = await start(dataDir);
      let api = client(url, await login(url));
      const project = (await api.post('/api/projects', { name: 'Effacements' })).body;
      const base = `/api/projects/${project.id}`;
      const stayText = 'Hélène : on ressaisit tout, deux fois, à la main, chaque semaine. '.repeat(30);
      const stay = (await api.post(`${base}/documents`, { name: 'reste.txt', text: stayText })).body
        .documents[0];
      const code = (await api.post(`${base}/codes`, { name: 'Ressaisie' })).body;
      const acknowledged = new Set<string>();
      const outcomes = { before: 0, after: 0 };
      let erasureMs = 0;
      let n = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const name = `Témoin${round} Quillebeuf`;
        const phrase = `zéphyr${round}-cormoran`;
        const person = (await api.post(`${base}/participants`, { name, attributes: {} })).body;
        const text = `Enquêtrice : Bonjour.\n${name} : le ${phrase} passe le mardi. `.repeat(20);
        const doc = (await api.post(`${base}/documents`, { name: `témoin-${round}.txt`, text })).body
          .documents[0];
        await api.patch(`${base}/documents/${doc.id}`, { participantId: person.id });
        await api.post(`${base}/codings`, {
          documentId: doc.id,
          codeId: code.id,
          start: 0,
          end: 12,
          memo: phrase,
        });
        await createBackup(dataDir, join(dataDir, 'backups', backupName()));

        let stop = false;
        const writer = async () => {
          while (!stop) {
            const start = n++ % (stayText.length - 20);
            try {
              const res = await api.post(`${base}/codings`, {
                documentId: stay.id,
                codeId: code.id,
                start,
                end: start + 5 + (n % 7),
              });
              if (res.status === 201) acknowledged.add(res.body.id as string);
            } catch {
              return; // The server died: never acknowledged.
            }
          }
        };
        const writers = [writer(), writer()];
        await new Promise((r) => setTimeout(r, 200)); // codings under way when the erasure starts
        let erased = false;
        const sent = performance.now();
        const erasure = api
          .post(`${base}/participants/${person.id}/erase`, { confirm: name })
          .then((res) => {
            erased = res.status === 200;
            if (erased) erasureMs = Math.max(erasureMs, performance.now() - sent);
          })
          .catch(() => undefined);
        // Where the kill lands: round 0 at once (the erasure has barely begun), round 1 once it
        // has answered (so its length is known), every later round at a random moment across that
        // length and a little beyond. Both sides of the commit point are thus reached whatever the
        // machine's speed, and the rounds between probe every moment of the erasure.
        if (round === 1) await erasure;
        else if (round > 1) await new Promise((r) => setTimeout(r, Math.random() * erasureMs * 1.2));
        await (server as ServerProcess).kill();
        stop = true;
        await Promise.all([...writers, erasure]);

        url = await start(dataDir);
        api = client(url, await login(url));
        const codings = (await api.get(`${base}/codings?documentId=${stay.id}`)).body.codings as {
          id: string;
        }[];
        const stored = new Set(codings.map((c) => c.id));
        expect(
          [...acknowledged].filter((id) => !stored.has(id)),
          `round ${round}`,
        ).toEqual([]);

        const present = (await api.get(`${base}/participants`)).body.participants.some(
          (p: { id: string }) => p.id === person.id,
        );
        if (present) {
          // Before: whole, text, coding and all.
          expect(erased, `round ${round}: acknowledged, yet still there`).toBe(false);
          const document = await api.get(`${base}/documents/${doc.id}`);
          expect(document.body.text).toContain(phrase);
          const theirs = (await api.get(`${base}/codings?documentId=${doc.id}`)).body.codings;
          expect(theirs.map((c: { memo: string }) => c.memo)).toEqual([phrase]);
          outcomes.before++;
          // Erase for good, so that later rounds start clean.
          expect((await api.post(`${base}/participants/${person.id}/erase`, { confirm: name })).status).toBe(
            200,
          );
        } else {
          outcomes.after++;
          expect((await api.get(`${base}/documents/${doc.id}`)).status).toBe(404);
        }
        expect(await findInFolder(dataDir, [name, phrase]), `round ${round}`).toEqual([]);
      }
      expect(outcomes.before + outcomes.after).toBe(ROUNDS);
      // The kills landed on both sides of the commit point.
      expect(outcomes.before).toBeGreaterThan(0);
      expect(outcomes.after).toBeGreaterThan(0);
      console.info(`Effacements interrompus : ${outcomes.before} avant, ${outcomes.after} après.`);
      expect(acknowledged.size).toBeGreaterThan(0);
    },
  );
});
