import { DomainError } from './errors.ts';
import type { ProjectState, Role } from './model.ts';

const RANK: Record<Role, number> = { viewer: 1, coder: 2, lead: 3 };

/** Whether `role` grants at least what `needed` grants. */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

/**
 * The role of a user in a project, checked against the role an action needs. A non-member is told
 * the project does not exist (404), so projects cannot be discovered by probing.
 * @throws DomainError `not_found` for non-members, `forbidden` for a role too low.
 */
export function assertRole(state: Readonly<ProjectState>, userId: string, needed: Role): Role {
  const role = state.members[userId];
  if (!role) throw new DomainError('not_found', "Ce projet n'existe pas.");
  if (!roleAtLeast(role, needed)) {
    const what = {
      lead: 'aux responsables du projet',
      coder: 'aux codeurs et responsables',
      viewer: 'aux membres',
    }[needed];
    throw new DomainError('forbidden', `Cette action est réservée ${what}.`, { role, needed });
  }
  return role;
}

/** The role that lets a member read the project's event log (its pages and the live feed). */
export const READ_EVENTS_ROLE: Role = 'viewer';

/**
 * Whether a user holding `role` in a project (undefined: not a member) may be sent `event`. The
 * one filter of every way out of the event log — the JSON pages and each live feed, per event —
 * so that a feed never sends what the recipient could not read through the API. Today every event
 * is readable by every member; a redaction or a per-coder visibility rule belongs here.
 */
export function canReadEvent(role: Role | undefined, _event: { readonly type: string }): boolean {
  return role !== undefined && roleAtLeast(role, READ_EVENTS_ROLE);
}
