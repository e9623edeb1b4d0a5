// @vitest-environment node
/**
 * The sibling-name index `assertUniqueSiblingName` keeps beside a project's codes follows every
 * event that changes them: after any sequence of creations, renamings, moves, deletions and
 * restorations folded into the state (checks made along the way, so the index exists and is kept
 * rather than rebuilt), the state's codes answer every check as a fresh copy of them does.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertUniqueSiblingName } from '../../shared/codebook.ts';
import { applyProjectEvent, emptyProjectState, type ProjectEventBody } from '../../shared/events.ts';
import type { CodeId, ProjectId, UserId } from '../../shared/ids.ts';
import type { Code, ProjectState } from '../../shared/model.ts';
import { overlayState } from '../../shared/overlay.ts';
import { foldForComparison } from '../../shared/text.ts';

const user = 'u' as UserId;
const NAMES = ['Coûts', 'couts', 'Délais', 'DELAIS', 'Accessibilité', ' Coûts '];
const IDS = ['a', 'b', 'c', 'd', 'e', 'f'] as CodeId[];

type Step =
  | { kind: 'create'; id: CodeId; name: string; parent: CodeId | null }
  | { kind: 'rename'; id: CodeId; name: string }
  | { kind: 'move'; id: CodeId; parent: CodeId | null }
  | { kind: 'delete'; id: CodeId }
  | { kind: 'restore' }
  | { kind: 'check'; name: string; parent: CodeId | null; except: CodeId | null };

const id = fc.constantFrom(...IDS);
const parent = fc.option(id, { nil: null });
const name = fc.constantFrom(...NAMES);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), id, name, parent }),
  fc.record({ kind: fc.constant('rename' as const), id, name }),
  fc.record({ kind: fc.constant('move' as const), id, parent }),
  fc.record({ kind: fc.constant('delete' as const), id }),
  fc.record({ kind: fc.constant('restore' as const) }),
  fc.record({ kind: fc.constant('check' as const), name, parent, except: fc.option(id, { nil: null }) }),
);

function fold(state: ProjectState, body: ProjectEventBody): void {
  applyProjectEvent(state, { ...body, seq: state.seq + 1, txn: state.seq + 1, at: '', userId: user });
}

/**
 * Whether `assertUniqueSiblingName` refuses the name; when it does, the sibling it names must be
 * one in the way (a project holding two such siblings already may name either).
 */
function answer(codes: Readonly<Record<string, Code>>, check: Extract<Step, { kind: 'check' }>): boolean {
  try {
    assertUniqueSiblingName(codes, check.name, check.parent, check.except);
    return false;
  } catch (error) {
    const named = codes[(error as { details?: { existingId?: string } }).details?.existingId ?? ''];
    expect(named?.id).not.toBe(check.except);
    expect(named?.parentId).toBe(check.parent);
    expect(foldForComparison(named?.name ?? '')).toBe(foldForComparison(check.name.trim()));
    return true;
  }
}

/** Fold `steps` into `state`: each change an event, as the store makes them. */
function play(
  state: ProjectState,
  steps: readonly Step[],
  checks: (check: Extract<Step, { kind: 'check' }>) => void,
) {
  const deleted: Code[] = [];
  for (const s of steps) {
    const current =
      s.kind === 'create' || s.kind === 'check' || s.kind === 'restore' ? undefined : state.codes[s.id];
    if (s.kind === 'check') checks(s);
    else if (s.kind === 'create' && !state.codes[s.id] && !deleted.some((c) => c.id === s.id)) {
      const code: Code = {
        id: s.id,
        name: s.name,
        parentId: s.parent === s.id ? null : s.parent,
        color: '#4363d8',
        description: '',
        createdAt: '',
        createdBy: user,
        version: 1,
      };
      fold(state, { type: 'code_created', code });
    } else if (s.kind === 'rename' && current) {
      fold(state, {
        type: 'code_updated',
        before: current,
        after: { ...current, name: s.name, version: current.version + 1 },
      });
    } else if (s.kind === 'move' && current && s.parent !== s.id) {
      fold(state, {
        type: 'code_updated',
        before: current,
        after: { ...current, parentId: s.parent, version: current.version + 1 },
      });
    } else if (s.kind === 'delete' && current) {
      fold(state, { type: 'codes_deleted', codes: [current], codings: [] });
      deleted.push(current);
    } else if (s.kind === 'restore' && deleted.length > 0) {
      const code = deleted.pop() as Code;
      if (!state.codes[code.id]) fold(state, { type: 'codes_restored', codes: [code], codings: [] });
    }
  }
}

describe('the sibling-name index', () => {
  it('answers as a fresh copy of the codes does, after any events', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const state = emptyProjectState('p' as ProjectId);
        play(state, steps, (check) => {
          // Both ways of asking agree: the kept index, and one built now over a copy.
          expect(answer(state.codes, check)).toEqual(answer({ ...state.codes }, check));
        });
        for (const name of NAMES)
          for (const parent of [null, ...IDS])
            expect(answer(state.codes, { kind: 'check', name, parent, except: null })).toEqual(
              answer({ ...state.codes }, { kind: 'check', name, parent, except: null }),
            );
      }),
      { numRuns: 300 },
    );
  });

  it('answers on a scratch state as on the real one, leaving the real one’s answers as they were', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 20 }), fc.array(step, { maxLength: 20 }), (before, tried) => {
        const state = emptyProjectState('p' as ProjectId);
        play(state, before, (check) => void answer(state.codes, check));
        const copy = { ...state.codes };
        const scratch = overlayState(state);
        play(scratch, tried, (check) => {
          expect(answer(scratch.codes, check)).toEqual(answer({ ...scratch.codes }, check));
        });
        for (const name of NAMES)
          for (const parent of [null, ...IDS]) {
            const check = { kind: 'check', name, parent, except: null } as const;
            expect(answer(state.codes, check)).toEqual(answer(copy, check));
          }
      }),
      { numRuns: 200 },
    );
  });
});
