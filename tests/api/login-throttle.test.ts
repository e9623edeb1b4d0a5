import type * as Crypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { UserId } from '../../shared/ids.ts';
import { ADMIN, startWorld, type World } from './setup.ts';

let world: World | undefined;
afterEach(async () => {
  await world?.server.stop();
  world = undefined;
});

/** A login as a browser behind the proxy at `address` would send it. */
async function login(w: World, body: { username: string; password: string }, forwardedFor?: string) {
  const res = await fetch(`${w.server.url}/api/auth/login`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
}

/** The cost parameter of every scrypt derivation the server makes, in order. */
const derivations = vi.hoisted(() => ({ costs: [] as number[] }));
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof Crypto>();
  const scrypt = ((...args: Parameters<typeof real.scrypt>) => {
    const options = args[3];
    derivations.costs.push(typeof options === 'object' && options !== null ? Number(options.N) : 0);
    return (real.scrypt as (...a: unknown[]) => void)(...args);
  }) as typeof real.scrypt;
  return { ...real, default: { ...real, scrypt }, scrypt };
});

describe('login throttling', () => {
  it('counts parallel wrong passwords before hashing: of 30 at once, only the free ones and one per elapsed delay are checked', async () => {
    world = await startWorld();
    const w = world;
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => login(w, { username: 'admin', password: `faux-${i}` })),
    );
    const statuses = answers.map((a) => a.status);
    // Five free attempts, then one more each time a delay (1 s, 2 s…) has run out meanwhile.
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(8);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(22);
  });

  it('behind a trusted proxy, one guesser does not lock the account for the others', async () => {
    world = await startWorld({ trustProxy: true });
    for (let i = 0; i < 10; i++)
      await login(world, { username: 'admin', password: `faux-${i}` }, '203.0.113.7');
    expect((await login(world, { username: 'admin', password: 'faux' }, '203.0.113.7')).status).toBe(429);
    // The proxy appends the address it saw: what the client wrote before it is not believed.
    expect((await login(world, ADMIN, '198.51.100.2, 203.0.113.7')).status).toBe(429);
    expect((await login(world, ADMIN, '203.0.113.7, 198.51.100.2')).status).toBe(200);
  });

  it('without VERBATIM_TRUST_PROXY, X-Forwarded-For is not believed', async () => {
    world = await startWorld();
    for (let i = 0; i < 6; i++)
      await login(world, { username: 'admin', password: `faux-${i}` }, `203.0.113.${i}`);
    expect((await login(world, ADMIN, '198.51.100.2')).status).toBe(429);
  });

  it('slows down one account guessed from many addresses', async () => {
    world = await startWorld({ trustProxy: true });
    for (let i = 0; i < 21; i++) {
      expect(
        (await login(world, { username: 'admin', password: `faux-${i}` }, `203.0.113.${i}`)).status,
      ).toBe(401);
    }
    const slowed = await login(world, { username: 'admin', password: 'faux' }, '198.51.100.9');
    expect(slowed.status).toBe(429);
    expect(slowed.body.error?.code).toBe('too_many_requests');
    // Another account is not concerned.
    await world.user('camille');
    expect(
      (await login(world, { username: 'camille', password: 'secret-camille' }, '198.51.100.9')).status,
    ).toBe(200);
  });

  it('throttles the password change too', async () => {
    world = await startWorld();
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      statuses.push(
        (
          await world.admin.post('/api/auth/password', {
            currentPassword: `faux-${i}`,
            newPassword: 'nouveau-secret',
          })
        ).status,
      );
    }
    expect(statuses.slice(0, 5)).toEqual([403, 403, 403, 403, 403]);
    expect(statuses).toContain(429);
  });

  it('does the same work for an unknown name, an account without password and a wrong password', async () => {
    world = await startWorld({ trustProxy: true });
    const w = world;
    // An account created by a project import has no password.
    await w.server.store.changeInstance(null, () => ({
      events: [
        {
          type: 'user_created',
          user: {
            id: '0b6f1a5e-6c1b-4c39-9b1e-1f1d6a0b8c2d' as UserId,
            username: 'importe',
            displayName: 'Importé',
            isAdmin: false,
            passwordHash: '',
            passwordVersion: 1,
            createdAt: new Date().toISOString(),
          },
        },
      ],
      result: null,
    }));
    // The stand-in hash for a missing password is made once, at the first such login.
    await login(w, { username: 'personne-du-tout', password: 'pas-le-bon-mot' }, '192.0.2.200');
    // Time is not measured (a loaded machine makes any timing flaky): the work is. Each refusal costs
    // exactly one scrypt derivation with the cost of a real password's, whatever the reason.
    const work: Record<string, number[]> = {};
    for (const [i, username] of ['personne', 'importe', 'admin'].entries()) {
      derivations.costs.length = 0;
      const res = await login(w, { username, password: 'pas-le-bon-mot' }, `192.0.2.${i + 1}`);
      expect(res.status).toBe(401);
      expect(res.body.error?.message).toBe('Identifiant ou mot de passe incorrect.');
      work[username] = [...derivations.costs];
    }
    expect(work).toEqual({ personne: [16384], importe: [16384], admin: [16384] });
  });
});
