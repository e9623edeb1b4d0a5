import { DomainError } from './errors.ts';
import type { JournalEntry, ProjectState } from './model.ts';
import { foldForComparison } from './text.ts';

/**
 * Refuse a memo saved over one the saver never saw: `memoBefore` is the memo the client's edit
 * started from. Without it, the memo is simply replaced (as scripts expect).
 */
export function assertMemoUnchanged(current: string, memoBefore: string | undefined): void {
  if (memoBefore !== undefined && memoBefore !== current) {
    throw new DomainError(
      'conflict',
      'Ce mémo a été modifié par quelqu’un d’autre pendant que vous l’écriviez : rien n’a été écrasé. Relisez le mémo enregistré, puis enregistrez de nouveau.',
      { memo: current },
    );
  }
}

/**
 * Where a memo is written: in the project's journal (dated, free-standing), on a document, a code
 * (its definition) or a coding.
 */
export const MEMO_KINDS = ['journal', 'document', 'code', 'coding'] as const;
export type MemoKind = (typeof MEMO_KINDS)[number];

/** One memo of the project, with what it is about. */
export interface MemoEntry {
  readonly kind: MemoKind;
  /** The journal entry, or the document, code or coding it is written on. */
  readonly id: string;
  readonly text: string;
  /** A journal entry's title and day (`AAAA-MM-JJ`). */
  readonly title?: string;
  readonly date?: string;
  readonly documentId?: string;
  readonly documentName?: string;
  readonly codeId?: string;
  readonly codeName?: string;
  /** For a coding's memo: the passage it is about. */
  readonly quote?: string;
  readonly start?: number;
  /** Who wrote it and when, when known (a coding's coder and date). */
  readonly authorId?: string;
  readonly at?: string;
}

/** A memo as it leaves the server: every text it holds passed through `replace` (pseudonymisation). */
export function replaceInMemo(memo: MemoEntry, replace: (text: string) => string): MemoEntry {
  const optional = (key: 'title' | 'documentName' | 'codeName' | 'quote') =>
    memo[key] === undefined ? {} : { [key]: replace(memo[key] as string) };
  return {
    ...memo,
    text: replace(memo.text),
    ...optional('title'),
    ...optional('documentName'),
    ...optional('codeName'),
    ...optional('quote'),
  };
}

/** The journal's entries in the order they are read: by day, then as they were written. */
export function journalEntries(state: Readonly<Pick<ProjectState, 'journal'>>): JournalEntry[] {
  return Object.values(state.journal ?? {}).sort(
    (a, b) => a.date.localeCompare(b.date) || a.createdAt.localeCompare(b.createdAt),
  );
}

/**
 * Every memo of the project — the journal's entries, documents', codes' definitions, codings' —
 * that holds `query` (without regard to case or accents), of `kind` when given: the journal by
 * day, then documents by name, codes by name, and codings by document and position.
 */
export function projectMemos(
  state: Readonly<Pick<ProjectState, 'documents' | 'codes' | 'codings' | 'journal'>>,
  filter: { query?: string | undefined; kind?: MemoKind | undefined } = {},
): MemoEntry[] {
  const wanted = filter.query ? foldForComparison(filter.query.trim()) : '';
  const keep = (kind: MemoKind, ...texts: (string | undefined)[]) =>
    (filter.kind === undefined || filter.kind === kind) &&
    (wanted === '' || texts.some((t) => t !== undefined && foldForComparison(t).includes(wanted)));
  const byName = (a: { name: string }, b: { name: string }) =>
    a.name.localeCompare(b.name, 'fr', { numeric: true });
  const out: MemoEntry[] = [];
  for (const e of journalEntries(state)) {
    if (keep('journal', e.title, e.text, e.date))
      out.push({
        kind: 'journal',
        id: e.id,
        text: e.text,
        title: e.title,
        date: e.date,
        authorId: e.authorId,
        at: e.updatedAt,
      });
  }
  for (const d of Object.values(state.documents).sort(byName)) {
    if (d.memo.trim() !== '' && keep('document', d.memo, d.name))
      out.push({ kind: 'document', id: d.id, text: d.memo, documentId: d.id, documentName: d.name });
  }
  for (const c of Object.values(state.codes).sort(byName)) {
    if (c.description.trim() !== '' && keep('code', c.description, c.name))
      out.push({ kind: 'code', id: c.id, text: c.description, codeId: c.id, codeName: c.name });
  }
  const codings = Object.values(state.codings)
    .filter((c) => c.memo.trim() !== '')
    .sort((a, b) => {
      const da = state.documents[a.documentId]?.name ?? '';
      const db = state.documents[b.documentId]?.name ?? '';
      return da.localeCompare(db, 'fr', { numeric: true }) || a.start - b.start;
    });
  for (const c of codings) {
    const document = state.documents[c.documentId];
    const code = state.codes[c.codeId];
    if (!keep('coding', c.memo, c.text, code?.name, document?.name)) continue;
    out.push({
      kind: 'coding',
      id: c.id,
      text: c.memo,
      documentId: c.documentId,
      ...(document ? { documentName: document.name } : {}),
      codeId: c.codeId,
      ...(code ? { codeName: code.name } : {}),
      quote: c.text,
      start: c.start,
      authorId: c.coderId,
      at: c.createdAt,
    });
  }
  return out;
}
