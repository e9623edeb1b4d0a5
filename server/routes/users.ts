import { Hono, type MiddlewareHandler } from 'hono';
import { DomainError } from '../../shared/errors.ts';
import { publicUser } from '../../shared/model.ts';
import { NewUser } from '../../shared/schemas.ts';
import { requireUser } from '../auth/sessions.ts';
import { createUser } from '../auth/users.ts';
import type { Env } from '../http/env.ts';
import { validate } from '../http/validate.ts';
import type { Store } from '../storage/store.ts';

const requireAdmin: MiddlewareHandler<Env> = async (c, next) => {
  if (!c.get('user').isAdmin) throw new DomainError('forbidden', "Réservé à l'administrateur de l'instance.");
  await next();
};

export function userRoutes(store: Store) {
  return (
    new Hono<Env>()
      .use(requireUser(store))
      /** Names of every account, so a lead can add members; any signed-in user may read it. */
      .get('/directory', async (c) => {
        const users = Object.values((await store.readInstance()).users);
        return c.json(
          { users: users.map((u) => ({ id: u.id, username: u.username, displayName: u.displayName })) },
          200,
        );
      })
      .get('/', requireAdmin, async (c) => {
        const users = Object.values((await store.readInstance()).users).map(publicUser);
        users.sort((a, b) => a.username.localeCompare(b.username, 'fr'));
        return c.json({ users }, 200);
      })
      .post('/', requireAdmin, validate('json', NewUser), async (c) => {
        const user = await createUser(store, c.get('user').id, c.req.valid('json'));
        return c.json({ user: publicUser(user) }, 201);
      })
  );
}
