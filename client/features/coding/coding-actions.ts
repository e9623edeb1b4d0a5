/**
 * What a coder does to the open document: code a passage, change or remove a coding, move codings,
 * save the document's memo, undo and redo. Each change shows at once in the live document and is
 * put back if the server refuses; the refusal is shown.
 */
import { api, ApiError, unwrap } from '../../api/client.ts';
import type { LoggedProjectEvent } from '../../../shared/events.ts';
import type { CodeId, CodingId, DocumentId, UserId } from '../../../shared/ids.ts';
import type { Coding } from '../../../shared/model.ts';
import type { Span } from '../../../shared/spans.ts';
import { provisionalId } from './live-changes.ts';
import type { LiveDocument } from './live-document.ts';
import type { CodingIds } from './page-resources.ts';
import type { Refusals } from './refusals.ts';

/** A coding change a coder may ask for (PATCH …/codings/:id). */
export interface CodingPatch {
  codeId?: CodeId;
  start?: number;
  end?: number;
  memo?: string;
  /** The memo the edit started from: the server refuses (409) if it has changed since. */
  memoBefore?: string;
}

/** What the coding actions work with. */
interface ActionContext {
  live: LiveDocument;
  ids: () => CodingIds;
  me: () => { id: string } | undefined;
  attempt: Refusals['attempt'];
}

export function createCodingActions(
  live: LiveDocument,
  ids: () => CodingIds,
  me: () => { id: string } | undefined,
  refusals: Refusals,
) {
  const ctx: ActionContext = { live, ids, me, attempt: refusals.attempt };
  return {
    applyCode: (codeId: CodeId, span: Span) => applyCode(ctx, codeId, span),
    removeCoding: (coding: Coding) => removeCoding(ctx, coding),
    updateCoding: (coding: Coding, patch: CodingPatch) => updateCoding(ctx, coding, patch),
    moveCodings: (codingIds: readonly string[], codeId: CodeId) => moveCodings(ctx, codingIds, codeId),
    saveDocumentMemo: (memo: string, memoBefore: string) => saveDocumentMemo(ctx, memo, memoBefore),
    undo: () => reverse(ctx, 'undo'),
    redo: () => reverse(ctx, 'redo'),
  };
}

/** Code a passage; it is highlighted at once and removed again if the server refuses. */
async function applyCode(ctx: ActionContext, codeId: CodeId, span: Span): Promise<boolean> {
  const { projectId, documentId } = ctx.ids();
  const coderId = ctx.me()?.id;
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
  ctx.live.patchCodings((map) => map.set(temp.id, temp));
  return ctx.attempt(async () => {
    try {
      const created = await unwrap(
        api.projects[':projectId'].codings.$post({
          param: { projectId },
          json: { documentId, codeId, start: span.start, end: span.end },
        }),
      );
      ctx.live.noteConfirmed(created.id, temp.id);
      ctx.live.patchCodings((map) => {
        map.delete(temp.id);
        map.set(created.id, created);
      });
    } catch (failure) {
      ctx.live.patchCodings((map) => map.delete(temp.id));
      throw failure;
    }
  });
}

/** Remove a coding; it comes back if the server refuses. */
async function removeCoding(ctx: ActionContext, coding: Coding): Promise<boolean> {
  ctx.live.patchCodings((map) => map.delete(coding.id));
  return ctx.attempt(async () => {
    try {
      await unwrap(
        api.projects[':projectId'].codings[':codingId'].$delete({
          param: { projectId: ctx.ids().projectId, codingId: coding.id },
        }),
      );
    } catch (failure) {
      ctx.live.patchCodings((map) => map.set(coding.id, coding));
      throw failure;
    }
  });
}

/** Change a coding's code, boundaries or memo; the old one is put back if refused. */
async function updateCoding(ctx: ActionContext, coding: Coding, patch: CodingPatch): Promise<boolean> {
  const text = ctx.live.text();
  const { memoBefore: _memoBefore, ...change } = patch;
  const optimistic: Coding = {
    ...coding,
    ...change,
    text: text ? coveredText(text, patch.start ?? coding.start, patch.end ?? coding.end) : coding.text,
  };
  ctx.live.patchCodings((map) => map.set(coding.id, optimistic));
  return ctx.attempt(async () => {
    try {
      const after = await unwrap(
        api.projects[':projectId'].codings[':codingId'].$patch({
          param: { projectId: ctx.ids().projectId, codingId: coding.id },
          json: patch,
        }),
      );
      ctx.live.patchCodings((map) => map.set(after.id, after));
    } catch (failure) {
      ctx.live.patchCodings((map) => map.set(coding.id, coding));
      // Someone changed the memo meanwhile: show theirs beside the text being written.
      if (failure instanceof ApiError && failure.status === 409) await ctx.live.catchUp();
      throw failure;
    }
  });
}

/** Move codings to another code (to split a code), as one change. */
async function moveCodings(
  ctx: ActionContext,
  codingIds: readonly string[],
  codeId: CodeId,
): Promise<boolean> {
  return ctx.attempt(async () => {
    await unwrap(
      api.projects[':projectId'].codings.move.$post({
        param: { projectId: ctx.ids().projectId },
        json: { codingIds: [...codingIds], codeId },
      }),
    );
    await ctx.live.catchUp();
  });
}

/**
 * Save the document's memo, sending the memo the edit started from: if someone saved another
 * meanwhile, the server refuses (409), nothing is overwritten, and theirs is shown.
 */
async function saveDocumentMemo(ctx: ActionContext, memo: string, memoBefore: string): Promise<boolean> {
  return ctx.attempt(async () => {
    const { projectId, documentId } = ctx.ids();
    try {
      await unwrap(
        api.projects[':projectId'].documents[':documentId'].$patch({
          param: { projectId, documentId },
          json: { memo, memoBefore },
        }),
      );
    } finally {
      await ctx.live.catchUp();
    }
  });
}

/**
 * Undo or redo the user's last change, on the server's log; resolves once the view shows it, with
 * the events of the change undone or redone (to name it), or undefined when it was refused.
 */
async function reverse(ctx: ActionContext, kind: 'undo' | 'redo'): Promise<LoggedProjectEvent[] | undefined> {
  let change: LoggedProjectEvent[] = [];
  const done = await ctx.attempt(async () => {
    const { projectId } = ctx.ids();
    const route = api.projects[':projectId'][kind];
    change = (await unwrap(route.$post({ param: { projectId } }))).change as LoggedProjectEvent[];
    await ctx.live.catchUp();
    await ctx.live.refetchHistory();
  });
  return done ? change : undefined;
}

/** The text a coding covers, `[start, end)` in code points, clamped to the text. */
function coveredText(
  text: { readonly length: number; slice(start: number, end: number): string },
  start: number,
  end: number,
): string {
  const clamp = (n: number) => Math.max(0, Math.min(text.length, n));
  return clamp(start) < clamp(end) ? text.slice(clamp(start), clamp(end)) : '';
}
