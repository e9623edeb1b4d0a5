import { createEffect, on, untrack } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import type { CodingScope, SearchRequest } from './search-request.ts';

/** The form's editable copy of a search. */
export interface Draft {
  q: string;
  fuzzy: boolean;
  prefix: boolean;
  speaker: string;
  coding: CodingScope;
  documentIds: string[];
  attributes: Record<string, string>;
  offset: number;
}

function toDraft(request: SearchRequest): Draft {
  return { ...request, documentIds: [...request.documentIds], attributes: { ...request.attributes } };
}

/**
 * The search form's draft, read again whenever the page's search changes. `run` hands it to
 * `onSearch`; `refine` applies a change of option or filter and runs the search again if there is
 * something to search.
 */
export function createSearchDraft(props: {
  request: SearchRequest;
  onSearch: (request: SearchRequest) => void;
}) {
  const [draft, setDraft] = createStore<Draft>(untrack(() => toDraft(props.request)));
  createEffect(
    on(
      () => props.request,
      (request) => setDraft(reconcile(toDraft(request))),
      { defer: true },
    ),
  );
  const run = () => props.onSearch({ ...toDraft(draft), q: draft.q.trim(), offset: 0 });
  /** Apply a change of option or filter: the search runs again if there is something to search. */
  const refine = (change: () => void) => {
    change();
    if (draft.q.trim() !== '') run();
  };
  const toggleDocument = (id: string, on: boolean) =>
    refine(() =>
      setDraft('documentIds', (ids) =>
        on ? [...ids.filter((x) => x !== id), id] : ids.filter((x) => x !== id),
      ),
    );
  const clearFilters = () =>
    refine(() => {
      setDraft('speaker', '');
      setDraft('coding', { kind: 'any' });
      setDraft('documentIds', []);
      setDraft('attributes', reconcile({}));
    });
  const setCoding = (value: string) =>
    refine(() =>
      setDraft(
        'coding',
        value === 'any' || value === 'uncoded' ? { kind: value } : { kind: 'code', codeId: value },
      ),
    );
  const setSpeaker = (speaker: string) => refine(() => setDraft('speaker', speaker));
  const setAttribute = (name: string, value: string) => refine(() => setDraft('attributes', name, value));
  return { draft, setDraft, run, refine, toggleDocument, clearFilters, setCoding, setSpeaker, setAttribute };
}

export type SearchDraft = ReturnType<typeof createSearchDraft>;
