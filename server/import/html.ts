import { parse } from 'parse5';
import type { DefaultTreeAdapterMap } from 'parse5';
import type { Paragraph, Run } from './blocks.ts';
import { paragraphsToText } from './blocks.ts';
import type { Extracted } from './extracted.ts';
import { decodePlainText } from './plain-text.ts';

type Node = DefaultTreeAdapterMap['node'];
type ParentNode = DefaultTreeAdapterMap['parentNode'];

/** Elements whose content is never text of the document. */
const SKIPPED = new Set([
  'head',
  'script',
  'style',
  'template',
  'noscript',
  'title',
  'svg',
  'math',
  'iframe',
  'object',
]);
/** Elements that end the paragraph before them and start a new one. */
const BLOCKS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'dd',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'tbody',
  'thead',
  'tfoot',
  'tr',
  'ul',
  'body',
  'html',
  'caption',
]);
const BOLD = new Set(['b', 'strong']);

/**
 * Read an HTML page (a Taguette export, a transcript saved from a browser or a word processor) with
 * parse5, the WHATWG parser browsers follow, so tag soup is read as a browser reads it. Only text is
 * kept: scripts, styles and the head are skipped, nothing is ever rendered or run. Block elements
 * are paragraphs, table cells are separated by tabs, `<br>` is a line break, and a bold label at a
 * paragraph's start opens a turn, as in a .docx. Bytes are decoded as UTF-8, else Windows-1252.
 */
export function extractHtml(fileName: string, bytes: Uint8Array): Extracted {
  const decoded = decodePlainText(fileName, bytes);
  const document = parse(decoded.text);
  const paragraphs: Paragraph[] = [];
  let current: Run[] = [];
  const flush = () => {
    if (current.some((run) => run.text.trim() !== '')) paragraphs.push(current);
    current = [];
  };
  const walk = (parent: ParentNode, bold: boolean): void => {
    for (const node of parent.childNodes as Node[]) {
      if (node.nodeName === '#text' && 'value' in node) {
        // Source line breaks and runs of spaces are one space in HTML, as a browser shows them.
        const text = node.value.replace(/[ \t\n\r\f]+/g, ' ');
        const lineStart = current.length === 0 || (current[current.length - 1] as Run).text.endsWith('\n');
        if (text !== '') current.push({ text: lineStart ? text.trimStart() : text, bold });
        continue;
      }
      if (!('tagName' in node)) continue;
      const tag = node.tagName;
      if (SKIPPED.has(tag)) continue;
      if (tag === 'br') {
        current.push({ text: '\n', bold });
        continue;
      }
      if (tag === 'td' || tag === 'th') {
        if (current.length > 0) current.push({ text: '\t', bold });
        walk(node, bold);
        continue;
      }
      const block = BLOCKS.has(tag);
      if (block) flush();
      walk(node, bold || BOLD.has(tag));
      if (block) flush();
    }
  };
  walk(document, false);
  flush();
  const trimmed = paragraphs.map((runs) => trimRuns(runs));
  return paragraphsToText(trimmed, decoded.encoding);
}

/** A paragraph without the spaces HTML layout leaves at its end, or after its line breaks. */
function trimRuns(runs: Paragraph): Paragraph {
  const out = runs.map((run) => ({ ...run, text: run.text.replace(/ *\n */g, '\n') }));
  for (let i = out.length - 1; i >= 0; i--) {
    const run = out[i] as Run;
    const text = run.text.trimEnd();
    out[i] = { ...run, text };
    if (text !== '') break;
  }
  return out;
}
