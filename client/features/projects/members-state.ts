import { createResource, createSignal, type Accessor } from 'solid-js';
import { ApiError, api, unwrap } from '../../api/client.ts';
import { t } from '../../i18n/index.ts';
import type { Role } from '../../../shared/model.ts';
import { foldForComparison } from '../../../shared/text.ts';

export type Member = { userId: string; role: Role; username: string; displayName: string };

/** Give a user a role in the project (adding them if need be); the answer is the new list. */
async function putMember(projectId: string, userId: string, role: Role): Promise<Member[]> {
  return (
    await unwrap(
      api.projects[':projectId'].members[':userId'].$put({ param: { projectId, userId }, json: { role } }),
    )
  ).members as Member[];
}

/**
 * The project's members and, for leads, the directory of users; each change shows at once and is
 * put back if the server refuses it.
 */
export function createMembers(projectId: Accessor<string>, canManage: Accessor<boolean>) {
  const [members, { mutate }] = createResource(
    projectId,
    async (projectId) =>
      (await unwrap(api.projects[':projectId'].members.$get({ param: { projectId } }))).members as Member[],
  );
  const [directory] = createResource(
    () => (canManage() ? projectId() : undefined),
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

  const setRole = (member: Member, role: Role, project = projectId()) =>
    change(
      (list) => list.map((m) => (m.userId === member.userId ? { ...m, role } : m)),
      () => putMember(project, member.userId, role),
    );

  const remove = (member: Member, project = projectId()) =>
    change(
      (list) => list.filter((m) => m.userId !== member.userId),
      async () => {
        await unwrap(
          api.projects[':projectId'].members[':userId'].$delete({
            param: { projectId: project, userId: member.userId },
          }),
        );
        return undefined;
      },
    );

  const add = async (event: SubmitEvent) => {
    event.preventDefault();
    const project = projectId();
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
      () => putMember(project, user.id, role),
    );
    if (!error()) form.reset();
  };
  return { members, directory, error, setError, setRole, remove, add };
}
