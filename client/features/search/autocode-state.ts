import { createEffect, createSignal, on } from 'solid-js';
import { createStore } from 'solid-js/store';
import { createSubmit } from '../../app/submit.ts';
import { indentedCodes } from './filter-options.ts';
import {
  autocode,
  undoLastChange,
  type AutocodeOrder,
  type AutocodeResult,
  type AutocodeUnit,
  type CodeSummary,
} from './search-api.ts';
import type { SearchRequest } from './search-request.ts';

interface Applied {
  readonly result: AutocodeResult;
  readonly codeName: string;
  /** The transaction the run made, to undo that one and no other; null when nothing was created. */
  readonly txn: number | null;
  readonly undone: boolean;
}

/**
 * The auto-coding panel's choices and steps: preview, apply, undo. A change to what would be
 * coded makes the preview stale.
 */
export function createAutocode(props: {
  projectId: string;
  request: SearchRequest;
  codes: readonly CodeSummary[];
  total: number;
  selectedIds: readonly string[];
  onChanged: () => void;
}) {
  const [form, setForm] = createStore({ codeId: '', unit: 'sentence' as AutocodeUnit, scope: 'checked' });
  const [preview, setPreview] = createSignal<AutocodeResult>();
  const [applied, setApplied] = createSignal<Applied>();
  const { busy, error, setError, run } = createSubmit();
  const codes = () => indentedCodes(props.codes);
  const codeName = () => props.codes.find((c) => c.id === form.codeId)?.name ?? '';
  const order = (): AutocodeOrder => ({
    request: props.request,
    codeId: form.codeId,
    unit: form.unit,
    hitIds: form.scope === 'all' ? undefined : props.selectedIds,
  });
  const ready = () =>
    form.codeId !== '' && (form.scope === 'all' ? props.total > 0 : props.selectedIds.length > 0);

  // Any change to what would be coded makes the preview stale.
  createEffect(
    on(
      () => [form.codeId, form.unit, form.scope, props.request, props.selectedIds.join('\n')],
      () => setPreview(undefined),
      { defer: true },
    ),
  );

  const showPreview = async () => {
    setApplied(undefined);
    setPreview(await autocode(props.projectId, order(), true));
  };
  const apply = async () => {
    const name = codeName();
    const result = await autocode(props.projectId, order(), false);
    const txn = result.created > 0 ? result.txn : null;
    setPreview(undefined);
    setApplied({ result, codeName: name, txn, undone: false });
    props.onChanged();
  };
  const undo = async () => {
    const done = applied();
    if (!done) return;
    if (done.txn === null) return;
    // The server undoes this run's transaction only if it is still the user's latest change.
    await undoLastChange(props.projectId, done.txn);
    setApplied({ ...done, undone: true });
    props.onChanged();
  };
  return {
    form,
    setForm,
    preview,
    applied,
    busy,
    error,
    setError,
    run,
    codes,
    codeName,
    ready,
    showPreview,
    apply,
    undo,
  };
}

export type Autocode = ReturnType<typeof createAutocode>;
