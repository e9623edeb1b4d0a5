import { createResource, createSignal, For, Show } from 'solid-js';
import { ApiError, api, unwrap } from '../../api/client.ts';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { useSession } from '../../app/session.tsx';
import { t } from '../../i18n/index.ts';
import { ROLES, type Role } from '../../../shared/model.ts';
import { foldForComparison } from '../../../shared/text.ts';

type Member = { userId: string; role: Role; username: string; displayName: string };

/** Who works on the project; leads add people from the directory, change roles and remove members. */
export function MembersPanel(props: { projectId: string; canManage: boolean }) {
  const session = useSession();
  const [members, { mutate }] = createResource(
    () => props.projectId,
    async (projectId) =>
      (await unwrap(api.projects[':projectId'].members.$get({ param: { projectId } }))).members as Member[],
  );
  const [directory] = createResource(
    () => (props.canManage ? props.projectId : undefined),
    async () => (await unwrap(api.users.directory.$get())).users,
  );
  const [error, setError] = createSignal<unknown>();

  /** Apply a change now, and put the list back as it was if the server refuses it. */
  const change = async (
    optimistic: (list: Member[]) => Member[],
    request: () => Promise<Member[] | undefined>,
  ) => {
    const before = members() ?? [];
    setError(undefined);
    mutate(optimistic(before));
    try {
      const after = await request();
      if (after) mutate(after);
    } catch (failure) {
      mutate(before);
      setError(failure);
    }
  };

  const setRole = (member: Member, role: Role, projectId = props.projectId) =>
    change(
      (list) => list.map((m) => (m.userId === member.userId ? { ...m, role } : m)),
      async () =>
        (
          await unwrap(
            api.projects[':projectId'].members[':userId'].$put({
              param: { projectId, userId: member.userId },
              json: { role },
            }),
          )
        ).members as Member[],
    );

  const remove = (member: Member, projectId = props.projectId) =>
    change(
      (list) => list.filter((m) => m.userId !== member.userId),
      async () => {
        await unwrap(
          api.projects[':projectId'].members[':userId'].$delete({
            param: { projectId, userId: member.userId },
          }),
        );
        return undefined;
      },
    );

  const add = async (event: SubmitEvent) => {
    event.preventDefault();
    const projectId = props.projectId;
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const wanted = foldForComparison(String(data.get('username') ?? '').trim());
    const role = String(data.get('role')) as Role;
    const user = (directory() ?? []).find((u) => foldForComparison(u.username) === wanted);
    if (!user) {
      setError(
        new ApiError(404, 'not_found', t('members.unknownUser', { name: String(data.get('username')) })),
      );
      return;
    }
    await change(
      (list) =>
        list.some((m) => m.userId === user.id)
          ? list.map((m) => (m.userId === user.id ? { ...m, role } : m))
          : [...list, { userId: user.id, role, username: user.username, displayName: user.displayName }],
      async () =>
        (
          await unwrap(
            api.projects[':projectId'].members[':userId'].$put({
              param: { projectId, userId: user.id },
              json: { role },
            }),
          )
        ).members as Member[],
    );
    if (!error()) form.reset();
  };

  const nameOf = (m: Member) =>
    m.displayName && m.displayName !== m.username ? `${m.displayName} (${m.username})` : m.username;

  return (
    <section class="card panel" aria-labelledby="members-title">
      <h2 id="members-title">{t('members.title')}</h2>
      <ErrorAlert
        error={members.error ?? error()}
        onDismiss={error() ? () => setError(undefined) : undefined}
      />
      <ul class="member-list">
        <For each={members() ?? []}>
          {(member) => (
            <li>
              <span class="member-name">
                {nameOf(member)}
                <Show when={member.userId === session.user()?.id}>
                  {' '}
                  <span class="muted small">{t('members.you')}</span>
                </Show>
              </span>
              <Show when={props.canManage} fallback={<span class="badge">{t(`role.${member.role}`)}</span>}>
                <select
                  aria-label={t('members.roleOf', { name: nameOf(member) })}
                  value={member.role}
                  onChange={(e) => void setRole(member, e.currentTarget.value as Role)}
                >
                  <For each={ROLES}>{(role) => <option value={role}>{t(`role.${role}`)}</option>}</For>
                </select>
                <button
                  type="button"
                  class="small-button"
                  aria-label={t('members.removeLabel', { name: nameOf(member) })}
                  onClick={() => void remove(member)}
                >
                  {t('members.remove')}
                </button>
              </Show>
            </li>
          )}
        </For>
      </ul>
      <Show when={props.canManage}>
        <form class="inline-form" onSubmit={(e) => void add(e)}>
          <h3>{t('members.addTitle')}</h3>
          <label class="field">
            <span>{t('members.username')}</span>
            <input name="username" list="user-directory" required autocomplete="off" />
          </label>
          <datalist id="user-directory">
            <For each={directory() ?? []}>
              {(user) => <option value={user.username}>{user.displayName}</option>}
            </For>
          </datalist>
          <label class="field">
            <span>{t('members.role')}</span>
            <select name="role">
              <option value="coder">{t('role.coder')}</option>
              <option value="viewer">{t('role.viewer')}</option>
              <option value="lead">{t('role.lead')}</option>
            </select>
          </label>
          <button type="submit">{t('members.add')}</button>
        </form>
      </Show>
    </section>
  );
}
