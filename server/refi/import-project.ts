import { DomainError, isDomainError } from '../../shared/errors.ts';
import type { UserId } from '../../shared/ids.ts';
import type { ProjectState } from '../../shared/model.ts';
import { foldForComparison } from '../../shared/text.ts';
import type { Store } from '../storage/store.ts';
import { planProjectImport, type ProjectImportReport } from './plan-project-import.ts';
import { readQdpxArchive } from './qdpx-archive.ts';
import { readProjectXml } from './read-project.ts';

/**
 * Create a project from a `.qdpx`, all or nothing. Everything is read, checked and planned in
 * memory first (archive, XML, references, texts, positions); only then is the project created, its
 * texts written, its events appended in one batch and the new coders' accounts created. If a write
 * fails after the project exists, the project is removed again.
 */
export async function importProjectArchive(
  store: Store,
  userId: UserId,
  fileName: string,
  bytes: Uint8Array,
): Promise<{ state: Readonly<ProjectState>; report: ProjectImportReport }> {
  const archive = readQdpxArchive(fileName, bytes);
  const refi = readProjectXml(fileName, archive.projectXml);
  const instance = await store.readInstance();
  const plan = planProjectImport(refi, {
    fileName,
    userId,
    now: new Date().toISOString(),
    users: instance.users,
    sources: archive.sources,
  });
  await store.createProject(plan.project, plan.members, userId);
  const id = plan.project.id;
  try {
    for (const { documentId, text, original } of plan.texts) {
      await store.putText(id, documentId, text);
      if (original) await store.putOriginal(id, documentId, original.format, original.bytes);
    }
    await store.changeProject(id, userId, () => ({ events: plan.events, result: null }));
    if (plan.newUsers.length > 0) {
      await store.changeInstance(userId, (state) => {
        const taken = new Set(Object.values(state.users).map((u) => foldForComparison(u.username)));
        for (const user of plan.newUsers) {
          if (state.users[user.id] || taken.has(foldForComparison(user.username))) {
            throw new DomainError('conflict', 'Un compte de codeur a été créé pendant l’import ; réessayez.');
          }
        }
        return {
          events: plan.newUsers.map((user) => ({ type: 'user_created' as const, user })),
          result: null,
        };
      });
    }
  } catch (error) {
    await store.deleteProject(id).catch(() => undefined);
    if (isDomainError(error)) throw error;
    throw new DomainError(
      'storage_unavailable',
      `« ${fileName} » n'a pas pu être enregistré sur le disque.`,
      {
        file: fileName,
        cause: String(error),
      },
    );
  }
  return { state: (await store.readProject(id)) as Readonly<ProjectState>, report: plan.report };
}
