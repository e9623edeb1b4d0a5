import { DomainError } from '../../shared/errors.ts';
import { unsafeNameReason } from '../../shared/safe-text.ts';
import { parseGuid } from './guid.ts';
import type { RefiCoding, RefiStamp } from './read-project.ts';
import { childNamed, childrenNamed, type XmlElement } from './xml.ts';

/** A code as a REFI-QDA file holds it, children nested. */
export interface RefiCode {
  readonly guid: string;
  readonly name: string;
  readonly isCodable: boolean;
  /** `#rrggbb`, lower case, when the file gives a valid colour. */
  readonly color: string | undefined;
  readonly description: string;
  readonly noteRefs: readonly string[];
  readonly children: readonly RefiCode[];
}

/** The error for a REFI-QDA file whose content cannot be taken in, naming the file. */
export function refiRefusal(
  fileName: string,
  why: string,
  details: Record<string, unknown> = {},
): DomainError {
  return new DomainError('unprocessable', `« ${fileName} » est refusé : ${why}`, {
    file: fileName,
    ...details,
  });
}

/** A required GUID attribute, normalised; anything else refuses the file. */
export function requireGuid(fileName: string, element: XmlElement, attribute = 'guid'): string {
  const raw = element.attributes[attribute];
  const guid = parseGuid(raw);
  if (!guid) {
    throw refiRefusal(
      fileName,
      raw === undefined
        ? `un élément <${element.name}> n'a pas d'attribut ${attribute}.`
        : `« ${raw} » (${element.name}/@${attribute}) n'est pas un GUID valide.`,
      { element: element.name, value: raw ?? null },
    );
  }
  return guid;
}

/** An optional GUID attribute: undefined when absent, refused when malformed. */
export function optionalGuid(fileName: string, element: XmlElement, attribute: string): string | undefined {
  return element.attributes[attribute] === undefined ? undefined : requireGuid(fileName, element, attribute);
}

/**
 * The `name` attribute of an element (or `fallback`), as a name Verbatim may hold: NFC, trimmed,
 * and refused (422, naming the element) when it hides an invisible or control character.
 */
export function nameOf(fileName: string, element: XmlElement, fallback = ''): string {
  const name = (element.attributes.name ?? fallback).normalize('NFC').trim();
  const reason = unsafeNameReason(name);
  if (reason) {
    throw refiRefusal(fileName, `le nom de l'élément <${element.name}> « ${name} » ${reason}`, {
      element: element.name,
    });
  }
  return name;
}

/** `#RGB` or `#RRGGBB` as `#rrggbb`; undefined for anything else (an alpha channel, a name). */
export function parseColor(raw: string | undefined): string | undefined {
  const value = raw?.trim() ?? '';
  if (/^#[0-9a-fA-F]{6}$/.test(value)) return value.toLowerCase();
  const short = /^#([0-9a-fA-F])([0-9a-fA-F])([0-9a-fA-F])$/.exec(value);
  return short
    ? `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`.toLowerCase()
    : undefined;
}

/** The targetGUIDs of an element's `NoteRef` children. */
export function noteRefsOf(fileName: string, element: XmlElement): string[] {
  return childrenNamed(element, 'NoteRef').map((ref) => requireGuid(fileName, ref, 'targetGUID'));
}

/**
 * Read the `Code` children of a `Codes` (or `Code`) element, recursively. A code GUID used twice
 * is refused: the file would say two different things about one code.
 */
export function readCodes(fileName: string, parent: XmlElement, seen = new Set<string>()): RefiCode[] {
  return childrenNamed(parent, 'Code').map((element) => {
    const guid = requireGuid(fileName, element);
    if (seen.has(guid)) throw refiRefusal(fileName, `le code ${guid} est défini deux fois.`, { guid });
    seen.add(guid);
    const codable = (element.attributes.isCodable ?? 'true').trim();
    return {
      guid,
      name: nameOf(fileName, element),
      isCodable: codable !== 'false' && codable !== '0',
      color: parseColor(element.attributes.color),
      description: childNamed(element, 'Description')?.text ?? '',
      noteRefs: noteRefsOf(fileName, element),
      children: readCodes(fileName, element, seen),
    };
  });
}

/** Every code of a tree, parents before children, with its parent's GUID. */
export function flattenCodes(
  codes: readonly RefiCode[],
  parentGuid: string | null = null,
): { code: RefiCode; parentGuid: string | null }[] {
  return codes.flatMap((code) => [{ code, parentGuid }, ...flattenCodes(code.children, code.guid)]);
}

/** Who made an element and when, as its attributes say (a date that does not parse is left out). */
export function stamp(fileName: string, element: XmlElement): RefiStamp {
  const when = element.attributes.creationDateTime;
  return {
    creatingUser: optionalGuid(fileName, element, 'creatingUser'),
    creationDateTime:
      when !== undefined && !Number.isNaN(Date.parse(when)) ? new Date(when).toISOString() : undefined,
  };
}

/** A `Coding`: its one `CodeRef`, its notes, who made it and when. */
export function readCoding(fileName: string, element: XmlElement): RefiCoding {
  const ref = childNamed(element, 'CodeRef');
  if (!ref) throw refiRefusal(fileName, `le codage ${element.attributes.guid ?? ''} ne nomme aucun code.`);
  return {
    guid: requireGuid(fileName, element),
    codeGuid: requireGuid(fileName, ref, 'targetGUID'),
    noteRefs: noteRefsOf(fileName, element),
    ...stamp(fileName, element),
  };
}

/**
 * What a text source and a transcript share: their id, their name, and where their text is (inline
 * as `PlainTextContent`, or a file of the archive).
 */
export function textOf(fileName: string, element: XmlElement) {
  return {
    guid: requireGuid(fileName, element),
    name: nameOf(fileName, element),
    content: childNamed(element, 'PlainTextContent')?.text,
    plainTextPath: element.attributes.plainTextPath,
    richTextPath: element.attributes.richTextPath,
  };
}
