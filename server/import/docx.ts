import { zipSync } from 'fflate';
import { XMLParser } from 'fast-xml-parser';
import mammoth from 'mammoth';
import type { Paragraph, Run } from './blocks.ts';
import { paragraphsToText } from './blocks.ts';
import type { Extracted } from './extracted.ts';
import { unprocessable } from './extracted.ts';
import { readZipEntries } from './zip-guard.ts';

/** Parts mammoth never needs for text: pictures, embedded objects, fonts, thumbnails. */
const SKIPPED_PARTS = /^(?:word\/(?:media|embeddings|fonts)\/|docProps\/thumbnail)/;

/**
 * Read a .docx: paragraphs, headings and list items one per line, table cells separated by tabs and
 * rows by newlines, footnotes at the end. A bold label at the start of a paragraph opens a turn.
 *
 * The archive is checked by the zip guard, and mammoth is handed a copy rebuilt from the entries
 * fflate inflated within their declared sizes, so a lying zip cannot make mammoth inflate more.
 */
export async function extractDocx(fileName: string, bytes: Uint8Array): Promise<Extracted> {
  const entries = readZipEntries(fileName, bytes, (name) => !SKIPPED_PARTS.test(name));
  if (!entries.has('word/document.xml')) {
    throw unprocessable(fileName, "n'est pas un document Word (.docx) valide.");
  }
  // A DOCTYPE could declare entities (XXE, billion laughs); Office Open XML never needs one. Parts
  // are read as UTF-8, as mammoth reads them.
  for (const [name, data] of entries) {
    if (/\.(?:xml|rels)$/i.test(name) && /<!DOCTYPE|<!ENTITY/i.test(new TextDecoder().decode(data))) {
      throw unprocessable(fileName, 'est refusé : son contenu déclare un DOCTYPE.');
    }
  }
  const rebuilt = zipSync(Object.fromEntries(entries), { level: 0 });
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(rebuilt.buffer, rebuilt.byteOffset, rebuilt.byteLength) },
      {
        convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })),
        externalFileAccess: false,
      },
    );
    html = result.value;
  } catch {
    throw unprocessable(fileName, 'est endommagé : son contenu Word ne peut pas être lu.');
  }
  return paragraphsToText(htmlToParagraphs(html), 'utf-8');
}

/** A node of fast-xml-parser's ordered output: `{ tag: children, ':@'?: attributes }` or `{ '#text': … }`. */
type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  trimValues: false,
  ignoreAttributes: true,
  parseTagValue: false,
  // mammoth escapes only & < > " in its output; no DOCTYPE is ever present.
  processEntities: true,
  htmlEntities: false,
});

/**
 * Turn mammoth's HTML into paragraphs. The HTML is only parsed as data, never rendered or run:
 * text such as `<script>` arrives escaped and comes out as literal text.
 */
export function htmlToParagraphs(html: string): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  walkBlocks(parser.parse(`<body>${html}</body>`) as XmlNode[], paragraphs, '');
  return paragraphs;
}

function tagOf(node: XmlNode): string {
  return Object.keys(node).find((key) => key !== ':@') ?? '';
}

function childrenOf(node: XmlNode): XmlNode[] {
  const value = node[tagOf(node)];
  return Array.isArray(value) ? (value as XmlNode[]) : [];
}

const BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

function walkBlocks(nodes: readonly XmlNode[], out: Paragraph[], indent: string): void {
  for (const node of nodes) {
    const tag = tagOf(node);
    if (BLOCKS.has(tag)) out.push(inlineRuns(childrenOf(node), false));
    else if (tag === 'ul' || tag === 'ol') walkList(childrenOf(node), out, indent, tag === 'ol');
    else if (tag === 'table') walkTable(childrenOf(node), out);
    else if (tag !== '#text') walkBlocks(childrenOf(node), out, indent);
  }
}

function walkList(items: readonly XmlNode[], out: Paragraph[], indent: string, ordered: boolean): void {
  let number = 0;
  for (const item of items) {
    if (tagOf(item) !== 'li') continue;
    number++;
    const inline: XmlNode[] = [];
    const nested: XmlNode[] = [];
    for (const child of childrenOf(item)) {
      (['ul', 'ol', 'table', ...BLOCKS].includes(tagOf(child)) ? nested : inline).push(child);
    }
    const bullet = `${indent}${ordered ? `${number}.` : '-'} `;
    const runs = inlineRuns(inline, false);
    const firstBlock = nested.findIndex((n) => BLOCKS.has(tagOf(n)));
    // mammoth wraps a footnote's text in a <p> inside its <li>; keep it on the bullet's line.
    if (runs.every((r) => r.text.trim() === '') && firstBlock === 0) {
      out.push([{ text: bullet, bold: false }, ...inlineRuns(childrenOf(nested[0] as XmlNode), false)]);
      walkBlocks(nested.slice(1), out, `${indent}  `);
    } else {
      out.push([{ text: bullet, bold: false }, ...runs]);
      walkBlocks(nested, out, `${indent}  `);
    }
  }
}

function walkTable(nodes: readonly XmlNode[], out: Paragraph[]): void {
  for (const node of nodes) {
    const tag = tagOf(node);
    if (tag === 'tr') {
      const row: Run[] = [];
      childrenOf(node)
        .filter((cell) => ['td', 'th'].includes(tagOf(cell)))
        .forEach((cell, i) => {
          if (i > 0) row.push({ text: '\t', bold: false });
          const cellParagraphs: Paragraph[] = [];
          walkBlocks(childrenOf(cell), cellParagraphs, '');
          cellParagraphs.forEach((p, j) => {
            if (j > 0) row.push({ text: ' ', bold: false });
            row.push(...p.map((run) => ({ ...run, text: run.text.replace(/\n/g, ' ') })));
          });
        });
      out.push(row);
    } else if (tag !== '#text') walkTable(childrenOf(node), out);
  }
}

function inlineRuns(nodes: readonly XmlNode[], bold: boolean): Run[] {
  const runs: Run[] = [];
  for (const node of nodes) {
    const tag = tagOf(node);
    if (tag === '#text') runs.push({ text: String(node['#text']), bold });
    else if (tag === 'br') runs.push({ text: '\n', bold });
    else if (tag === 'strong' || tag === 'b') runs.push(...inlineRuns(childrenOf(node), true));
    else if (tag !== 'img') runs.push(...inlineRuns(childrenOf(node), bold));
  }
  return runs;
}
