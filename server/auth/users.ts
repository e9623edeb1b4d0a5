import { DomainError } from '../../shared/errors.ts';
import type { InstanceEventBody, InstanceState } from '../../shared/events.ts';
import { newId, type UserId } from '../../shared/ids.ts';
import type { UserRecord } from '../../shared/model.ts';
import { foldForComparison } from '../../shared/text.ts';
import type { Store } from '../storage/store.ts';
import { hashPassword } from './passwords.ts';

export interface NewUserInput {
  username: string;
  password: string;
  displayName?: string | undefined;
  isAdmin?: boolean | undefined;
}

/**
 * Create an account. Usernames are unique without regard to case or accents.
 * `onlyIfNoUser` makes it the first-run set-up: refused once any account exists.
 */
export async function createUser(
  store: Store,
  actor: UserId | null,
  input: NewUserInput,
  options: { onlyIfNoUser?: boolean } = {},
): Promise<UserRecord> {
  const passwordHash = await hashPassword(input.password);
  const user: UserRecord = {
    id: newId<UserId>(),
    username: input.username,
    displayName: input.displayName ?? input.username,
    isAdmin: input.isAdmin ?? false,
    passwordHash,
    passwordVersion: 1,
    createdAt: new Date().toISOString(),
  };
  return store.changeInstance(actor, (state) => {
    const users = Object.values(state.users);
    if (options.onlyIfNoUser && users.length > 0) {
      throw new DomainError('already_set_up', 'Verbatim est déjà configuré : connectez-vous.');
    }
    const folded = foldForComparison(user.username);
    if (users.some((u) => foldForComparison(u.username) === folded)) {
      throw new DomainError('duplicate_name', `L'identifiant « ${user.username} » est déjà pris.`);
    }
    return { events: [{ type: 'user_created', user }], result: user };
  });
}

export function findUserByName(
  users: Readonly<Record<string, UserRecord>>,
  username: string,
): UserRecord | undefined {
  const folded = foldForComparison(username.trim());
  return Object.values(users).find((u) => foldForComparison(u.username) === folded);
}

/** The sessions of one account, to end them. */
function sessionsOf(state: Readonly<InstanceState>, userId: UserId): string[] {
  return Object.values(state.sessions)
    .filter((s) => s.userId === userId)
    .map((s) => s.tokenHash);
}

function endSessions(state: Readonly<InstanceState>, userId: UserId): InstanceEventBody[] {
  const hashes = sessionsOf(state, userId);
  return hashes.length > 0 ? [{ type: 'sessions_deleted', tokenHashes: hashes }] : [];
}

/**
 * Give an account a new password (its owner's change, or an administrator's): every session of
 * the account ends, and `passwordVersion` moves on so that no older one can come back.
 */
export function replacePassword(
  store: Store,
  actor: UserId,
  userId: UserId,
  passwordHash: string,
): Promise<UserRecord> {
  return store.changeInstance(actor, (state) => {
    const before = state.users[userId];
    if (!before) throw new DomainError('not_found', 'Compte introuvable.');
    const after = { ...before, passwordHash, passwordVersion: before.passwordVersion + 1 };
    return {
      events: [{ type: 'user_updated', before, after }, ...endSessions(state, userId)],
      result: after,
    };
  });
}

export interface AccountPatch {
  displayName?: string | undefined;
  isAdmin?: boolean | undefined;
  disabled?: boolean | undefined;
}

/**
 * An administrator's change to an account. Disabling it ends its sessions (and so its live
 * feeds); the instance always keeps one administrator whose account is enabled.
 */
export function updateAccount(
  store: Store,
  actor: UserId,
  userId: UserId,
  patch: AccountPatch,
): Promise<UserRecord> {
  return store.changeInstance(actor, (state) => {
    const before = state.users[userId];
    if (!before) throw new DomainError('not_found', 'Compte introuvable.');
    const after: UserRecord = {
      ...before,
      ...(patch.displayName !== undefined ? { displayName: patch.displayName } : {}),
      ...(patch.isAdmin !== undefined ? { isAdmin: patch.isAdmin } : {}),
      ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
    };
    const activeAdmin = (u: UserRecord) => u.isAdmin && u.disabled !== true;
    if (activeAdmin(before) && !activeAdmin(after)) {
      const others = Object.values(state.users).filter((u) => u.id !== userId && activeAdmin(u));
      if (others.length === 0) {
        throw new DomainError(
          'conflict',
          'Verbatim doit garder au moins un administrateur actif : nommez-en un autre d’abord.',
        );
      }
    }
    const unchanged =
      after.displayName === before.displayName &&
      after.isAdmin === before.isAdmin &&
      (after.disabled === true) === (before.disabled === true);
    if (unchanged) return { events: [], result: before };
    const ending = after.disabled === true && before.disabled !== true ? endSessions(state, userId) : [];
    return { events: [{ type: 'user_updated', before, after }, ...ending], result: after };
  });
}
