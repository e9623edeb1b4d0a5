import { SaxesParser } from 'saxes';
import { DomainError, isDomainError } from '../../shared/errors.ts';

/**
 * XML for REFI-QDA, both ways, with nothing a hostile file could use.
 *
 * Reading: a DOCTYPE or an ENTITY declaration is refused before any parsing (XXE, billion laughs);
 * the parser (saxes, which checks well-formedness as it goes) knows only the five predefined
 * entities and character references, decoded once, so `&amp;#233;` stays `&#233;`, and refuses
 * any other. Elements are reduced to their local names; namespaces are kept apart for the root
 * check.
 *
 * Writing: a tiny tree serialised with escaping, so element order is exactly the order built, and
 * characters XML 1.0 cannot carry are dropped rather than producing an unreadable file.
 */

/** An element as read: local name, attributes by local name, children in order, direct text. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** The concatenated text and CDATA directly inside the element. */
  readonly text: string;
  /** The namespace URI of the element, when declared. */
  readonly namespace: string | undefined;
}

/**
 * The deepest nesting of elements read. REFI-QDA files nest a few levels, plus one per level of
 * the code tree; a file nested thousands deep is made to exhaust the stack of whatever walks it.
 */
export const MAX_XML_DEPTH = 100;

/**
 * Characters (or bytes) of the document handed to the parser at a time. Under a megabyte: Node
 * makes longer decoded strings external, and the names and values read from them, which are
 * slices of them, would keep every one alive outside V8's heap.
 */
const SLICE = 1 << 19;

/**
 * Names an object already has: refused as element or attribute names, so that no object built
 * from a file can have its prototype or constructor replaced through them.
 */
const RESERVED_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** What REFI-QDA never declares, refused before the parser sees it (XXE, billion laughs). */
const DECLARATION = /<!DOCTYPE|<!ENTITY/i;

function refused(fileName: string, why: string): DomainError {
  return new DomainError('unprocessable', `« ${fileName} » est refusé : ${why}`, { file: fileName });
}

/** An element being read: its children and text are added as the parser meets them. */
interface OpenElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
  namespace: string | undefined;
}

/**
 * Parse an XML document safely, with a streaming parser (saxes) that builds the elements as it
 * reads: no intermediate tree, no second pass to check well-formedness. Given as bytes (UTF-8, or
 * UTF-16 with its byte-order mark), the document is decoded and read half a megabyte at a time, never
 * whole as a string: the project XML of a large study is 50 MB, twice that as a string.
 * @throws DomainError `unprocessable` naming the file for a DOCTYPE, an entity declaration, an
 *   unknown entity, elements nested deeper than MAX_XML_DEPTH, text that is not in its encoding
 *   or a document that is not well-formed.
 */
export function parseXml(fileName: string, source: string | Uint8Array): XmlElement {
  const parser = new SaxesParser({ xmlns: false });
  const stack: OpenElement[] = [];
  // The namespace prefixes in scope inside each open element.
  const scopes: ReadonlyMap<string, string>[] = [];
  let root: XmlElement | undefined;
  parser.on('attribute', ({ name }) => {
    if (RESERVED_NAMES.has(localName(name)))
      throw refused(fileName, `il utilise le nom réservé « ${name} ».`);
  });
  parser.on('opentag', (tag) => {
    if (stack.length >= MAX_XML_DEPTH) {
      throw refused(fileName, `ses éléments sont imbriqués sur plus de ${MAX_XML_DEPTH} niveaux.`);
    }
    if (RESERVED_NAMES.has(localName(tag.name))) {
      throw refused(fileName, `il utilise le nom réservé « ${tag.name} ».`);
    }
    const [element, scope] = openElement(tag.name, tag.attributes as Record<string, string>, scopes.at(-1));
    stack.push(element);
    scopes.push(scope);
  });
  parser.on('text', (text) => {
    const open = stack.at(-1);
    if (open) open.text += text;
  });
  parser.on('cdata', (cdata) => {
    const open = stack.at(-1);
    if (open) open.text += cdata;
  });
  parser.on('closetag', () => {
    const closed = stack.pop() as OpenElement;
    scopes.pop();
    const parent = stack.at(-1);
    if (parent) parent.children.push(closed);
    else root = closed;
  });
  // The end of the slice before the one being read, and that slice: where an error lies.
  let tail = '';
  let slice = '';
  try {
    for (slice of decodedSlices(fileName, source)) {
      // A declaration cut between two slices is found in the tail and the start of this one.
      if (DECLARATION.test(slice) || DECLARATION.test(tail + slice.slice(0, 16))) {
        throw refused(fileName, 'il déclare un DOCTYPE ou des entités, ce que REFI-QDA ne prévoit pas.');
      }
      parser.write(slice);
      tail = slice.slice(-64);
    }
    parser.close();
  } catch (error) {
    if (isDomainError(error)) throw error;
    throw notWellFormed(fileName, tail + slice, (error as Error).message);
  }
  if (!root) throw refused(fileName, 'il ne contient aucun élément XML.');
  return root;
}

/** The document a slice at a time, without its byte-order mark. */
function* decodedSlices(fileName: string, source: string | Uint8Array): Generator<string> {
  if (typeof source === 'string') {
    const xml = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
    for (let at = 0; at < xml.length; at += SLICE) yield xml.slice(at, at + SLICE);
    return;
  }
  const encoding =
    source[0] === 0xff && source[1] === 0xfe
      ? 'utf-16le'
      : source[0] === 0xfe && source[1] === 0xff
        ? 'utf-16be'
        : 'utf-8';
  // The decoder drops the byte-order mark itself.
  const decoder = new TextDecoder(encoding, { fatal: true });
  for (let at = 0; at < source.length || at === 0; at += SLICE) {
    const last = at + SLICE >= source.length;
    let text: string;
    try {
      text = decoder.decode(source.subarray(at, at + SLICE), { stream: !last });
    } catch {
      throw refused(fileName, "son XML n'est pas encodé en UTF-8.");
    }
    yield text;
    if (last) return;
  }
}

/** An element as opened: namespaces declared by its attributes, other attributes by local name. */
function openElement(
  qualified: string,
  rawAttributes: Record<string, string>,
  scope: ReadonlyMap<string, string> = new Map(),
): [OpenElement, ReadonlyMap<string, string>] {
  // Copied only by an element that declares a namespace: a file holds hundreds of thousands.
  let namespaces = scope;
  const declare = (prefix: string, uri: string) => {
    if (namespaces === scope) namespaces = new Map(scope);
    (namespaces as Map<string, string>).set(prefix, uri);
  };
  // Without a prototype: an attribute is read as any other, whatever its name.
  const attributes = Object.create(null) as Record<string, string>;
  for (const key of Object.keys(rawAttributes)) {
    const value = rawAttributes[key] as string;
    if (key === 'xmlns') declare('', value);
    else if (key.startsWith('xmlns:')) declare(key.slice(6), value);
    else attributes[localName(key)] = value;
  }
  const colon = qualified.indexOf(':');
  const prefix = colon < 0 ? '' : qualified.slice(0, colon);
  const element = {
    name: localName(qualified),
    attributes,
    children: [],
    text: '',
    namespace: namespaces.get(prefix),
  };
  return [element, namespaces];
}

function localName(qualified: string): string {
  const colon = qualified.indexOf(':');
  return colon < 0 ? qualified : qualified.slice(colon + 1);
}

/** The refusal for what the parser found wrong, in French, with the line it gives. */
function notWellFormed(fileName: string, xml: string, message: string): DomainError {
  // saxes: "<line>:<column>: <what>".
  const [, line, what = message] = /^(?:[^:]*:)?(\d+):\d+: (.*)$/s.exec(message) ?? [];
  if (/undefined entity/.test(what)) {
    const unknown = firstUnknownEntity(xml);
    if (unknown) return refused(fileName, `il utilise l'entité inconnue « ${unknown} ».`);
  }
  // The parser may only see a lone « & » at the end of the document (an unclosed element).
  const lone = /&[^;&\s<]*(?=[\s<&]|$)/.exec(xml);
  if (lone) return refused(fileName, `il contient un « & » isolé (${lone[0]}).`);
  return refused(fileName, `ce n'est pas du XML bien formé (ligne ${line ?? '?'} : ${what}).`);
}

const PREDEFINED: ReadonlySet<string> = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/** The first entity reference that is neither predefined nor a character reference. */
function firstUnknownEntity(xml: string): string | undefined {
  for (const match of xml.matchAll(/&([^;&\s<]*);/g)) {
    const body = match[1] as string;
    if (!PREDEFINED.has(body) && !/^#(?:x[0-9a-fA-F]+|[0-9]+)$/.test(body)) return match[0];
  }
  return undefined;
}

/** The children of `element` named `name`. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}

/** The first child of `element` named `name`. */
export function childNamed(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((child) => child.name === name);
}

// ---------------------------------------------------------------------------------------------
// Writing

/** An element to write. Attributes whose value is undefined are left out. */
export interface XmlNode {
  readonly name: string;
  readonly attributes?: Readonly<Record<string, string | undefined>>;
  readonly children?: readonly (XmlNode | undefined)[];
  readonly text?: string;
}

/** Characters XML 1.0 cannot carry (most C0 controls, lone surrogates, U+FFFE and U+FFFF). */
const NOT_XML =
  // Matching control characters is the point here.
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escape text content. A CR is written as a reference so that XML's line-end handling keeps it. */
export function escapeText(value: string): string {
  return value
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
}

/** Escape an attribute value; tabs and line ends as references, or readers would turn them into spaces. */
export function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}

/** The XML declaration every document written starts with. */
export const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n';

/** Serialise a document: the declaration, then `root`, indented by two spaces per level. */
export function serialiseXml(root: XmlNode): string {
  return XML_DECLARATION + serialiseElement(root, 0);
}

/**
 * One element, its line ends included, indented as if `depth` levels deep: a document written
 * piece by piece joins these (and `startTag`, `endTag`) into what `serialiseXml` would give.
 */
export function serialiseElement(node: XmlNode, depth: number): string {
  const out: string[] = [];
  write(node, depth, out);
  return out.join('');
}

/** `<name attributes>` and its line end, for an element whose children are written apart. */
export function startTag(node: XmlNode, depth: number): string {
  return `${openTag(node, depth)}>\n`;
}

/** `</name>` and its line end. */
export function endTag(name: string, depth: number): string {
  return `${'  '.repeat(depth)}</${name}>\n`;
}

function openTag(node: XmlNode, depth: number): string {
  let open = `${'  '.repeat(depth)}<${node.name}`;
  for (const [key, value] of Object.entries(node.attributes ?? {})) {
    if (value !== undefined) open += ` ${key}="${escapeAttribute(value)}"`;
  }
  return open;
}

function write(node: XmlNode, depth: number, out: string[]): void {
  const open = openTag(node, depth);
  const children = (node.children ?? []).filter((child): child is XmlNode => child !== undefined);
  if (node.text !== undefined) {
    out.push(`${open}>${escapeText(node.text)}</${node.name}>\n`);
  } else if (children.length === 0) {
    out.push(`${open}/>\n`);
  } else {
    out.push(`${open}>\n`);
    for (const child of children) write(child, depth + 1, out);
    out.push(endTag(node.name, depth));
  }
}
