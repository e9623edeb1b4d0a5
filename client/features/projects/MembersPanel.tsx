import { For, Show } from 'solid-js';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { useSession } from '../../app/session.tsx';
import { t } from '../../i18n/index.ts';
import { ROLES, type Role } from '../../../shared/model.ts';
import { createMembers, type Member } from './members-state.ts';

/** Who works on the project; leads add people from the directory, change roles and remove members. */
export function MembersPanel(props: { projectId: string; canManage: boolean }) {
  const session = useSession();
  const { members, directory, error, setError, setRole, remove, add } = createMembers(
    () => props.projectId,
    () => props.canManage,
  );

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
        <AddMemberForm directory={directory() ?? []} onSubmit={(e) => void add(e)} />
      </Show>
    </section>
  );
}

/** A lead adds someone from the directory, with a role. */
function AddMemberForm(props: {
  directory: readonly { username: string; displayName: string }[];
  onSubmit: (event: SubmitEvent) => void;
}) {
  return (
    <form class="inline-form" onSubmit={(e) => props.onSubmit(e)}>
      <h3>{t('members.addTitle')}</h3>
      <label class="field">
        <span>{t('members.username')}</span>
        <input name="username" list="user-directory" required autocomplete="off" />
      </label>
      <datalist id="user-directory">
        <For each={props.directory}>
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
  );
}
