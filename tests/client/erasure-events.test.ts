/**
 * Events after an erasure, as the client meets them: tombstones are skipped (their seq counted),
 * the receipt closes an erased document in the coding view, and the activity says both plainly
 * without any name.
 */
import { describe, expect, it } from 'vitest';
import type { LoggedProjectEvent } from '../../shared/events.ts';
import type { CodeId, CodingId, DocumentId, UserId } from '../../shared/ids.ts';
import type { Coding } from '../../shared/model.ts';
import { applyEvents, emptyView } from '../../client/features/coding/live-changes.ts';
import { describeEvent } from '../../client/features/review/activity.ts';

const DOC = 'doc-1' as DocumentId;
const USER = 'user-1' as UserId;
const stamp = (seq: number) => ({ seq, txn: seq, at: '2026-04-01T10:00:00.000Z', userId: USER });
const coding: Coding = {
  id: 'k1' as CodingId,
  documentId: DOC,
  codeId: 'c1' as CodeId,
  start: 0,
  end: 4,
  text: 'abcd',
  coderId: USER,
  createdAt: '',
  memo: '',
};
const names = { user: () => 'Nadia', code: () => undefined, document: () => undefined };

describe('events after an erasure, in the client', () => {
  it('skips tombstones and closes the erased document on the receipt', () => {
    let view = emptyView(1);
    view = applyEvents(view, [{ ...stamp(2), type: 'coding_created', coding }], DOC).view;
    expect(view.codings.size).toBe(1);
    const events: LoggedProjectEvent[] = [
      { ...stamp(3), type: 'coding_created', redacted: true },
      {
        ...stamp(4),
        type: 'erasure',
        scope: 'participant',
        participantIds: ['p1'],
        documentIds: [DOC],
        counts: { participants: 1, documents: 1, codings: 1, events: 3, replacements: 0 },
      },
    ];
    const outcome = applyEvents(view, events, DOC);
    expect(outcome.view.seq).toBe(4);
    expect(outcome.view.document.deleted).toBe(true);
    expect(outcome.view.codings.size).toBe(0);
  });

  it('describes a tombstone and a receipt in the activity, with counts and no name', () => {
    expect(describeEvent({ ...stamp(3), type: 'participant_created', redacted: true }, names)).toBe(
      'Nadia a fait une modification dont le contenu a été effacé',
    );
    expect(
      describeEvent(
        {
          ...stamp(4),
          type: 'erasure',
          scope: 'participant',
          participantIds: ['p1'],
          documentIds: ['d1', 'd2'],
          counts: { participants: 1, documents: 2, codings: 7, events: 12, replacements: 1 },
        },
        names,
      ),
    ).toBe(
      'Nadia a effacé définitivement 1 participant·e, 2 documents et 7 codages (retrait du consentement)',
    );
  });
});
