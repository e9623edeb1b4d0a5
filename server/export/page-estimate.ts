/**
 * The page each heading of the report starts on, for its table of contents, worked out in one pass
 * over the document's paragraphs: each paragraph's lines from its length and the average width of a
 * character of its style, its height from the style's line height and spacing, and a new page when
 * the next block does not fit (or when a paragraph asks for one, or a section starts).
 *
 * `docx/layout` lays the pages out as Word does, glyph by glyph, but its cost grew faster than the
 * text (a report of 334 quotes took over half a second), so it was kept to small reports and the
 * larger ones had a table of contents without numbers. This estimate costs a few operations per
 * paragraph whatever the report's size; checked against LibreOffice's own layout of the report
 * (within a page), it may be off by a little more in Word, which breaks some lines and pages
 * differently. Word and LibreOffice recompute the numbers exactly when the table is updated.
 */
import type { IContext, IXmlableObject, PageNumberEstimator } from 'docx';

/** What the estimate needs to know of a paragraph style; lengths in twentieths of a point. */
export interface StyleMetrics {
  /** Font size in half-points, as Word's `w:sz`. */
  readonly size: number;
  readonly before: number;
  readonly after: number;
  /** Line spacing in 240ths of a line, as Word's `w:line` with `lineRule="auto"`. */
  readonly line: number;
  readonly indent: number;
  readonly keepNext: boolean;
  readonly keepLines: boolean;
}

/** A paragraph as the layout sees it. */
interface Block {
  readonly kind: 'paragraph';
  readonly metrics: StyleMetrics;
  /** Characters of each line-broken piece of the paragraph's text. */
  readonly pieces: readonly number[];
  readonly pageBreakBefore: boolean;
  readonly bookmarks: readonly string[];
  /** The paragraph ends a section: the next block starts a page. */
  readonly endsSection: boolean;
}

/** A table row: the tallest of its cells. */
interface Row {
  readonly kind: 'row';
  readonly height: number;
  readonly bookmarks: readonly string[];
}

interface Geometry {
  /** Height available to the text, and its width, in twips. */
  readonly height: number;
  readonly width: number;
}

type Xml = IXmlableObject | string | number | boolean | readonly unknown[] | undefined;

/**
 * Average width of a character of running French text (letters, spaces, punctuation) in Calibri
 * and its metric twin Carlito, as a share of the font size; measured on the report's quotes laid
 * out by LibreOffice.
 */
const AVERAGE_CHARACTER = 0.5;
/** Height of one line of Carlito at single spacing, as a share of the font size, as LibreOffice draws it. */
const LINE_HEIGHT = 1.16;

function children(node: Xml): unknown[] {
  return Array.isArray(node) ? (node as unknown[]) : node === undefined ? [] : [node];
}

/** The `[name, value]` pairs of an element's content, in order. */
function elements(content: unknown): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const item of children(content as Xml)) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) continue;
    for (const [name, value] of Object.entries(item)) if (name !== '_attr') out.push([name, value]);
  }
  return out;
}

function attribute(content: unknown, name: string): unknown {
  for (const item of children(content as Xml)) {
    if (item !== null && typeof item === 'object' && !Array.isArray(item) && '_attr' in item) {
      const attrs = (item as { _attr: Record<string, unknown> })._attr;
      if (name in attrs) return attrs[name];
    }
  }
  return undefined;
}

function numberAttribute(content: unknown, name: string): number | undefined {
  const value = Number(attribute(content, name));
  return Number.isFinite(value) ? value : undefined;
}

type Styles = Readonly<Record<string, StyleMetrics>>;

/**
 * A page number estimator for a document whose paragraph styles are `styles` (by style id; others
 * are measured as `Normal`). Its work is one visit of each element of the body.
 */
export function estimateReportPages(styles: Styles): PageNumberEstimator {
  const normal = styles.Normal;
  if (!normal) throw new Error('estimateReportPages: the styles need a « Normal » entry');
  const estimator = ((body: IXmlableObject, _context: IContext) => {
    // The section properties close each section: read them all first, then lay the blocks out.
    const { blocks, sectionOf, geometries } = readBody(body, styles, normal);
    const last = geometries.at(-1) ?? pageGeometry(undefined);
    const pager = new Pager();
    blocks.forEach((block, i) => {
      const { height: pageHeight, width } = geometries[sectionOf[i] ?? 0] ?? last;
      const previous = blocks[i - 1];
      if (previous?.kind === 'paragraph' && previous.endsSection) pager.newPage();
      if (block.kind === 'row') pager.row(block, pageHeight);
      else pager.paragraph(block, pageHeight, width);
    });
    pager.finish();
    return {
      bookmarks: new Map([...pager.pages].map(([name, n]) => [name, String(n)])),
      bookmarkPageNumbers: pager.pages,
      pageCount: pager.page,
    };
  }) as PageNumberEstimator;
  return estimator;
}

/**
 * The blocks of a document's body in order (paragraphs, table rows, those of content controls
 * included), the index of the section each is in, and each section's geometry.
 */
function readBody(
  body: IXmlableObject,
  styles: Styles,
  normal: StyleMetrics,
): { blocks: (Block | Row)[]; sectionOf: number[]; geometries: Geometry[] } {
  const geometries: Geometry[] = [];
  const blocks: (Block | Row)[] = [];
  const sectionOf: number[] = [];
  const visit = (content: unknown) => {
    for (const [name, value] of elements(content)) {
      if (name === 'w:p') {
        blocks.push(readParagraph(value, styles, normal));
        sectionOf.push(geometries.length);
        for (const [part, properties] of elements(value)) {
          if (part !== 'w:pPr') continue;
          for (const [property, sectPr] of elements(properties)) {
            if (property === 'w:sectPr') geometries.push(pageGeometry(sectPr));
          }
        }
      } else if (name === 'w:tbl') {
        for (const [part, row] of elements(value)) {
          if (part !== 'w:tr') continue;
          blocks.push({ kind: 'row', ...rowHeight(row, styles, normal) });
          sectionOf.push(geometries.length);
        }
      } else if (name === 'w:sdt') {
        for (const [part, inner] of elements(value)) if (part === 'w:sdtContent') visit(inner);
      } else if (name === 'w:sectPr') {
        geometries.push(pageGeometry(value));
      }
    }
  };
  visit((body as Record<string, unknown>)['w:body']);
  return { blocks, sectionOf, geometries };
}

/** The text area of a section's pages (A4 with margins of 2.54 cm unless it says otherwise). */
function pageGeometry(sectPr: unknown): Geometry {
  let height = 16838;
  let width = 11906;
  let top = 1440;
  let bottom = 1440;
  let left = 1440;
  let right = 1440;
  for (const [name, value] of elements(sectPr)) {
    if (name === 'w:pgSz') {
      width = numberAttribute(value, 'w:w') ?? width;
      height = numberAttribute(value, 'w:h') ?? height;
    } else if (name === 'w:pgMar') {
      top = numberAttribute(value, 'w:top') ?? top;
      bottom = numberAttribute(value, 'w:bottom') ?? bottom;
      left = numberAttribute(value, 'w:left') ?? left;
      right = numberAttribute(value, 'w:right') ?? right;
    }
  }
  return { height: height - top - bottom, width: width - left - right };
}

/** The paragraph `content` (the children of a `w:p`), its text measured and its settings read. */
function readParagraph(content: unknown, styles: Styles, normal: StyleMetrics): Block {
  let metrics = normal;
  let pageBreakBefore = false;
  let endsSection = false;
  let before: number | undefined;
  let after: number | undefined;
  let line: number | undefined;
  let indent = 0;
  const bookmarks: string[] = [];
  const pieces: number[] = [0];
  const text = (run: unknown) => {
    if (measureRun(run, pieces)) pageBreakBefore = true;
  };
  for (const [name, value] of elements(content)) {
    if (name === 'w:pPr') {
      for (const [property, settings] of elements(value)) {
        if (property === 'w:pStyle') metrics = styles[String(attribute(settings, 'w:val'))] ?? normal;
        else if (property === 'w:pageBreakBefore') pageBreakBefore = true;
        else if (property === 'w:sectPr') endsSection = true;
        else if (property === 'w:spacing') {
          before = numberAttribute(settings, 'w:before');
          after = numberAttribute(settings, 'w:after');
          line = numberAttribute(settings, 'w:line');
        } else if (property === 'w:ind') {
          indent = (numberAttribute(settings, 'w:left') ?? 0) + (numberAttribute(settings, 'w:right') ?? 0);
        }
      }
    } else if (name === 'w:bookmarkStart') {
      const bookmark = attribute(value, 'w:name');
      if (typeof bookmark === 'string') bookmarks.push(bookmark);
    } else if (name === 'w:r') {
      text(value);
    } else if (name === 'w:hyperlink') {
      for (const [inner, run] of elements(value)) if (inner === 'w:r') text(run);
    }
  }
  const direct =
    before !== undefined || after !== undefined || line !== undefined || indent !== 0
      ? {
          ...metrics,
          before: before ?? metrics.before,
          after: after ?? metrics.after,
          line: line ?? metrics.line,
          indent: indent + metrics.indent,
        }
      : metrics;
  return { kind: 'paragraph', metrics: direct, pieces, pageBreakBefore, bookmarks, endsSection };
}

/**
 * Add a run's characters to the last of `pieces`, a line break starting a new piece. Returns true
 * when the run holds a page break.
 */
function measureRun(run: unknown, pieces: number[]): boolean {
  let pageBreak = false;
  for (const [name, value] of elements(run)) {
    if (name === 'w:t') {
      for (const part of children(value as Xml)) {
        if (typeof part === 'string') pieces[pieces.length - 1] = (pieces.at(-1) ?? 0) + part.length;
      }
    } else if (name === 'w:br') {
      if (attribute(value, 'w:type') === 'page') pageBreak = true;
      else pieces.push(0);
    } else if (name === 'w:tab') {
      pieces[pieces.length - 1] = (pieces.at(-1) ?? 0) + 4;
    }
  }
  return pageBreak;
}

/** Lines of a paragraph laid out `width` twips wide. */
function linesOf(block: Block, width: number): number {
  const perLine = Math.max(
    1,
    Math.floor((width - block.metrics.indent) / (block.metrics.size * 10 * AVERAGE_CHARACTER)),
  );
  return block.pieces.reduce((n, length) => n + Math.max(1, Math.ceil(length / perLine)), 0);
}

function lineHeight(m: StyleMetrics): number {
  return (m.size * 10 * LINE_HEIGHT * m.line) / 240;
}

/** A table row's height (its tallest cell) and the bookmarks its paragraphs hold. */
function rowHeight(
  content: unknown,
  styles: Styles,
  normal: StyleMetrics,
): { height: number; bookmarks: string[] } {
  let height = 0;
  const bookmarks: string[] = [];
  for (const [name, cell] of elements(content)) {
    if (name !== 'w:tc') continue;
    let width = 0;
    let cellHeight = 0;
    for (const [part, value] of elements(cell)) {
      if (part === 'w:tcPr') {
        for (const [property, settings] of elements(value)) {
          if (property === 'w:tcW') width = numberAttribute(settings, 'w:w') ?? 0;
        }
      } else if (part === 'w:p') {
        const block = readParagraph(value, styles, normal);
        bookmarks.push(...block.bookmarks);
        // Cells have 0.19 cm of margin on each side.
        cellHeight +=
          block.metrics.before +
          block.metrics.after +
          linesOf(block, Math.max(width - 216, 200)) * lineHeight(block.metrics);
      }
    }
    height = Math.max(height, cellHeight);
  }
  return { height, bookmarks };
}

/** Lays blocks out one after the other, noting the page each bookmark lands on. */
class Pager {
  readonly pages = new Map<string, number>();
  page = 1;
  private used = 0;
  /** Space after a paragraph and before the next are not added: the larger is kept, as LibreOffice does. */
  private lastAfter = 0;
  /** Paragraphs kept with the next one wait here until it comes, then move together if need be. */
  private kept = { height: 0, bookmarks: [] as string[], keepLines: false };

  newPage(): void {
    this.page++;
    this.used = 0;
    this.lastAfter = 0;
  }

  row(block: Row, pageHeight: number): void {
    if (this.used > 0 && this.used + block.height > pageHeight) this.newPage();
    for (const b of block.bookmarks) this.pages.set(b, this.page);
    this.used += block.height;
    this.lastAfter = 0;
  }

  paragraph(block: Block, pageHeight: number, width: number): void {
    if (block.pageBreakBefore && (this.used > 0 || this.kept.height > 0)) {
      this.newPage();
      this.kept = { height: 0, bookmarks: [], keepLines: false };
    }
    const m = block.metrics;
    const lines = linesOf(block, width);
    const line = lineHeight(m);
    const before = this.used === 0 && this.kept.height === 0 ? 0 : Math.max(0, m.before - this.lastAfter);
    const whole = before + lines * line + m.after;
    if (m.keepNext) {
      this.kept = {
        height: this.kept.height + whole,
        bookmarks: [...this.kept.bookmarks, ...block.bookmarks],
        keepLines: this.kept.keepLines || m.keepLines,
      };
      this.lastAfter = m.after;
      return;
    }
    // The kept paragraphs and this one's first lines (all of them if kept together) must share a page.
    // (A paragraph kept whole that is longer than a page starts one, then goes on over the next.)
    const together = this.kept.height + before + (m.keepLines ? lines : 1) * line;
    if (
      this.used > 0 &&
      this.used + together > pageHeight &&
      (together <= pageHeight || m.keepLines || this.kept.keepLines)
    ) {
      this.newPage();
    }
    for (const b of this.kept.bookmarks) this.pages.set(b, this.page);
    for (const b of block.bookmarks) this.pages.set(b, this.page);
    // Paragraphs longer than what is left go on over the next pages.
    let rest = this.kept.height + whole;
    this.kept = { height: 0, bookmarks: [], keepLines: false };
    while (this.used + rest > pageHeight && rest > 0) {
      const fits = Math.max(0, Math.floor((pageHeight - this.used) / line)) * line;
      if (fits === 0 && this.used === 0) break; // a line taller than the page: nothing more to do
      rest -= fits;
      this.newPage();
    }
    this.used += rest;
    this.lastAfter = m.after;
  }

  /** Paragraphs still kept at the end of the document stay on the last page. */
  finish(): void {
    if (this.kept.height > 0) for (const b of this.kept.bookmarks) this.pages.set(b, this.page);
  }
}
