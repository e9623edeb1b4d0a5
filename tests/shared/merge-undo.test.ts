import { describe, expect, it } from 'vitest';
import {
  applyProjectEvent,
  emptyProjectState,
  type ProjectEvent,
  type ProjectEventBody,
} from '../../shared/events.ts';
import type { CodeId, CodingId, DocumentId, ProjectId, UserId } from '../../shared/ids.ts';
import { planMerge } from '../../shared/merge.ts';
import { assertUniqueSiblingName } from '../../shared/codebook.ts';
import type { Code, Coding, DocumentMeta, ProjectState } from '../../shared/model.ts';
import { overlayState } from '../../shared/overlay.ts';
import { invertTransaction } from '../../shared/undo.ts';

const user = 'u-1' as UserId;
const other = 'u-2' as UserId;

function code(id: string, parentId: string | null = null, name = id): Code {
  return {
    id: id as CodeId,
    name,
    parentId: parentId as CodeId | null,
    color: '#123456',
    description: '',
    createdAt: '',
    createdBy: user,
    version: 1,
  };
}
function coding(id: string, codeId: string, start: number, end: number, coderId = user): Coding {
  return {
    id: id as CodingId,
    documentId: 'd' as DocumentId,
    codeId: codeId as CodeId,
    start,
    end,
    text: '',
    coderId,
    createdAt: '',
    memo: '',
  };
}
const doc: DocumentMeta = {
  id: 'd' as DocumentId,
  name: 'd.txt',
  length: 100,
  memo: '',
  createdAt: '',
  createdBy: user,
  format: 'txt',
  encoding: 'utf-8',
  turns: [],
  participantId: null,
};

/** A project built by folding events, as the store does. */
function project(bodies: ProjectEventBody[]): { state: ProjectState; log: ProjectEvent[] } {
  const state = emptyProjectState('p' as ProjectId);
  const log: ProjectEvent[] = [];
  const fold = (body: ProjectEventBody, txn: number, by: UserId) => {
    const event = { ...body, seq: state.seq + 1, txn, at: '', userId: by } as ProjectEvent;
    applyProjectEvent(state, event);
    log.push(event);
  };
  fold({ type: 'document_added', document: doc }, 1, user);
  for (const body of bodies) fold(body, state.seq + 1, user);
  return { state, log };
}

function commit(
  state: ProjectState,
  log: ProjectEvent[],
  bodies: ProjectEventBody[],
  by = user,
): ProjectEvent[] {
  const txn = state.seq + 1;
  const events = bodies.map((b, i) => ({ ...b, seq: txn + i, txn, at: '', userId: by }) as ProjectEvent);
  for (const e of events) applyProjectEvent(state, e);
  log.push(...events);
  return events;
}

describe('overlayState', () => {
  it('lets events be tried without touching the real state', () => {
    const { state } = project([{ type: 'code_created', code: code('a') }]);
    const scratch = overlayState(state);
    applyProjectEvent(scratch, {
      type: 'codes_deleted',
      codes: [code('a')],
      codings: [],
      seq: state.seq + 1,
      txn: state.seq + 1,
      at: '',
      userId: user,
    } as ProjectEvent);
    applyProjectEvent(scratch, {
      type: 'code_created',
      code: code('b'),
      seq: state.seq + 2,
      txn: state.seq + 2,
      at: '',
      userId: user,
    } as ProjectEvent);
    expect(Object.keys(scratch.codes)).toEqual(['b']);
    expect(Object.keys(state.codes)).toEqual(['a']);
    expect('a' in scratch.codes).toBe(false);
    expect(Object.values(scratch.codes).map((c) => c.id)).toEqual(['b']);
  });
});

describe('planMerge', () => {
  it('moves codings, collapses identical spans by the same coder, keeps those by another coder, moves sub-codes', () => {
    const { state } = project([
      { type: 'code_created', code: code('a') },
      { type: 'code_created', code: code('b') },
      { type: 'code_created', code: code('a1', 'a') },
      { type: 'coding_created', coding: coding('k1', 'a', 0, 5) },
      { type: 'coding_created', coding: coding('k2', 'a', 10, 15) },
      { type: 'coding_created', coding: coding('k3', 'b', 10, 15) },
      { type: 'coding_created', coding: coding('k4', 'a', 10, 15, other) },
    ]);
    const events = planMerge(state, 'a' as CodeId, 'b' as CodeId);
    expect(events.map((e) => e.type)).toEqual([
      'coding_updated',
      'coding_deleted',
      'coding_updated',
      'code_updated',
      'codes_deleted',
    ]);
    expect(events.find((e) => e.type === 'coding_deleted')).toMatchObject({ coding: { id: 'k2' } });
    expect(events.find((e) => e.type === 'code_updated')).toMatchObject({
      after: { id: 'a1', parentId: 'b', version: 2 },
    });
  });

  it('joins overlapping codings of one passage by the same coder into one over their union, text and memos kept', () => {
    const TEXT = 'On ressaisit tout 🎭 à la main, chaque lundi.';
    const slice = (start: number, end: number) => Array.from(TEXT).slice(start, end).join('');
    const at = (id: string, codeId: string, start: number, end: number, memo = '', by = user): Coding => ({
      ...coding(id, codeId, start, end, by),
      text: slice(start, end),
      memo,
    });
    const { state, log } = project([
      { type: 'code_created', code: code('a') },
      { type: 'code_created', code: code('b') },
      { type: 'coding_created', coding: at('src', 'a', 3, 20, 'mémo source') },
      { type: 'coding_created', coding: at('dst', 'b', 13, 30, 'mémo cible') },
      { type: 'coding_created', coding: at('far', 'a', 35, 40) },
      { type: 'coding_created', coding: at('theirs', 'a', 3, 20, '', other) },
    ]);
    const before = JSON.parse(JSON.stringify(state.codings));
    const events = planMerge(state, 'a' as CodeId, 'b' as CodeId);
    const merge = commit(state, log, events);
    const codings = Object.values(state.codings);
    // Two codings of one passage by one coder are one coding now; the others simply moved.
    expect(codings.map((c) => [c.id, c.codeId, c.start, c.end]).sort()).toEqual([
      ['dst', 'b', 3, 30],
      ['far', 'b', 35, 40],
      ['theirs', 'b', 3, 20],
    ]);
    const joined = state.codings['dst' as CodingId] as Coding;
    expect(joined.text).toBe(slice(3, 30));
    expect(joined.memo).toBe('mémo source\n\nmémo cible');
    expect(joined.coderId).toBe(user);
    // Undone in one step, everything is as it was.
    commit(state, log, invertTransaction(state, merge, user, { undoOf: merge[0]?.txn ?? 0 }));
    expect(state.codings).toEqual(before);
  });

  it('never joins a consensus coding with an ordinary one', () => {
    const { state } = project([
      { type: 'code_created', code: code('a') },
      { type: 'code_created', code: code('b') },
      { type: 'coding_created', coding: coding('k1', 'a', 0, 10) },
      {
        type: 'coding_created',
        coding: { ...coding('k2', 'b', 5, 15), consensus: { acceptedFrom: 'k0' as CodingId } },
      },
    ]);
    const events = planMerge(state, 'a' as CodeId, 'b' as CodeId);
    expect(events.filter((e) => e.type === 'coding_deleted')).toEqual([]);
  });

  it('refuses to merge into itself or a descendant, and a sub-code name clash under the target', () => {
    const { state } = project([
      { type: 'code_created', code: code('a') },
      { type: 'code_created', code: code('a1', 'a', 'Même nom') },
      { type: 'code_created', code: code('b') },
      { type: 'code_created', code: code('b1', 'b', 'meme nom') },
    ]);
    expect(() => planMerge(state, 'a' as CodeId, 'a' as CodeId)).toThrow(/lui-même/);
    expect(() => planMerge(state, 'a' as CodeId, 'a1' as CodeId)).toThrow(/sous-codes/);
    expect(() => planMerge(state, 'a' as CodeId, 'b' as CodeId)).toThrow(/existe déjà/);
  });
});

describe('invertTransaction', () => {
  it('reverses a merge exactly: applying the inverse gives back the state before', () => {
    const { state, log } = project([
      { type: 'code_created', code: code('a') },
      { type: 'code_created', code: code('b') },
      { type: 'code_created', code: code('a1', 'a') },
      { type: 'coding_created', coding: coding('k1', 'a', 0, 5) },
      { type: 'coding_created', coding: coding('k2', 'a', 10, 15) },
      { type: 'coding_created', coding: coding('k3', 'b', 10, 15) },
    ]);
    const before = JSON.parse(JSON.stringify({ codes: state.codes, codings: state.codings }));
    const merge = commit(state, log, planMerge(state, 'a' as CodeId, 'b' as CodeId));
    const inverse = invertTransaction(state, merge, user, { undoOf: merge[0]?.txn ?? 0 });
    commit(state, log, inverse);
    const codes = Object.fromEntries(Object.entries(state.codes).map(([k, v]) => [k, { ...v, version: 1 }]));
    expect({ codes, codings: state.codings }).toEqual(before);
  });

  it('refuses to reverse a coding another coder changed since', () => {
    const { state, log } = project([{ type: 'code_created', code: code('a') }]);
    const created = commit(state, log, [{ type: 'coding_created', coding: coding('k', 'a', 0, 5) }]);
    commit(
      state,
      log,
      [
        {
          type: 'coding_updated',
          before: coding('k', 'a', 0, 5),
          after: { ...coding('k', 'a', 0, 5), memo: 'vu' },
        },
      ],
      other,
    );
    expect(() => invertTransaction(state, created, user, { undoOf: created[0]?.seq ?? 0 })).toThrow(
      /modifié depuis/,
    );
  });

  it('keeps per-user undo and redo stacks in the state', () => {
    const { state, log } = project([]);
    const t1 = commit(state, log, [{ type: 'code_created', code: code('a') }]);
    commit(state, log, [{ type: 'code_created', code: code('z') }], other);
    expect(state.history[user]?.undo.at(-1)).toBe(t1[0]?.txn);
    const undo = commit(state, log, invertTransaction(state, t1, user, { undoOf: t1[0]?.txn ?? 0 }));
    // The document added by project() is the user's first change (txn 1).
    expect(state.history[user]).toEqual({ undo: [1], redo: [t1[0]?.txn] });
    const redo = commit(state, log, invertTransaction(state, undo, user, { redoOf: t1[0]?.txn ?? 0 }));
    expect(state.history[user]).toEqual({ undo: [1, redo[0]?.txn], redo: [] });
    expect(state.codes.a).toBeDefined();
    expect(state.history[other]?.undo).toHaveLength(1);
  });
});

describe('codes are replaced, never changed in place', () => {
  // The codebook's sibling check caches each code's folded name per code object: a writer that
  // renamed or moved a code in place would leave a stale name in that cache.
  const freezeCodes = (state: ProjectState) => {
    for (const c of Object.values(state.codes)) Object.freeze(c);
  };

  it('holds for renames, moves, merges, deletions and their undo (every code frozen throughout)', () => {
    const { state, log } = project([
      { type: 'code_created', code: code('a', null, 'Coûts') },
      { type: 'code_created', code: code('b', null, 'Budget') },
      { type: 'code_created', code: code('a1', 'a', 'Licences') },
      { type: 'code_created', code: code('b1', 'b', 'Salaires') },
      { type: 'coding_created', coding: coding('k1', 'a', 0, 5) },
      { type: 'coding_created', coding: coding('k2', 'b', 0, 5) },
    ]);
    const step = (bodies: ProjectEventBody[]) => {
      freezeCodes(state);
      return commit(state, log, bodies);
    };
    const a = state.codes.a as Code;
    assertUniqueSiblingName(state.codes, 'Frais', null, null); // caches every root's folded name
    const rename = step([{ type: 'code_updated', before: a, after: { ...a, name: 'Frais', version: 2 } }]);
    expect(() => assertUniqueSiblingName(state.codes, 'frais', null, null)).toThrow(/existe déjà/);
    expect(() => assertUniqueSiblingName(state.codes, 'couts', null, null)).not.toThrow();
    step(invertTransaction(state, rename, user, { undoOf: rename[0]?.txn ?? 0 }));
    expect(() => assertUniqueSiblingName(state.codes, 'couts', null, null)).toThrow(/existe déjà/);

    const merge = step(planMerge(state, 'a' as CodeId, 'b' as CodeId));
    expect(state.codes.a1?.parentId).toBe('b');
    expect(() => assertUniqueSiblingName(state.codes, 'licences', 'b' as CodeId, null)).toThrow(
      /existe déjà/,
    );
    step(invertTransaction(state, merge, user, { undoOf: merge[0]?.txn ?? 0 }));
    expect(() => assertUniqueSiblingName(state.codes, 'licences', 'b' as CodeId, null)).not.toThrow();
    expect(() => assertUniqueSiblingName(state.codes, 'licences', 'a' as CodeId, null)).toThrow(
      /existe déjà/,
    );

    const b1 = state.codes.b1 as Code;
    const deleted = step([{ type: 'codes_deleted', codes: [b1], codings: [] }]);
    expect(() => assertUniqueSiblingName(state.codes, 'salaires', 'b' as CodeId, null)).not.toThrow();
    step(invertTransaction(state, deleted, user, { undoOf: deleted[0]?.txn ?? 0 }));
    expect(() => assertUniqueSiblingName(state.codes, 'salaires', 'b' as CodeId, null)).toThrow(
      /existe déjà/,
    );
  });
});
