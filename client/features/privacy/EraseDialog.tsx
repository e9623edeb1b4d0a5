import { createSignal, For, onMount, Show } from 'solid-js';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { createSubmit } from '../../app/submit.ts';
import { t } from '../../i18n/index.ts';
import './privacy.css';

/**
 * The confirmation of an erasure, in a modal dialog: what is erased, that it cannot be undone,
 * and the name to type before the button acts. `erase` does it; the dialog closes once it is done.
 */
export function EraseDialog(props: {
  kind: 'participant' | 'document' | 'project';
  /** The exact name to type. */
  name: string;
  erase: () => Promise<void>;
  onClose: () => void;
}) {
  let dialog!: HTMLDialogElement;
  const [typed, setTyped] = createSignal('');
  const { busy, error, setError, run } = createSubmit();
  onMount(() => dialog.showModal());
  const matches = () => typed() === props.name;
  const items = () =>
    props.kind === 'participant'
      ? [
          t('erasure.whatParticipant'),
          t('erasure.whatDocuments'),
          t('erasure.whatLog'),
          t('erasure.whatBackups'),
        ]
      : props.kind === 'project'
        ? [t('erasure.whatProject'), t('erasure.whatBackups')]
        : [t('erasure.whatDocument'), t('erasure.whatLog'), t('erasure.whatBackups')];
  const eraseAndClose = async () => {
    await props.erase();
    dialog.close();
  };
  const submit = (e: Event) => {
    e.preventDefault();
    if (!matches() || busy()) return;
    void run(eraseAndClose);
  };
  return (
    <dialog ref={dialog} class="erase-dialog" aria-labelledby="erase-title" onClose={() => props.onClose()}>
      <form onSubmit={submit}>
        <h2 id="erase-title">
          {t(
            props.kind === 'participant'
              ? 'erasure.titleParticipant'
              : props.kind === 'project'
                ? 'erasure.titleProject'
                : 'erasure.titleDocument',
            { name: props.name },
          )}
        </h2>
        <p>{t('erasure.intro')}</p>
        <ul>
          <For each={items()}>{(item) => <li>{item}</li>}</For>
        </ul>
        <p class="erase-warning" role="note">
          <strong>{t('erasure.irreversible')}</strong> {t('erasure.outside')}
        </p>
        <label class="field">
          <span>{t('erasure.typeName', { name: props.name })}</span>
          <input
            type="text"
            autocomplete="off"
            spellcheck={false}
            value={typed()}
            onInput={(e) => setTyped(e.currentTarget.value)}
          />
        </label>
        <ErrorAlert error={error()} onDismiss={() => setError(undefined)} />
        <div class="dialog-actions">
          <button type="button" class="small-button" onClick={() => dialog.close()}>
            {t('common.cancel')}
          </button>
          <button type="submit" class="danger" disabled={!matches() || busy()}>
            <Show when={busy()} fallback={t('erasure.confirm')}>
              {t('erasure.working')}
            </Show>
          </button>
        </div>
      </form>
    </dialog>
  );
}
