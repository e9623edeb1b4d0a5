/**
 * The page estimate behind the report's table of contents: page breaks and sections start pages,
 * and the pages a document takes grow with its text, in one pass over its paragraphs.
 */
import { Document, HeadingLevel, Packer, Paragraph, TableOfContents, TextRun } from 'docx';
import { describe, expect, it } from 'vitest';
import { estimateReportPages, type StyleMetrics } from '../../../server/export/page-estimate.ts';
import { paragraphs, zipTexts } from './fixture.ts';

const NORMAL: StyleMetrics = {
  size: 22,
  before: 0,
  after: 120,
  line: 276,
  indent: 0,
  keepNext: false,
  keepLines: false,
};
const STYLES = { Normal: NORMAL, Heading1: { ...NORMAL, size: 32, before: 360, keepNext: true } };

const SENTENCE = 'On ressaisit tout à la main, chaque lundi, dans le tableur de la billetterie. ';

/** The table of contents' entries of a document made of `blocks`, with the page each shows. */
async function tocPages(blocks: Paragraph[]): Promise<Map<string, number>> {
  const estimate = estimateReportPages(STYLES);
  const document = new Document({
    pageNumbers: estimate,
    sections: [
      {
        children: [new TableOfContents('Table', { hyperlink: true, headingStyleRange: '1-3' }), ...blocks],
      },
    ],
  });
  const xml = zipTexts(new Uint8Array(await Packer.toBuffer(document)))['word/document.xml'] as string;
  return new Map(
    paragraphs(xml)
      .filter((p) => p.style === 'TOC1')
      .map((p) => {
        const match = /^(.*?)(\d+)$/.exec(p.text);
        return [match?.[1] ?? p.text, Number(match?.[2] ?? NaN)];
      }),
  );
}

const heading = (text: string, pageBreakBefore = false) =>
  new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore, children: [new TextRun(text)] });
const text = (sentences: number) => new Paragraph({ children: [new TextRun(SENTENCE.repeat(sentences))] });

describe('estimateReportPages', () => {
  it('puts a heading that asks for a page break on the next page', async () => {
    const pages = await tocPages([
      heading('Un'),
      text(1),
      heading('Deux', true),
      text(1),
      heading('Trois', true),
    ]);
    expect([...pages.values()]).toEqual([1, 2, 3]);
  });

  it('counts the pages a long text takes, in proportion to its length', async () => {
    const pages = async (paragraphCount: number) =>
      (
        await tocPages([
          heading('Début'),
          ...Array.from({ length: paragraphCount }, () => text(3)),
          heading('Fin'),
        ])
      ).get('Fin') ?? NaN;
    const short = await pages(100);
    const long = await pages(400);
    // 100 paragraphs of three lines are several pages; four times as many, about four times as far.
    expect(short).toBeGreaterThan(5);
    expect(Math.abs(long - 1 - 4 * (short - 1))).toBeLessThanOrEqual(2);
  });

  it('starts a page with the section that follows another', async () => {
    const estimate = estimateReportPages(STYLES);
    const document = new Document({
      pageNumbers: estimate,
      sections: [
        { children: [new TableOfContents('Table', { headingStyleRange: '1-3' }), heading('Un'), text(1)] },
        { children: [heading('Deux'), text(1)] },
      ],
    });
    const xml = zipTexts(new Uint8Array(await Packer.toBuffer(document)))['word/document.xml'] as string;
    const entries = paragraphs(xml)
      .filter((p) => p.style === 'TOC1')
      .map((p) => p.text);
    expect(entries).toEqual(['Un1', 'Deux2']);
  });

  it('refuses styles without « Normal », the style of paragraphs that name none', () => {
    expect(() => estimateReportPages({})).toThrow(/Normal/);
  });
});
