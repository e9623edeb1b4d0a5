import { createEffect, createSignal, on, Show, untrack } from 'solid-js';
import { t } from '../../i18n/index.ts';

/**
 * The document's memo: notes on the interview as a whole. A change saved by someone else replaces
 * the text shown unless the user is editing it; then theirs is shown under the text being
 * written, and a save that did not see it is refused by the server rather than overwriting it.
 */
export function DocumentMemo(props: {
  memo: string;
  canEdit: boolean;
  onSave: (memo: string, memoBefore: string) => Promise<boolean>;
}) {
  const [draft, setDraft] = createSignal(untrack(() => props.memo));
  /** The saved memo the draft started from. */
  const [base, setBase] = createSignal(untrack(() => props.memo));
  const [busy, setBusy] = createSignal(false);
  const [saved, setSaved] = createSignal(false);
  const edited = () => draft() !== props.memo;
  const changedMeanwhile = () => props.memo !== base() && edited();
  createEffect(
    on(
      () => props.memo,
      (memo, previous) => {
        if (draft() === previous) setDraft(memo);
        if (draft() === memo) setBase(memo);
      },
    ),
  );
  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    // Once the other memo is shown here, saving is a decision made having read it.
    setSaved(await props.onSave(draft(), changedMeanwhile() ? props.memo : base()));
    setBusy(false);
  };
  return (
    <details class="document-memo" open={props.memo !== ''}>
      <summary>{props.memo === '' ? t('coding.documentMemo') : t('coding.documentMemoFilled')}</summary>
      <Show when={props.canEdit} fallback={<p class="memo-text">{props.memo}</p>}>
        <form class="stack" onSubmit={(e) => void save(e)}>
          <label class="field">
            <span>{t('coding.documentMemoLabel')}</span>
            <textarea
              rows={3}
              value={draft()}
              onInput={(e) => {
                setDraft(e.currentTarget.value);
                setSaved(false);
              }}
            />
          </label>
          <Show when={changedMeanwhile()}>
            <div class="memo-changed" role="status">
              <p class="small">{t('coding.memoChanged')}</p>
              <p class="memo-text">{props.memo}</p>
            </div>
          </Show>
          <div class="button-row">
            <button type="submit" class="small-button" disabled={busy() || !edited()}>
              {t('coding.saveMemo')}
            </button>
            <Show when={saved() && !edited()}>
              <span class="muted small" role="status">
                {t('coding.memoSaved')}
              </span>
            </Show>
          </div>
        </form>
      </Show>
    </details>
  );
}
