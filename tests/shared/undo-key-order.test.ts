/**
 * An undo compares the object as the change left it with the object as it is now. Events read back
 * from PostgreSQL come with their keys in jsonb's order, not in the order they were written: the
 * comparison must not depend on it (it refused every undo of a document change on PostgreSQL).
 */
import { describe, expect, it } from 'vitest';
import {
  applyProjectEvent,
  emptyProjectState,
  type ProjectEvent,
  type ProjectEventBody,
} from '../../shared/events.ts';
import type { DocumentId, ProjectId, UserId } from '../../shared/ids.ts';
import type { DocumentMeta } from '../../shared/model.ts';
import { invertTransaction } from '../../shared/undo.ts';

const LEAD = 'u-lead' as UserId;
const AT = '2026-03-05T10:00:00.000Z';

/** The same object with its keys in reverse order, recursively (as another JSON store may give it). */
function reordered<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .reverse()
      .map(([k, v]) => [k, reordered(v)]),
  ) as T;
}

describe('undo, on events whose keys come back in another order', () => {
  it('reverses a document change', () => {
    const state = emptyProjectState('p1' as ProjectId);
    state.members[LEAD] = 'lead';
    const document: DocumentMeta = {
      id: 'd1' as DocumentId,
      name: 'entretien.txt',
      length: 10,
      memo: '',
      participantId: null,
      createdAt: AT,
      createdBy: LEAD,
    } as unknown as DocumentMeta;
    const fold = (event: ProjectEventBody) => {
      const full = { ...event, seq: state.seq + 1, txn: state.seq + 1, at: AT, userId: LEAD } as ProjectEvent;
      applyProjectEvent(state, full);
      return full;
    };
    fold({ type: 'document_added', document });
    const renamed = fold({
      type: 'document_updated',
      before: document,
      after: { ...document, media: { id: 'm1', name: 'a.wav', type: 'audio/wav', size: 44 } },
    });
    const read = reordered(renamed);
    expect(JSON.stringify(read.type === 'document_updated' && read.after)).not.toBe(
      JSON.stringify(state.documents.d1),
    );
    const undo = invertTransaction(state, [read], LEAD, { undoOf: renamed.txn });
    expect(undo).toEqual([expect.objectContaining({ type: 'document_updated', undoOf: renamed.txn })]);
  });
});
