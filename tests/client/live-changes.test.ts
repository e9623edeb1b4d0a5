/**
 * Applying the server's events to the coding view's copy of the project: idempotent, in order,
 * confirming provisional codings and codes, and keeping counts per code exact.
 */
import { describe, expect, it } from 'vitest';
import type { ProjectEvent } from '../../shared/events.ts';
import type { CodeId, CodingId, DocumentId, UserId } from '../../shared/ids.ts';
import type { Code, Coding, DocumentMeta } from '../../shared/model.ts';
import {
  applyEvents,
  codingCountsOf,
  countCodings,
  emptyView,
  type LiveView,
} from '../../client/features/coding/live-changes.ts';

const DOC = 'doc-1' as DocumentId;
const OTHER = 'doc-2' as DocumentId;
const NADIA = 'user-nadia' as UserId;

function code(id: string, name: string, version = 1): Code {
  return {
    id: id as CodeId,
    name,
    parentId: null,
    color: '#c92a2a',
    description: '',
    createdAt: '2026-04-01T10:00:00.000Z',
    createdBy: NADIA,
    version,
  };
}

function coding(id: string, codeId: string, start: number, end: number, documentId = DOC): Coding {
  return {
    id: id as CodingId,
    documentId,
    codeId: codeId as CodeId,
    start,
    end,
    text: '',
    coderId: NADIA,
    createdAt: '2026-04-01T10:00:00.000Z',
    memo: '',
  };
}

let nextSeq = 0;
function event(body: Record<string, unknown>, userId = NADIA): ProjectEvent {
  nextSeq += 1;
  return {
    ...body,
    seq: nextSeq,
    txn: nextSeq,
    at: '2026-04-01T10:00:00.000Z',
    userId,
  } as unknown as ProjectEvent;
}

/** A view of DOC: its codings held, the other documents' counted. */
function view(codes: Code[], codings: Coding[], seq = 0): LiveView {
  const otherCounts = new Map<string, number>();
  for (const c of codings) {
    if (c.documentId !== DOC) otherCounts.set(c.codeId, (otherCounts.get(c.codeId) ?? 0) + 1);
  }
  return {
    ...emptyView(seq),
    codes: new Map(codes.map((c) => [c.id, c])),
    codings: new Map(codings.filter((c) => c.documentId === DOC).map((c) => [c.id, c])),
    otherCounts,
  };
}

describe('applyEvents', () => {
  it('adds, changes and removes codings and codes, and moves seq on', () => {
    nextSeq = 10;
    const start = view([code('c1', 'Outils')], [], 10);
    const events = [
      event({ type: 'code_created', code: code('c2', 'Formation') }),
      event({ type: 'coding_created', coding: coding('k1', 'c1', 0, 5) }),
      event({ type: 'coding_updated', before: coding('k1', 'c1', 0, 5), after: coding('k1', 'c2', 0, 7) }),
      event({ type: 'code_updated', before: code('c1', 'Outils'), after: code('c1', 'Logiciels', 2) }),
      event({ type: 'coding_created', coding: coding('k2', 'c1', 3, 9, OTHER) }),
      event({ type: 'coding_deleted', coding: coding('k2', 'c1', 3, 9, OTHER) }),
    ];
    const { view: after, authors } = applyEvents(start, events, DOC);
    expect(after.seq).toBe(16);
    expect([...after.codes.values()].map((c) => [c.name, c.version])).toEqual([
      ['Logiciels', 2],
      ['Formation', 1],
    ]);
    expect([...after.codings.values()]).toEqual([coding('k1', 'c2', 0, 7)]);
    expect([...authors]).toEqual([NADIA]);
    // The view given is left as it was.
    expect(start.codings.size).toBe(0);
  });

  it('skips events it has already folded in, so the live feed and a catch-up may both deliver them', () => {
    nextSeq = 0;
    const created = event({ type: 'coding_created', coding: coding('k1', 'c1', 0, 5) });
    const deleted = event({ type: 'coding_deleted', coding: coding('k1', 'c1', 0, 5) });
    const once = applyEvents(view([], []), [created, deleted], DOC).view;
    const twice = applyEvents(once, [created], DOC).view;
    expect(twice.codings.size).toBe(0);
    // Nothing new: not even a copy of the map.
    expect(twice.codings).toBe(once.codings);
  });

  it('converges on the server’s state when replaying events a snapshot already reflects', () => {
    nextSeq = 0;
    const events = [
      event({ type: 'coding_created', coding: coding('k1', 'c1', 0, 5) }),
      event({ type: 'coding_updated', before: coding('k1', 'c1', 0, 5), after: coding('k1', 'c1', 0, 8) }),
    ];
    // A snapshot taken after both events, but with an older seq.
    const snapshot = view([], [coding('k1', 'c1', 0, 8)], 0);
    expect([...applyEvents(snapshot, events, DOC).view.codings.values()]).toEqual([coding('k1', 'c1', 0, 8)]);
  });

  it('replaces a provisional coding by the server’s, and says which id stands for which', () => {
    nextSeq = 0;
    const temp = coding('provisional-7', 'c1', 2, 9);
    const outcome = applyEvents(
      view([], [temp]),
      [event({ type: 'coding_created', coding: coding('k9', 'c1', 2, 9) })],
      DOC,
    );
    expect([...outcome.view.codings.keys()]).toEqual(['k9']);
    expect(outcome.confirmed).toEqual([['provisional-7', 'k9']]);
  });

  it('removes a deleted code’s codings and brings them back on restore (undo of a delete)', () => {
    nextSeq = 0;
    const codes = [code('c1', 'Outils')];
    const codings = [coding('k1', 'c1', 0, 5), coding('k2', 'c1', 6, 9, OTHER)];
    const deleted = applyEvents(
      view(codes, codings),
      [event({ type: 'codes_deleted', codes, codings })],
      DOC,
    ).view;
    expect(deleted.codes.size).toBe(0);
    expect(deleted.codings.size).toBe(0);
    const restored = applyEvents(deleted, [event({ type: 'codes_restored', codes, codings })], DOC).view;
    expect([...restored.codings.keys()]).toEqual(['k1']);
    expect(codingCountsOf(restored).get('c1')).toBe(2);
  });

  it('counts the other documents’ codings without holding them, through creations, moves, deletions and restorations', () => {
    nextSeq = 0;
    const other = { id: OTHER, name: 'karim.txt', memo: '' } as DocumentMeta;
    const elsewhere = coding('k2', 'c1', 0, 5, OTHER);
    const steps: [ProjectEvent, Record<string, number>][] = [
      [event({ type: 'coding_created', coding: elsewhere }), { c1: 1 }],
      [event({ type: 'coding_created', coding: coding('k3', 'c1', 6, 9, OTHER) }), { c1: 2 }],
      [
        event({ type: 'coding_updated', before: elsewhere, after: { ...elsewhere, codeId: 'c2' } }),
        { c1: 1, c2: 1 },
      ],
      [event({ type: 'coding_deleted', coding: { ...elsewhere, codeId: 'c2' } }), { c1: 1 }],
      [event({ type: 'document_deleted', document: other, codings: [coding('k3', 'c1', 6, 9, OTHER)] }), {}],
      [
        event({ type: 'document_restored', document: other, codings: [coding('k3', 'c1', 6, 9, OTHER)] }),
        { c1: 1 },
      ],
      [event({ type: 'coding_created', coding: coding('k4', 'c1', 0, 2) }), { c1: 2 }],
    ];
    let current = view([], []);
    for (const [e, expected] of steps) {
      current = applyEvents(current, [e], DOC).view;
      expect(Object.fromEntries(codingCountsOf(current))).toEqual(expected);
    }
    expect([...current.codings.keys()]).toEqual(['k4']);
    // Events already folded in are not counted twice.
    const again = applyEvents(
      current,
      steps.map(([e]) => e),
      DOC,
    ).view;
    expect(again.otherCounts).toBe(current.otherCounts);
    expect(again.codings).toBe(current.codings);
  });

  it('says the counts must be read again when an erasure takes another document, and only then', () => {
    nextSeq = 0;
    const receipt = (documentIds: string[]) =>
      event({ type: 'erasure', scope: 'document', participantIds: [], documentIds, counts: {} });
    expect(applyEvents(view([], []), [receipt([OTHER])], DOC).countsOutdated).toBe(true);
    nextSeq = 0;
    expect(applyEvents(view([], []), [receipt([DOC])], DOC).countsOutdated).toBe(false);
    nextSeq = 0;
    expect(
      applyEvents(
        view([], []),
        [event({ type: 'coding_deleted', coding: coding('k1', 'c1', 0, 5, OTHER) })],
        DOC,
      ).countsOutdated,
    ).toBe(false);
  });

  it('follows the open document: memo, deletion, restoration; and the interviewer labels', () => {
    nextSeq = 0;
    const meta = { id: DOC, name: 'nadia.txt', memo: '' } as DocumentMeta;
    const withMemo = { ...meta, memo: 'Entretien court.' };
    const outcome = applyEvents(
      view([], [coding('k1', 'c1', 0, 5)]),
      [
        event({ type: 'document_updated', before: meta, after: withMemo }),
        event({
          type: 'settings_updated',
          before: { interviewerLabels: [] },
          after: { interviewerLabels: ['Q'] },
        }),
        event({ type: 'document_deleted', document: withMemo, codings: [coding('k1', 'c1', 0, 5)] }),
      ],
      DOC,
    );
    expect(outcome.view.document).toEqual({ meta: withMemo, deleted: true });
    expect(outcome.view.codings.size).toBe(0);
    expect(outcome.view.interviewerLabels).toEqual(['Q']);
    const back = applyEvents(
      outcome.view,
      [event({ type: 'document_restored', document: withMemo, codings: [coding('k1', 'c1', 0, 5)] })],
      DOC,
    ).view;
    expect(back.document.deleted).toBe(false);
    expect(back.codings.size).toBe(1);
  });

  it('notes member changes and ignores events the coding view does not draw', () => {
    nextSeq = 0;
    const outcome = applyEvents(
      view([], []),
      [
        event({ type: 'member_set', memberId: NADIA, role: 'coder', previousRole: null }),
        event({ type: 'attributes_set', before: [], after: [] }),
      ],
      DOC,
    );
    expect(outcome.membersChanged).toBe(true);
    expect(outcome.view.seq).toBe(2);
  });
});

describe('countCodings', () => {
  it('counts codings per code over every document', () => {
    const counts = countCodings([
      coding('a', 'c1', 0, 1),
      coding('b', 'c1', 2, 3, OTHER),
      coding('c', 'c2', 0, 4),
    ]);
    expect(Object.fromEntries(counts)).toEqual({ c1: 2, c2: 1 });
  });
});
