import { DomainError } from '../../shared/errors.ts';
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
