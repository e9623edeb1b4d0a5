import { createHash, randomBytes } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { DomainError } from '../../shared/errors.ts';
import type { InstanceState } from '../../shared/events.ts';
import type { UserRecord } from '../../shared/model.ts';
import type { Env } from '../http/env.ts';
import type { Store } from '../storage/store.ts';

export const SESSION_COOKIE = 'verbatim_session';
const SESSION_DAYS = 14;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/**
 * Open a session for a user and set its cookie (HttpOnly, SameSite=Strict, and Secure when the
 * request came over HTTPS, `secure`).
 */
export async function startSession(
  c: Context,
  store: Store,
  user: UserRecord,
  secure: boolean,
): Promise<void> {
  const token = randomBytes(32).toString('base64url');
  const now = new Date();
  const session = {
    tokenHash: hashToken(token),
    userId: user.id,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + SESSION_DAYS * 86_400_000).toISOString(),
    passwordVersion: user.passwordVersion,
  };
  await store.changeInstance(user.id, (state) => {
    // Forget this user's expired sessions while we are here.
    const expired = Object.values(state.sessions)
      .filter((s) => s.userId === user.id && s.expiresAt <= session.createdAt)
      .map((s) => s.tokenHash);
    return {
      events: [
        ...(expired.length > 0 ? [{ type: 'sessions_deleted' as const, tokenHashes: expired }] : []),
        { type: 'session_created' as const, session },
      ],
      result: null,
    };
  });
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    secure,
    maxAge: SESSION_DAYS * 86_400,
  });
}

/**
 * The account of a session, if the session is still valid: not ended, not expired, issued since
 * the last password change, and the account not disabled. Checked by every request and, while it
 * stays open, by every live feed.
 */
export function sessionAccount(
  state: Readonly<InstanceState>,
  hash: string,
  now = new Date().toISOString(),
): UserRecord | undefined {
  const session = state.sessions[hash];
  if (!session || session.expiresAt <= now) return undefined;
  const user = state.users[session.userId];
  if (!user || user.disabled === true || user.passwordVersion !== session.passwordVersion) return undefined;
  return user;
}

/** The user of the request's session, if it is valid (`since`: see Store.readInstance). */
export async function sessionUser(
  c: Context,
  store: Store,
  since?: number,
): Promise<{ user: UserRecord; hash: string } | undefined> {
  const token = getCookie(c, SESSION_COOKIE);
  if (!token) return undefined;
  const hash = hashToken(token);
  const user = sessionAccount(await store.readInstance(since), hash);
  return user ? { user, hash } : undefined;
}

export async function endSession(
  c: Context,
  store: Store,
  hash: string,
  userId: UserRecord['id'],
): Promise<void> {
  await store.changeInstance(userId, (state) => ({
    events: state.sessions[hash] ? [{ type: 'sessions_deleted', tokenHashes: [hash] }] : [],
    result: null,
  }));
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
}

/**
 * Require a valid session; sets `user` and `sessionHash` on the context. A request that passes
 * through several route groups (`/projects`, then `/projects/:projectId/codings`) meets this
 * check in each: checked once, by the first (with PostgreSQL, each check is a round trip to the
 * database).
 */
export function requireUser(store: Store): MiddlewareHandler<Env> {
  return async (c, next) => {
    if (c.get('user')) return next();
    const arrivedAt = performance.now();
    const found = await sessionUser(c, store, arrivedAt);
    if (!found) throw new DomainError('unauthenticated', 'Veuillez vous connecter.');
    c.set('user', found.user);
    c.set('sessionHash', found.hash);
    c.set('arrivedAt', arrivedAt);
    await next();
  };
}
