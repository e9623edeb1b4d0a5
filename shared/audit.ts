/**
 * The audit trail: every change of a project's log sorted into a few kinds a reader filters by
 * (codings, codes, documents, participants, members, the project itself, real-name exports,
 * erasures), and who may see which. Pure: the server filters with it, the client labels with it.
 */
import { roleAtLeast } from './access.ts';
import { isRedacted, type LoggedProjectEvent, type ProjectEventType } from './events.ts';
import type { Role } from './model.ts';

export const AUDIT_KINDS = [
  'coding',
  'code',
  'document',
  'participant',
  'member',
  'project',
  'journal',
  'export',
  'erasure',
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

const KIND_OF: Record<ProjectEventType, AuditKind> = {
  coding_created: 'coding',
  coding_updated: 'coding',
  coding_deleted: 'coding',
  code_created: 'code',
  code_updated: 'code',
  codes_deleted: 'code',
  codes_restored: 'code',
  document_added: 'document',
  document_updated: 'document',
  document_deleted: 'document',
  document_restored: 'document',
  participant_created: 'participant',
  participant_updated: 'participant',
  participant_deleted: 'participant',
  participant_restored: 'participant',
  attributes_set: 'participant',
  member_set: 'member',
  member_removed: 'member',
  project_created: 'project',
  project_updated: 'project',
  settings_updated: 'project',
  replacements_set: 'project',
  journal_entry_added: 'journal',
  journal_entry_updated: 'journal',
  journal_entry_deleted: 'journal',
  export_with_real_names: 'export',
  erasure: 'erasure',
};

/** The kind of an event, for the trail's filter. */
export function auditKind(event: { readonly type: ProjectEventType }): AuditKind {
  return KIND_OF[event.type];
}

/**
 * Kinds the trail shows to the project's leads only: who exported real names, and when someone's
 * words were erased, are the leads' accountability (the events themselves hold no personal data).
 */
export const LEAD_ONLY_KINDS: ReadonlySet<AuditKind> = new Set(['export', 'erasure']);

/** Whether a member of `role` sees `event` in the audit trail. */
export function canSeeInTrail(role: Role, event: { readonly type: ProjectEventType }): boolean {
  return !LEAD_ONLY_KINDS.has(auditKind(event)) || roleAtLeast(role, 'lead');
}

export interface AuditFilter {
  readonly userId?: string | undefined;
  readonly kind?: AuditKind | undefined;
  /** ISO dates (`2026-03-01`), inclusive, in UTC. */
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

/** Whether `event` passes the trail's filter (person, kind, dates). */
export function matchesAudit(event: LoggedProjectEvent, filter: AuditFilter): boolean {
  if (filter.userId !== undefined && event.userId !== filter.userId) return false;
  if (filter.kind !== undefined && auditKind(event) !== filter.kind) return false;
  const day = event.at.slice(0, 10);
  if (filter.from !== undefined && day < filter.from) return false;
  if (filter.to !== undefined && day > filter.to) return false;
  return true;
}

/** The ids an event is about: its document and codes, when it says (a tombstone says nothing). */
export function auditSubject(event: LoggedProjectEvent): { documentId?: string; codeIds: string[] } {
  if (isRedacted(event)) return { codeIds: [] };
  switch (event.type) {
    case 'coding_created':
    case 'coding_deleted':
      return { documentId: event.coding.documentId, codeIds: [event.coding.codeId] };
    case 'coding_updated':
      return {
        documentId: event.after.documentId,
        codeIds: [...new Set([event.before.codeId, event.after.codeId])],
      };
    case 'code_created':
      return { codeIds: [event.code.id] };
    case 'code_updated':
      return { codeIds: [event.after.id] };
    case 'codes_deleted':
    case 'codes_restored':
      return { codeIds: event.codes.map((c) => c.id) };
    case 'document_added':
    case 'document_deleted':
    case 'document_restored':
      return { documentId: event.document.id, codeIds: [] };
    case 'document_updated':
      return { documentId: event.after.id, codeIds: [] };
    default:
      return { codeIds: [] };
  }
}
