import { createEffect, createResource, createSignal, on } from 'solid-js';
import { createStore } from 'solid-js/store';
import { api, unwrap } from '../../api/client.ts';
import { createSubmit } from '../../app/submit.ts';
import type { ReplacementKind } from '../../../shared/model.ts';

/** A row of the replacement list being edited. */
export interface Row {
  key: number;
  from: string;
  to: string;
  kind?: ReplacementKind | undefined;
}

/**
 * The replacement list as rows being edited, started again from the server's list each time it is
 * read, the suggestions (for leads), and the save of the whole list.
 */
export function createReplacements(props: { projectId: string; canEdit: boolean; onSaved?: () => void }) {
  const project = () => api.projects[':projectId'];
  const [list, { refetch }] = createResource(
    () => props.projectId,
    async (projectId) => (await unwrap(project().replacements.$get({ param: { projectId } }))).replacements,
  );
  const [suggestions, { refetch: refetchSuggestions }] = createResource(
    () => (props.canEdit ? props.projectId : undefined),
    async (projectId) =>
      (await unwrap(project().replacements.suggestions.$get({ param: { projectId } }))).suggestions,
  );
  const [rows, setRows] = createStore<Row[]>([]);
  const [saved, setSaved] = createSignal(false);
  const { busy, error, setError, run } = createSubmit();
  let nextKey = 0;
  const row = (from: string, to: string, kind?: ReplacementKind): Row => {
    nextKey += 1;
    return { key: nextKey, from, to, kind };
  };
  createEffect(on(list, (current) => setRows((current ?? []).map((r) => row(r.from, r.to, r.kind)))));

  const addRow = () => {
    const added = row('', '');
    setRows(rows.length, added);
    setSaved(false);
    queueMicrotask(() => document.getElementById(`replacement-from-${added.key}`)?.focus());
  };
  /** Save the list as it stands, with `accepted` suggestions added at its end. */
  const persist = (accepted: readonly { from: string; to: string; kind: ReplacementKind }[] = []) => {
    const send = async () => {
      setSaved(false);
      const all = [...rows, ...accepted];
      await unwrap(
        project().replacements.$put({
          param: { projectId: props.projectId },
          json: {
            replacements: all.map((r) => ({
              from: r.from,
              to: r.to,
              ...(r.kind === undefined ? {} : { kind: r.kind }),
            })),
          },
        }),
      );
      setSaved(true);
      await refetch();
      if (props.canEdit) await refetchSuggestions();
      props.onSaved?.();
    };
    return run(send);
  };
  const save = (event: SubmitEvent) => {
    event.preventDefault();
    void persist();
  };
  return { list, suggestions, rows, setRows, saved, setSaved, busy, error, setError, addRow, persist, save };
}

export type Replacements = ReturnType<typeof createReplacements>;
