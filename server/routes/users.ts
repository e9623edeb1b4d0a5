import { Hono, type MiddlewareHandler } from 'hono';
import { DomainError } from '../../shared/errors.ts';
import { publicUser } from '../../shared/model.ts';
import type { UserId } from '../../shared/ids.ts';
import { NewUser, PasswordReset, UserPatch } from '../../shared/schemas.ts';
import { hashPassword } from '../auth/passwords.ts';
import { requireUser } from '../auth/sessions.ts';
import { createUser, replacePassword, updateAccount } from '../auth/users.ts';
import { idParam } from '../http/access.ts';
import type { Env } from '../http/env.ts';
import { validate } from '../http/validate.ts';
import type { LiveFeeds } from '../live/feeds.ts';
import type { Store } from '../storage/store.ts';

const requireAdmin: MiddlewareHandler<Env> = async (c, next) => {
  if (!c.get('user').isAdmin) throw new DomainError('forbidden', "Réservé à l'administrateur de l'instance.");
  await next();
};

export function userRoutes(store: Store, feeds: LiveFeeds) {
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
      /** Rename, make or unmake administrator, disable or enable an account. */
      .patch('/:userId', requireAdmin, validate('json', UserPatch), async (c) => {
        const userId = idParam<UserId>(c, 'userId', 'Compte');
        const user = await updateAccount(store, c.get('user').id, userId, c.req.valid('json'));
        await feeds.check();
        return c.json({ user: publicUser(user) }, 200);
      })
      /** Set a new password for someone who lost theirs: their sessions end. */
      .post('/:userId/password', requireAdmin, validate('json', PasswordReset), async (c) => {
        const userId = idParam<UserId>(c, 'userId', 'Compte');
        if (!(await store.readInstance()).users[userId])
          throw new DomainError('not_found', 'Compte introuvable.');
        const passwordHash = await hashPassword(c.req.valid('json').password);
        const user = await replacePassword(store, c.get('user').id, userId, passwordHash);
        await feeds.check();
        return c.json({ user: publicUser(user) }, 200);
      })
  );
}
