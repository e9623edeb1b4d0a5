/**
 * The coding view's data. The project's codes and codings are loaded once, then kept current from
 * the server's event log (live feed, or a catch-up read after an undo); writes change the local
 * copy at once and put it back if the server refuses.
 */
import { createEffect, createMemo, createResource, createSignal, onCleanup } from 'solid-js';
import { api, ApiError, unwrap } from '../../api/client.ts';
import type { ProjectEvent } from '../../../shared/events.ts';
import type { CodeId, CodingId, DocumentId, UserId } from '../../../shared/ids.ts';
import type { Code, Coding } from '../../../shared/model.ts';
import type { Span } from '../../../shared/spans.ts';
import type { CodeWithCount } from '../codebook/code-tree.ts';
import { isEvent, openLiveFeed, type PresenceEntry } from './live-feed.ts';
import { applyEvents, countCodings, emptyView, PROVISIONAL_PREFIX, type LiveView } from './live-changes.ts';

export type { Coding, Code } from '../../../shared/model.ts';
export type { CodeWithCount } from '../codebook/code-tree.ts';
export type { CodeId } from '../../../shared/ids.ts';
export { isProvisional } from './live-changes.ts';

let provisional = 0;
/** An id for something the server has not confirmed yet. */
function provisionalId<T extends string>(): T {
  provisional += 1;
  return `${PROVISIONAL_PREFIX}${provisional}` as T;
}

function byPosition(a: Coding, b: Coding): number {
  return a.start - b.start || a.end - b.end || a.createdAt.localeCompare(b.createdAt);
}

/** The ids of the page: the project and the document shown. */
export interface CodingIds {
  projectId: string;
  documentId: string;
}

/** A coding change a coder may ask for (PATCH …/codings/:id). */
export interface CodingPatch {
  codeId?: CodeId;
  start?: number;
  end?: number;
  memo?: string;
  /** The memo the edit started from: the server refuses (409) if it has changed since. */
  memoBefore?: string;
}

/** A code change a lead may ask for (PATCH …/codes/:id). */
export interface CodePatch {
  name?: string;
  parentId?: CodeId | null;
  color?: string;
  description?: string;
}

/** Everything the view needs from the server at once, before the live feed takes over. */
async function loadSnapshot({ projectId }: CodingIds): Promise<LiveView> {
  // The project's seq is read first: events after it may already be in the codes and codings read
  // next, and folding them again is harmless (each event states the whole object after it).
  const project = await unwrap(api.projects[':projectId'].$get({ param: { projectId } }));
  const [codes, codings] = await Promise.all([
    unwrap(api.projects[':projectId'].codes.$get({ param: { projectId } })),
    unwrap(api.projects[':projectId'].codings.$get({ param: { projectId }, query: {} })),
  ]);
  return {
    ...emptyView(project.seq),
    codes: new Map(codes.codes.map((c) => [c.id as string, withoutCount(c)])),
    codings: new Map(codings.codings.map((c) => [c.id as string, c])),
  };
}

function withoutCount(code: Code & { codings?: number }): Code {
  const { codings: _count, ...rest } = code;
  return rest;
}

export function createCodingState(ids: () => CodingIds, me: () => { id: string } | undefined) {
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
  const [snapshot] = createResource(() => ({ ...ids() }), loadSnapshot);

  const [view, setView] = createSignal<LiveView>(emptyView());
  const [ready, setReady] = createSignal(false);
  const [presence, setPresence] = createSignal<PresenceEntry[]>([]);
  const [feedStatus, setFeedStatus] = createSignal<'open' | 'connecting'>('connecting');
  /** The last refusal, shown until dismissed or replaced. */
  const [error, setError] = createSignal<unknown>();

  /**
   * Server id → the provisional id a coding was first drawn with. Drawing a confirmed coding under
   * its first id keeps its DOM in place, so a selection the user is dragging meanwhile survives.
   */
  const drawnAs = new Map<string, string>();
  const renderKey = (coding: Coding): string => drawnAs.get(coding.id) ?? coding.id;

  /** Fold events in; note provisional ids the server confirmed; follow members and history. */
  const fold = (events: readonly ProjectEvent[]) => {
    if (events.length === 0) return;
    const outcome = applyEvents(view(), events, ids().documentId);
    for (const [from, to] of outcome.confirmed) drawnAs.set(to, drawnAs.get(from) ?? from);
    setView(outcome.view);
    if (outcome.membersChanged) void refetchMembers();
    const self = me()?.id;
    if (self && outcome.authors.has(self)) void refetchHistory();
  };

  let closeFeed: (() => void) | undefined;
  onCleanup(() => closeFeed?.());
  // Start from the snapshot, then follow the live feed from its seq.
  createEffect(() => {
    const loaded = snapshot();
    if (!loaded) return;
    closeFeed?.();
    setView(loaded);
    setReady(true);
    const { projectId, documentId } = ids();
    closeFeed = openLiveFeed(
      (after) =>
        api.projects[':projectId'].events.$url({
          param: { projectId },
          query: { after: String(after), documentId },
        }).href,
      loaded.seq,
      {
        onChanges: fold,
        onPresence: setPresence,
        onStatus: setFeedStatus,
      },
    );
  });

  /** Read the events the live feed may not have delivered yet (after an undo, a merge…). */
  async function catchUp(): Promise<void> {
    const { projectId } = ids();
    for (;;) {
      const after = view().seq;
      // The same route is also the live feed, so its JSON answer is not typed: check its shape.
      const page: unknown = await unwrap(
        api.projects[':projectId'].events.$get({
          param: { projectId },
          query: { after: String(after), limit: '1000' },
        }),
      );
      const listed = (page as { events?: unknown } | undefined)?.events;
      const events = Array.isArray(listed) ? listed.filter(isEvent) : [];
      fold(events);
      if (events.length < 1000) return;
    }
  }

  // Derived views.
  const counts = createMemo(() => countCodings(view().codings.values()));
  const codes = createMemo<CodeWithCount[]>(() => {
    const n = counts();
    return [...view().codes.values()].map((c) => ({ ...c, codings: n.get(c.id) ?? 0 }));
  });
  const codeById = createMemo(() => new Map(codes().map((c) => [c.id as string, c])));
  const codings = createMemo(() => {
    const documentId = ids().documentId;
    const list: Coding[] = [];
    for (const c of view().codings.values()) if (c.documentId === documentId) list.push(c);
    return list.sort(byPosition);
  });
  const documentMeta = () => view().document.meta ?? document();
  const documentDeleted = () => view().document.deleted;
  const interviewerLabels = () => view().interviewerLabels ?? settings()?.interviewerLabels;
  const coderName = (userId: string): string => {
    const member = (members() ?? []).find((m) => m.userId === userId);
    return member ? member.displayName || member.username : '?';
  };
  /** The participant interviewed in this document, with the project's attribute definitions. */
  const participant = createMemo(() => {
    const id = documentMeta()?.participantId;
    const list = participants();
    const found = id && list ? list.participants.find((p) => p.id === id) : undefined;
    return found && list ? { participant: found, attributes: list.attributes } : undefined;
  });
  /** The others who have this document open (each once). */
  const othersHere = createMemo(() => {
    const self = me()?.id;
    const seen = new Map<string, PresenceEntry>();
    for (const p of presence()) {
      if (p.userId !== self && p.documentId === ids().documentId) seen.set(p.userId, p);
    }
    return [...seen.values()];
  });

  /** The view with one coding put back, changed or removed. */
  const patchCodings = (change: (map: Map<string, Coding>) => void) =>
    setView((v) => {
      const map = new Map(v.codings);
      change(map);
      return { ...v, codings: map };
    });
  const patchCodes = (change: (map: Map<string, Code>) => void) =>
    setView((v) => {
      const map = new Map(v.codes);
      change(map);
      return { ...v, codes: map };
    });

  /** Run a request; a refusal is shown and returned as false. */
  async function attempt(work: () => Promise<unknown>): Promise<boolean> {
    setError(undefined);
    try {
      await work();
      return true;
    } catch (failure) {
      setError(failure);
      return false;
    }
  }

  /** Code a passage; it is highlighted at once and removed again if the server refuses. */
  async function applyCode(codeId: CodeId, span: Span): Promise<boolean> {
    const { projectId, documentId } = ids();
    const coderId = me()?.id;
    if (!coderId) return false;
    const temp: Coding = {
      id: provisionalId<CodingId>(),
      documentId: documentId as DocumentId,
      codeId,
      start: span.start,
      end: span.end,
      text: '',
      coderId: coderId as UserId,
      createdAt: new Date().toISOString(),
      memo: '',
    };
    patchCodings((map) => map.set(temp.id, temp));
    const ok = await attempt(async () => {
      try {
        const created = await unwrap(
          api.projects[':projectId'].codings.$post({
            param: { projectId },
            json: { documentId, codeId, start: span.start, end: span.end },
          }),
        );
        if (!drawnAs.has(created.id)) drawnAs.set(created.id, temp.id);
        patchCodings((map) => {
          map.delete(temp.id);
          map.set(created.id, created);
        });
      } catch (failure) {
        patchCodings((map) => map.delete(temp.id));
        throw failure;
      }
    });
    return ok;
  }

  /** Remove a coding; it comes back if the server refuses. */
  async function removeCoding(coding: Coding): Promise<boolean> {
    patchCodings((map) => map.delete(coding.id));
    return attempt(async () => {
      try {
        await unwrap(
          api.projects[':projectId'].codings[':codingId'].$delete({
            param: { projectId: ids().projectId, codingId: coding.id },
          }),
        );
      } catch (failure) {
        patchCodings((map) => map.set(coding.id, coding));
        throw failure;
      }
    });
  }

  /** Change a coding's code, boundaries or memo; the old one is put back if refused. */
  async function updateCoding(coding: Coding, patch: CodingPatch): Promise<boolean> {
    const text = document()?.text;
    const start = patch.start ?? coding.start;
    const end = patch.end ?? coding.end;
    const { memoBefore: _memoBefore, ...change } = patch;
    const optimistic: Coding = {
      ...coding,
      ...change,
      text: text ? Array.from(text).slice(start, end).join('') : coding.text,
    };
    patchCodings((map) => map.set(coding.id, optimistic));
    return attempt(async () => {
      try {
        const after = await unwrap(
          api.projects[':projectId'].codings[':codingId'].$patch({
            param: { projectId: ids().projectId, codingId: coding.id },
            json: patch,
          }),
        );
        patchCodings((map) => map.set(after.id, after));
      } catch (failure) {
        patchCodings((map) => map.set(coding.id, coding));
        // Someone changed the memo meanwhile: show theirs beside the text being written.
        if (failure instanceof ApiError && failure.status === 409) await catchUp();
        throw failure;
      }
    });
  }

  /** Move codings to another code (to split a code), as one change. */
  async function moveCodings(codingIds: readonly string[], codeId: CodeId): Promise<boolean> {
    return attempt(async () => {
      await unwrap(
        api.projects[':projectId'].codings.move.$post({
          param: { projectId: ids().projectId },
          json: { codingIds: [...codingIds], codeId },
        }),
      );
      await catchUp();
    });
  }

  /** Add a code to the codebook; true once the server has it. */
  async function createCode(input: {
    name: string;
    color: string;
    parentId: string | null;
    description?: string;
  }): Promise<boolean> {
    const temp: Code = {
      id: provisionalId<CodeId>(),
      name: input.name.trim(),
      parentId: input.parentId as CodeId | null,
      color: input.color.toLowerCase(),
      description: input.description ?? '',
      createdAt: new Date().toISOString(),
      createdBy: (me()?.id ?? '') as UserId,
      version: 1,
    };
    patchCodes((map) => map.set(temp.id, temp));
    return attempt(async () => {
      try {
        const created = await unwrap(
          api.projects[':projectId'].codes.$post({
            param: { projectId: ids().projectId },
            json: {
              name: input.name,
              color: input.color,
              parentId: input.parentId,
              ...(input.description ? { description: input.description } : {}),
            },
          }),
        );
        patchCodes((map) => {
          map.delete(temp.id);
          map.set(created.id, withoutCount(created));
        });
      } catch (failure) {
        patchCodes((map) => map.delete(temp.id));
        throw failure;
      }
    });
  }

  /**
   * Save a code, sending the version it was edited from: if someone saved it in between, the server
   * refuses (409) and nothing is overwritten. Resolves to the refusal, if any, for the editor to show.
   */
  async function updateCode(code: Code, patch: CodePatch, version: number): Promise<ApiError | undefined> {
    const optimistic: Code = { ...code, ...patch, version: code.version + 1 };
    patchCodes((map) => map.set(code.id, optimistic));
    try {
      const after = await unwrap(
        api.projects[':projectId'].codes[':codeId'].$patch({
          param: { projectId: ids().projectId, codeId: code.id },
          json: { ...patch, version },
        }),
      );
      patchCodes((map) => map.set(after.id, withoutCount(after)));
      return undefined;
    } catch (failure) {
      patchCodes((map) => {
        // Put the code back unless the live feed brought a newer one meanwhile.
        if (map.get(code.id) === optimistic) map.set(code.id, code);
      });
      if (failure instanceof ApiError) return failure;
      setError(failure);
      return new ApiError(0, 'network', String(failure));
    }
  }

  /** Delete a code, its sub-codes and their codings. */
  async function deleteCode(code: Code): Promise<boolean> {
    return attempt(async () => {
      await unwrap(
        api.projects[':projectId'].codes[':codeId'].$delete({
          param: { projectId: ids().projectId, codeId: code.id },
        }),
      );
      await catchUp();
    });
  }

  /** Merge a code into another; resolves to what moved, or undefined when refused. */
  async function mergeCode(code: Code, targetId: CodeId) {
    let result: { moved: number; collapsed: number; children: number } | undefined;
    await attempt(async () => {
      result = (
        await unwrap(
          api.projects[':projectId'].codes[':codeId'].merge.$post({
            param: { projectId: ids().projectId, codeId: code.id },
            json: { targetId },
          }),
        )
      ).merged;
      await catchUp();
    });
    return result;
  }

  /**
   * Save the document's memo, sending the memo the edit started from: if someone saved another
   * meanwhile, the server refuses (409), nothing is overwritten, and theirs is shown.
   */
  async function saveDocumentMemo(memo: string, memoBefore: string): Promise<boolean> {
    return attempt(async () => {
      const { projectId, documentId } = ids();
      try {
        await unwrap(
          api.projects[':projectId'].documents[':documentId'].$patch({
            param: { projectId, documentId },
            json: { memo, memoBefore },
          }),
        );
      } finally {
        await catchUp();
      }
    });
  }

  /** Undo or redo the user's last change, on the server's log; resolves once the view shows it. */
  async function reverse(kind: 'undo' | 'redo'): Promise<boolean> {
    return attempt(async () => {
      const { projectId } = ids();
      const route = api.projects[':projectId'][kind];
      await unwrap(route.$post({ param: { projectId } }));
      await catchUp();
      await refetchHistory();
    });
  }

  return {
    project,
    document,
    documentMeta,
    documentDeleted,
    ready,
    codes,
    codings,
    members,
    settings,
    interviewerLabels,
    history,
    participant,
    presence: othersHere,
    feedStatus,
    codeById,
    coderName,
    renderKey,
    error,
    setError,
    applyCode,
    removeCoding,
    updateCoding,
    moveCodings,
    createCode,
    updateCode,
    deleteCode,
    mergeCode,
    saveDocumentMemo,
    undo: () => reverse('undo'),
    redo: () => reverse('redo'),
    allCodings: () => view().codings,
  };
}

export type CodingState = ReturnType<typeof createCodingState>;
