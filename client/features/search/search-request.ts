/**
 * A search as the page's address holds it, so that a search can be bookmarked, shared and undone
 * with the browser's back button, and the same search as the API reads it.
 *
 * Address: `q`, `fuzzy=true`, `prefix=false`, `speaker`, `codeId` or `uncoded=true`, `documentId`
 * (repeatable), `attr:<attribute name>=<value>` and `offset`. The `attr:` prefix keeps an attribute
 * named like one of the page's own parameters from taking its place.
 */
import { nameRecord } from '../../../shared/attributes.ts';

/** Which coded state the matches must be in: anywhere, not yet coded, or within a code. */
export type CodingScope = { kind: 'any' } | { kind: 'uncoded' } | { kind: 'code'; codeId: string };

export interface SearchRequest {
  readonly q: string;
  /** Tolerate a typing error or two in long words. */
  readonly fuzzy: boolean;
  /** Let the last letters be missing (« ressais » finds « ressaisie »). */
  readonly prefix: boolean;
  /** '' for every speaker, `interviewees`, or a speaker's name. */
  readonly speaker: string;
  readonly coding: CodingScope;
  readonly documentIds: readonly string[];
  /** One wanted value per participant attribute, by attribute name. */
  readonly attributes: Readonly<Record<string, string>>;
  /** Index of the first hit shown. */
  readonly offset: number;
}

export const EMPTY_REQUEST: SearchRequest = {
  q: '',
  fuzzy: false,
  prefix: true,
  speaker: '',
  coding: { kind: 'any' },
  documentIds: [],
  attributes: {},
  offset: 0,
};

const ATTRIBUTE_PREFIX = 'attr:';

/** Read the search from the page's address; anything unknown is ignored. */
export function readSearchRequest(search: URLSearchParams): SearchRequest {
  const attributes = nameRecord<string>();
  for (const [key, value] of search) {
    if (key.startsWith(ATTRIBUTE_PREFIX) && value !== '')
      attributes[key.slice(ATTRIBUTE_PREFIX.length)] = value;
  }
  const codeId = search.get('codeId') ?? '';
  const offset = Number(search.get('offset') ?? 0);
  return {
    q: search.get('q') ?? '',
    fuzzy: search.get('fuzzy') === 'true',
    prefix: search.get('prefix') !== 'false',
    speaker: search.get('speaker') ?? '',
    coding:
      search.get('uncoded') === 'true'
        ? { kind: 'uncoded' }
        : codeId !== ''
          ? { kind: 'code', codeId }
          : { kind: 'any' },
    documentIds: [...new Set(search.getAll('documentId').filter((id) => id !== ''))],
    attributes,
    offset: Number.isInteger(offset) && offset > 0 ? offset : 0,
  };
}

/** Write the search into a query string for the page's address (defaults left out). */
export function writeSearchRequest(request: SearchRequest): URLSearchParams {
  const out = new URLSearchParams();
  out.set('q', request.q);
  if (request.fuzzy) out.set('fuzzy', 'true');
  if (!request.prefix) out.set('prefix', 'false');
  if (request.speaker !== '') out.set('speaker', request.speaker);
  if (request.coding.kind === 'uncoded') out.set('uncoded', 'true');
  if (request.coding.kind === 'code') out.set('codeId', request.coding.codeId);
  for (const id of request.documentIds) out.append('documentId', id);
  for (const [name, value] of Object.entries(request.attributes))
    if (value !== '') out.set(`${ATTRIBUTE_PREFIX}${name}`, value);
  if (request.offset > 0) out.set('offset', String(request.offset));
  return out;
}

/**
 * The filters of a search as the API reads them, both as query parameters of `GET …/search` and
 * as the `filters` of `POST …/autocode`: the same words must find the same passages in both.
 */
export function apiFilters(request: SearchRequest): Record<string, string | string[]> {
  const filters = nameRecord<string | string[]>([
    ['prefix', String(request.prefix)],
    ['fuzzy', String(request.fuzzy)],
  ]);
  if (request.speaker !== '') filters.speaker = request.speaker;
  if (request.coding.kind === 'uncoded') filters.uncoded = 'true';
  if (request.coding.kind === 'code') filters.codeId = request.coding.codeId;
  if (request.documentIds.length > 0) filters.documentId = [...request.documentIds];
  for (const [name, value] of Object.entries(request.attributes)) if (value !== '') filters[name] = value;
  return filters;
}

/** The query string of `GET …/search` for one page of `limit` hits. */
export function apiSearchQuery(request: SearchRequest, limit: number) {
  return { ...apiFilters(request), q: request.q, offset: String(request.offset), limit: String(limit) };
}

/** How many filters narrow the search (the query's options not counted). */
export function activeFilterCount(request: SearchRequest): number {
  return (
    (request.speaker !== '' ? 1 : 0) +
    (request.coding.kind !== 'any' ? 1 : 0) +
    (request.documentIds.length > 0 ? 1 : 0) +
    Object.values(request.attributes).filter((v) => v !== '').length
  );
}

/**
 * The address that opens a document at a match: the coding view scrolls to `[start, end)` (code
 * points of the document's text) and highlights it, and may mark the query's other matches.
 */
export function documentAtMatch(
  projectId: string,
  documentId: string,
  match: { readonly start: number; readonly end: number },
  q: string,
): string {
  const search = new URLSearchParams({ start: String(match.start), end: String(match.end), q });
  return `/projects/${projectId}/documents/${documentId}?${search.toString()}`;
}
