import { Hono } from 'hono';
import { assertRole } from '../../shared/access.ts';
import { codingCount } from '../../shared/coding-index.ts';
import { newId, type ProjectId } from '../../shared/ids.ts';
import type { Project, ProjectState, Role } from '../../shared/model.ts';
import { NewProject, ProjectPatch } from '../../shared/schemas.ts';
import { requireUser } from '../auth/sessions.ts';
import { COLLECT_FROM_CODINGS, collectSoon } from '../collect-garbage.ts';
import { projectFor } from '../http/access.ts';
import type { Env } from '../http/env.ts';
import { validate } from '../http/validate.ts';
import { createDemoProject } from '../services/demo.ts';
import type { Store } from '../storage/store.ts';

/** A project as the API shows it: its fields, the caller's role and a few counts. */
export function projectView(state: Readonly<ProjectState>, role: Role) {
  return {
    ...state.project,
    role,
    seq: state.seq,
    counts: {
      documents: Object.keys(state.documents).length,
      codes: Object.keys(state.codes).length,
      codings: codingCount(state),
      members: Object.keys(state.members).length,
    },
  };
}

export function projectRoutes(store: Store) {
  /** Demo studies being made, by user: a double click waits for the first one. */
  const demosUnderway = new Map<string, Promise<Readonly<ProjectState>>>();
  return (
    new Hono<Env>()
      .use(requireUser(store))
      .get('/', async (c) => {
        const userId = c.get('user').id;
        const projects = (await store.listProjects())
          .filter((s) => s.members[userId])
          .map((s) => projectView(s, s.members[userId] as Role))
          .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
        return c.json({ projects }, 200);
      })
      .post('/', validate('json', NewProject), async (c) => {
        const input = c.req.valid('json');
        const user = c.get('user');
        const project: Project = {
          id: newId<ProjectId>(),
          name: input.name,
          description: input.description ?? '',
          createdAt: new Date().toISOString(),
          createdBy: user.id,
        };
        const state = await store.createProject(project, { [user.id]: 'lead' }, user.id);
        return c.json(projectView(state, 'lead'), 201);
      })
      /**
       * The demo study, in one click: « Étude démo », with the caller as lead (201); when the caller
       * already has one, that one (200): a second click opens it instead of making another.
       */
      .post('/demo', async (c) => {
        const userId = c.get('user').id;
        const existing = (await store.listProjects()).find((s) => s.project.demo && s.members[userId]);
        if (existing) return c.json(projectView(existing, existing.members[userId] as Role), 200);
        let pending = demosUnderway.get(userId);
        if (!pending) {
          pending = createDemoProject(store, userId).finally(() => demosUnderway.delete(userId));
          demosUnderway.set(userId, pending);
        }
        return c.json(projectView(await pending, 'lead'), 201);
      })
      .get('/:projectId', async (c) => {
        const { state, role } = await projectFor(c, store, 'viewer');
        return c.json(projectView(state, role), 200);
      })
      .patch('/:projectId', validate('json', ProjectPatch), async (c) => {
        const { id } = await projectFor(c, store, 'lead');
        const input = c.req.valid('json');
        const userId = c.get('user').id;
        const state = await store.changeProject(id, userId, (s) => {
          assertRole(s, userId, 'lead');
          const after: Project = {
            ...s.project,
            ...(input.name !== undefined ? { name: input.name } : {}),
            ...(input.description !== undefined ? { description: input.description } : {}),
          };
          return { events: [{ type: 'project_updated', before: s.project, after }], result: s };
        });
        return c.json(projectView(state, 'lead'), 200);
      })
      .delete('/:projectId', async (c) => {
        const { id, state } = await projectFor(c, store, 'lead');
        // A large project's state becomes garbage all at once: collected at once, not left to
        // inflate the heap V8 allows until its next full collection (measured in BENCHMARKS.md).
        const large = codingCount(state) >= COLLECT_FROM_CODINGS;
        await store.deleteProject(id);
        if (large) collectSoon();
        return c.body(null, 204);
      })
  );
}
