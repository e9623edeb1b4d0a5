import { Hono } from 'hono';
import { DomainError } from '../../shared/errors.ts';
import { publicUser } from '../../shared/model.ts';
import { Credentials, LoginInput } from '../../shared/schemas.ts';
import { dummyHash, verifyPassword } from '../auth/passwords.ts';
import { endSession, requireUser, sessionUser, startSession } from '../auth/sessions.ts';
import { createUser, findUserByName } from '../auth/users.ts';
import type { Env } from '../http/env.ts';
import { validate } from '../http/validate.ts';
import type { Store } from '../storage/store.ts';

export function authRoutes(store: Store) {
  return new Hono<Env>()
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
      const user = findUserByName((await store.readInstance()).users, username);
      const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
      if (!user || !ok) throw new DomainError('unauthenticated', 'Identifiant ou mot de passe incorrect.');
      await startSession(c, store, user);
      return c.json({ user: publicUser(user) }, 200);
    })
    .post('/logout', requireUser(store), async (c) => {
      await endSession(c, store, c.get('sessionHash'), c.get('user').id);
      return c.body(null, 204);
    })
    .get('/me', requireUser(store), (c) => c.json({ user: publicUser(c.get('user')) }, 200));
}
