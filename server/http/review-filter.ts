/**
 * The second half of reading a review query string, once the route holds the project: the ids
 * the schemas of shared/queries.ts checked the shape of must exist in it, and each attribute filter
 * must name one of its participants' attributes, with values of that attribute's type.
 */
import { findAttribute, parseAttributeValue } from '../../shared/attributes.ts';
import { DomainError } from '../../shared/errors.ts';
import type { CodeId, DocumentId, UserId } from '../../shared/ids.ts';
import type { AttributeDef, AttributeValue, ProjectState } from '../../shared/model.ts';
import type { ReviewFilterQuery } from '../../shared/queries.ts';
import type { ReviewFilter } from '../../shared/stats/filters.ts';

function invalid(message: string, details: Record<string, unknown> = {}): DomainError {
  return new DomainError('invalid_input', message, details);
}

/** Users who may appear as coders: members, and anyone who left codings behind. */
function knownCoders(state: Readonly<ProjectState>): Set<string> {
  const coders = new Set(Object.keys(state.members));
  for (const coding of Object.values(state.codings)) coders.add(coding.coderId);
  return coders;
}

/** The coders named, each a member or the author of codings in the project. */
export function projectCoders(state: Readonly<ProjectState>, ids: readonly string[]): UserId[] {
  const known = knownCoders(state);
  for (const id of ids) {
    if (!known.has(id)) throw invalid(`Codeur inconnu dans ce projet : « ${id} ».`, { coderId: id });
  }
  return ids as UserId[];
}

/** The documents named, each a document of the project. */
export function projectDocuments(state: Readonly<ProjectState>, ids: readonly string[]): DocumentId[] {
  for (const id of ids) {
    if (!state.documents[id])
      throw invalid(`Document inconnu dans ce projet : « ${id} ».`, { documentId: id });
  }
  return ids as DocumentId[];
}

/** The codes named, each a code of the project. */
export function projectCodes(state: Readonly<ProjectState>, ids: readonly string[]): CodeId[] {
  for (const id of ids) {
    if (!state.codes[id]) throw invalid(`Code inconnu dans ce projet : « ${id} ».`, { codeId: id });
  }
  return ids as CodeId[];
}

/** The participants' attribute `name` names (without case or accents), as parameter `parameter`. */
export function projectAttribute(
  state: Readonly<ProjectState>,
  parameter: string,
  name: string,
): AttributeDef {
  const attribute = findAttribute(state.attributes, name);
  if (!attribute) {
    throw invalid(`« ${parameter} » : « ${name} » n’est pas un attribut des participants.`, {
      parameter,
    });
  }
  return attribute;
}

/**
 * The review filter a parsed query names: its coders and documents, and its attribute filters
 * (names and values matched without case or accents; several values of one attribute mean any of
 * them). A parameter that is neither the route's nor an attribute of the participants is refused.
 * @throws DomainError `invalid_input` naming the parameter, in French.
 */
export function reviewFilterOf(state: Readonly<ProjectState>, query: ReviewFilterQuery): ReviewFilter {
  const attributes = new Map<string, { attribute: AttributeDef; values: AttributeValue[] }>();
  for (const key of Object.keys(query.attributes)) {
    const attribute = findAttribute(state.attributes, key);
    if (!attribute) {
      throw invalid(
        `Paramètre inconnu « ${key} » : ni un paramètre de cette route (docs/API.md), ni un attribut des participants.`,
        { parameter: key },
      );
    }
    const entry = attributes.get(attribute.name) ?? { attribute, values: [] };
    for (const raw of query.attributes[key] ?? []) {
      const value = parseAttributeValue(attribute, raw);
      if (value !== undefined) entry.values.push(value);
    }
    attributes.set(attribute.name, entry);
  }
  return {
    coderIds: query.coderId === undefined ? null : projectCoders(state, [...new Set(query.coderId)]),
    documentIds:
      query.documentId === undefined ? null : projectDocuments(state, [...new Set(query.documentId)]),
    attributes: [...attributes.values()],
  };
}
