import { Hono } from 'hono';
import { canReadEvent } from '../../shared/access.ts';
import {
  auditKind,
  type AuditKind,
  auditSubject,
  canSeeInTrail,
  matchesAudit,
  type AuditFilter,
} from '../../shared/audit.ts';
import { isRedacted, type LoggedProjectEvent } from '../../shared/events.ts';
import type { ProjectId } from '../../shared/ids.ts';
import type { ProjectState, Role } from '../../shared/model.ts';
import { AuditQuery } from '../../shared/queries.ts';
import { toCsv } from '../../shared/table-csv.ts';
import { requireUser } from '../auth/sessions.ts';
import { projectFor } from '../http/access.ts';
import { attachment } from '../http/attachment.ts';
import type { Env } from '../http/env.ts';
import { validate } from '../http/validate.ts';
import type { Store } from '../storage/store.ts';

const PAGE = 2000;

/**
 * The events a member may see in the trail and that pass `filter`, newest first, read from the log
 * page by page (the log is read forwards; only the matching events are kept).
 */
async function trail(
  store: Store,
  id: ProjectId,
  role: Role,
  filter: AuditFilter,
  before: number | undefined,
): Promise<LoggedProjectEvent[]> {
  const out: LoggedProjectEvent[] = [];
  for (let after = 0; ;) {
    const page = await store.readEvents(id, after, PAGE);
    for (const event of page) {
      if (before !== undefined && event.seq >= before) return out.reverse();
      if (canReadEvent(role, event) && canSeeInTrail(role, event) && matchesAudit(event, filter))
        out.push(event);
    }
    if (page.length < PAGE) return out.reverse();
    after = (page.at(-1) as LoggedProjectEvent).seq;
  }
}

/** French names of the kinds, for the CSV a spreadsheet opens. */
const KIND_LABELS: Record<AuditKind, string> = {
  coding: 'codage',
  code: 'code',
  document: 'document',
  participant: 'participant·e',
  member: 'membre',
  project: 'projet',
  journal: 'journal',
  export: 'export avec noms réels',
  erasure: 'effacement',
};

/** One trail entry as a CSV row: when, who, what kind, what type, on which document and codes. */
function csvRow(event: LoggedProjectEvent, state: Readonly<ProjectState>, userName: (id: string) => string) {
  const subject = auditSubject(event);
  const documentName =
    subject.documentId === undefined ? '' : (state.documents[subject.documentId]?.name ?? subject.documentId);
  const codeNames = subject.codeIds.map((codeId) => state.codes[codeId]?.name ?? codeId).join(', ');
  return [
    event.seq,
    event.at,
    userName(event.userId),
    KIND_LABELS[auditKind(event)],
    event.type,
    documentName,
    codeNames,
    event.undoOf !== undefined
      ? `annulation de ${event.undoOf}`
      : event.redoOf !== undefined
        ? `rétablissement de ${event.redoOf}`
        : '',
    isRedacted(event) ? 'contenu effacé' : '',
  ];
}

/**
 * The audit trail of a project (any member): every change, who made it and when, newest first,
 * filtered by person, kind and dates; real-name exports and erasures for leads only. As JSON
 * pages, or whole as CSV.
 */
export function auditRoutes(store: Store) {
  return new Hono<Env>()
    .use(requireUser(store))
    .get('/', validate('query', AuditQuery), async (c) => {
      const { id, role } = await projectFor(c, store, 'viewer');
      const { before, limit, ...filter } = c.req.valid('query');
      const matching = await trail(store, id, role, filter, before);
      const entries = matching.slice(0, limit);
      const next = matching.length > limit ? (entries.at(-1)?.seq ?? null) : null;
      return c.json({ entries, next }, 200);
    })
    .get('/export.csv', validate('query', AuditQuery), async (c) => {
      const { id, role, state } = await projectFor(c, store, 'viewer');
      const { before, limit: _limit, ...filter } = c.req.valid('query');
      const users = (await store.readInstance()).users;
      const userName = (userId: string) => users[userId]?.displayName || users[userId]?.username || userId;
      const rows = (await trail(store, id, role, filter, before)).map((e) => csvRow(e, state, userName));
      const header = ['n°', 'date', 'personne', 'genre', 'type', 'document', 'codes', 'annulation', 'note'];
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', attachment(`${state.project.name} - historique`, 'csv', 'historique'));
      return c.body(toCsv([header, ...rows]), 200);
    });
}
