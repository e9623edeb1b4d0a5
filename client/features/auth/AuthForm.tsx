import { createSignal, Show } from 'solid-js';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { t } from '../../i18n/index.ts';

/** Username + password form shared by set-up and sign-in. */
export function AuthForm(props: {
  submitLabel: string;
  /** Show the rules for a new account (set-up), not needed to sign in. */
  newAccount: boolean;
  onSubmit: (credentials: { username: string; password: string }) => Promise<void>;
}) {
  const [error, setError] = createSignal<unknown>();
  const [busy, setBusy] = createSignal(false);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(undefined);
    try {
      await props.onSubmit({
        username: String(data.get('username') ?? ''),
        password: String(data.get('password') ?? ''),
      });
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="stack" onSubmit={(e) => void submit(e)}>
      <ErrorAlert error={error()} />
      <label class="field">
        <span>{t('auth.username')}</span>
        <input name="username" autocomplete="username" required minLength={props.newAccount ? 2 : 1} />
        <Show when={props.newAccount}>
          <small class="hint">{t('auth.usernameHint')}</small>
        </Show>
      </label>
      <label class="field">
        <span>{t('auth.password')}</span>
        <input
          name="password"
          type="password"
          autocomplete={props.newAccount ? 'new-password' : 'current-password'}
          required
          minLength={props.newAccount ? 8 : 1}
        />
        <Show when={props.newAccount}>
          <small class="hint">{t('auth.passwordHint')}</small>
        </Show>
      </label>
      <button type="submit" class="primary" disabled={busy()}>
        {props.submitLabel}
      </button>
    </form>
  );
}
