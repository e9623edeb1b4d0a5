import { createResource, createSignal, type Accessor, type Setter } from 'solid-js';
import { api, unwrap } from '../../api/client.ts';
import { eraseDocument } from '../privacy/erasure-api.ts';

/** Rename, delete (and undo) a document; each reads the list again. */
function createDocumentEdits(projectId: Accessor<string>, refetch: () => unknown, setError: Setter<unknown>) {
  const [renaming, setRenaming] = createSignal<{ id: string; draft: string }>();
  const [deleted, setDeleted] = createSignal<{ name: string; codings: number; restored?: boolean }>();
  /** Rename a document (leads); the list is read again. */
  const rename = async (documentId: string, name: string) => {
    setError(undefined);
    try {
      await unwrap(
        api.projects[':projectId'].documents[':documentId'].$patch({
          param: { projectId: projectId(), documentId },
          json: { name: name.trim() },
        }),
      );
      setRenaming(undefined);
      await refetch();
    } catch (failure) {
      setError(failure);
    }
  };
  /** Delete a document with its codings, as one change the lead can undo from the notice. */
  const remove = async (document: { id: string; name: string }) => {
    setError(undefined);
    try {
      const result = await unwrap(
        api.projects[':projectId'].documents[':documentId'].$delete({
          param: { projectId: projectId(), documentId: document.id },
        }),
      );
      setDeleted({ name: document.name, codings: result.deleted.codings });
      await refetch();
    } catch (failure) {
      setError(failure);
    }
  };
  const undoDelete = async () => {
    const last = deleted();
    if (!last) return;
    setError(undefined);
    try {
      await unwrap(api.projects[':projectId'].undo.$post({ param: { projectId: projectId() } }));
      setDeleted({ ...last, restored: true });
      await refetch();
    } catch (failure) {
      setError(failure);
    }
  };
  return { renaming, setRenaming, deleted, rename, remove, undoDelete };
}

/**
 * The project's documents and participants, and what a lead does to a document: link it to a
 * participant, rename, delete or erase it.
 */
export function createDocumentsState(projectId: Accessor<string>) {
  const [documents, { mutate, refetch }] = createResource(
    projectId,
    async (projectId) =>
      (await unwrap(api.projects[':projectId'].documents.$get({ param: { projectId } }))).documents,
  );
  const [participants] = createResource(
    projectId,
    async (projectId) =>
      (await unwrap(api.projects[':projectId'].participants.$get({ param: { projectId } }))).participants,
  );
  const [error, setError] = createSignal<unknown>();
  const [erasing, setErasing] = createSignal<{ id: string; name: string }>();
  const [erased, setErased] = createSignal(false);
  /** Erase a document for good, confirmed in the dialog; the list is read again. */
  const erase = async (document: { id: string; name: string }) => {
    await eraseDocument(projectId(), document.id, document.name);
    setErased(true);
    await refetch();
  };
  const edits = createDocumentEdits(projectId, refetch, setError);
  const pseudonymOf = (participantId: string | null) =>
    participantId === null ? undefined : participants()?.find((p) => p.id === participantId)?.pseudonym;

  type DocumentRow = NonNullable<ReturnType<typeof documents>>[number];
  /** Link a document to a participant (or to none); the choice shows at once and is undone if refused. */
  const assign = async (document: DocumentRow, participantId: string | null) => {
    const setParticipant = (value: string | null) =>
      mutate((list) =>
        list?.map((d) =>
          d.id === document.id ? { ...d, participantId: value as DocumentRow['participantId'] } : d,
        ),
      );
    const before = document.participantId;
    setError(undefined);
    setParticipant(participantId);
    try {
      await unwrap(
        api.projects[':projectId'].documents[':documentId'].$patch({
          param: { projectId: projectId(), documentId: document.id },
          json: { participantId },
        }),
      );
    } catch (failure) {
      setParticipant(before);
      setError(failure);
    }
  };
  return {
    documents,
    refetch,
    participants,
    error,
    setError,
    erasing,
    setErasing,
    erased,
    erase,
    ...edits,
    pseudonymOf,
    assign,
  };
}

export type DocumentsState = ReturnType<typeof createDocumentsState>;
export type DocumentRow = NonNullable<ReturnType<DocumentsState['documents']>>[number];
