import { attributeValueOf } from '../attributes.ts';
import type { DocumentId, UserId } from '../ids.ts';
import type {
  AttributeDef,
  AttributeValue,
  Coding,
  DocumentMeta,
  Participant,
  ProjectState,
} from '../model.ts';
import { foldForComparison } from '../text.ts';

/** One attribute filter: the participant's value must be one of `values` (already normalised). */
export interface AttributeFilter {
  readonly attribute: AttributeDef;
  readonly values: readonly AttributeValue[];
}

/**
 * What the review statistics look at. Within one filter, several values mean « any of them »
 * (OR); different filters must all hold (AND). `null` means no restriction.
 */
export interface ReviewFilter {
  readonly coderIds: readonly UserId[] | null;
  readonly documentIds: readonly DocumentId[] | null;
  readonly attributes: readonly AttributeFilter[];
}

export const NO_FILTER: ReviewFilter = { coderIds: null, documentIds: null, attributes: [] };

/** The attribute value of a participant in the canonical form stored, or undefined. */
export function valueOf(
  participant: Participant | undefined,
  attribute: AttributeDef,
): AttributeValue | undefined {
  return attributeValueOf(participant?.attributes, attribute.name);
}

/** Whether a stored value is one of the wanted ones (text compared without case or accents). */
function matches(
  attribute: AttributeDef,
  stored: AttributeValue | undefined,
  wanted: readonly AttributeValue[],
) {
  if (stored === undefined) return false;
  if (attribute.type === 'text') {
    const folded = foldForComparison(String(stored).trim());
    return wanted.some((w) => foldForComparison(String(w)) === folded);
  }
  return wanted.some((w) => w === stored);
}

/**
 * The documents a filter keeps, sorted by name: those listed (when `documentIds` is given) whose
 * participant matches every attribute filter. With an attribute filter, a document linked to no
 * participant, or to one without a value for that attribute, is left out.
 */
export function documentsInScope(state: Readonly<ProjectState>, filter: ReviewFilter): DocumentMeta[] {
  const listed = filter.documentIds === null ? null : new Set<string>(filter.documentIds);
  return Object.values(state.documents)
    .filter((d) => listed === null || listed.has(d.id))
    .filter((d) => {
      if (filter.attributes.length === 0) return true;
      const participant = d.participantId === null ? undefined : state.participants[d.participantId];
      return filter.attributes.every((f) =>
        matches(f.attribute, valueOf(participant, f.attribute), f.values),
      );
    })
    .sort((a, b) => a.name.localeCompare(b.name, 'fr') || a.id.localeCompare(b.id));
}

/** The codings of the given documents made by the filter's coders, of codes that exist. */
export function codingsInScope(
  state: Readonly<ProjectState>,
  filter: ReviewFilter,
  documents: readonly DocumentMeta[],
): Coding[] {
  const docs = new Set<string>(documents.map((d) => d.id));
  const coders = filter.coderIds === null ? null : new Set<string>(filter.coderIds);
  return Object.values(state.codings).filter(
    (c) =>
      docs.has(c.documentId) &&
      (coders === null || coders.has(c.coderId)) &&
      state.codes[c.codeId] !== undefined,
  );
}
