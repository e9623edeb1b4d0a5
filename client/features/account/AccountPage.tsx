import { createSignal, Show } from 'solid-js';
import { api, unwrap } from '../../api/client.ts';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { createSubmit } from '../../app/submit.ts';
import { t } from '../../i18n/index.ts';

/** One's own account: change the password (every other session of the account then ends). */
export default function AccountPage() {
  const [mismatch, setMismatch] = createSignal(false);
  const [done, setDone] = createSignal(false);
  const { busy, error, setError, run } = createSubmit();
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const newPassword = String(data.get('newPassword') ?? '');
    setDone(false);
    setError(undefined);
    setMismatch(newPassword !== String(data.get('confirm') ?? ''));
    if (mismatch()) return;
    const succeeded = await run(() =>
      unwrap(
        api.auth.password.$post({
          json: { currentPassword: String(data.get('currentPassword') ?? ''), newPassword },
        }),
      ),
    );
    if (succeeded) {
      form.reset();
      setDone(true);
    }
  };
  return (
    <div class="page narrow">
      <h1>{t('account.title')}</h1>
      <p>{t('account.intro')}</p>
      <form class="stack" onSubmit={(e) => void submit(e)}>
        <ErrorAlert error={error()} />
        <Show when={mismatch()}>
          <p role="alert" class="error">
            {t('account.mismatch')}
          </p>
        </Show>
        <Show when={done()}>
          <p role="status" class="success">
            {t('account.changed')}
          </p>
        </Show>
        <label class="field">
          <span>{t('account.currentPassword')}</span>
          <input name="currentPassword" type="password" autocomplete="current-password" required />
        </label>
        <label class="field">
          <span>{t('account.newPassword')}</span>
          <input name="newPassword" type="password" autocomplete="new-password" required minLength={8} />
          <small class="hint">{t('auth.passwordHint')}</small>
        </label>
        <label class="field">
          <span>{t('account.confirm')}</span>
          <input name="confirm" type="password" autocomplete="new-password" required minLength={8} />
        </label>
        <button type="submit" class="primary" disabled={busy()}>
          {t('account.submit')}
        </button>
      </form>
    </div>
  );
}
