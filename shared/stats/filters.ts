import { attributeValueOf, findAttribute, parseAttributeValue } from '../attributes.ts';
import { DomainError } from '../errors.ts';
import { isId, type DocumentId, type UserId } from '../ids.ts';
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

/** A parsed query string: the filter, and the route's own parameters (each a list of values). */
export interface ReviewQuery {
  readonly filter: ReviewFilter;
  readonly params: ReadonlyMap<string, readonly string[]>;
}

/** The parameters every review route reads as filters. */
const FILTER_PARAMS = ['coderId', 'documentId'] as const;

function invalid(message: string, details: Record<string, unknown> = {}): DomainError {
  return new DomainError('invalid_input', message, details);
}

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
 * Read a review query string. `coderId` and `documentId` (repeatable) and `<attribute name>=<value>`
 * (names and values matched without case or accents; repeatable) are filters; `routeParams` are
 * the route's own parameters; anything else is refused.
 * @throws DomainError `invalid_input` naming the parameter, in French.
 */
export function parseReviewQuery(
  state: Readonly<ProjectState>,
  query: Readonly<Record<string, readonly string[]>>,
  routeParams: readonly string[],
  options: { coderFilter?: boolean } = {},
): ReviewQuery {
  const coderFilter = options.coderFilter ?? true;
  const params = new Map<string, string[]>();
  let coderIds: UserId[] | null = null;
  let documentIds: DocumentId[] | null = null;
  const attributes = new Map<string, { attribute: AttributeDef; values: AttributeValue[] }>();
  for (const [key, rawValues] of Object.entries(query)) {
    const values = rawValues.map((v) => v.trim());
    if (routeParams.includes(key)) {
      params.set(key, [...(params.get(key) ?? []), ...values]);
    } else if (key === 'coderId' && coderFilter) {
      coderIds = [...(coderIds ?? []), ...values.map((v) => checkCoder(state, v))];
    } else if (key === 'documentId') {
      documentIds = [...(documentIds ?? []), ...values.map((v) => checkDocument(state, v))];
    } else {
      const attribute = findAttribute(state.attributes, key);
      if (!attribute || (FILTER_PARAMS as readonly string[]).includes(key)) {
        const known = [...(coderFilter ? FILTER_PARAMS : ['documentId']), ...routeParams].join(', ');
        throw invalid(
          `Paramètre inconnu « ${key} » : ni un paramètre de cette statistique (${known}), ni un attribut des participants.`,
          { parameter: key },
        );
      }
      const entry = attributes.get(attribute.name) ?? { attribute, values: [] };
      for (const raw of values) {
        if (raw === '')
          throw invalid(`Le filtre « ${attribute.name} » attend une valeur.`, { parameter: key });
        const value = parseAttributeValue(attribute, raw);
        if (value !== undefined) entry.values.push(value);
      }
      attributes.set(attribute.name, entry);
    }
  }
  return {
    filter: {
      coderIds: coderIds === null ? null : [...new Set(coderIds)],
      documentIds: documentIds === null ? null : [...new Set(documentIds)],
      attributes: [...attributes.values()],
    },
    params,
  };
}

/** Users who may appear as coders: members, and anyone who left codings behind. */
export function knownCoders(state: Readonly<ProjectState>): Set<string> {
  const coders = new Set(Object.keys(state.members));
  for (const coding of Object.values(state.codings)) coders.add(coding.coderId);
  return coders;
}

export function checkCoder(state: Readonly<ProjectState>, raw: string): UserId {
  if (!isId(raw) || !knownCoders(state).has(raw)) {
    throw invalid(`Codeur inconnu dans ce projet : « ${raw} ».`, { coderId: raw });
  }
  return raw as UserId;
}

export function checkDocument(state: Readonly<ProjectState>, raw: string): DocumentId {
  if (!isId(raw) || !state.documents[raw]) {
    throw invalid(`Document inconnu dans ce projet : « ${raw} ».`, { documentId: raw });
  }
  return raw as DocumentId;
}

/** At most one value for a parameter; `undefined` when absent. */
export function singleParam(
  params: ReadonlyMap<string, readonly string[]>,
  name: string,
): string | undefined {
  const values = params.get(name);
  if (values === undefined) return undefined;
  if (values.length !== 1) throw invalid(`Le paramètre « ${name} » ne peut être donné qu'une fois.`);
  return values[0];
}

/** One of the allowed values for a parameter, or its default. */
export function enumParam<T extends string>(
  params: ReadonlyMap<string, readonly string[]>,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = singleParam(params, name);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw invalid(`« ${name} » vaut ${allowed.map((a) => `« ${a} »`).join(' ou ')}, pas « ${value} ».`);
  }
  return value as T;
}

/** A whole number in [min, max], or its default. */
export function integerParam(
  params: ReadonlyMap<string, readonly string[]>,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  const value = singleParam(params, name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw invalid(`« ${name} » attend un nombre entier entre ${min} et ${max}, pas « ${value} ».`);
  }
  return n;
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
