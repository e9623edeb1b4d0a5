/**
 * The search page's reads and writes, through the typed client: the answers' types are those of
 * the server's routes, so a renamed field breaks the build.
 */
import { api, unwrap } from '../../api/client.ts';
import { apiFilters, apiSearchQuery, type SearchRequest } from './search-request.ts';

const project = api.projects[':projectId'];

/** Hits asked for per page. */
export const PAGE_SIZE = 50;

export const fetchProject = (projectId: string) => unwrap(project.$get({ param: { projectId } }));

export function fetchSearch(projectId: string, request: SearchRequest) {
  return unwrap(project.search.$get({ param: { projectId }, query: apiSearchQuery(request, PAGE_SIZE) }));
}
export type SearchResult = Awaited<ReturnType<typeof fetchSearch>>;
export type SearchHit = SearchResult['hits'][number];

/** When each project's index was last asked to be made ready, in this page. */
const preparedAt = new Map<string, number>();
/** How long a request to prepare the index stands before another is sent. */
const PREPARE_AGAIN_MS = 60_000;

/**
 * Ask the server to load or build the project's search index now, while the words are being
 * typed: the first search of a large project would otherwise wait for it (one to two seconds at
 * 500 interviews). Sent at most once a minute per project; a failure changes nothing (the search
 * itself builds what is missing).
 */
export function prepareSearch(projectId: string): void {
  const now = Date.now();
  if (now - (preparedAt.get(projectId) ?? -Infinity) < PREPARE_AGAIN_MS) return;
  preparedAt.set(projectId, now);
  project.search.prepare.$post({ param: { projectId } }).catch(() => preparedAt.delete(projectId));
}

/** What the form offers to filter on: codes, participants' attributes, documents and speakers. */
export async function fetchSearchContext(projectId: string) {
  const param = { param: { projectId } };
  const [codes, participants, documents] = await Promise.all([
    unwrap(project.codes.$get(param)),
    unwrap(project.participants.$get(param)),
    unwrap(project.documents.$get(param)),
  ]);
  return { codes: codes.codes, ...participants, documents: documents.documents };
}
export type SearchContext = Awaited<ReturnType<typeof fetchSearchContext>>;
export type CodeSummary = SearchContext['codes'][number];
export type AttributeDefinition = SearchContext['attributes'][number];

export type AutocodeUnit = 'match' | 'sentence' | 'turn';

export interface AutocodeOrder {
  readonly request: SearchRequest;
  readonly codeId: string;
  readonly unit: AutocodeUnit;
  /** The ticked hits; `undefined` codes every hit of the search. */
  readonly hitIds: readonly string[] | undefined;
}

/** Auto-code the hits of a search; with `preview`, only count what would be created and skipped. */
export function autocode(projectId: string, order: AutocodeOrder, preview: boolean) {
  return unwrap(
    project.autocode.$post({
      param: { projectId },
      json: {
        q: order.request.q,
        codeId: order.codeId,
        unit: order.unit,
        filters: apiFilters(order.request),
        ...(order.hitIds ? { hitIds: [...order.hitIds] } : {}),
        ...(preview ? { preview: true } : {}),
      },
    }),
  );
}
export type AutocodeResult = Awaited<ReturnType<typeof autocode>>;

export const undoLastChange = (projectId: string, txn: number) =>
  unwrap(
    project.undo.$post(
      { param: { projectId } },
      { init: { body: JSON.stringify({ txn }), headers: { 'content-type': 'application/json' } } },
    ),
  );
