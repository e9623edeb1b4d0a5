import type { Context } from 'hono';
import { Hono } from 'hono';
import { projectMemos, replaceInMemo, type MemoEntry } from '../../shared/memos.ts';
import { MemoExportQuery, MemoQuery } from '../../shared/queries.ts';
import { toCsv } from '../../shared/table-csv.ts';
import { requireUser } from '../auth/sessions.ts';
import { buildMemosDocx } from '../export/memos-docx.ts';
import { replacerFor } from '../export/selection.ts';
import { projectFor } from '../http/access.ts';
import { attachment } from '../http/attachment.ts';
import type { Env } from '../http/env.ts';
import { allowRealNames } from '../http/real-names.ts';
import { validate } from '../http/validate.ts';
import type { Store } from '../storage/store.ts';

const KIND_LABELS = {
  journal: 'journal',
  document: 'document',
  code: 'code (définition)',
  coding: 'codage',
} as const;

/**
 * The memos an export sends: pseudonymised like every export (participants' names, the
 * replacement list, unpublishable attribute values), unless a lead asks for real names, which is
 * recorded in the project's log first.
 */
async function memosToExport(
  c: Context<Env>,
  store: Store,
  query: { q?: string | undefined; kind?: MemoEntry['kind'] | undefined; pseudonymise: boolean },
  format: string,
) {
  const project = await projectFor(c, store, 'viewer');
  const filters = {
    ...(query.q ? { q: [query.q] } : {}),
    ...(query.kind ? { kind: [query.kind] } : {}),
  };
  const state = query.pseudonymise ? project.state : await allowRealNames(c, store, project, format, filters);
  const replace = replacerFor(state, query.pseudonymise);
  const memos = projectMemos(state, { query: query.q, kind: query.kind }).map((m) =>
    replaceInMemo(m, (text) => replace.apply(text)),
  );
  const users = (await store.readInstance()).users;
  const author = (id: string) => users[id]?.displayName || users[id]?.username || undefined;
  return { state, memos, author, projectName: replace.apply(state.project.name) };
}

/**
 * Every memo of a project in one list (any member): the journal's entries, documents', codes'
 * definitions, codings', searchable and filtered by kind; and the same list as CSV and as a Word
 * document. Memos are the team's notes and may name people: the list is read inside the project
 * like its texts, and leaves it pseudonymised, like every export.
 */
export function memoRoutes(store: Store) {
  return new Hono<Env>()
    .use(requireUser(store))
    .get('/', validate('query', MemoQuery), async (c) => {
      const { state } = await projectFor(c, store, 'viewer');
      const { q, kind } = c.req.valid('query');
      return c.json({ memos: projectMemos(state, { query: q, kind }) }, 200);
    })
    .get('/export.csv', validate('query', MemoExportQuery), async (c) => {
      const { memos, author, projectName } = await memosToExport(c, store, c.req.valid('query'), 'memos.csv');
      const rows = memos.map((m) => [
        KIND_LABELS[m.kind],
        m.date ?? '',
        m.title ?? '',
        m.documentName ?? '',
        m.codeName ?? '',
        m.quote ?? '',
        m.text,
        m.authorId ? (author(m.authorId) ?? '') : '',
        m.at ?? '',
      ]);
      const header = ['sur', 'jour', 'titre', 'document', 'code', 'passage', 'mémo', 'auteur·rice', 'date'];
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', attachment(`${projectName} - mémos`, 'csv', 'memos'));
      return c.body(toCsv([header, ...rows]), 200);
    })
    .get('/export.docx', validate('query', MemoExportQuery), async (c) => {
      const query = c.req.valid('query');
      const { memos, author, projectName } = await memosToExport(c, store, query, 'memos.docx');
      const filters = [
        ...(query.q ? [`Recherche : « ${query.q} »`] : []),
        ...(query.kind ? [`Écrits sur : ${KIND_LABELS[query.kind]}`] : []),
        query.pseudonymise
          ? 'Pseudonymisation : oui (liste de remplacements et pseudonymes des participant·es)'
          : 'Pseudonymisation : NON — ce document contient des noms réels',
      ];
      const bytes = await buildMemosDocx(memos, author, { projectName, date: new Date(), filters });
      c.header('Content-Type', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      c.header('Content-Disposition', attachment(`${projectName} - mémos`, 'docx', 'memos'));
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200);
    });
}
