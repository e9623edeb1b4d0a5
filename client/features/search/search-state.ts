import { useLocation, useNavigate } from '@solidjs/router';
import { createEffect, createMemo, createResource, createSignal, on, type Accessor } from 'solid-js';
import { fetchProject, fetchSearch, fetchSearchContext, prepareSearch } from './search-api.ts';
import { readSearchRequest, writeSearchRequest, type SearchRequest } from './search-request.ts';

/**
 * The search page's state: the search read from the address, the project and what the filters
 * offer, the results, and the hits ticked for auto-coding.
 */
export function createSearchState(projectId: Accessor<string>) {
  const location = useLocation();
  const navigate = useNavigate();
  const request = createMemo(() => readSearchRequest(new URLSearchParams(location.search)), undefined, {
    equals: (a, b) => writeSearchRequest(a).toString() === writeSearchRequest(b).toString(),
  });
  const [project] = createResource(projectId, fetchProject);
  const [context] = createResource(projectId, fetchSearchContext);
  const [result, { refetch }] = createResource(
    () => (request().q.trim() === '' ? undefined : { projectId: projectId(), request: request() }),
    ({ projectId, request }) => fetchSearch(projectId, request),
  );
  // Opened without words yet: the index is made ready while they are typed.
  createEffect(() => {
    if (request().q.trim() === '') prepareSearch(projectId());
  });
  const [selected, setSelected] = createSignal<ReadonlySet<string>>(new Set());
  // A new search starts with nothing ticked; paging through the same search keeps the ticks.
  createEffect(
    on(
      () => writeSearchRequest({ ...request(), offset: 0 }).toString(),
      () => setSelected(new Set<string>()),
      { defer: true },
    ),
  );
  const canCode = () => project()?.role === 'lead' || project()?.role === 'coder';
  const go = (next: SearchRequest) =>
    navigate(`/projects/${projectId()}/search?${writeSearchRequest(next).toString()}`);
  const toggle = (ids: readonly string[], on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });
  const latest = () => (result.error ? undefined : result.latest);
  return { request, project, context, result, refetch, selected, canCode, go, toggle, latest };
}
