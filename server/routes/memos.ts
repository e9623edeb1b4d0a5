import { Hono } from 'hono';
import { projectMemos } from '../../shared/memos.ts';
import { MemoQuery } from '../../shared/queries.ts';
import { toCsv } from '../../shared/table-csv.ts';
import { requireUser } from '../auth/sessions.ts';
import { projectFor } from '../http/access.ts';
import { attachment } from '../http/attachment.ts';
import type { Env } from '../http/env.ts';
import { validate } from '../http/validate.ts';
import type { Store } from '../storage/store.ts';

const KIND_LABELS = { document: 'document', code: 'code (définition)', coding: 'codage' } as const;

/**
 * Every memo of a project in one list (any member): documents', codes' definitions, codings',
 * searchable and filtered by kind; and the same list as CSV. Memos are the team's notes and may
 * name people: they leave with the project's access check, like the texts.
 */
export function memoRoutes(store: Store) {
  return new Hono<Env>()
    .use(requireUser(store))
    .get('/', validate('query', MemoQuery), async (c) => {
      const { state } = await projectFor(c, store, 'viewer');
      const { q, kind } = c.req.valid('query');
      return c.json({ memos: projectMemos(state, { query: q, kind }) }, 200);
    })
    .get('/export.csv', validate('query', MemoQuery), async (c) => {
      const { state } = await projectFor(c, store, 'viewer');
      const { q, kind } = c.req.valid('query');
      const users = (await store.readInstance()).users;
      const rows = projectMemos(state, { query: q, kind }).map((m) => [
        KIND_LABELS[m.kind],
        m.documentName ?? '',
        m.codeName ?? '',
        m.quote ?? '',
        m.text,
        m.authorId ? users[m.authorId]?.displayName || users[m.authorId]?.username || '' : '',
        m.at ?? '',
      ]);
      const header = ['sur', 'document', 'code', 'passage', 'mémo', 'auteur·rice', 'date'];
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', attachment(`${state.project.name} - mémos`, 'csv', 'memos'));
      return c.body(toCsv([header, ...rows]), 200);
    });
}
