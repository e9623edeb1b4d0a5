/**
 * The quote report (« les verbatims ») as a Word document: a title page with the filters applied,
 * a table of contents, then per theme, in codebook order, its definition, a summary line and its
 * quotes as block quotations with their citation, and an annex of frequencies by theme.
 *
 * It is made of Word's own styles (Title, Heading 1…6, Quote, TOC 1…) so the navigation pane, the
 * table of contents and the report's own template work on it; every generated string follows French
 * typography (no-break spaces before ; ! ? : and inside « »).
 */
import {
  AlignmentType,
  Document,
  HeadingLevel,
  LevelFormat,
  Packer,
  PageOrientation,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableOfContents,
  TableRow,
  WidthType,
  type ISectionOptions,
} from 'docx';
import type { MemoEntry } from '../../shared/memos.ts';
import { memoSections } from './memos-docx.ts';
import type { ExportOptions, ReportQuote, ReportSelection, ReportTheme } from './selection.ts';
import { flattenThemes } from './selection.ts';
import { estimateReportPages } from './page-estimate.ts';
import {
  fr,
  HEADINGS,
  LANDSCAPE_TEXT_WIDTH,
  MARGIN,
  pageFooter,
  PAGE_HEIGHT,
  PAGE_WIDTH,
  plural,
  reportStyleMetrics,
  runs,
  STYLES,
  TEXT_WIDTH,
} from './docx-styles.ts';

/** « 12 passages · 5 participant·es · Théâtre : 7, Festival : 5 » */
export function summaryLine(theme: ReportTheme, options: ExportOptions): string {
  const parts = [
    plural(theme.total, 'passage', 'passages'),
    plural(theme.participants, 'participant·e', 'participant·es'),
  ];
  if (options.maxPerCode !== null && theme.total > theme.quotes.length) {
    parts.push(`${theme.quotes.length} cités`);
  }
  let line = parts.join(' · ');
  if (options.attribute && theme.breakdown.length > 0) {
    const groups = theme.breakdown.map((g) => `${g.value === '' ? 'non renseigné' : g.value} (${g.count})`);
    line += ` — selon ${options.attribute.name} : ${groups.join(', ')}`;
  }
  return line;
}

/** The filters of an export in words, for the title page. */
export function describeFilters(
  options: ExportOptions,
  names: {
    codes: (id: string) => string;
    coder: (id: string) => string;
    documents: (id: string) => string;
    /** An attribute value as the export may show it (pseudonymised). */
    value: (value: string) => string;
  },
): string[] {
  const lines: string[] = [];
  lines.push(
    options.codeIds === null
      ? 'Thèmes : tout le codebook'
      : `Thèmes : ${options.codeIds.map(names.codes).join(', ')}`,
  );
  if (options.filter.coderIds !== null)
    lines.push(`Codeur·euses : ${options.filter.coderIds.map(names.coder).join(', ')}`);
  if (options.filter.documentIds !== null) {
    lines.push(`Documents : ${options.filter.documentIds.map(names.documents).join(', ')}`);
  }
  for (const f of options.filter.attributes) {
    lines.push(`${f.attribute.name} : ${f.values.map((v) => names.value(String(v))).join(' ou ')}`);
  }
  lines.push(
    `Ordre des citations : ${{ document: 'par document', time: 'par minutage', length: 'les plus longues d’abord' }[options.sort]}`,
  );
  if (options.maxPerCode !== null) lines.push(`Au plus ${options.maxPerCode} citations par thème`);
  if (options.attribute) lines.push(`Répartition par : ${options.attribute.name}`);
  lines.push(`Mémos : ${options.memos ? 'inclus' : 'non inclus'}`);
  lines.push(
    options.pseudonymise
      ? 'Pseudonymisation : oui (liste de remplacements et pseudonymes des participant·es)'
      : 'Pseudonymisation : NON — ce document contient des noms réels',
  );
  return lines;
}

function quoteParagraphs(quote: ReportQuote): Paragraph[] {
  const out = [
    new Paragraph({ style: 'Quote', children: runs(`« ${quote.text.trim()} »`) }),
    new Paragraph({ style: 'VerbatimCitation', children: runs(`— ${quote.citation}`) }),
  ];
  for (const memo of quote.memos) {
    out.push(new Paragraph({ style: 'VerbatimMemo', children: runs(`Mémo : ${memo}`, { italics: true }) }));
  }
  return out;
}

function themeParagraphs(theme: ReportTheme, options: ExportOptions): Paragraph[] {
  const out: Paragraph[] = [
    new Paragraph({
      heading: HEADINGS[Math.min(theme.depth, HEADINGS.length - 1)],
      children: runs(theme.name),
    }),
  ];
  if (theme.definition !== '') {
    out.push(new Paragraph({ style: 'ThemeDefinition', children: runs(theme.definition) }));
  }
  // A parent theme coded only through its sub-themes is a heading over them, not an empty theme.
  const onlyAHeading = theme.total === 0 && theme.children.length > 0;
  if (theme.selected && !onlyAHeading) {
    out.push(new Paragraph({ style: 'ThemeSummary', children: runs(summaryLine(theme, options)) }));
    if (theme.quotes.length === 0) {
      out.push(
        new Paragraph({ style: 'ThemeSummary', children: runs('Aucun passage retenu.', { italics: true }) }),
      );
    }
    for (const quote of theme.quotes) out.push(...quoteParagraphs(quote));
  }
  for (const child of theme.children) out.push(...themeParagraphs(child, options));
  return out;
}

function cell(
  text: string,
  width: number,
  options: { header?: boolean; numeric?: boolean; indent?: number } = {},
): TableCell {
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    children: [
      new Paragraph({
        style: options.header ? 'TableHeading' : 'TableText',
        alignment: options.numeric ? AlignmentType.RIGHT : AlignmentType.LEFT,
        indent: options.indent ? { left: options.indent * 200 } : undefined,
        children: runs(text),
      }),
    ],
    shading: options.header ? { type: ShadingType.CLEAR, color: 'auto', fill: 'E7ECF3' } : undefined,
  });
}

/** Width in twips of the longest word of a header cell (8 pt bold), with the cell's margins. */
export function headerWordWidth(label: string): number {
  const longest = Math.max(...label.split(/[\s\u00ad]+/u).map((w) => [...w].length));
  return longest * 100 + 240;
}

/** The annex table's column widths on a page of `textWidth`, and whether every header fits. */
export interface AnnexColumns {
  readonly themeWidth: number;
  /** One width per count column, in the order of the headers. */
  readonly countWidths: readonly number[];
  readonly fits: boolean;
}

/**
 * The annex's column widths: the counts share the width left by the theme names, each at least as
 * wide as the longest word of its header, so that no header breaks inside a word (« Passag/es »),
 * and the theme names keep at least a fifth of the width. `fits` is false when that is not possible
 * on this page width (the annex then goes on a landscape page).
 */
export function annexColumns(headers: readonly string[], textWidth = TEXT_WIDTH): AnnexColumns {
  const preferredTheme = Math.round(textWidth * (headers.length > 5 ? 0.3 : 0.46));
  const shared = Math.floor((textWidth - preferredTheme) / headers.length);
  const countWidths = headers.map((h) => Math.max(shared, headerWordWidth(h)));
  const themeWidth = textWidth - countWidths.reduce((a, b) => a + b, 0);
  return { themeWidth, countWidths, fits: themeWidth >= textWidth / 5 };
}

/** The annex's header labels after « Thème », and its columns, portrait or landscape. */
function annexLayout(
  selection: ReportSelection,
  options: ExportOptions,
): { groups: string[]; columns: AnnexColumns; landscape: boolean } {
  const themes = flattenThemes(selection.themes).filter((t) => t.selected);
  const groups = options.attribute
    ? [...new Set(themes.flatMap((t) => (t.rollup ?? t).breakdown.map((b) => b.value)))].sort((a, b) =>
        a === '' ? 1 : b === '' ? -1 : a.localeCompare(b, 'fr'),
      )
    : [];
  const headers = [
    'Passages',
    'Partici\u00adpant·es',
    ...groups.map((g) => (g === '' ? 'non renseigné' : g)),
  ];
  const portrait = annexColumns(headers);
  if (portrait.fits) return { groups, columns: portrait, landscape: false };
  return { groups, columns: annexColumns(headers, LANDSCAPE_TEXT_WIDTH), landscape: true };
}

function frequencyTable(
  selection: ReportSelection,
  { groups, columns }: { groups: readonly string[]; columns: AnnexColumns },
): Table {
  const themes = flattenThemes(selection.themes).filter((t) => t.selected);
  const { themeWidth, countWidths } = columns;
  const width = (i: number) => countWidths[i] ?? 0;
  const header = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: [
      cell('Thème', themeWidth, { header: true }),
      cell('Passages', width(0), { header: true, numeric: true }),
      cell('Partici\u00adpant·es', width(1), { header: true, numeric: true }),
      ...groups.map((g, i) =>
        cell(g === '' ? 'non renseigné' : g, width(i + 2), { header: true, numeric: true }),
      ),
    ],
  });
  // A parent theme counts its sub-themes' passages too, as the codebook panel does.
  const rows = themes.map((t) => {
    const counts = t.rollup ?? t;
    return new TableRow({
      cantSplit: true,
      children: [
        cell(t.name, themeWidth, { indent: t.depth }),
        cell(counts.total.toLocaleString('fr-FR'), width(0), { numeric: true }),
        cell(counts.participants.toLocaleString('fr-FR'), width(1), { numeric: true }),
        ...groups.map((g, i) =>
          cell(
            (counts.breakdown.find((b) => b.value === g)?.count ?? 0).toLocaleString('fr-FR'),
            width(i + 2),
            { numeric: true },
          ),
        ),
      ],
    });
  });
  return new Table({
    width: { size: themeWidth + countWidths.reduce((a, b) => a + b, 0), type: WidthType.DXA },
    columnWidths: [themeWidth, ...countWidths],
    layout: TableLayoutType.FIXED,
    rows: [header, ...rows],
  });
}

export interface ReportMeta {
  readonly projectName: string;
  readonly date: Date;
  readonly filters: readonly string[];
  /**
   * With the memos option: the journal's entries and the memos of the documents reported on,
   * already pseudonymised, for an annex of their own (codes' definitions and codings' memos are
   * beside their themes and quotes).
   */
  readonly memos?: {
    readonly entries: readonly MemoEntry[];
    readonly author: (userId: string) => string | undefined;
  };
}

/** The annex of the journal and the documents' memos, when the report has any. */
function memoAnnex(meta: ReportMeta): Paragraph[] {
  if (!meta.memos || meta.memos.entries.length === 0) return [];
  return [
    new Paragraph({
      heading: HeadingLevel.HEADING_1,
      pageBreakBefore: true,
      children: runs('Annexe — journal du projet et mémos des documents'),
    }),
    ...memoSections(meta.memos.entries, meta.memos.author, 2),
  ];
}

const REPORT_PAGES = estimateReportPages(reportStyleMetrics());

/** The title page: the project, the date, the counts and the filters applied. */
function titlePageOf(selection: ReportSelection, meta: ReportMeta): Paragraph[] {
  const date = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long' }).format(meta.date);
  return [
    new Paragraph({ spacing: { before: 2400 }, children: [] }),
    new Paragraph({ heading: HeadingLevel.TITLE, children: runs(meta.projectName) }),
    new Paragraph({ style: 'Subtitle', children: runs('Verbatims par thème') }),
    new Paragraph({ spacing: { before: 240, after: 480 }, children: runs(`Rapport généré le ${date}`) }),
    new Paragraph({
      children: runs(
        `${plural(selection.counts.themes, 'thème', 'thèmes')} · ${plural(selection.counts.quotes, 'citation', 'citations')} · ${plural(selection.counts.participants, 'participant·e', 'participant·es')}`,
        { bold: true },
      ),
    }),
    new Paragraph({ spacing: { before: 240 }, children: runs('Filtres appliqués', { bold: true }) }),
    ...meta.filters.map(
      (line) => new Paragraph({ numbering: { reference: 'filters', level: 0 }, children: runs(line) }),
    ),
  ];
}

/** The annex of frequencies by theme, with its explanation. */
function frequencyAnnex(
  selection: ReportSelection,
  options: ExportOptions,
  layout: ReturnType<typeof annexLayout>,
): (Paragraph | Table)[] {
  return [
    new Paragraph({
      heading: HeadingLevel.HEADING_1,
      // A landscape annex starts a section, and so a page, of its own.
      pageBreakBefore: !layout.landscape,
      children: runs('Annexe — fréquences par thème'),
    }),
    new Paragraph({
      style: 'ThemeDefinition',
      children: runs(
        options.attribute
          ? `Nombre de passages codés par thème, de participant·es qui les ont tenus, et répartition par ${options.attribute.name} ; un thème compte aussi les passages de ses sous-thèmes.`
          : 'Nombre de passages codés par thème et de participant·es qui les ont tenus ; un thème compte aussi les passages de ses sous-thèmes.',
      ),
    }),
    frequencyTable(selection, layout),
  ];
}

/** Build the report's .docx bytes. */
export async function buildReportDocx(
  selection: ReportSelection,
  options: ExportOptions,
  meta: ReportMeta,
): Promise<Uint8Array> {
  const titlePage = titlePageOf(selection, meta);
  const body: Paragraph[] = selection.themes.flatMap((t) => themeParagraphs(t, options));
  const layout = annexLayout(selection, options);
  const annex = frequencyAnnex(selection, options, layout);
  const footer = pageFooter();
  const margin = { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN };
  const page = { page: { size: { width: PAGE_WIDTH, height: PAGE_HEIGHT }, margin } };
  const landscape = {
    page: {
      size: { width: PAGE_HEIGHT, height: PAGE_WIDTH, orientation: PageOrientation.LANDSCAPE },
      margin,
    },
  };
  const sections: ISectionOptions[] = [
    { properties: { ...page, titlePage: true }, children: titlePage },
    {
      properties: page,
      footers: { default: footer },
      children: [
        new Paragraph({ style: 'TOCHeading', children: runs('Table des matières') }),
        new TableOfContents('Table des matières', { hyperlink: true, headingStyleRange: '1-3' }),
        new Paragraph({ pageBreakBefore: true, children: [] }),
        ...body,
        ...memoAnnex(meta),
        ...(layout.landscape ? [] : annex),
      ],
    },
    ...(layout.landscape ? [{ properties: landscape, footers: { default: footer }, children: annex }] : []),
  ];
  const document = new Document({
    creator: 'Verbatim',
    title: fr(`${meta.projectName} — verbatims par thème`),
    description: 'Rapport de citations généré par Verbatim',
    styles: STYLES,
    numbering: {
      config: [
        {
          reference: 'filters',
          levels: [
            {
              level: 0,
              format: LevelFormat.BULLET,
              text: '–',
              alignment: AlignmentType.LEFT,
              style: { paragraph: { indent: { left: 360, hanging: 240 } } },
            },
          ],
        },
      ],
    },
    pageNumbers: REPORT_PAGES,
    sections,
  });
  return new Uint8Array(await Packer.toBuffer(document));
}
