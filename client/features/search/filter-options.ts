/**
 * What the search form offers to choose from, derived from the project: speakers, the values of
 * each participant attribute, the codebook as an indented list.
 */
import { attributeValueOf } from '../../../shared/attributes.ts';
import type { AttributeDefinition, SearchContext } from './search-api.ts';

/** Every speaker named in the project's documents, once, in French alphabetical order. */
export function speakerNames(documents: readonly { readonly speakers: readonly string[] }[]): string[] {
  const names = new Set(documents.flatMap((d) => d.speakers).filter((name) => name.trim() !== ''));
  return [...names].sort((a, b) => a.localeCompare(b, 'fr'));
}

/**
 * The values a participant attribute can be filtered on: the choices of a `choice` attribute, else
 * the values participants carry (the search keeps participants whose value equals the one chosen),
 * numbers in numeric order, dates in calendar order, text alphabetically.
 */
export function attributeValues(
  attribute: AttributeDefinition,
  participants: SearchContext['participants'],
): string[] {
  if (attribute.type === 'choice') return [...attribute.choices];
  const values = new Set<string | number>();
  for (const participant of participants) {
    const value = attributeValueOf(participant.attributes, attribute.name);
    if (value !== undefined && value !== '') values.add(value);
  }
  const sorted = [...values].sort((a, b) =>
    typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b), 'fr'),
  );
  return sorted.map(String);
}

/** A code in a flat list that still shows the tree: its depth under the root. */
export interface IndentedCode {
  readonly id: string;
  readonly name: string;
  readonly depth: number;
}

/** The codebook depth-first, siblings in French alphabetical order. */
export function indentedCodes(
  codes: readonly { readonly id: string; readonly name: string; readonly parentId: string | null }[],
): IndentedCode[] {
  const children = new Map<string | null, (typeof codes)[number][]>();
  const known = new Set(codes.map((c) => c.id));
  for (const code of codes) {
    // A code whose parent is missing is shown at the root rather than lost.
    const parent = code.parentId !== null && known.has(code.parentId) ? code.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), code]);
  }
  const out: IndentedCode[] = [];
  const visit = (parent: string | null, depth: number) => {
    const list = [...(children.get(parent) ?? [])].sort((a, b) => a.name.localeCompare(b.name, 'fr'));
    for (const code of list) {
      out.push({ id: code.id, name: code.name, depth });
      visit(code.id, depth + 1);
    }
  };
  visit(null, 0);
  return out;
}
