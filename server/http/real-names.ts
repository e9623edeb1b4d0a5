/**
 * Exports with real names: allowed to a project's leads only, and written in the project's log
 * (`export_with_real_names`, who and when, what and with which filters) before a byte is sent, so
 * that every copy of identifying text that left the server can be accounted for.
 */
import type { Context } from 'hono';
import { assertRole } from '../../shared/access.ts';
import { DomainError } from '../../shared/errors.ts';
import type { ProjectId } from '../../shared/ids.ts';
import type { ProjectState } from '../../shared/model.ts';
import type { Store } from '../storage/store.ts';
import type { Env } from './env.ts';

/**
 * Whether the caller may export real names: only a lead may, and such an export is recorded in the
 * project's log before anything is sent. Returns the state after the record.
 * @throws DomainError `forbidden` for anyone else.
 */
export async function allowRealNames(
  c: Context<Env>,
  store: Store,
  project: { id: ProjectId; state: Readonly<ProjectState>; role: string },
  format: string,
  filters: Record<string, string[]>,
): Promise<Readonly<ProjectState>> {
  if (project.role !== 'lead') {
    throw new DomainError(
      'forbidden',
      'Seul·e un·e responsable du projet peut exporter avec les noms réels (pseudonymise=false, projet .qdpx).',
      { role: project.role, needed: 'lead' },
    );
  }
  const userId = c.get('user').id;
  return store.changeProject(project.id, userId, (s) => {
    assertRole(s, userId, 'lead');
    return { events: [{ type: 'export_with_real_names', format, filters }], result: s };
  });
}
