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

/** Whether a member of `role` sees `event` in the trail, and it passes `filter`. */
function inTrail(role: Role, filter: AuditFilter, event: LoggedProjectEvent): boolean {
  return canReadEvent(role, event) && canSeeInTrail(role, event) && matchesAudit(event, filter);
}

/**
 * The newest `wanted` events of the trail older than `before` (seq; the whole trail when absent),
 * newest first. The log is read backwards from `before`, or from the head `head` when `before` is
 * absent or past it (from 2^53, the windows would find nothing for ever), in windows that start
 * small and double up to `PAGE`: a page of the trail reads about as many events as it shows
 * (unless the filter passes few), not the whole log.
 */
async function newestInTrail(
  store: Store,
  id: ProjectId,
  role: Role,
  filter: AuditFilter,
  range: { before: number | undefined; head: number },
  wanted = Infinity,
): Promise<LoggedProjectEvent[]> {
  const out: LoggedProjectEvent[] = [];
  let window = Math.min(PAGE, Math.max(64, 2 * wanted));
  // Events with seq < upper are left to read; each window reads those with seq > start.
  let upper = Math.min(range.before ?? Infinity, range.head + 1);
  for (; upper > 1 && out.length < wanted; window = Math.min(PAGE, 2 * window)) {
    const start = Math.max(0, upper - 1 - window);
    // The events between start and upper come first: at most `window` of them, fewer if the log
    // has gaps.
    const page = await store.readEvents(id, start, window);
    for (let i = page.length - 1; i >= 0 && out.length < wanted; i--) {
      const event = page[i] as LoggedProjectEvent;
      if (event.seq < upper && inTrail(role, filter, event)) out.push(event);
    }
    upper = start + 1;
  }
  return out;
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
      const { id, role, state } = await projectFor(c, store, 'viewer');
      const { before, limit, ...filter } = c.req.valid('query');
      // One more than the page: whether there is a next one.
      const range = { before, head: state.seq };
      const matching = await newestInTrail(store, id, role, filter, range, limit + 1);
      const entries = matching.slice(0, limit);
      const next = matching.length > limit ? (entries.at(-1)?.seq ?? null) : null;
      return c.json({ entries, next }, 200);
    })
    .get('/export.csv', validate('query', AuditQuery), async (c) => {
      const { id, role, state } = await projectFor(c, store, 'viewer');
      const { before, limit: _limit, ...filter } = c.req.valid('query');
      const users = (await store.readInstance()).users;
      const userName = (userId: string) => users[userId]?.displayName || users[userId]?.username || userId;
      const trail = await newestInTrail(store, id, role, filter, { before, head: state.seq });
      const rows = trail.map((e) => csvRow(e, state, userName));
      const header = ['n°', 'date', 'personne', 'genre', 'type', 'document', 'codes', 'annulation', 'note'];
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', attachment(`${state.project.name} - historique`, 'csv', 'historique'));
      return c.body(toCsv([header, ...rows]), 200);
    });
}
