import { describe, expect, it } from 'vitest';
import {
  checkErasureRequest,
  documentsToErase,
  redactEvent,
  replacementsToErase,
  type ErasurePlan,
} from '../../shared/erasure.ts';
import { emptyProjectState, type LoggedProjectEvent, type ProjectEvent } from '../../shared/events.ts';
import type { ProjectId, UserId } from '../../shared/ids.ts';
import type { Coding, DocumentMeta } from '../../shared/model.ts';

const USER = 'u1' as UserId;
const stamp = { seq: 5, txn: 5, at: '2026-03-01T09:00:00.000Z', userId: USER };
const doc = (id: string, participantId: string | null): DocumentMeta =>
  ({
    id,
    name: `${id}.txt`,
    length: 1,
    memo: '',
    createdAt: '',
    createdBy: USER,
    format: 'txt',
    encoding: 'utf-8',
    turns: [],
    participantId,
  }) as unknown as DocumentMeta;
const coding = (id: string, documentId: string): Coding =>
  ({
    id,
    documentId,
    codeId: 'c',
    start: 0,
    end: 1,
    text: 'x',
    coderId: USER,
    createdAt: '',
    memo: '',
  }) as Coding;
const plan: ErasurePlan = {
  scope: 'participant',
  participantIds: new Set(['p1']),
  documentIds: new Set(['d1']),
  erasesReplacement: (from) => from === 'Brioude',
};

describe('redactEvent', () => {
  it('turns an event about what is erased into a tombstone keeping seq, txn, time, author, type and undo mark', () => {
    const event = { ...stamp, type: 'coding_created', coding: coding('k1', 'd1'), undoOf: 3 } as ProjectEvent;
    expect(redactEvent(event, plan)).toEqual({ ...stamp, type: 'coding_created', redacted: true, undoOf: 3 });
  });

  it('returns the very same event when it holds nothing erased', () => {
    const event = { ...stamp, type: 'coding_created', coding: coding('k2', 'd2') } as ProjectEvent;
    expect(redactEvent(event, plan)).toBe(event);
  });

  it('takes the erased codings out of a code deleted with codings of several documents', () => {
    const event = {
      ...stamp,
      type: 'codes_deleted',
      codes: [],
      codings: [coding('k1', 'd1'), coding('k2', 'd2')],
    } as unknown as ProjectEvent;
    expect(redactEvent(event, plan)).toMatchObject({ codings: [{ id: 'k2' }] });
  });

  it('drops erased entries from both sides of a replacement list change', () => {
    const event = {
      ...stamp,
      type: 'replacements_set',
      before: [{ from: 'Brioude', to: 'X' }],
      after: [
        { from: 'Brioude', to: 'Y' },
        { from: 'Lyon', to: 'Z' },
      ],
    } as ProjectEvent;
    expect(redactEvent(event, plan)).toMatchObject({ before: [], after: [{ from: 'Lyon', to: 'Z' }] });
  });

  it('leaves a tombstone as it is', () => {
    const tombstone = { ...stamp, type: 'document_added', redacted: true } as LoggedProjectEvent;
    expect(redactEvent(tombstone, plan)).toBe(tombstone);
  });
});

describe('documentsToErase', () => {
  it("takes the participant's documents, deleted ones included, and not those unlinked since", () => {
    const state = emptyProjectState('p' as ProjectId);
    state.documents.d1 = doc('d1', 'p1');
    state.documents.d3 = doc('d3', null);
    const log = [
      { ...stamp, seq: 1, type: 'document_added', document: doc('d1', 'p1') },
      { ...stamp, seq: 2, type: 'document_deleted', document: doc('d2', 'p1'), codings: [] },
      { ...stamp, seq: 3, type: 'document_updated', before: doc('d3', 'p1'), after: doc('d3', null) },
    ] as ProjectEvent[];
    expect([...documentsToErase(state, log, { kind: 'participant', participantId: 'p1' })].sort()).toEqual([
      'd1',
      'd2',
    ]);
  });
});

describe('replacementsToErase', () => {
  it('keeps the entries still found in a remaining text, as whole words, without case or accents', () => {
    const entries = [
      { from: 'Brioude', to: 'A' },
      { from: 'Hélène', to: 'B' },
      { from: 'Saint-Flour', to: 'C' },
      { from: 'Martin', to: 'D' },
    ];
    const erased = { texts: ['À brioude, Hélène et SAINT-FLOUR.'], names: ['Camille Martin'] };
    const remaining = ['helene est partie ; Martine reste.'];
    expect([...replacementsToErase(entries, erased, remaining)].sort()).toEqual([
      'Brioude',
      'Martin',
      'Saint-Flour',
    ]);
  });
});

describe('checkErasureRequest', () => {
  it('asks for the exact name', () => {
    const state = emptyProjectState('p' as ProjectId);
    state.documents.d1 = doc('d1', null);
    expect(() => checkErasureRequest(state, { kind: 'document', documentId: 'd1' }, 'D1.txt')).toThrow(
      'd1.txt',
    );
    expect(() => checkErasureRequest(state, { kind: 'document', documentId: 'd1' }, 'd1.txt')).not.toThrow();
    expect(() => checkErasureRequest(state, { kind: 'participant', participantId: 'x' }, '')).toThrow(
      'Participant introuvable',
    );
  });
});
