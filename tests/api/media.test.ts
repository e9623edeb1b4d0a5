/**
 * Recordings: attached by leads (recognised from their bytes, bounded), streamed with HTTP ranges
 * to any member, replaced and removed as undoable changes, out of backups unless asked, and gone
 * from the data folder with an erased document.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackup } from '../../server/backup.ts';
import { Client, startTestServer, type TestServer } from '../helpers/server.ts';
import { wav } from '../helpers/wav.ts';

const ADMIN = { username: 'admin', password: 'mot-de-passe-admin' };
const MAX = 64 * 1024;

function form(bytes: Uint8Array, name: string): FormData {
  const data = new FormData();
  data.append('file', new Blob([new Uint8Array(bytes)]), name);
  return data;
}

let server: TestServer;
let admin: Client;
let base: string;
let doc: string;
let coder: Client;
let viewer: Client;

async function member(name: string, role: 'coder' | 'viewer'): Promise<Client> {
  const created = await admin.post('/api/users', { username: name, password: `secret-${name}` });
  await admin.put(`${base}/members/${created.body.user.id}`, { role });
  const client = new Client(() => server.url);
  await client.post('/api/auth/login', { username: name, password: `secret-${name}` });
  return client;
}

async function fetchMedia(client: Client, range?: string): Promise<Response> {
  return fetch(`${server.url}${base}/documents/${doc}/media`, {
    headers: { cookie: client.cookie, ...(range ? { range } : {}) },
  });
}

beforeAll(async () => {
  server = await startTestServer({ maxMediaBytes: MAX });
  admin = new Client(() => server.url);
  await admin.post('/api/auth/setup', ADMIN);
  base = `/api/projects/${(await admin.post('/api/projects', { name: 'Enregistrements' })).body.id}`;
  doc = (await admin.post(`${base}/documents`, { name: 'e.txt', text: 'Camille : on ressaisit tout.' })).body
    .documents[0].id;
  coder = await member('nadia', 'coder');
  viewer = await member('basile', 'viewer');
}, 60_000);
afterAll(async () => {
  await server.stop();
});

describe('a recording', () => {
  const first = wav(2);

  it('is attached by a lead, recognised from its bytes, with its length', async () => {
    expect((await coder.request('POST', `${base}/documents/${doc}/media`, form(first, 'e.wav'))).status).toBe(
      403,
    );
    const res = await admin.request('POST', `${base}/documents/${doc}/media`, form(first, 'entretien 3.wav'));
    expect(res.status).toBe(201);
    expect(res.body.media).toMatchObject({
      name: 'entretien 3.wav',
      type: 'audio/wav',
      size: first.length,
      duration: 2,
    });
    expect((await viewer.get(`${base}/documents/${doc}`)).body.media).toMatchObject({ type: 'audio/wav' });
  });

  it('streams whole and by ranges: first bytes, middle, suffix; 416 past the end', async () => {
    const whole = await fetchMedia(viewer);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(whole.headers.get('content-type')).toBe('audio/wav');
    expect(new Uint8Array(await whole.arrayBuffer())).toEqual(first);
    const head = await fetchMedia(viewer, 'bytes=0-99');
    expect(head.status).toBe(206);
    expect(head.headers.get('content-range')).toBe(`bytes 0-99/${first.length}`);
    expect(new Uint8Array(await head.arrayBuffer())).toEqual(first.subarray(0, 100));
    const middle = await fetchMedia(viewer, 'bytes=5000-5999');
    expect(new Uint8Array(await middle.arrayBuffer())).toEqual(first.subarray(5000, 6000));
    const tail = await fetchMedia(viewer, 'bytes=-300');
    expect(tail.headers.get('content-range')).toBe(
      `bytes ${first.length - 300}-${first.length - 1}/${first.length}`,
    );
    expect(new Uint8Array(await tail.arrayBuffer())).toEqual(first.subarray(first.length - 300));
    const past = await fetchMedia(viewer, `bytes=${first.length}-`);
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${first.length}`);
  });

  it('refuses what is no recording (415) and what is too large (413), keeping the one there', async () => {
    const html = new TextEncoder().encode('<!doctype html><html><body>pas un son</body></html>');
    const refused = await admin.request('POST', `${base}/documents/${doc}/media`, form(html, 'faux.mp3'));
    expect(refused.status).toBe(415);
    expect(refused.body.error.message).toContain('faux.mp3');
    const large = await admin.request('POST', `${base}/documents/${doc}/media`, form(wav(10), 'long.wav'));
    expect(large.status).toBe(413);
    expect(new Uint8Array(await (await fetchMedia(viewer)).arrayBuffer())).toEqual(first);
    // Nothing half-written stays behind.
    const files = await readdir(
      join(server.dataDir, 'projects', base.split('/').at(-1) as string, 'recordings'),
    );
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('leaves no half-written file behind refusals that come before the file is even open', async () => {
    // Refused at the first bytes, while the temporary file may still be opening: its removal
    // must wait for it.
    const html = new TextEncoder().encode('<!doctype html><html><body>pas un son</body></html>');
    const answers = await Promise.all(
      Array.from({ length: 40 }, () =>
        admin.request('POST', `${base}/documents/${doc}/media`, form(html, 'faux.mp3')),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 415));
    const files = await readdir(
      join(server.dataDir, 'projects', base.split('/').at(-1) as string, 'recordings'),
    );
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('is replaced and removed as undoable changes', async () => {
    const second = wav(1, 3);
    expect(
      (await admin.request('POST', `${base}/documents/${doc}/media`, form(second, 'b.wav'))).status,
    ).toBe(201);
    expect(new Uint8Array(await (await fetchMedia(viewer)).arrayBuffer())).toEqual(second);
    expect((await admin.post(`${base}/undo`)).status).toBe(200);
    expect(new Uint8Array(await (await fetchMedia(viewer)).arrayBuffer())).toEqual(first);
    expect((await admin.post(`${base}/redo`)).status).toBe(200);
    expect(new Uint8Array(await (await fetchMedia(viewer)).arrayBuffer())).toEqual(second);
    expect((await coder.request('DELETE', `${base}/documents/${doc}/media`)).status).toBe(403);
    expect((await admin.request('DELETE', `${base}/documents/${doc}/media`)).status).toBe(204);
    expect((await fetchMedia(viewer)).status).toBe(404);
    expect((await admin.get(`${base}/documents/${doc}`)).body.media).toBeUndefined();
    expect((await admin.post(`${base}/undo`)).status).toBe(200);
    expect(new Uint8Array(await (await fetchMedia(viewer)).arrayBuffer())).toEqual(second);
  });

  it('is left out of backups unless VERBATIM_BACKUP_MEDIA=1', async () => {
    const out = join(server.dataDir, 'out');
    await createBackup(server.dataDir, join(out, 'a.zip'));
    const names = Object.keys(unzipSync(new Uint8Array(await readFile(join(out, 'a.zip')))));
    expect(names.some((n) => n.includes('/recordings/'))).toBe(false);
    process.env.VERBATIM_BACKUP_MEDIA = '1';
    try {
      await createBackup(server.dataDir, join(out, 'b.zip'));
    } finally {
      delete process.env.VERBATIM_BACKUP_MEDIA;
    }
    const withMedia = Object.keys(unzipSync(new Uint8Array(await readFile(join(out, 'b.zip')))));
    expect(withMedia.filter((n) => n.includes('/recordings/')).length).toBeGreaterThanOrEqual(2);
    await rm(out, { recursive: true, force: true });
  });

  it('goes with its erased document, every version kept for undo included', async () => {
    const dir = join(server.dataDir, 'projects', base.split('/').at(-1) as string, 'recordings');
    expect((await readdir(dir)).filter((f) => f.startsWith(doc)).length).toBeGreaterThanOrEqual(2);
    const erased = await admin.post(`${base}/documents/${doc}/erase`, { confirm: 'e.txt' });
    expect(erased.status).toBe(200);
    expect((await readdir(dir)).filter((f) => f.startsWith(doc))).toEqual([]);
  });
});
