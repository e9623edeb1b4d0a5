import { Hono, type Context } from 'hono';
import { DomainError } from '../../shared/errors.ts';
import { publicUser } from '../../shared/model.ts';
import { Credentials, LoginInput, PasswordChange } from '../../shared/schemas.ts';
import { foldForComparison } from '../../shared/text.ts';
import { checkPassword, hashPassword } from '../auth/passwords.ts';
import { endSession, requireUser, sessionUser, startSession } from '../auth/sessions.ts';
import { LoginThrottle } from '../auth/throttle.ts';
import { createUser, findUserByName, replacePassword } from '../auth/users.ts';
import { clientAddress, isHttps } from '../http/client-address.ts';
import type { Env } from '../http/env.ts';
import { validate } from '../http/validate.ts';
import type { LiveFeeds } from '../live/feeds.ts';
import type { Store } from '../storage/store.ts';

export interface AuthOptions {
  feeds: LiveFeeds;
  /** VERBATIM_TRUST_PROXY: take the client's address and scheme from the proxy's headers. */
  trustProxy: boolean;
  throttle?: LoginThrottle;
}

const WRONG_CREDENTIALS = 'Identifiant ou mot de passe incorrect.';

export function authRoutes(store: Store, options: AuthOptions) {
  const throttle = options.throttle ?? new LoginThrottle();
  const secure = (c: Context) => isHttps(c, options.trustProxy);
  /** Count the attempt before hashing (throttled per account and per address). */
  const beginCheck = (c: Context, username: string) =>
    throttle.begin(foldForComparison(username.trim()), clientAddress(c, options.trustProxy));
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
        await startSession(c, store, user, secure(c));
        return c.json({ user: publicUser(user) }, 201);
      })
      /** A wrong name, a wrong password, an account without password or a disabled one: same answer, same time. */
      .post('/login', validate('json', LoginInput), async (c) => {
        const { username, password } = c.req.valid('json');
        const attempt = beginCheck(c, username);
        const user = findUserByName((await store.readInstance()).users, username);
        const ok = await checkPassword(password, user?.passwordHash);
        if (!user || !ok || user.disabled === true) {
          throw new DomainError('unauthenticated', WRONG_CREDENTIALS);
        }
        attempt.succeeded();
        await startSession(c, store, user, secure(c));
        return c.json({ user: publicUser(user) }, 200);
      })
      .post('/logout', requireUser(store), async (c) => {
        await endSession(c, store, c.get('sessionHash'), c.get('user').id);
        await options.feeds.check();
        return c.body(null, 204);
      })
      .get('/me', requireUser(store), (c) => c.json({ user: publicUser(c.get('user')) }, 200))
      /** Change one's password: every other session of the account (and its live feeds) ends; this one is renewed. */
      .post('/password', requireUser(store), validate('json', PasswordChange), async (c) => {
        const { currentPassword, newPassword } = c.req.valid('json');
        const user = c.get('user');
        const attempt = beginCheck(c, user.username);
        if (!(await checkPassword(currentPassword, user.passwordHash))) {
          throw new DomainError('forbidden', 'Le mot de passe actuel est incorrect.');
        }
        attempt.succeeded();
        const updated = await replacePassword(store, user.id, user.id, await hashPassword(newPassword));
        await startSession(c, store, updated, secure(c));
        await options.feeds.check();
        return c.json({ user: publicUser(updated) }, 200);
      })
  );
}
