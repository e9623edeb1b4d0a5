import type { Context } from 'hono';
import { assertRole } from '../../shared/access.ts';
import { DomainError } from '../../shared/errors.ts';
import { isId, type ProjectId } from '../../shared/ids.ts';
import type { ProjectState, Role } from '../../shared/model.ts';
import type { Store } from '../storage/store.ts';
import type { Env } from './env.ts';

/** The project named by the route, if the signed-in user holds at least `needed` in it. */
export async function projectFor(
  c: Context<Env>,
  store: Store,
  needed: Role,
): Promise<{ id: ProjectId; state: Readonly<ProjectState>; role: Role }> {
  const raw = c.req.param('projectId') ?? '';
  if (!isId(raw)) throw new DomainError('not_found', "Ce projet n'existe pas.");
  const id = raw as ProjectId;
  const state = await store.readProject(id, c.get('arrivedAt'));
  if (!state) {
    const damaged = store.damagedProject?.(id);
    if (damaged) {
      throw new DomainError(
        'project_damaged',
        "Ce projet est endommagé sur le disque : il reste fermé, tel quel, jusqu'à ce qu'un " +
          'administrateur le répare (voir le journal du serveur). Les autres projets ne sont pas touchés.',
      );
    }
    throw new DomainError('not_found', "Ce projet n'existe pas.");
  }
  const role = assertRole(state, c.get('user').id, needed);
  return { id, state, role };
}

/** A route parameter that must be one of our ids; anything else names nothing (404). */
export function idParam<T extends string>(c: Context<Env>, name: string, what: string): T {
  const raw = c.req.param(name) ?? '';
  if (!isId(raw)) throw new DomainError('not_found', `${what} introuvable.`);
  return raw as T;
}
