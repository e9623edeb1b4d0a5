import { Hono } from 'hono';
import { DomainError } from '../../shared/errors.ts';
import { publicUser } from '../../shared/model.ts';
import { Credentials, LoginInput, PasswordChange } from '../../shared/schemas.ts';
import { foldForComparison } from '../../shared/text.ts';
import { hashPassword } from '../auth/passwords.ts';
import { LoginThrottle } from '../auth/throttle.ts';
import { getConnInfo } from '@hono/node-server/conninfo';
import { dummyHash, verifyPassword } from '../auth/passwords.ts';
import { endSession, requireUser, sessionUser, startSession } from '../auth/sessions.ts';
import { createUser, findUserByName } from '../auth/users.ts';
import type { Env } from '../http/env.ts';
import { validate } from '../http/validate.ts';
import type { Store } from '../storage/store.ts';

export function authRoutes(store: Store, throttle = new LoginThrottle()) {
  return (
    new Hono<Env>()
      .get('/status', async (c) => {
        const state = await store.readInstance();
        const found = await sessionUser(c, store);
        return c.json(
          {
            setupRequired: Object.keys(state.users).length === 0,
            user: found ? publicUser(found.user) : null,
          },
          200,
        );
      })
      .post('/setup', validate('json', Credentials), async (c) => {
        const input = c.req.valid('json');
        const user = await createUser(store, null, { ...input, isAdmin: true }, { onlyIfNoUser: true });
        await startSession(c, store, user);
        return c.json({ user: publicUser(user) }, 201);
      })
      .post('/login', validate('json', LoginInput), async (c) => {
        const { username, password } = c.req.valid('json');
        let address = 'inconnue';
        try {
          address = getConnInfo(c).remote.address ?? address;
        } catch {
          // Not served by Node (tests calling app.request): one bucket per account.
        }
        const key = `${foldForComparison(username.trim())}|${address}`;
        throttle.check(key);
        const user = findUserByName((await store.readInstance()).users, username);
        const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
        if (!user || !ok) {
          throttle.fail(key);
          throw new DomainError('unauthenticated', 'Identifiant ou mot de passe incorrect.');
        }
        throttle.succeed(key);
        await startSession(c, store, user);
        return c.json({ user: publicUser(user) }, 200);
      })
      .post('/logout', requireUser(store), async (c) => {
        await endSession(c, store, c.get('sessionHash'), c.get('user').id);
        return c.body(null, 204);
      })
      .get('/me', requireUser(store), (c) => c.json({ user: publicUser(c.get('user')) }, 200))
      /** Change one's password: every other session of the account ends; this one is renewed. */
      .post('/password', requireUser(store), validate('json', PasswordChange), async (c) => {
        const { currentPassword, newPassword } = c.req.valid('json');
        const user = c.get('user');
        if (!(await verifyPassword(currentPassword, user.passwordHash))) {
          throw new DomainError('forbidden', 'Le mot de passe actuel est incorrect.');
        }
        const passwordHash = await hashPassword(newPassword);
        const updated = await store.changeInstance(user.id, (state) => {
          const before = state.users[user.id];
          if (!before) throw new DomainError('not_found', 'Compte introuvable.');
          const after = { ...before, passwordHash, passwordVersion: before.passwordVersion + 1 };
          const sessions = Object.values(state.sessions)
            .filter((s) => s.userId === user.id)
            .map((s) => s.tokenHash);
          return {
            events: [
              { type: 'user_updated' as const, before, after },
              ...(sessions.length > 0 ? [{ type: 'sessions_deleted' as const, tokenHashes: sessions }] : []),
            ],
            result: after,
          };
        });
        await startSession(c, store, updated);
        return c.json({ user: publicUser(updated) }, 200);
      })
  );
}
