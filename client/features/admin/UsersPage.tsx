import { createResource, createSignal, For, Show } from 'solid-js';
import { api, unwrap } from '../../api/client.ts';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { useSession } from '../../app/session.tsx';
import { formatDateTime, t } from '../../i18n/index.ts';

/** The instance's accounts; the administrator creates new ones here. */
export default function UsersPage() {
  const session = useSession();
  const [users, { mutate }] = createResource(
    () => session.user()?.isAdmin,
    async () => (await unwrap(api.users.$get())).users,
  );
  const [error, setError] = createSignal<unknown>();
  const [created, setCreated] = createSignal<string>();

  const create = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    setError(undefined);
    setCreated(undefined);
    const displayName = String(data.get('displayName') ?? '').trim();
    try {
      const { user } = await unwrap(
        api.users.$post({
          json: {
            username: String(data.get('username') ?? ''),
            password: String(data.get('password') ?? ''),
            ...(displayName ? { displayName } : {}),
            isAdmin: data.get('isAdmin') === 'on',
          },
        }),
      );
      mutate((list) => [...(list ?? []), user].sort((a, b) => a.username.localeCompare(b.username, 'fr')));
      setCreated(user.username);
      form.reset();
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <div class="page">
      <h1>{t('users.title')}</h1>
      <p class="muted">{t('users.intro')}</p>
      <ErrorAlert error={users.error} />
      <ul class="member-list card">
        <For each={users() ?? []}>
          {(user) => (
            <li>
              <span class="member-name">
                {user.displayName && user.displayName !== user.username
                  ? `${user.displayName} (${user.username})`
                  : user.username}
              </span>
              <Show when={user.isAdmin}>
                <span class="badge">{t('users.admin')}</span>
              </Show>
              <span class="muted small">{formatDateTime(user.createdAt)}</span>
            </li>
          )}
        </For>
      </ul>
      <section class="card" aria-labelledby="new-user">
        <h2 id="new-user">{t('users.create')}</h2>
        <form class="stack" onSubmit={(e) => void create(e)}>
          <ErrorAlert error={error()} />
          <Show when={created()}>
            {(name) => (
              <p class="notice" role="status">
                {t('users.created', { name: name() })}
              </p>
            )}
          </Show>
          <label class="field">
            <span>{t('auth.username')}</span>
            <input name="username" required minLength={2} autocomplete="off" />
            <small class="hint">{t('auth.usernameHint')}</small>
          </label>
          <label class="field">
            <span>{t('auth.displayName')}</span>
            <input name="displayName" maxLength={120} autocomplete="off" />
          </label>
          <label class="field">
            <span>{t('auth.password')}</span>
            <input name="password" type="password" required minLength={8} autocomplete="new-password" />
            <small class="hint">{t('auth.passwordHint')}</small>
          </label>
          <label class="checkbox">
            <input name="isAdmin" type="checkbox" />
            <span>{t('users.isAdmin')}</span>
          </label>
          <button type="submit" class="primary">
            {t('users.create')}
          </button>
        </form>
      </section>
    </div>
  );
}
