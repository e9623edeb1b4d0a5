/**
 * What a coder does to the open document: code a passage, change or remove a coding, move codings,
 * save the document's memo, undo and redo. Each change shows at once in the live document and is
 * put back if the server refuses; the refusal is shown.
 */
import { api, ApiError, unwrap } from '../../api/client.ts';
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

export function createCodingActions(
  live: LiveDocument,
  ids: () => CodingIds,
  me: () => { id: string } | undefined,
  { attempt }: Refusals,
) {
  const { patchCodings, catchUp } = live;

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
    return attempt(async () => {
      try {
        const created = await unwrap(
          api.projects[':projectId'].codings.$post({
            param: { projectId },
            json: { documentId, codeId, start: span.start, end: span.end },
          }),
        );
        live.noteConfirmed(created.id, temp.id);
        patchCodings((map) => {
          map.delete(temp.id);
          map.set(created.id, created);
        });
      } catch (failure) {
        patchCodings((map) => map.delete(temp.id));
        throw failure;
      }
    });
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
    const text = live.text();
    const { memoBefore: _memoBefore, ...change } = patch;
    const optimistic: Coding = {
      ...coding,
      ...change,
      text: text ? coveredText(text, patch.start ?? coding.start, patch.end ?? coding.end) : coding.text,
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
      await live.refetchHistory();
    });
  }

  return {
    applyCode,
    removeCoding,
    updateCoding,
    moveCodings,
    saveDocumentMemo,
    undo: () => reverse('undo'),
    redo: () => reverse('redo'),
  };
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
