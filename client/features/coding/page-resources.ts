/**
 * What the coding view reads from the server to open a document: one request,
 * GET …/documents/:documentId/view, answers the project (and the caller's role), the document's
 * text and turns, its codings, the codebook with counts, members, settings, the participant and
 * the undo history, at one seq. Members and history are read again on their own when the live
 * feed says they changed.
 */
import { createEffect, createResource, createSignal } from 'solid-js';
import { api, unwrap } from '../../api/client.ts';

/** The ids of the page: the project and the document shown. */
export interface CodingIds {
  projectId: string;
  documentId: string;
}

async function readDocumentView({ projectId, documentId }: CodingIds) {
  return unwrap(
    api.projects[':projectId'].documents[':documentId'].view.$get({ param: { projectId, documentId } }),
  );
}

export type DocumentView = Awaited<ReturnType<typeof readDocumentView>>;
type Members = DocumentView['members'];
type History = DocumentView['history'];

export function loadPageResources(ids: () => CodingIds) {
  const [opened] = createResource(() => ({ ...ids() }), readDocumentView);
  const [members, setMembers] = createSignal<Members>();
  const [history, setHistory] = createSignal<History>();
  createEffect(() => {
    const view = opened();
    if (!view) return;
    setMembers(view.members);
    setHistory(view.history);
  });
  return {
    /** The document view as first read; the live feed then takes over from its seq. */
    opened,
    project: () => opened()?.project,
    document: () => opened()?.document,
    members,
    refetchMembers: async () => {
      const { projectId } = ids();
      setMembers((await unwrap(api.projects[':projectId'].members.$get({ param: { projectId } }))).members);
    },
    settings: () => opened()?.settings,
    participant: () => opened()?.participant ?? undefined,
    history,
    refetchHistory: async () => {
      const { projectId } = ids();
      setHistory(await unwrap(api.projects[':projectId'].history.$get({ param: { projectId } })));
    },
  };
}

export type PageResources = ReturnType<typeof loadPageResources>;
