import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Paragraph, Run } from './blocks.ts';
import { paragraphsToText } from './blocks.ts';
import type { Extracted } from './extracted.ts';
import { unprocessable } from './extracted.ts';
import { readZipEntries } from './zip-guard.ts';

const ODT_MIMETYPE = 'application/vnd.oasis.opendocument.text';

/**
 * Read an .odt: paragraphs and headings one per line (text:s, text:tab and text:line-break kept as
 * spaces, tabs and newlines), list items prefixed with a dash, table cells separated by tabs and
 * rows by newlines. A label in bold (an automatic style with fo:font-weight bold) at the start of a
 * paragraph opens a turn. Notes, annotations, frames and tracked deletions are left out.
 */
export function extractOdt(fileName: string, bytes: Uint8Array): Extracted {
  const entries = readZipEntries(fileName, bytes, (name) => name === 'content.xml' || name === 'mimetype');
  const mimetype = entries.get('mimetype');
  const content = entries.get('content.xml');
  if (!content || (mimetype && new TextDecoder().decode(mimetype).trim() !== ODT_MIMETYPE)) {
    throw unprocessable(fileName, "n'est pas un document texte OpenDocument (.odt) valide.");
  }
  let xml: string;
  try {
    xml = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    throw unprocessable(fileName, 'est endommagé : son contenu n’est pas du texte UTF-8.');
  }
  // A DOCTYPE could declare entities (billion laughs); OpenDocument never needs one.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) {
    throw unprocessable(fileName, 'est refusé : son contenu déclare un DOCTYPE.');
  }
  if (XMLValidator.validate(xml) !== true) {
    throw unprocessable(fileName, 'est endommagé : son contenu XML est invalide.');
  }
  const root = parser.parse(xml) as XmlNode[];
  const document = find(root, 'office:document-content');
  const bold = boldStyles(find(document, 'office:automatic-styles'));
  const body = find(find(document, 'office:body'), 'office:text');
  const paragraphs: Paragraph[] = [];
  walkBlocks(body, paragraphs, '', bold);
  return paragraphsToText(paragraphs, 'utf-8');
}

type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  trimValues: false,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  // DOCTYPEs are refused above, so only the predefined and numeric entities remain.
  processEntities: true,
  htmlEntities: true,
});

function tagOf(node: XmlNode): string {
  return Object.keys(node).find((key) => key !== ':@') ?? '';
}

function childrenOf(node: XmlNode | undefined): XmlNode[] {
  const value = node?.[tagOf(node)];
  return Array.isArray(value) ? (value as XmlNode[]) : [];
}

function attribute(node: XmlNode, name: string): string | undefined {
  const attributes = node[':@'];
  if (typeof attributes !== 'object' || attributes === null) return undefined;
  const value = (attributes as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

function find(nodes: readonly XmlNode[] | XmlNode | undefined, tag: string): XmlNode[] {
  const list = Array.isArray(nodes) ? nodes : childrenOf(nodes as XmlNode | undefined);
  return childrenOf(list.find((node) => tagOf(node) === tag));
}

/** Names of the automatic text styles that make text bold. */
function boldStyles(styles: readonly XmlNode[]): Set<string> {
  const bold = new Set<string>();
  for (const style of styles) {
    const name = attribute(style, 'style:name');
    const props = childrenOf(style).find((child) => tagOf(child) === 'style:text-properties');
    const weight = props && attribute(props, 'fo:font-weight');
    if (name && (weight === 'bold' || Number(weight) >= 600)) bold.add(name);
  }
  return bold;
}

const SKIPPED = new Set([
  'office:annotation',
  'office:annotation-end',
  'text:note',
  'text:tracked-changes',
  'text:sequence-decls',
  'text:variable-decls',
  'office:forms',
  'draw:frame',
  'draw:custom-shape',
  'text:soft-page-break',
]);

function walkBlocks(nodes: readonly XmlNode[], out: Paragraph[], indent: string, bold: Set<string>): void {
  for (const node of nodes) {
    const tag = tagOf(node);
    if (tag === 'text:p' || tag === 'text:h') out.push(inlineRuns(node, false, bold));
    else if (tag === 'text:list') walkList(childrenOf(node), out, indent, bold);
    else if (tag === 'table:table') walkTable(childrenOf(node), out, bold);
    else if (tag !== '#text' && !SKIPPED.has(tag)) walkBlocks(childrenOf(node), out, indent, bold);
  }
}

function walkList(items: readonly XmlNode[], out: Paragraph[], indent: string, bold: Set<string>): void {
  for (const item of items) {
    if (tagOf(item) !== 'text:list-item' && tagOf(item) !== 'text:list-header') continue;
    const blocks: Paragraph[] = [];
    walkBlocks(childrenOf(item), blocks, `${indent}  `, bold);
    blocks.forEach((block, i) =>
      out.push(i === 0 ? [{ text: `${indent}- `, bold: false }, ...block] : block),
    );
  }
}

function walkTable(nodes: readonly XmlNode[], out: Paragraph[], bold: Set<string>): void {
  for (const node of nodes) {
    const tag = tagOf(node);
    if (tag === 'table:table-row') {
      const row: Run[] = [];
      childrenOf(node)
        .filter((cell) => tagOf(cell) === 'table:table-cell')
        .forEach((cell, i) => {
          if (i > 0) row.push({ text: '\t', bold: false });
          const cellParagraphs: Paragraph[] = [];
          walkBlocks(childrenOf(cell), cellParagraphs, '', bold);
          cellParagraphs.forEach((p, j) => {
            if (j > 0) row.push({ text: ' ', bold: false });
            row.push(...p.map((run) => ({ ...run, text: run.text.replace(/\n/g, ' ') })));
          });
        });
      out.push(row);
    } else if (tag.startsWith('table:table-') && tag !== 'table:table-column') {
      walkTable(childrenOf(node), out, bold); // header-rows, rows, row-group
    }
  }
}

function inlineRuns(node: XmlNode, inheritedBold: boolean, boldStyles: Set<string>): Run[] {
  const style = attribute(node, 'text:style-name');
  const bold = inheritedBold || (style !== undefined && boldStyles.has(style));
  const runs: Run[] = [];
  for (const child of childrenOf(node)) {
    const tag = tagOf(child);
    if (tag === '#text') runs.push({ text: String(child['#text']).replace(/\s+/g, ' '), bold });
    else if (tag === 'text:s') runs.push({ text: ' '.repeat(spaceCount(child)), bold });
    else if (tag === 'text:tab') runs.push({ text: '\t', bold });
    else if (tag === 'text:line-break') runs.push({ text: '\n', bold });
    else if (!SKIPPED.has(tag)) runs.push(...inlineRuns(child, bold, boldStyles));
  }
  return runs;
}

/** `text:c` of a `<text:s>`, clamped: a hostile file should not make us allocate gigabytes of spaces. */
function spaceCount(node: XmlNode): number {
  const c = Number(attribute(node, 'text:c') ?? '1');
  return Number.isInteger(c) && c > 0 ? Math.min(c, 1000) : 1;
}
