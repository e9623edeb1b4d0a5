import { createResource, createSignal, For, Show, type Signal } from 'solid-js';
import { createStore, reconcile, unwrap as unwrapStore } from 'solid-js/store';
import { api, unwrap } from '../../api/client.ts';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { useSession } from '../../app/session.tsx';
import { formatDateTime, t } from '../../i18n/index.ts';
import type { User } from '../../../shared/model.ts';
import { AccountEditor } from './AccountEditor.tsx';

/**
 * A resource's storage that keeps each account's object when the list is replaced (matched by
 * `id`), so that a row being edited is not drawn anew, losing its open editor and its message.
 */
function createDeepSignal<T>(value: T): Signal<T> {
  const [store, setStore] = createStore({ value });
  // The getter and setter are called by the resource, inside its own tracking.
  return [
    // eslint-disable-next-line solid/reactivity
    () => store.value,
    // eslint-disable-next-line solid/reactivity
    (next: T | ((previous: T) => T)) => {
      const value =
        typeof next === 'function' ? (next as (previous: T) => T)(unwrapStore(store.value)) : next;
      setStore('value', reconcile(value));
      return store.value;
    },
  ] as Signal<T>;
}

/** The instance's accounts; the administrator creates and manages them here. */
export default function UsersPage() {
  const session = useSession();
  const [users, { mutate }] = createResource(
    () => session.user()?.isAdmin,
    async () => (await unwrap(api.users.$get())).users,
    { storage: createDeepSignal },
  );
  return (
    <div class="page">
      <header class="page-header">
        <h1>{t('users.title')}</h1>
        <p class="lead-text">{t('users.intro')}</p>
      </header>
      <ErrorAlert error={users.error} />
      <section class="card" aria-labelledby="accounts-title">
        <h2 id="accounts-title">{t('users.accounts')}</h2>
        <ul class="member-list">
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
                <Show when={user.disabled}>
                  <span class="badge disabled">{t('users.disabled')}</span>
                </Show>
                <span class="muted small">{formatDateTime(user.createdAt)}</span>
                <AccountEditor
                  account={user}
                  isSelf={user.id === session.user()?.id}
                  onSaved={(saved) => {
                    mutate((list) => (list ?? []).map((u) => (u.id === saved.id ? saved : u)));
                    if (saved.id === session.user()?.id) session.refresh();
                  }}
                />
              </li>
            )}
          </For>
        </ul>
      </section>
      <NewUserForm
        onCreated={(user) =>
          mutate((list) => [...(list ?? []), user].sort((a, b) => a.username.localeCompare(b.username, 'fr')))
        }
      />
    </div>
  );
}

/** The administrator creates an account: name, display name, first password, administrator or not. */
function NewUserForm(props: { onCreated: (user: User) => void }) {
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
      props.onCreated(user);
      setCreated(user.username);
      form.reset();
    } catch (failure) {
      setError(failure);
    }
  };

  return (
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
  );
}
