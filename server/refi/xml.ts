import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DomainError } from '../../shared/errors.ts';

/**
 * XML for REFI-QDA, both ways, with nothing a hostile file could use.
 *
 * Reading: a DOCTYPE or an ENTITY declaration is refused before any parsing (XXE, billion laughs),
 * the parser is told to expand no entity at all, and the five predefined entities and numeric
 * character references are decoded here, in one pass, so `&amp;#233;` stays `&#233;`.
 * Elements are reduced to their local names; namespaces are kept apart for the root check.
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

type RawNode = Record<string, unknown>;

/**
 * The deepest nesting of elements read. REFI-QDA files nest a few levels, plus one per level of
 * the code tree; a file nested thousands deep is made to exhaust the stack of whatever walks it.
 */
export const MAX_XML_DEPTH = 100;

const parser = new XMLParser({
  maxNestedTags: MAX_XML_DEPTH,
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  htmlEntities: false,
  cdataPropName: '__cdata',
  ignoreDeclaration: true,
  ignorePiTags: true,
});

function refused(fileName: string, why: string): DomainError {
  return new DomainError('unprocessable', `« ${fileName} » est refusé : ${why}`, { file: fileName });
}

/**
 * Parse an XML document safely.
 * @throws DomainError `unprocessable` naming the file for a DOCTYPE, an entity declaration, an
 *   unknown entity, elements nested deeper than MAX_XML_DEPTH or a document that is not well-formed.
 */
export function parseXml(fileName: string, source: string): XmlElement {
  const xml = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml)) {
    throw refused(fileName, 'il déclare un DOCTYPE ou des entités, ce que REFI-QDA ne prévoit pas.');
  }
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw refused(fileName, `ce n'est pas du XML bien formé (ligne ${valid.err.line} : ${valid.err.msg}).`);
  }
  let nodes: RawNode[];
  try {
    nodes = parser.parse(xml) as RawNode[];
  } catch (error) {
    if (/nested/i.test((error as Error).message)) {
      throw refused(fileName, `ses éléments sont imbriqués sur plus de ${MAX_XML_DEPTH} niveaux.`);
    }
    const reserved = /Invalid name: "([^"]+)"/.exec((error as Error).message);
    if (reserved) throw refused(fileName, `il utilise le nom réservé « ${reserved[1]} ».`);
    throw refused(fileName, "ce XML n'a pas pu être lu.");
  }
  const root = nodes.find((node) => elementName(node) !== undefined);
  if (!root) throw refused(fileName, 'il ne contient aucun élément XML.');
  return toElement(fileName, root, new Map());
}

function elementName(node: RawNode): string | undefined {
  return Object.keys(node).find((key) => key !== ':@' && key !== '#text' && key !== '__cdata');
}

function localName(qualified: string): string {
  const colon = qualified.indexOf(':');
  return colon < 0 ? qualified : qualified.slice(colon + 1);
}

function toElement(fileName: string, node: RawNode, scope: ReadonlyMap<string, string>): XmlElement {
  const qualified = elementName(node) as string;
  const rawAttributes = (node[':@'] ?? {}) as Record<string, string>;
  // Copied only by an element that declares a namespace: a file holds hundreds of thousands.
  let namespaces = scope;
  const declare = (prefix: string, uri: string) => {
    if (namespaces === scope) namespaces = new Map(scope);
    (namespaces as Map<string, string>).set(prefix, uri);
  };
  // Without a prototype: an attribute named `__proto__` or `constructor` is read as any other.
  const attributes = Object.create(null) as Record<string, string>;
  for (const [key, value] of Object.entries(rawAttributes)) {
    const decoded = decodeEntities(fileName, String(value));
    if (key === 'xmlns') declare('', decoded);
    else if (key.startsWith('xmlns:')) declare(key.slice(6), decoded);
    else attributes[localName(key)] = decoded;
  }
  const colon = qualified.indexOf(':');
  const prefix = colon < 0 ? '' : qualified.slice(0, colon);
  const children: XmlElement[] = [];
  let text = '';
  const raw = (node[qualified] ?? []) as (RawNode | undefined)[];
  for (let i = 0; i < raw.length; i++) {
    const child = raw[i] as RawNode;
    // The parser's copy of each child is let go once read, so that the two trees of a large
    // project are never whole in memory together.
    raw[i] = undefined;
    if ('#text' in child) text += decodeEntities(fileName, String(child['#text']));
    else if ('__cdata' in child) {
      for (const part of (child.__cdata ?? []) as RawNode[]) text += String(part['#text'] ?? '');
    } else if (elementName(child) !== undefined) children.push(toElement(fileName, child, namespaces));
  }
  return { name: localName(qualified), attributes, children, text, namespace: namespaces.get(prefix) };
}

const PREDEFINED: ReadonlyMap<string, string> = new Map([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
]);

/** Decode the predefined entities and character references in one pass; refuse any other entity. */
export function decodeEntities(fileName: string, value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&([^;&\s]*);?/g, (match, body: string) => {
    if (!match.endsWith(';')) throw refused(fileName, `il contient un « & » isolé (${match}).`);
    // A Map: `&constructor;` is an unknown entity, not Object's constructor.
    const named = PREDEFINED.get(body);
    if (named !== undefined) return named;
    const numeric = /^#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}))$/.exec(body);
    const code = numeric ? parseInt(numeric[1] ?? numeric[2] ?? '', numeric[1] ? 16 : 10) : NaN;
    if (!Number.isInteger(code) || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) || code === 0) {
      throw refused(fileName, `il utilise l'entité inconnue « ${match} ».`);
    }
    return String.fromCodePoint(code);
  });
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
