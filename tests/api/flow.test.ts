import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Client } from '../helpers/server.ts';
import { ADMIN, projectWithDocument, startWorld, type World } from './setup.ts';

const TRANSCRIPT =
  '\uFEFFEnquêtrice : Comment gérez-vous la billetterie ?\r\n' +
  'Camille Martin : On ressaisit tout à la main 😩 dans l’outil de planification.\r\n' +
  'C’est la « double saisie » permanente.\r\n';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.server.stop();
});

describe('the first path through Verbatim', () => {
  it('sets up the administrator once, then refuses a second set-up', async () => {
    const status = await new Client(() => world.server.url).get('/api/auth/status');
    expect(status.body.setupRequired).toBe(false);
    const again = await new Client(() => world.server.url).post('/api/auth/setup', {
      username: 'intrus',
      password: 'autre-mot-de-passe',
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_set_up');
  });

  it('signs in with a HttpOnly, SameSite=Strict session cookie and signs out', async () => {
    const client = new Client(() => world.server.url);
    const login = await client.post('/api/auth/login', ADMIN);
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect((await client.get('/api/auth/me')).body.user.username).toBe('admin');
    expect((await client.post('/api/auth/logout')).status).toBe(204);
    expect((await client.get('/api/auth/me')).status).toBe(401);
  });

  it('refuses a wrong password with 401 and the same message as an unknown user', async () => {
    const client = new Client(() => world.server.url);
    const wrong = await client.post('/api/auth/login', { username: 'admin', password: 'pas-le-bon' });
    const unknown = await client.post('/api/auth/login', { username: 'personne', password: 'pas-le-bon' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
  });

  it('imports a transcript normalised (no BOM, LF, NFC) with its length in code points', async () => {
    const { base, docId } = await projectWithDocument(world.admin, TRANSCRIPT);
    const doc = await world.admin.get(`${base}/documents/${docId}`);
    expect(doc.status).toBe(200);
    const expected = TRANSCRIPT.slice(1).replace(/\r\n/g, '\n').normalize('NFC');
    expect(doc.body.text).toBe(expected);
    expect(doc.body.length).toBe(Array.from(expected).length);
    expect(doc.body.turns.map((t: { speaker: string }) => t.speaker)).toEqual([
      'Enquêtrice',
      'Camille Martin',
    ]);
  });

  it('codes a passage after an emoji at code-point offsets and returns its text', async () => {
    const { base, docId } = await projectWithDocument(world.admin, TRANSCRIPT);
    const text = (await world.admin.get(`${base}/documents/${docId}`)).body.text as string;
    const points = Array.from(text);
    const phrase = 'double saisie';
    const utf16 = text.indexOf(phrase);
    const start = Array.from(text.slice(0, utf16)).length;
    const code = await world.admin.post(`${base}/codes`, { name: 'Redondance de saisie', color: '#E6194B' });
    expect(code.status).toBe(201);
    expect(code.body.color).toBe('#e6194b');
    const coding = await world.admin.post(`${base}/codings`, {
      documentId: docId,
      codeId: code.body.id,
      start,
      end: start + phrase.length,
    });
    expect(coding.status).toBe(201);
    expect(coding.body.text).toBe(phrase);
    expect(points.slice(coding.body.start, coding.body.end).join('')).toBe(phrase);
    expect(coding.body.coderId).toBe((await world.admin.get('/api/auth/me')).body.user.id);
    expect(Date.parse(coding.body.createdAt)).not.toBeNaN();
    const listed = await world.admin.get(`${base}/codings?documentId=${docId}`);
    expect(listed.body.codings).toHaveLength(1);
  });

  it('keeps everything across a restart of the server on the same folder', async () => {
    const { base, docId, pid } = await projectWithDocument(world.admin, TRANSCRIPT);
    const parent = await world.admin.post(`${base}/codes`, { name: 'Interopérabilité' });
    const child = await world.admin.post(`${base}/codes`, {
      name: 'Fragmentation des données',
      parentId: parent.body.id,
    });
    await world.admin.post(`${base}/codings`, {
      documentId: docId,
      codeId: child.body.id,
      start: 0,
      end: 10,
    });
    await world.admin.post(`${base}/codings`, {
      documentId: docId,
      codeId: parent.body.id,
      start: 5,
      end: 20,
      memo: 'à revoir',
    });
    const before = {
      project: (await world.admin.get(`${base}`)).body,
      codes: (await world.admin.get(`${base}/codes`)).body,
      codings: (await world.admin.get(`${base}/codings`)).body,
      doc: (await world.admin.get(`${base}/documents/${docId}`)).body,
    };
    await world.server.restart();
    // The session survives too: it is stored durably like everything else.
    const after = {
      project: (await world.admin.get(`/api/projects/${pid}`)).body,
      codes: (await world.admin.get(`${base}/codes`)).body,
      codings: (await world.admin.get(`${base}/codings`)).body,
      doc: (await world.admin.get(`${base}/documents/${docId}`)).body,
    };
    expect(after).toEqual(before);
    expect(after.codings.codings).toHaveLength(2);
  });

  it('records every change in the project event log with who and when', async () => {
    const { base, docId } = await projectWithDocument(world.admin, TRANSCRIPT);
    const code = await world.admin.post(`${base}/codes`, { name: 'Coûts' });
    await world.admin.post(`${base}/codings`, { documentId: docId, codeId: code.body.id, start: 0, end: 4 });
    const log = await world.admin.get(`${base}/events?after=0`);
    expect(log.body.events.map((e: { type: string }) => e.type)).toEqual([
      'project_created',
      'document_added',
      'code_created',
      'coding_created',
    ]);
    const me = (await world.admin.get('/api/auth/me')).body.user.id;
    for (const [i, e] of log.body.events.entries()) {
      expect(e.seq).toBe(i + 1);
      expect(e.userId).toBe(me);
      expect(Date.parse(e.at)).not.toBeNaN();
    }
  });

  it('edits and deletes codings, codes and documents', async () => {
    const { base, docId } = await projectWithDocument(world.admin, TRANSCRIPT);
    const a = await world.admin.post(`${base}/codes`, { name: 'Accessibilité' });
    const b = await world.admin.post(`${base}/codes`, { name: 'Coûts' });
    const coding = await world.admin.post(`${base}/codings`, {
      documentId: docId,
      codeId: a.body.id,
      start: 0,
      end: 10,
    });
    const patched = await world.admin.patch(`${base}/codings/${coding.body.id}`, {
      codeId: b.body.id,
      end: 12,
      memo: 'note',
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ codeId: b.body.id, start: 0, end: 12, memo: 'note' });
    expect(patched.body.text).toBe('Enquêtrice :');
    const renamed = await world.admin.patch(`${base}/codes/${a.body.id}`, {
      name: 'Accessibilité numérique',
      version: 1,
    });
    expect(renamed.body).toMatchObject({ name: 'Accessibilité numérique', version: 2 });
    const deleted = await world.admin.delete(`${base}/codes/${b.body.id}`);
    expect(deleted.body.deleted).toEqual({ codes: 1, codings: 1 });
    expect((await world.admin.get(`${base}/codings`)).body.codings).toHaveLength(0);
    expect((await world.admin.delete(`${base}/documents/${docId}`)).status).toBe(200);
    expect((await world.admin.get(`${base}/documents/${docId}`)).status).toBe(404);
  });

  it('deletes a code with its sub-codes and their codings', async () => {
    const { base, docId } = await projectWithDocument(world.admin, TRANSCRIPT);
    const parent = await world.admin.post(`${base}/codes`, { name: 'Outils' });
    const child = await world.admin.post(`${base}/codes`, { name: 'Billetterie', parentId: parent.body.id });
    await world.admin.post(`${base}/codings`, { documentId: docId, codeId: child.body.id, start: 0, end: 3 });
    const deleted = await world.admin.delete(`${base}/codes/${parent.body.id}`);
    expect(deleted.body.deleted).toEqual({ codes: 2, codings: 1 });
    expect((await world.admin.get(`${base}/codes`)).body.codes).toEqual([]);
  });

  it('serves the security headers, with a Content-Security-Policy, on API responses', async () => {
    const res = await world.admin.get('/api/auth/me');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
