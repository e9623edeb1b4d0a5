import { parse } from 'parse5';
import type { DefaultTreeAdapterMap } from 'parse5';
import type { Paragraph, Run } from './blocks.ts';
import { paragraphsToText } from './blocks.ts';
import type { Extracted } from './extracted.ts';
import { unprocessable } from './extracted.ts';
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
  if (nestingDepth(decoded.text) > MAX_DEPTH) {
    throw unprocessable(
      fileName,
      `est refusé : ses éléments HTML sont imbriqués sur plus de ${MAX_DEPTH} niveaux, ce qu’aucune transcription ne fait.`,
    );
  }
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

/**
 * How deep elements nest, at most. Parsing cost grows with the square of the depth (60,000 nested
 * `<div>`, 360 kB, take parse5 over 20 s), so a page nested deeper than any document is refused
 * before it is parsed. Elements whose end tag may be left out (`<p>`, `<li>`, cells…) and void
 * elements are not counted, nor what scripts, styles and comments hold.
 */
export function nestingDepth(html: string): number {
  const stripped = html.replace(/<!--[\s\S]*?-->|<(script|style|textarea|title)\b[\s\S]*?<\/\1\s*>/gi, '');
  let depth = 0;
  let deepest = 0;
  for (const tag of stripped.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*?(\/?)>/g)) {
    const name = (tag[2] ?? '').toLowerCase();
    if (UNCOUNTED.has(name) || tag[3] === '/') continue;
    if (tag[1] === '/') depth = Math.max(0, depth - 1);
    else deepest = Math.max(deepest, ++depth);
  }
  return deepest;
}

/** Deeper than any transcript, shallow enough to parse in milliseconds. */
const MAX_DEPTH = 1000;
const UNCOUNTED = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
  'p',
  'li',
  'dt',
  'dd',
  'tr',
  'td',
  'th',
  'thead',
  'tbody',
  'tfoot',
  'option',
  'optgroup',
  'colgroup',
  'caption',
  'rb',
  'rt',
  'rp',
  'html',
  'head',
  'body',
]);

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
