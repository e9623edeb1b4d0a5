import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Throttle } from '../../server/auth/throttle.ts';
import { Client } from '../helpers/server.ts';
import { ADMIN, projectWithDocument, startWorld, type World } from './setup.ts';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.server.stop();
});

describe('sessions and passwords', () => {
  it('slows down repeated failed logins with 429 and Retry-After, and still refuses the right password meanwhile', async () => {
    const guesser = new Client(() => world.server.url);
    for (let i = 0; i < 5; i++) {
      expect(
        (await guesser.post('/api/auth/login', { username: 'admin', password: `faux-${i}` })).status,
      ).toBe(401);
    }
    expect((await guesser.post('/api/auth/login', { username: 'admin', password: 'faux-5' })).status).toBe(
      401,
    );
    const blocked = await guesser.post('/api/auth/login', ADMIN);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(blocked.body.error.code).toBe('too_many_requests');
  });

  it('ends the other sessions when the password changes, and keeps the one that changed it', async () => {
    const other = new Client(() => world.server.url);
    expect((await other.post('/api/auth/login', ADMIN)).status).toBe(200);
    const wrong = await world.admin.post('/api/auth/password', {
      currentPassword: 'pas-le-bon',
      newPassword: 'nouveau-secret',
    });
    expect(wrong.status).toBe(403);
    const changed = await world.admin.post('/api/auth/password', {
      currentPassword: ADMIN.password,
      newPassword: 'nouveau-secret',
    });
    expect(changed.status).toBe(200);
    expect((await world.admin.get('/api/auth/me')).status).toBe(200);
    expect((await other.get('/api/auth/me')).status).toBe(401);
    expect((await other.post('/api/auth/login', ADMIN)).status).toBe(401);
    expect(
      (await other.post('/api/auth/login', { username: 'admin', password: 'nouveau-secret' })).status,
    ).toBe(200);
  });

  it('invalidates a session on logout, even if its cookie is replayed', async () => {
    const cookie = world.admin.cookie;
    await world.admin.post('/api/auth/logout');
    const replay = await fetch(`${world.server.url}/api/auth/me`, { headers: { cookie } });
    expect(replay.status).toBe(401);
  });
});

describe('Throttle', () => {
  it('waits 1 s, 2 s, 4 s… after five attempts, capped, and gives back the attempts that succeeded', () => {
    let now = 0;
    const throttle = new Throttle({ freeAttempts: 5, maxDelayMs: 60_000 }, () => now);
    for (let i = 0; i < 5; i++) throttle.count('k');
    expect(throttle.wait('k')).toBe(0);
    throttle.count('k');
    expect(throttle.wait('k')).toBe(1);
    now += 1000;
    throttle.count('k');
    expect(throttle.wait('k')).toBe(2);
    for (let i = 0; i < 20; i++) throttle.count('k');
    expect(throttle.wait('k')).toBe(60);
    throttle.clear('k');
    expect(throttle.wait('k')).toBe(0);
    for (let i = 0; i < 6; i++) throttle.count('r');
    throttle.refund('r');
    expect(throttle.wait('r')).toBe(0);
  });
});

describe('the session check', () => {
  it('reads the accounts once per request, however many route groups the request passes through', async () => {
    const { base, docId } = await projectWithDocument(world.admin, 'Nous ressaisissons tout deux fois.');
    const code = await world.admin.post(`${base}/codes`, { name: 'Redondance de saisie' });
    // With PostgreSQL each read of the accounts is a round trip to the database.
    const reads = vi.spyOn(world.server.store, 'readInstance');
    const coding = await world.admin.post(`${base}/codings`, {
      documentId: docId,
      codeId: code.body.id,
      start: 0,
      end: 4,
    });
    expect(coding.status).toBe(201);
    expect(reads).toHaveBeenCalledTimes(1);
    reads.mockClear();
    expect((await world.admin.get(`${base}/codes`)).status).toBe(200);
    expect(reads).toHaveBeenCalledTimes(1);
    reads.mockRestore();
  });
});
