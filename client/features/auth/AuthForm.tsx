import { Show } from 'solid-js';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { createSubmit } from '../../app/submit.ts';
import { t } from '../../i18n/index.ts';

/** Username + password form shared by set-up and sign-in. */
export function AuthForm(props: {
  submitLabel: string;
  /** Show the rules for a new account (set-up), not needed to sign in. */
  newAccount: boolean;
  onSubmit: (credentials: { username: string; password: string }) => Promise<void>;
}) {
  const { busy, error, submitForm } = createSubmit();
  const submit = (form: HTMLFormElement) => {
    const data = new FormData(form);
    return props.onSubmit({
      username: String(data.get('username') ?? ''),
      password: String(data.get('password') ?? ''),
    });
  };
  return (
    <form class="stack" onSubmit={(event) => void submitForm(event, submit)}>
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
