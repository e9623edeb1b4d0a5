/**
 * The project's memos as a Word document — the journal by day, documents' memos, codes'
 * definitions, codings' memos beside the passage they are about — and the same sections for the
 * quote report's memo annex. Texts arrive already pseudonymised (or not, for a lead's recorded
 * real-name export); the styles are the report's.
 */
import { Document, HeadingLevel, Packer, Paragraph } from 'docx';
import { projectMemos, replaceInMemo, type MemoEntry, type MemoKind } from '../../shared/memos.ts';
import type { ProjectState } from '../../shared/model.ts';
import { documentsInScope, type ReviewFilter } from '../../shared/stats/filters.ts';
import { MARGIN, pageFooter, PAGE_HEIGHT, PAGE_WIDTH, plural, runs, STYLES } from './docx-styles.ts';

const SECTION_TITLES: Record<MemoKind, string> = {
  journal: 'Journal du projet',
  document: 'Mémos des documents',
  code: 'Définitions des codes',
  coding: 'Mémos des codages',
};

/** « jeudi 3 décembre 2026 » for `2026-12-03`; the day as given if it cannot be read. */
function longDay(day: string | undefined): string {
  const date = new Date(`${day ?? ''}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return day ?? '';
  return new Intl.DateTimeFormat('fr-FR', { dateStyle: 'full', timeZone: 'UTC' }).format(date);
}

/** A memo's text as paragraphs: one per paragraph of the text, its line breaks kept. */
function textParagraphs(text: string, style?: string): Paragraph[] {
  return text
    .split(/\n{2,}/)
    .filter((p) => p.trim() !== '')
    .map((p) => new Paragraph({ ...(style ? { style } : {}), children: runs(p.trim()) }));
}

type Heading = (typeof HeadingLevel)[keyof typeof HeadingLevel];

function entryParagraphs(
  memo: MemoEntry,
  author: (id: string) => string | undefined,
  heading: Heading,
): Paragraph[] {
  switch (memo.kind) {
    case 'journal': {
      const by = memo.authorId ? author(memo.authorId) : undefined;
      return [
        new Paragraph({ heading, children: runs(`${longDay(memo.date)} — ${memo.title ?? ''}`) }),
        ...(by ? [new Paragraph({ style: 'ThemeDefinition', children: runs(`Écrit par ${by}`) })] : []),
        ...textParagraphs(memo.text),
      ];
    }
    case 'document':
      return [
        new Paragraph({ heading, children: runs(memo.documentName ?? '') }),
        ...textParagraphs(memo.text),
      ];
    case 'code':
      return [new Paragraph({ heading, children: runs(memo.codeName ?? '') }), ...textParagraphs(memo.text)];
    case 'coding':
      return [
        new Paragraph({ style: 'ThemeSummary', children: runs(`Code « ${memo.codeName ?? ''} »`) }),
        new Paragraph({ style: 'Quote', children: runs(`« ${(memo.quote ?? '').trim()} »`) }),
        ...textParagraphs(memo.text, 'VerbatimMemo'),
      ];
  }
}

/**
 * The memos as sections, one per kind present, each under a heading at `level` (1 for a document
 * of its own; the report's annex nests them under its own heading). Codings' memos are grouped by
 * document.
 */
export function memoSections(
  memos: readonly MemoEntry[],
  author: (id: string) => string | undefined,
  level: 1 | 2 = 1,
): Paragraph[] {
  const heading = level === 1 ? HeadingLevel.HEADING_1 : HeadingLevel.HEADING_2;
  const sub = level === 1 ? HeadingLevel.HEADING_2 : HeadingLevel.HEADING_3;
  const out: Paragraph[] = [];
  for (const kind of ['journal', 'document', 'code', 'coding'] as const) {
    const ofKind = memos.filter((m) => m.kind === kind);
    if (ofKind.length === 0) continue;
    out.push(new Paragraph({ heading, children: runs(SECTION_TITLES[kind]) }));
    let documentName: string | undefined;
    for (const memo of ofKind) {
      if (kind === 'coding' && memo.documentName !== documentName) {
        documentName = memo.documentName;
        out.push(new Paragraph({ heading: sub, children: runs(documentName ?? '') }));
      }
      out.push(...entryParagraphs(memo, author, sub));
    }
  }
  return out;
}

/**
 * The memos a quote report with the memos option carries in its annex: the journal's entries and
 * the memos of the documents it reports on, each text passed through `replace`.
 */
export function reportMemos(
  state: Readonly<ProjectState>,
  filter: ReviewFilter,
  replace: (text: string) => string,
): MemoEntry[] {
  const documents = new Set(documentsInScope(state, filter).map((d) => d.id as string));
  return projectMemos(state)
    .filter((m) => m.kind === 'journal' || (m.kind === 'document' && documents.has(m.id)))
    .map((m) => replaceInMemo(m, replace));
}

export interface MemosDocxMeta {
  readonly projectName: string;
  readonly date: Date;
  /** What was asked for: the search, the kind, pseudonymisation. */
  readonly filters: readonly string[];
}

/** The memos as a Word document of their own, with a title page saying what it holds. */
export async function buildMemosDocx(
  memos: readonly MemoEntry[],
  author: (id: string) => string | undefined,
  meta: MemosDocxMeta,
): Promise<Uint8Array> {
  const date = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long' }).format(meta.date);
  const intro = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: runs(meta.projectName) }),
    new Paragraph({ style: 'Subtitle', children: runs('Journal et mémos') }),
    new Paragraph({ spacing: { before: 120, after: 240 }, children: runs(`Document généré le ${date}`) }),
    new Paragraph({ children: runs(plural(memos.length, 'mémo', 'mémos'), { bold: true }) }),
    ...meta.filters.map((line) => new Paragraph({ style: 'ThemeDefinition', children: runs(line) })),
  ];
  const body =
    memos.length > 0
      ? memoSections(memos, author)
      : [new Paragraph({ children: runs('Aucun mémo ne correspond.') })];
  const footer = pageFooter();
  const margin = { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN };
  const document = new Document({
    creator: 'Verbatim',
    title: `${meta.projectName} — journal et mémos`,
    styles: STYLES,
    sections: [
      {
        properties: { page: { size: { width: PAGE_WIDTH, height: PAGE_HEIGHT }, margin } },
        footers: { default: footer },
        children: [...intro, ...body],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}
