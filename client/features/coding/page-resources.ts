/**
 * What the coding view reads once from the server besides codes and codings: the project (and the
 * caller's role), the document's text and turns, members, settings, participants and the undo
 * history. Members and history are read again when the live feed says they changed.
 */
import { createResource } from 'solid-js';
import { api, unwrap } from '../../api/client.ts';

/** The ids of the page: the project and the document shown. */
export interface CodingIds {
  projectId: string;
  documentId: string;
}

export function loadPageResources(ids: () => CodingIds) {
  const [project] = createResource(
    () => ids().projectId,
    async (projectId) => unwrap(api.projects[':projectId'].$get({ param: { projectId } })),
  );
  const [document] = createResource(
    () => ids(),
    async ({ projectId, documentId }) =>
      unwrap(api.projects[':projectId'].documents[':documentId'].$get({ param: { projectId, documentId } })),
  );
  const [members, { refetch: refetchMembers }] = createResource(
    () => ids().projectId,
    async (projectId) =>
      (await unwrap(api.projects[':projectId'].members.$get({ param: { projectId } }))).members,
  );
  const [settings] = createResource(
    () => ids().projectId,
    async (projectId) => unwrap(api.projects[':projectId'].settings.$get({ param: { projectId } })),
  );
  const [participants] = createResource(
    () => ids().projectId,
    async (projectId) => unwrap(api.projects[':projectId'].participants.$get({ param: { projectId } })),
  );
  const [history, { refetch: refetchHistory }] = createResource(
    () => ids().projectId,
    async (projectId) => unwrap(api.projects[':projectId'].history.$get({ param: { projectId } })),
  );
  return {
    project,
    document,
    members,
    refetchMembers,
    settings,
    participants,
    history,
    refetchHistory,
  };
}

export type PageResources = ReturnType<typeof loadPageResources>;
