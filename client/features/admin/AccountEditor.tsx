import { createSignal, Show } from 'solid-js';
import { api, unwrap } from '../../api/client.ts';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { createSubmit } from '../../app/submit.ts';
import { t } from '../../i18n/index.ts';
import type { User } from '../../../shared/model.ts';
import './admin.css';

type Account = User;

/**
 * The administrator's two changes to an account, each confirmed by a message: its details (the
 * form put back if refused), and a new password.
 */
function createAccountEdits(props: { account: Account; onSaved: (account: Account) => void }) {
  const [saved, setSaved] = createSignal<string>();
  const submission = createSubmit();
  const { busy, error, setError } = submission;

  const run = async (
    work: () => Promise<Account>,
    message: string,
    after: { done?: () => void; refused?: () => void },
  ) => {
    setSaved(undefined);
    const save = async () => props.onSaved(await work());
    const succeeded = await submission.run(save);
    if (succeeded) {
      setSaved(message);
      after.done?.();
    } else after.refused?.();
  };

  /** Put the form back as the account is, after a refused change. */
  const restore = (form: HTMLFormElement) => {
    const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement;
    field('displayName').value = props.account.displayName;
    field('isAdmin').checked = props.account.isAdmin;
    field('disabled').checked = props.account.disabled;
  };

  const save = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const userId = props.account.id;
    void run(
      async () =>
        (
          await unwrap(
            api.users[':userId'].$patch({
              param: { userId },
              json: {
                displayName: String(data.get('displayName') ?? '').trim(),
                isAdmin: data.get('isAdmin') === 'on',
                disabled: data.get('disabled') === 'on',
              },
            }),
          )
        ).user,
      t('users.saved'),
      { refused: () => restore(form) },
    );
  };

  const setPassword = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const password = String(new FormData(form).get('password') ?? '');
    const userId = props.account.id;
    void run(
      async () =>
        (await unwrap(api.users[':userId'].password.$post({ param: { userId }, json: { password } }))).user,
      t('users.passwordSet'),
      { done: () => form.reset() },
    );
  };
  return { saved, busy, error, setError, save, setPassword };
}

/**
 * One account, as the administrator manages it: display name, administrator or not, disabled or
 * not (disabling ends its sessions at once), and a new password for someone who lost theirs.
 */
export function AccountEditor(props: {
  account: Account;
  isSelf: boolean;
  onSaved: (account: Account) => void;
}) {
  const { saved, busy, error, setError, save, setPassword } = createAccountEdits(props);

  return (
    <details class="account-editor">
      <summary>{t('users.manage', { name: props.account.username })}</summary>
      <ErrorAlert error={error()} onDismiss={() => setError(undefined)} />
      <Show when={saved()}>
        {(message) => (
          <p class="notice" role="status">
            {message()}
          </p>
        )}
      </Show>
      <form class="stack" onSubmit={save}>
        <label class="field">
          <span>{t('auth.displayName')}</span>
          <input
            name="displayName"
            value={props.account.displayName}
            required
            maxLength={120}
            autocomplete="off"
          />
        </label>
        <label class="checkbox">
          <input name="isAdmin" type="checkbox" checked={props.account.isAdmin} />
          <span>{t('users.isAdmin')}</span>
        </label>
        <label class="checkbox">
          <input name="disabled" type="checkbox" checked={props.account.disabled} />
          <span>{t('users.disabledLabel')}</span>
        </label>
        <small class="hint">{props.isSelf ? t('users.selfHint') : t('users.disableHint')}</small>
        <button type="submit" class="secondary" disabled={busy()}>
          {t('users.save')}
        </button>
      </form>
      <form class="stack" onSubmit={setPassword}>
        <label class="field">
          <span>{t('users.newPassword')}</span>
          <input name="password" type="password" required minLength={8} autocomplete="new-password" />
          <small class="hint">{t('users.newPasswordHint')}</small>
        </label>
        <button type="submit" class="secondary" disabled={busy()}>
          {t('users.setPassword')}
        </button>
      </form>
    </details>
  );
}
