import { createEffect, createSignal, For, on, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { createSubmit } from '../../app/submit.ts';
import { formatNumber, t, type MessageKey } from '../../i18n/index.ts';
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

const UNITS: readonly { unit: AutocodeUnit; label: MessageKey; hint: MessageKey }[] = [
  { unit: 'match', label: 'search.autocode.unitMatch', hint: 'search.autocode.unitMatchHint' },
  { unit: 'sentence', label: 'search.autocode.unitSentence', hint: 'search.autocode.unitSentenceHint' },
  { unit: 'turn', label: 'search.autocode.unitTurn', hint: 'search.autocode.unitTurnHint' },
];

interface Applied {
  readonly result: AutocodeResult;
  readonly codeName: string;
  /** The transaction the run made, to undo that one and no other; null when nothing was created. */
  readonly txn: number | null;
  readonly undone: boolean;
}

/**
 * Auto-coding of a search's hits: choose a code and a unit, preview how many codings would be
 * created and how many passages already carry the code, then code, with one step back.
 */
export function AutocodePanel(props: {
  projectId: string;
  /** The search whose results are shown (not the form's unsent edits). */
  request: SearchRequest;
  codes: readonly CodeSummary[];
  total: number;
  selectedIds: readonly string[];
  /** After coding or undoing: the results may have changed (an « uncoded » filter, say). */
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

  return (
    <Show when={props.total > 0 || applied()}>
      <section class="card autocode-panel" aria-labelledby="autocode-title">
        <h2 id="autocode-title">{t('search.autocode.title')}</h2>
        <p class="hint">{t('search.autocode.intro')}</p>
        <div class="stack">
          <label class="field">
            <span>{t('search.autocode.code')}</span>
            <select value={form.codeId} onChange={(e) => setForm('codeId', e.currentTarget.value)}>
              <option value="">{t('search.autocode.chooseCode')}</option>
              <For each={codes()}>
                {(code) => (
                  <option value={code.id}>
                    {'\u00a0\u00a0'.repeat(code.depth)}
                    {code.name}
                  </option>
                )}
              </For>
            </select>
          </label>
          <fieldset class="autocode-choices">
            <legend>{t('search.autocode.unit')}</legend>
            <For each={UNITS}>
              {(choice) => (
                <label class="checkbox">
                  <input
                    type="radio"
                    name="autocode-unit"
                    value={choice.unit}
                    checked={form.unit === choice.unit}
                    onChange={() => setForm('unit', choice.unit)}
                  />
                  <span>
                    {t(choice.label)} <span class="hint">{t(choice.hint)}</span>
                  </span>
                </label>
              )}
            </For>
          </fieldset>
          <fieldset class="autocode-choices">
            <legend>{t('search.autocode.scope')}</legend>
            <label class="checkbox">
              <input
                type="radio"
                name="autocode-scope"
                value="checked"
                checked={form.scope === 'checked'}
                onChange={() => setForm('scope', 'checked')}
              />
              <span>
                {t('search.autocode.scopeChecked', { count: formatNumber(props.selectedIds.length) })}
              </span>
            </label>
            <label class="checkbox">
              <input
                type="radio"
                name="autocode-scope"
                value="all"
                checked={form.scope === 'all'}
                onChange={() => setForm('scope', 'all')}
              />
              <span>{t('search.autocode.scopeAll', { count: formatNumber(props.total) })}</span>
            </label>
          </fieldset>
          <div class="button-row">
            <button
              type="button"
              class="secondary"
              disabled={!ready() || busy()}
              onClick={() => void run(showPreview)}
            >
              {t('search.autocode.preview')}
            </button>
          </div>
          <div class="autocode-outcome" aria-live="polite">
            <ErrorAlert error={error()} onDismiss={() => setError(undefined)} />
            <Show when={preview()}>
              {(counts) => (
                <div class="autocode-preview">
                  <p>
                    {t('search.autocode.willCreate', {
                      count: formatNumber(counts().created),
                      code: codeName(),
                    })}
                    <Show when={counts().skipped > 0}>
                      {' '}
                      {t('search.autocode.willSkip', {
                        count: formatNumber(counts().skipped),
                      })}
                    </Show>
                  </p>
                  <button
                    type="button"
                    class="primary"
                    disabled={busy() || counts().created === 0}
                    onClick={() => void run(apply)}
                  >
                    {t('search.autocode.apply')}
                  </button>
                </div>
              )}
            </Show>
            <Show when={applied()}>
              {(done) => (
                <div class="notice autocode-done">
                  <p>
                    {done().undone
                      ? t('search.autocode.undone', { code: done().codeName })
                      : t('search.autocode.created', {
                          count: formatNumber(done().result.created),
                          code: done().codeName,
                        })}
                    <Show when={!done().undone && done().result.skipped > 0}>
                      {' '}
                      {t('search.autocode.skipped', {
                        count: formatNumber(done().result.skipped),
                      })}
                    </Show>
                  </p>
                  <Show when={!done().undone && done().txn !== null}>
                    <button type="button" disabled={busy()} onClick={() => void run(undo)}>
                      {t('search.autocode.undo')}
                    </button>
                  </Show>
                </div>
              )}
            </Show>
          </div>
        </div>
      </section>
    </Show>
  );
}
