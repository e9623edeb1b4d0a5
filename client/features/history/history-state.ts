import { createMemo, createResource, createSignal, onMount, type Accessor } from 'solid-js';
import { api, unwrap } from '../../api/client.ts';
import type { AuditKind } from '../../../shared/audit.ts';
import type { LoggedProjectEvent } from '../../../shared/events.ts';
import { fetchCodes, fetchDocuments, fetchMembers, fetchProject } from '../review/review-api.ts';

const PAGE = 50;

export interface Filter {
  userId: string;
  kind: '' | AuditKind;
  from: string;
  to: string;
}

/** The query a filter sends: empty fields left out. */
function query(filter: Filter): Record<string, string> {
  return Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== ''));
}

/**
 * The history page's data: the project's names (people, codes, documents), the filter, and the
 * entries read a page at a time, again from the start whenever the filter changes.
 */
export function createHistory(projectId: Accessor<string>) {
  const [project] = createResource(projectId, fetchProject);
  const [members] = createResource(projectId, fetchMembers);
  const [codes] = createResource(projectId, fetchCodes);
  const [documents] = createResource(projectId, fetchDocuments);
  const [filter, setFilter] = createSignal<Filter>({ userId: '', kind: '', from: '', to: '' });
  const [entries, setEntries] = createSignal<LoggedProjectEvent[]>([]);
  const [next, setNext] = createSignal<number | null>(null);
  const [loading, setLoading] = createSignal(false);
  const [error, setError] = createSignal<unknown>();

  const load = async (before?: number) => {
    setLoading(true);
    setError(undefined);
    try {
      const page = await unwrap(
        api.projects[':projectId'].audit.$get({
          param: { projectId: projectId() },
          query: { ...query(filter()), limit: String(PAGE), ...(before ? { before: String(before) } : {}) },
        }),
      );
      setEntries((list) => (before ? [...list, ...page.entries] : page.entries) as LoggedProjectEvent[]);
      setNext(page.next);
    } catch (failure) {
      setError(failure);
    } finally {
      setLoading(false);
    }
  };
  onMount(() => void load());
  const change = (patch: Partial<Filter>) => {
    setFilter({ ...filter(), ...patch });
    void load();
  };

  const names = createMemo(() => {
    const people = new Map((members() ?? []).map((m) => [m.userId as string, m.displayName || m.username]));
    const codeNames = new Map((codes() ?? []).map((c) => [c.id as string, c.name]));
    const documentNames = new Map((documents() ?? []).map((d) => [d.id as string, d.name]));
    return {
      user: (id: string) => people.get(id),
      code: (id: string) => codeNames.get(id),
      document: (id: string) => documentNames.get(id),
    };
  });
  const csvHref = () =>
    api.projects[':projectId'].audit['export.csv'].$url({
      param: { projectId: projectId() },
      query: query(filter()),
    }).href;
  return {
    project,
    members,
    codes,
    documents,
    filter,
    change,
    entries,
    next,
    loading,
    error,
    setError,
    load,
    names,
    csvHref,
  };
}

export type History = ReturnType<typeof createHistory>;
