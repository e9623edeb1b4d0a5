/**
 * The coding view's data: reads through resources, writes through actions that change the local
 * copy at once and put it back if the server refuses.
 */
import { createMemo, createResource, createSignal } from 'solid-js';
import { api, unwrap } from '../../api/client.ts';
import type { Span } from '../../../shared/spans.ts';

async function fetchCodes(projectId: string) {
  return (await unwrap(api.projects[':projectId'].codes.$get({ param: { projectId } }))).codes;
}
async function fetchCodings(projectId: string, documentId: string) {
  return (
    await unwrap(api.projects[':projectId'].codings.$get({ param: { projectId }, query: { documentId } }))
  ).codings;
}

export type CodeWithCount = Awaited<ReturnType<typeof fetchCodes>>[number];
export type Coding = Awaited<ReturnType<typeof fetchCodings>>[number];
export type CodeId = CodeWithCount['id'];

let provisional = 0;
/** An id for something the server has not confirmed yet. */
function provisionalId<T extends string>(): T {
  provisional += 1;
  return `provisional-${provisional}` as T;
}

export function isProvisional(id: string): boolean {
  return id.startsWith('provisional-');
}

export function createCodingState(ids: () => { projectId: string; documentId: string }) {
  const [project] = createResource(
    () => ids().projectId,
    async (projectId) => unwrap(api.projects[':projectId'].$get({ param: { projectId } })),
  );
  const [document] = createResource(
    () => ids(),
    async ({ projectId, documentId }) =>
      unwrap(api.projects[':projectId'].documents[':documentId'].$get({ param: { projectId, documentId } })),
  );
  const [codes, { mutate: setCodes }] = createResource(() => ids().projectId, fetchCodes);
  const [codings, { mutate: setCodings }] = createResource(
    () => ids(),
    ({ projectId, documentId }) => fetchCodings(projectId, documentId),
  );
  const [members] = createResource(
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
  /** The participant interviewed in this document, with the project's attribute definitions. */
  const participant = createMemo(() => {
    const id = document()?.participantId;
    const view = participants();
    const found = id && view ? view.participants.find((p) => p.id === id) : undefined;
    return found && view ? { participant: found, attributes: view.attributes } : undefined;
  });
  /**
   * Server id → the provisional id a coding was first drawn with. Drawing a confirmed coding under
   * its first id keeps its DOM in place, so a selection the user is dragging meanwhile survives.
   */
  const drawnAs = new Map<string, string>();
  const renderKey = (coding: Coding): string => drawnAs.get(coding.id) ?? coding.id;
  /** The last refusal, shown until dismissed or replaced. */
  const [error, setError] = createSignal<unknown>();

  const codeById = createMemo(() => new Map((codes() ?? []).map((c) => [c.id as string, c])));
  const coderName = (userId: string): string => {
    const member = (members() ?? []).find((m) => m.userId === userId);
    return member ? member.displayName || member.username : '?';
  };

  const bumpCount = (codeId: string, delta: number) =>
    setCodes((list) => list?.map((c) => (c.id === codeId ? { ...c, codings: c.codings + delta } : c)));

  /** Code a passage; it is highlighted at once and removed again if the server refuses. */
  async function applyCode(codeId: CodeId, span: Span, coderId: string): Promise<void> {
    const { projectId, documentId } = ids();
    const doc = document();
    const temp: Coding = {
      id: provisionalId<Coding['id']>(),
      documentId: documentId as Coding['documentId'],
      codeId,
      start: span.start,
      end: span.end,
      text: '',
      coderId: coderId as Coding['coderId'],
      createdAt: new Date().toISOString(),
      memo: '',
    };
    setError(undefined);
    setCodings((list) => [...(list ?? []), temp]);
    bumpCount(codeId, 1);
    try {
      if (!doc) throw new Error('applyCode: the document is not loaded');
      const created = await unwrap(
        api.projects[':projectId'].codings.$post({
          param: { projectId },
          json: { documentId, codeId, start: span.start, end: span.end },
        }),
      );
      drawnAs.set(created.id, temp.id);
      setCodings((list) => (list ?? []).map((c) => (c.id === temp.id ? created : c)));
    } catch (failure) {
      setCodings((list) => (list ?? []).filter((c) => c.id !== temp.id));
      bumpCount(codeId, -1);
      setError(failure);
    }
  }

  /** Remove a coding; it comes back if the server refuses. */
  async function removeCoding(coding: Coding): Promise<void> {
    setError(undefined);
    setCodings((list) => (list ?? []).filter((c) => c.id !== coding.id));
    bumpCount(coding.codeId, -1);
    try {
      await unwrap(
        api.projects[':projectId'].codings[':codingId'].$delete({
          param: { projectId: ids().projectId, codingId: coding.id },
        }),
      );
    } catch (failure) {
      setCodings((list) => [...(list ?? []), coding].sort((a, b) => a.start - b.start || a.end - b.end));
      bumpCount(coding.codeId, 1);
      setError(failure);
    }
  }

  /** Add a code to the codebook; true once the server has it. */
  async function createCode(input: {
    name: string;
    color: string;
    parentId: string | null;
  }): Promise<boolean> {
    const temp: CodeWithCount = {
      id: provisionalId<CodeId>(),
      name: input.name.trim(),
      parentId: input.parentId as CodeWithCount['parentId'],
      color: input.color.toLowerCase(),
      description: '',
      createdAt: new Date().toISOString(),
      createdBy: '' as CodeWithCount['createdBy'],
      version: 1,
      codings: 0,
    };
    setError(undefined);
    setCodes((list) => [...(list ?? []), temp]);
    try {
      const created = await unwrap(
        api.projects[':projectId'].codes.$post({
          param: { projectId: ids().projectId },
          json: { name: input.name, color: input.color, parentId: input.parentId },
        }),
      );
      setCodes((list) => (list ?? []).map((c) => (c.id === temp.id ? created : c)));
      return true;
    } catch (failure) {
      setCodes((list) => (list ?? []).filter((c) => c.id !== temp.id));
      setError(failure);
      return false;
    }
  }

  return {
    project,
    document,
    codes,
    codings,
    members,
    settings,
    participant,
    codeById,
    coderName,
    renderKey,
    error,
    setError,
    applyCode,
    removeCoding,
    createCode,
  };
}

export type CodingState = ReturnType<typeof createCodingState>;
