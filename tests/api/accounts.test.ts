import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Client } from '../helpers/server.ts';
import { ADMIN, projectWithDocument, startWorld, type World } from './setup.ts';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.server.stop();
});

const adminId = async () => (await world.admin.get('/api/auth/me')).body.user.id as string;

describe('administering accounts', () => {
  it('renames an account and makes it administrator, and only an administrator may', async () => {
    const camille = await world.user('camille');
    const renamed = await world.admin.patch(`/api/users/${camille.id}`, {
      displayName: 'Camille Durand',
      isAdmin: true,
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.user).toMatchObject({
      displayName: 'Camille Durand',
      isAdmin: true,
      disabled: false,
    });
    expect((await camille.client.get('/api/auth/me')).body.user.isAdmin).toBe(true);

    const dominique = await world.user('dominique');
    const refused = await dominique.client.patch(`/api/users/${camille.id}`, { disabled: true });
    expect(refused.status).toBe(403);
    const reset = await dominique.client.post(`/api/users/${camille.id}/password`, {
      password: 'pris-en-main',
    });
    expect(reset.status).toBe(403);
    expect(
      (await world.admin.patch('/api/users/00000000-0000-4000-8000-000000000000', { isAdmin: true })).status,
    ).toBe(404);
    expect((await world.admin.patch(`/api/users/${camille.id}`, {})).status).toBe(400);
    expect((await world.admin.patch(`/api/users/${camille.id}`, { username: 'autre' })).status).toBe(400);
  });

  it('disabling an account ends its sessions and live feed at once and refuses its logins like a wrong password', async () => {
    const { base } = await projectWithDocument(world.admin, 'Camille : on ressaisit tout.');
    const camille = await world.user('camille');
    await world.admin.put(`${base}/members/${camille.id}`, { role: 'coder' });
    const feed = await fetch(`${world.server.url}${base}/events`, {
      headers: { accept: 'text/event-stream', cookie: camille.client.cookie },
    });
    const reader = (feed.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();

    const started = Date.now();
    const disabled = await world.admin.patch(`/api/users/${camille.id}`, { disabled: true });
    expect(disabled.status).toBe(200);
    expect(disabled.body.user.disabled).toBe(true);
    for (;;) {
      const chunk = await Promise.race([
        reader.read(),
        new Promise<'late'>((r) => setTimeout(() => r('late'), 2000)),
      ]);
      expect(chunk).not.toBe('late');
      if (chunk !== 'late' && chunk.done) break;
    }
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await camille.client.get('/api/auth/me')).status).toBe(401);

    const again = new Client(() => world.server.url);
    const refused = await again.post('/api/auth/login', { username: 'camille', password: 'secret-camille' });
    const wrong = await again.post('/api/auth/login', { username: 'camille', password: 'pas-le-bon' });
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual(wrong.body);

    expect((await world.admin.patch(`/api/users/${camille.id}`, { disabled: false })).status).toBe(200);
    expect(
      (await again.post('/api/auth/login', { username: 'camille', password: 'secret-camille' })).status,
    ).toBe(200);
  });

  it('keeps the last active administrator', async () => {
    const me = await adminId();
    const demoted = await world.admin.patch(`/api/users/${me}`, { isAdmin: false });
    expect(demoted.status).toBe(409);
    expect(demoted.body.error.code).toBe('conflict');
    expect((await world.admin.patch(`/api/users/${me}`, { disabled: true })).status).toBe(409);
    expect((await world.admin.get('/api/auth/me')).body.user).toMatchObject({
      isAdmin: true,
      disabled: false,
    });

    // A disabled administrator does not count.
    const other = await world.user('dominique');
    await world.admin.patch(`/api/users/${other.id}`, { isAdmin: true });
    await world.admin.patch(`/api/users/${other.id}`, { disabled: true });
    expect((await world.admin.patch(`/api/users/${me}`, { isAdmin: false })).status).toBe(409);
    await world.admin.patch(`/api/users/${other.id}`, { disabled: false });
    expect((await world.admin.patch(`/api/users/${me}`, { isAdmin: false })).status).toBe(200);
  });

  it("sets a new password: the account's sessions end and only the new password opens it", async () => {
    const camille = await world.user('camille');
    const short = await world.admin.post(`/api/users/${camille.id}/password`, { password: 'court' });
    expect(short.status).toBe(400);
    expect((await camille.client.get('/api/auth/me')).status).toBe(200);
    const reset = await world.admin.post(`/api/users/${camille.id}/password`, {
      password: 'un-nouveau-secret',
    });
    expect(reset.status).toBe(200);
    expect((await camille.client.get('/api/auth/me')).status).toBe(401);
    const fresh = new Client(() => world.server.url);
    expect(
      (await fresh.post('/api/auth/login', { username: 'camille', password: 'secret-camille' })).status,
    ).toBe(401);
    expect(
      (await fresh.post('/api/auth/login', { username: 'camille', password: 'un-nouveau-secret' })).status,
    ).toBe(200);
    expect((await world.admin.get('/api/auth/me')).status).toBe(200);
  });
});

describe('names that pass for someone else', () => {
  it('refuses a username mixing scripts, as a Cyrillic « а » in « аdmin »', async () => {
    const lookalike = await world.admin.post('/api/users', {
      username: '\u0430dmin',
      password: 'mot-de-passe-1',
    });
    expect(lookalike.status).toBe(400);
    expect(JSON.stringify(lookalike.body)).toMatch(/alphabets/);
    expect(
      (await world.admin.post('/api/users', { username: 'ана', password: 'mot-de-passe-1' })).status,
    ).toBe(201);
    expect(
      (await world.admin.post('/api/users', { username: 'hélène.müller', password: 'mot-de-passe-1' }))
        .status,
    ).toBe(201);
  });

  it('refuses invisible characters in usernames and display names', async () => {
    for (const username of ['ad\u200bmin', 'admin\u2060', '\u202eadmin']) {
      expect((await world.admin.post('/api/users', { username, password: 'mot-de-passe-1' })).status).toBe(
        400,
      );
    }
    const hidden = await world.admin.post('/api/users', {
      username: 'camille',
      password: 'mot-de-passe-1',
      displayName: 'Camille\u200b Durand',
    });
    expect(hidden.status).toBe(400);
    const camille = await world.user('camille');
    expect((await world.admin.patch(`/api/users/${camille.id}`, { displayName: 'Adm\u00adin' })).status).toBe(
      400,
    );
    expect(
      (await world.admin.patch(`/api/users/${camille.id}`, { displayName: 'Camille Durand' })).status,
    ).toBe(200);
  });
});

describe('the session cookie behind a TLS proxy', () => {
  const cookieOf = async (w: World, proto: string) => {
    const res = await fetch(`${w.server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-proto': proto },
      body: JSON.stringify(ADMIN),
    });
    expect(res.status).toBe(200);
    return res.headers.get('set-cookie') ?? '';
  };

  it('is Secure when VERBATIM_TRUST_PROXY is on and the proxy says https, and only then', async () => {
    expect(await cookieOf(world, 'https')).not.toMatch(/;\s*Secure/i);
    const proxied = await startWorld({ trustProxy: true });
    try {
      expect(await cookieOf(proxied, 'https')).toMatch(/;\s*Secure/i);
      expect(await cookieOf(proxied, 'http')).not.toMatch(/;\s*Secure/i);
    } finally {
      await proxied.server.stop();
    }
  });
});
