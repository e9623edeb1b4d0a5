import { Hono } from 'hono';
import { assertRole } from '../../shared/access.ts';
import { DomainError } from '../../shared/errors.ts';
import type { UserId } from '../../shared/ids.ts';
import type { ProjectState, Role, UserRecord } from '../../shared/model.ts';
import { MemberInput } from '../../shared/schemas.ts';
import { requireUser } from '../auth/sessions.ts';
import { idParam, projectFor } from '../http/access.ts';
import type { Env } from '../http/env.ts';
import { validate } from '../http/validate.ts';
import type { Store } from '../storage/store.ts';

/** The project's members with the names the interface shows. */
export function memberList(state: Readonly<ProjectState>, users: Readonly<Record<string, UserRecord>>) {
  return Object.entries(state.members).map(([userId, role]) => {
    const user = users[userId];
    return { userId, role, username: user?.username ?? '?', displayName: user?.displayName ?? '?' };
  });
}

/** A project keeps at least one lead: nobody could manage it otherwise. */
function assertLeadRemains(state: Readonly<ProjectState>, userId: string, nextRole: Role | null): void {
  if (state.members[userId] !== 'lead' || nextRole === 'lead') return;
  const leads = Object.values(state.members).filter((r) => r === 'lead').length;
  if (leads <= 1) throw new DomainError('conflict', 'Le projet doit garder au moins un responsable.');
}

export function memberRoutes(store: Store) {
  return new Hono<Env>()
    .use(requireUser(store))
    .get('/', async (c) => {
      const { state } = await projectFor(c, store, 'viewer');
      return c.json({ members: memberList(state, (await store.readInstance()).users) }, 200);
    })
    .put('/:userId', validate('json', MemberInput), async (c) => {
      const { id } = await projectFor(c, store, 'lead');
      const memberId = idParam<UserId>(c, 'userId', 'Utilisateur');
      const { role } = c.req.valid('json');
      const users = (await store.readInstance()).users;
      if (!users[memberId]) throw new DomainError('not_found', 'Utilisateur introuvable.');
      const actor = c.get('user').id;
      const state = await store.changeProject(id, actor, (s) => {
        assertRole(s, actor, 'lead');
        const previousRole = s.members[memberId] ?? null;
        if (previousRole === role) return { events: [], result: s };
        assertLeadRemains(s, memberId, role);
        return { events: [{ type: 'member_set', memberId, role, previousRole }], result: s };
      });
      return c.json({ members: memberList(state, users) }, 200);
    })
    .delete('/:userId', async (c) => {
      const { id } = await projectFor(c, store, 'lead');
      const memberId = idParam<UserId>(c, 'userId', 'Membre');
      const actor = c.get('user').id;
      await store.changeProject(id, actor, (s) => {
        assertRole(s, actor, 'lead');
        const role = s.members[memberId];
        if (!role) throw new DomainError('not_found', "Cette personne n'est pas membre du projet.");
        assertLeadRemains(s, memberId, null);
        return { events: [{ type: 'member_removed', memberId, role }], result: null };
      });
      return c.body(null, 204);
    });
}
