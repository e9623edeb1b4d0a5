/**
 * What the Word documents Verbatim writes share: A4 pages with 2.5 cm margins, Word's own styles
 * (Title, Heading 1…6, Quote) and styles of their own based on Normal, and text set in French
 * typography (no-break spaces before ; ! ? : and inside « »).
 */
import {
  AlignmentType,
  BorderStyle,
  Footer,
  HeadingLevel,
  LineRuleType,
  PageNumber,
  Paragraph,
  TextRun,
} from 'docx';
import type { StyleMetrics } from './page-estimate.ts';
import { frenchSpacing, xmlSafe } from './typography.ts';

export const HEADINGS = [
  HeadingLevel.HEADING_1,
  HeadingLevel.HEADING_2,
  HeadingLevel.HEADING_3,
  HeadingLevel.HEADING_4,
  HeadingLevel.HEADING_5,
  HeadingLevel.HEADING_6,
] as const;

/** A4 with 2.5 cm margins: the width of the text, in twentieths of a point. */
export const PAGE_WIDTH = 11906;
export const MARGIN = 1418;
export const PAGE_HEIGHT = 16838;
export const TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN;
export const LANDSCAPE_TEXT_WIDTH = PAGE_HEIGHT - 2 * MARGIN;

/**
 * Text as it goes into the document: French spacing, nothing XML cannot hold, and tabs (cells of a
 * table in the source file) as one space, not a jump to the next tab stop.
 */
export function fr(text: string): string {
  return xmlSafe(frenchSpacing(text.replace(/[ \t]*\t[ \t]*/g, ' ')));
}

/** Runs of one text, its line breaks kept as breaks. */
export function runs(text: string, style: { italics?: boolean; bold?: boolean } = {}): TextRun[] {
  return fr(text)
    .split('\n')
    .map((line, i) => new TextRun({ text: line, break: i === 0 ? 0 : 1, ...style }));
}

export function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('fr-FR')} ${n === 1 ? one : many}`;
}

/** The report's paragraph styles: Word's built-in Quote, and styles of its own based on Normal. */
export const STYLES = {
  default: {
    document: {
      run: { font: 'Calibri', size: 22 },
      paragraph: { spacing: { after: 120, line: 276, lineRule: LineRuleType.AUTO } },
    },
    title: { run: { font: 'Calibri Light', size: 52, color: '1F3864' } },
    heading1: {
      run: { font: 'Calibri Light', size: 32, color: '1F3864' },
      paragraph: { spacing: { before: 360, after: 120 }, keepNext: true, keepLines: true },
    },
    heading2: {
      run: { font: 'Calibri Light', size: 27, color: '2E5597' },
      paragraph: { spacing: { before: 280, after: 100 }, keepNext: true, keepLines: true },
    },
    heading3: {
      run: { font: 'Calibri Light', size: 24, color: '2E5597' },
      paragraph: { spacing: { before: 240, after: 80 }, keepNext: true, keepLines: true },
    },
  },
  paragraphStyles: [
    {
      id: 'Quote',
      name: 'Quote',
      basedOn: 'Normal',
      next: 'Normal',
      quickFormat: true,
      paragraph: {
        indent: { left: 720, right: 720 },
        spacing: { before: 160, after: 40 },
        keepNext: true,
        keepLines: true,
        border: { left: { style: BorderStyle.SINGLE, size: 12, color: 'A5B4CB', space: 8 } },
      },
      run: { color: '262626' },
    },
    {
      id: 'VerbatimCitation',
      name: 'Citation (référence)',
      basedOn: 'Normal',
      next: 'Normal',
      quickFormat: true,
      paragraph: { alignment: AlignmentType.RIGHT, indent: { right: 720 }, spacing: { after: 160 } },
      run: { size: 19, color: '595959' },
    },
    {
      id: 'VerbatimMemo',
      name: 'Mémo',
      basedOn: 'Normal',
      next: 'Normal',
      paragraph: { indent: { left: 720, right: 720 }, spacing: { after: 160 } },
      run: { italics: true, size: 19, color: '7F6000' },
    },
    {
      id: 'ThemeDefinition',
      name: 'Définition du thème',
      basedOn: 'Normal',
      next: 'Normal',
      paragraph: { spacing: { after: 80 }, keepNext: true },
      run: { size: 20, color: '404040' },
    },
    {
      id: 'ThemeSummary',
      name: 'Résumé du thème',
      basedOn: 'Normal',
      next: 'Normal',
      paragraph: { spacing: { after: 120 }, keepNext: true },
      run: { size: 20, bold: true, color: '2E5597' },
    },
    {
      id: 'TOCHeading',
      name: 'TOC Heading',
      basedOn: 'Normal',
      next: 'Normal',
      paragraph: { spacing: { before: 240, after: 240 } },
      run: { font: 'Calibri Light', size: 32, color: '1F3864' },
    },
    {
      id: 'Subtitle',
      name: 'Subtitle',
      basedOn: 'Normal',
      next: 'Normal',
      run: { size: 30, color: '595959' },
    },
    {
      id: 'TableText',
      name: 'Texte de tableau',
      basedOn: 'Normal',
      paragraph: { spacing: { before: 20, after: 20, line: 240, lineRule: LineRuleType.AUTO } },
      run: { size: 19 },
    },
    {
      id: 'TableHeading',
      name: 'En-tête de tableau',
      basedOn: 'TableText',
      run: { size: 16, bold: true },
    },
  ],
};

/** The footer of every page: its number, centred, in grey. */
export function pageFooter(): Footer {
  return new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [new TextRun({ children: [PageNumber.CURRENT], size: 18, color: '808080' })],
      }),
    ],
  });
}

interface StyleSettings {
  readonly basedOn?: string;
  readonly run?: { readonly size?: number };
  readonly paragraph?: {
    readonly spacing?: { readonly before?: number; readonly after?: number; readonly line?: number };
    readonly indent?: { readonly left?: number; readonly right?: number };
    readonly keepNext?: boolean;
    readonly keepLines?: boolean;
  };
}

/** A style's metrics for the page estimate, from its settings over those of the style it is based on. */
function metricsOf(style: StyleSettings, base: StyleMetrics): StyleMetrics {
  const p = style.paragraph;
  return {
    size: style.run?.size ?? base.size,
    before: p?.spacing?.before ?? base.before,
    after: p?.spacing?.after ?? base.after,
    line: p?.spacing?.line ?? base.line,
    indent: p?.indent ? (p.indent.left ?? 0) + (p.indent.right ?? 0) : base.indent,
    keepNext: p?.keepNext ?? base.keepNext,
    keepLines: p?.keepLines ?? base.keepLines,
  };
}

/** The metrics of every paragraph style the report uses, read from STYLES (TOC entries as Normal). */
export function reportStyleMetrics(): Record<string, StyleMetrics> {
  const normal = metricsOf(STYLES.default.document, {
    size: 22,
    before: 0,
    after: 0,
    line: 240,
    indent: 0,
    keepNext: false,
    keepLines: false,
  });
  const out: Record<string, StyleMetrics> = { Normal: normal };
  out.Title = metricsOf(STYLES.default.title, normal);
  out.Heading1 = metricsOf(STYLES.default.heading1, normal);
  out.Heading2 = metricsOf(STYLES.default.heading2, normal);
  out.Heading3 = metricsOf(STYLES.default.heading3, normal);
  for (const level of [4, 5, 6]) out[`Heading${level}`] = { ...normal, keepNext: true, keepLines: true };
  for (const style of STYLES.paragraphStyles as readonly (StyleSettings & { id: string })[]) {
    out[style.id] = metricsOf(style, out[style.basedOn ?? 'Normal'] ?? normal);
  }
  return out;
}

/** The table of contents' page numbers, estimated in one pass over the report's paragraphs. */
