/**
 * The filters of the review pages (coders, documents, attribute values), kept in the page's
 * address so that a link, a reload or the back button keeps them, and turned into the API's
 * query (`coderId`, `documentId`, `<attribute>=<value>`, repeatable; see docs/statistics.md).
 * In the address, attribute filters are prefixed with `attr:` so that an attribute named like a
 * page parameter (`codes`, `unit`…) cannot be mistaken for it.
 */
import { nameRecord } from '../../../shared/attributes.ts';

export interface ReviewFilter {
  readonly coderIds: readonly string[];
  readonly documentIds: readonly string[];
  /** Attribute name → the values kept (any of them). */
  readonly attributes: Readonly<Record<string, readonly string[]>>;
}

export const NO_FILTER: ReviewFilter = { coderIds: [], documentIds: [], attributes: {} };

export const ATTRIBUTE_PREFIX = 'attr:';

/** The filter written in a page address. */
export function readFilter(search: URLSearchParams): ReviewFilter {
  const attributes = nameRecord<string[]>();
  for (const [key, value] of search) {
    if (!key.startsWith(ATTRIBUTE_PREFIX) || value === '') continue;
    const name = key.slice(ATTRIBUTE_PREFIX.length);
    const values = (attributes[name] ??= []);
    if (!values.includes(value)) values.push(value);
  }
  const unique = (values: string[]) => [...new Set(values.filter((v) => v !== ''))];
  return {
    coderIds: unique(search.getAll('coderId')),
    documentIds: unique(search.getAll('documentId')),
    attributes,
  };
}

/** Write `filter` into `search` (replacing any filter already there); other parameters stay. */
export function writeFilter(filter: ReviewFilter, search = new URLSearchParams()): URLSearchParams {
  const out = new URLSearchParams(search);
  for (const key of [...out.keys()]) {
    if (key === 'coderId' || key === 'documentId' || key.startsWith(ATTRIBUTE_PREFIX)) out.delete(key);
  }
  for (const id of filter.coderIds) out.append('coderId', id);
  for (const id of filter.documentIds) out.append('documentId', id);
  for (const [name, values] of Object.entries(filter.attributes)) {
    for (const value of values) out.append(`${ATTRIBUTE_PREFIX}${name}`, value);
  }
  return out;
}

/** The API's query for `filter`: repeated `coderId`, `documentId` and `<attribute>=<value>`. */
export function apiQuery(filter: ReviewFilter): Record<string, string[]> {
  const query = nameRecord<string[]>();
  if (filter.coderIds.length > 0) query.coderId = [...filter.coderIds];
  if (filter.documentIds.length > 0) query.documentId = [...filter.documentIds];
  for (const [name, values] of Object.entries(filter.attributes)) {
    if (values.length > 0) query[name] = [...values];
  }
  return query;
}

/** `filter` narrowed to one value of an attribute (a crosstab cell). */
export function withAttributeValue(filter: ReviewFilter, name: string, value: string): ReviewFilter {
  return { ...filter, attributes: { ...filter.attributes, [name]: [value] } };
}

/** `filter` with `value` added to or removed from a list of values. */
export function toggleValue(values: readonly string[], value: string, on: boolean): string[] {
  const rest = values.filter((v) => v !== value);
  return on ? [...rest, value] : rest;
}

export function isEmptyFilter(filter: ReviewFilter): boolean {
  return (
    filter.coderIds.length === 0 &&
    filter.documentIds.length === 0 &&
    Object.values(filter.attributes).every((values) => values.length === 0)
  );
}

export type RetrieveOp = 'and' | 'or' | 'not';

/** The address of the retrieval page for `codeIds` combined by `op`, under `filter`. */
export function retrievalHref(
  projectId: string,
  codeIds: readonly string[],
  op: RetrieveOp,
  filter: ReviewFilter,
): string {
  const search = writeFilter(filter, new URLSearchParams({ codes: codeIds.join(','), op }));
  return `/projects/${projectId}/review/retrieval?${search.toString()}`;
}

/** The address of a document's coding view, opened at a passage ([start, end) in code points). */
export function documentHref(projectId: string, documentId: string, start: number, end: number): string {
  return `/projects/${projectId}/documents/${documentId}?start=${start}&end=${end}`;
}
