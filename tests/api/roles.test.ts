import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Client } from '../helpers/server.ts';
import { projectWithDocument, startWorld, type World } from './setup.ts';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.server.stop();
});

describe('accounts and roles', () => {
  it('lets only the administrator create and list accounts', async () => {
    const { client } = await world.user('camille');
    expect((await client.get('/api/users')).status).toBe(403);
    expect((await client.post('/api/users', { username: 'autre', password: 'secret-autre' })).status).toBe(
      403,
    );
    expect(
      (await world.admin.get('/api/users')).body.users.map((u: { username: string }) => u.username),
    ).toEqual(['admin', 'camille']);
    expect(JSON.stringify((await world.admin.get('/api/users')).body)).not.toContain('scrypt');
  });

  it('refuses anonymous requests with 401', async () => {
    const anon = new Client(() => world.server.url);
    expect((await anon.get('/api/projects')).status).toBe(401);
    expect((await anon.post('/api/projects', { name: 'x' })).status).toBe(401);
  });

  it('makes the creator of a project its lead', async () => {
    const project = await world.admin.post('/api/projects', { name: 'Étude' });
    expect(project.status).toBe(201);
    expect(project.body.role).toBe('lead');
  });

  it('answers 404 to a non-member for everything of a project', async () => {
    const { base, docId } = await projectWithDocument(world.admin, 'Texte confidentiel.');
    const code = (await world.admin.post(`${base}/codes`, { name: 'Secret' })).body.id;
    const { client } = await world.user('etranger');
    for (const [method, path, body] of [
      ['GET', base],
      ['PATCH', base, { name: 'piraté' }],
      ['DELETE', base],
      ['GET', `${base}/documents`],
      ['GET', `${base}/documents/${docId}`],
      ['GET', `${base}/codes`],
      ['POST', `${base}/codes`, { name: 'x' }],
      ['GET', `${base}/codings`],
      ['POST', `${base}/codings`, { documentId: docId, codeId: code, start: 0, end: 3 }],
      ['GET', `${base}/members`],
      ['GET', `${base}/events`],
    ] as [string, string, unknown?][]) {
      const res = await client.request(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    expect((await client.get('/api/projects')).body.projects).toEqual([]);
  });

  it('lets a viewer read but not code, and a coder code but not manage', async () => {
    const { base, docId, pid } = await projectWithDocument(world.admin, 'Une réponse à coder ici.');
    const code = (await world.admin.post(`${base}/codes`, { name: 'Coûts' })).body.id;
    const viewer = await world.user('lecteur');
    const coder = await world.user('codeuse');
    expect((await world.admin.put(`${base}/members/${viewer.id}`, { role: 'viewer' })).status).toBe(200);
    expect((await world.admin.put(`${base}/members/${coder.id}`, { role: 'coder' })).status).toBe(200);

    expect((await viewer.client.get(`${base}/documents/${docId}`)).status).toBe(200);
    const refused = await viewer.client.post(`${base}/codings`, {
      documentId: docId,
      codeId: code,
      start: 0,
      end: 3,
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');

    const coded = await coder.client.post(`${base}/codings`, {
      documentId: docId,
      codeId: code,
      start: 0,
      end: 3,
    });
    expect(coded.status).toBe(201);
    expect(coded.body.coderId).toBe(coder.id);
    expect((await coder.client.patch(`/api/projects/${pid}`, { name: 'x' })).status).toBe(403);
    expect((await coder.client.patch(`${base}/codes/${code}`, { name: 'x' })).status).toBe(403);
    expect((await coder.client.put(`${base}/members/${viewer.id}`, { role: 'lead' })).status).toBe(403);
    expect((await coder.client.post(`${base}/documents`, { name: 'b.txt', text: 'b' })).status).toBe(403);
    // A coder removes their own codings, not another coder's.
    const adminCoding = await world.admin.post(`${base}/codings`, {
      documentId: docId,
      codeId: code,
      start: 4,
      end: 9,
    });
    expect((await coder.client.delete(`${base}/codings/${adminCoding.body.id}`)).status).toBe(403);
    expect((await coder.client.delete(`${base}/codings/${coded.body.id}`)).status).toBe(204);
    // The lead removes anyone's.
    expect((await world.admin.delete(`${base}/codings/${adminCoding.body.id}`)).status).toBe(204);
  });

  it('keeps at least one lead in a project', async () => {
    const { base } = await projectWithDocument(world.admin, 'Texte.');
    const me = (await world.admin.get('/api/auth/me')).body.user.id;
    expect((await world.admin.put(`${base}/members/${me}`, { role: 'coder' })).status).toBe(409);
    expect((await world.admin.delete(`${base}/members/${me}`)).status).toBe(409);
    const members = (await world.admin.get(`${base}/members`)).body.members;
    expect(members).toEqual([{ userId: me, role: 'lead', username: 'admin', displayName: 'admin' }]);
  });

  it('removes a member, who then gets 404', async () => {
    const { base } = await projectWithDocument(world.admin, 'Texte.');
    const coder = await world.user('partante');
    await world.admin.put(`${base}/members/${coder.id}`, { role: 'coder' });
    expect((await coder.client.get(base)).status).toBe(200);
    expect((await world.admin.delete(`${base}/members/${coder.id}`)).status).toBe(204);
    expect((await coder.client.get(base)).status).toBe(404);
  });
});
