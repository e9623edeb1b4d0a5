import { Show } from 'solid-js';
import { errorMessage, t } from '../i18n/index.ts';

/** A failure shown in plain words, announced by screen readers (role="alert"). */
export function ErrorAlert(props: { error: unknown; onDismiss?: () => void }) {
  return (
    <Show when={props.error !== undefined && props.error !== null}>
      <div class="alert" role="alert">
        <span>{errorMessage(props.error)}</span>
        <Show when={props.onDismiss}>
          {(dismiss) => (
            <button
              type="button"
              class="alert-close"
              onClick={() => dismiss()()}
              aria-label={t('common.close')}
            >
              ×
            </button>
          )}
        </Show>
      </div>
    </Show>
  );
}
