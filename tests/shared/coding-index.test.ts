import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  codingCount,
  codingCountOfDocument,
  codingCountsByCode,
  codingsOfCode,
  codingsOfCodes,
  codingsOfDocument,
  findDuplicateCoding,
  indexCodings,
  putCoding,
  removeCoding,
} from '../../shared/coding-index.ts';
import { collectGarbage } from '../../server/collect-garbage.ts';
import { emptyProjectState } from '../../shared/events.ts';
import type { CodeId, CodingId, DocumentId, ProjectId, UserId } from '../../shared/ids.ts';
import type { Coding, ProjectState } from '../../shared/model.ts';
import { overlayOf, overlayState } from '../../shared/overlay.ts';

function coding(id: number, documentId: string, start = 0, codeId = 'c1', coderId = 'u1'): Coding {
  return {
    id: `coding-${id}` as CodingId,
    documentId: documentId as DocumentId,
    codeId: codeId as CodeId,
    start,
    end: start + 5,
    text: 'texte',
    coderId: coderId as UserId,
    createdAt: '2026-11-28T10:00:00.000Z',
    memo: '',
  };
}

const byId = (a: Coding, b: Coding) => a.id.localeCompare(b.id);

describe('codingsOfCode', () => {
  it('answers what a scan of every coding answers, after puts (some moving a coding to another code) and removals', () => {
    const step = fc.oneof(
      fc.record({ put: fc.nat(20), codeId: fc.constantFrom('c1', 'c2', 'c3') }),
      fc.record({ remove: fc.nat(20) }),
    );
    fc.assert(
      fc.property(
        fc.nat(10),
        fc.nat(20),
        fc.array(step, { maxLength: 60 }),
        (indexAfter, byCodeAfter, steps) => {
          const state = emptyProjectState('p' as ProjectId);
          steps.forEach((s, i) => {
            // The index of documents first, then (maybe later) that of codes, each part-way through.
            if (i === indexAfter) codingsOfDocument(state, 'd1' as DocumentId);
            if (i === byCodeAfter) codingsOfCode(state, 'c1' as CodeId);
            if ('put' in s) putCoding(state.codings, coding(s.put, 'd1', 0, s.codeId));
            else removeCoding(state.codings, `coding-${s.remove}` as CodingId);
          });
          for (const codeId of ['c1', 'c2', 'c3'] as CodeId[]) {
            const scanned = Object.values(state.codings).filter((c) => c.codeId === codeId);
            expect(codingsOfCode(state, codeId).sort(byId)).toEqual(scanned.sort(byId));
          }
        },
      ),
    );
  });
});

describe('codingsOfDocument', () => {
  it('answers what a scan of every coding answers (codings and duplicates), after any sequence of puts and removals', () => {
    const step = fc.oneof(
      fc.record({ put: fc.nat(20), documentId: fc.constantFrom('d1', 'd2', 'd3'), start: fc.nat(4) }),
      fc.record({ remove: fc.nat(20) }),
    );
    fc.assert(
      fc.property(fc.nat(10), fc.array(step, { maxLength: 60 }), (indexAfter, steps) => {
        const state = emptyProjectState('p' as ProjectId);
        steps.forEach((s, i) => {
          // The index is first built part-way through, from what the record holds then.
          if (i === indexAfter) codingsOfDocument(state, 'd1' as DocumentId);
          if ('put' in s) putCoding(state.codings, coding(s.put, s.documentId, s.start));
          else removeCoding(state.codings, `coding-${s.remove}` as CodingId);
        });
        for (const documentId of ['d1', 'd2', 'd3'] as DocumentId[]) {
          const scanned = Object.values(state.codings).filter((c) => c.documentId === documentId);
          expect(codingsOfDocument(state, documentId).sort(byId)).toEqual(scanned.sort(byId));
          for (let start = 0; start <= 4; start++) {
            const twins = scanned.filter((c) => c.start === start).map((c) => c.id);
            const found = findDuplicateCoding(state, coding(99, documentId, start));
            if (twins.length === 0) expect(found).toBeUndefined();
            else expect(twins).toContain(found?.id);
          }
        }
      }),
    );
  });

  it('moves a coding whose document changes under the same id', () => {
    const state = emptyProjectState('p' as ProjectId);
    putCoding(state.codings, coding(1, 'd1'));
    expect(codingsOfDocument(state, 'd1' as DocumentId)).toHaveLength(1);
    putCoding(state.codings, coding(1, 'd2'));
    expect(codingsOfDocument(state, 'd1' as DocumentId)).toEqual([]);
    expect(codingsOfDocument(state, 'd2' as DocumentId).map((c) => c.id)).toEqual(['coding-1']);
  });
});

describe('findDuplicateCoding', () => {
  it('finds the same code on the same passage by the same coder, and nothing else', () => {
    const state = emptyProjectState('p' as ProjectId);
    putCoding(state.codings, coding(1, 'd1', 10));
    const twin = { ...coding(2, 'd1', 10) };
    expect(findDuplicateCoding(state, twin)?.id).toBe('coding-1');
    expect(findDuplicateCoding(state, coding(1, 'd1', 10))).toBeUndefined();
    expect(findDuplicateCoding(state, coding(2, 'd2', 10))).toBeUndefined();
    expect(findDuplicateCoding(state, coding(2, 'd1', 11))).toBeUndefined();
    expect(findDuplicateCoding(state, coding(2, 'd1', 10, 'c2'))).toBeUndefined();
    expect(findDuplicateCoding(state, coding(2, 'd1', 10, 'c1', 'u2'))).toBeUndefined();
    expect(
      findDuplicateCoding(state, { ...twin, consensus: { acceptedFrom: 'coding-1' as CodingId } }),
    ).toBeUndefined();
  });
});

describe('findDuplicateCoding in a densely coded document', () => {
  it('reads only the codings that start where the candidate starts, not every coding of the document', () => {
    const state = emptyProjectState('p' as ProjectId);
    for (let i = 0; i < 2000; i++) putCoding(state.codings, coding(i, 'd1', i));
    putCoding(state.codings, coding(5000, 'd1', 1000, 'c2'));
    codingsOfDocument(state, 'd1' as DocumentId);
    let reads = 0;
    for (const [id, held] of Object.entries(state.codings)) {
      Object.defineProperty(state.codings, id, {
        get: () => {
          reads++;
          return held;
        },
        enumerable: true,
      });
    }
    expect(findDuplicateCoding(state, coding(9999, 'd1', 1000))?.id).toBe('coding-1000');
    expect(reads).toBeLessThanOrEqual(2);
    reads = 0;
    expect(findDuplicateCoding(state, coding(9999, 'd1', 2500))).toBeUndefined();
    expect(reads).toBe(0);
  });
});

describe('codingCountsByCode', () => {
  it('answers what counting every coding answers, after any sequence of puts (code changes included) and removals', () => {
    const step = fc.oneof(
      fc.record({
        put: fc.nat(20),
        codeId: fc.constantFrom('c1', 'c2', 'c3'),
        documentId: fc.constantFrom('d1', 'd2'),
      }),
      fc.record({ remove: fc.nat(20) }),
    );
    fc.assert(
      fc.property(fc.nat(10), fc.array(step, { maxLength: 60 }), (indexAfter, steps) => {
        const state = emptyProjectState('p' as ProjectId);
        steps.forEach((s, i) => {
          if (i === indexAfter) codingCountsByCode(state);
          if ('put' in s) putCoding(state.codings, coding(s.put, s.documentId, 0, s.codeId));
          else removeCoding(state.codings, `coding-${s.remove}` as CodingId);
        });
        const counted = new Map<string, number>();
        for (const c of Object.values(state.codings)) counted.set(c.codeId, (counted.get(c.codeId) ?? 0) + 1);
        expect(new Map(codingCountsByCode(state))).toEqual(counted);
      }),
    );
  });
});

describe('the ids codings repeat', () => {
  /** `count` codings in JSON, as a journal or a snapshot holds them. */
  function codingsJson(count: number): string {
    const id = (kind: string, n: number) => `${kind}0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    return JSON.stringify(
      Array.from({ length: count }, (_, i) => ({
        ...coding(i, id('d', i % 50), i, id('c', i % 12), id('a', i % 5)),
        id: id('0', i),
      })),
    );
  }

  it('are stored as the same fields in the same order', () => {
    const state = emptyProjectState('p' as ProjectId);
    codingsOfDocument(state, 'd1' as DocumentId);
    const [first] = JSON.parse(codingsJson(1)) as [Coding];
    const consensus = { ...first, id: 'coding-c' as CodingId, consensus: { acceptedFrom: first.id } };
    putCoding(state.codings, first);
    putCoding(state.codings, consensus);
    expect(JSON.stringify(state.codings[first.id])).toBe(JSON.stringify(first));
    expect(JSON.stringify(state.codings[consensus.id])).toBe(JSON.stringify(consensus));
  });

  it('are held once, not once per coding: the record and its index take under 400 bytes of heap per coding', () => {
    const count = 20_000;
    const json = codingsJson(count);
    const bytesPerCoding: number[] = [];
    const held: unknown[] = [];
    // The first round compiles what the others measure.
    for (let round = 0; round < 3; round++) {
      collectGarbage();
      const before = process.memoryUsage().heapUsed;
      const state = emptyProjectState('p' as ProjectId);
      codingsOfDocument(state, 'd1' as DocumentId);
      // Parsed: each coding with its own copy of every string.
      for (const c of JSON.parse(json) as Coding[]) putCoding(state.codings, c);
      held.push(state);
      collectGarbage();
      bytesPerCoding.push((process.memoryUsage().heapUsed - before) / count);
    }
    expect(held).toHaveLength(3);
    // With a copy of each id per coding, and a set per passage for the duplicate check: 740 bytes.
    expect(Math.min(...bytesPerCoding.slice(1))).toBeLessThan(400);
  });
});

describe('a scratch view of a project (overlayState)', () => {
  const documents = ['d1', 'd2', 'd3'] as DocumentId[];
  const codes = ['c1', 'c2', 'c3'] as CodeId[];
  const step = fc.oneof(
    fc.record({
      put: fc.nat(20),
      documentId: fc.constantFrom(...documents),
      codeId: fc.constantFrom(...codes),
      start: fc.nat(3),
    }),
    fc.record({ remove: fc.nat(20) }),
  );

  /** Every question the index answers, asked of `state`, in a form that compares. */
  function answers(state: Readonly<ProjectState>) {
    const sorted = (list: Coding[]) => list.map((c) => c.id).sort();
    const counts = codingCountsByCode(state);
    return {
      total: codingCount(state),
      perDocument: documents.map((d) => codingCountOfDocument(state, d)),
      counts: codes.map((c) => counts.get(c) ?? 0),
      byDocument: documents.map((d) => sorted(codingsOfDocument(state, d))),
      byCode: codes.map((c) => sorted(codingsOfCode(state, c))),
      byCodes: sorted(codingsOfCodes(state, ['c1', 'c3'] as CodeId[])),
      duplicates: documents.flatMap((d) =>
        [0, 1, 2, 3].flatMap((start) =>
          codes.map((codeId) => {
            // Which one, when several are, is not specified: that it is one.
            const found = findDuplicateCoding(state, coding(99, d, start, codeId));
            if (found) expect([found.documentId, found.start, found.codeId]).toEqual([d, start, codeId]);
            return found !== undefined;
          }),
        ),
      ),
    };
  }

  /** A plain copy of a view's codings: what the view holds, walked key by key. */
  function copyOf(state: Readonly<ProjectState>): ProjectState {
    return {
      ...emptyProjectState('p' as ProjectId),
      codings: Object.fromEntries(Object.entries(state.codings)),
    };
  }

  it('answers as a plain copy of it does, after changes to the project and then to the view (and to a view of the view)', () => {
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 40 }),
        fc.array(step, { maxLength: 20 }),
        fc.array(step, { maxLength: 10 }),
        (before, inView, inViewOfView) => {
          const apply = (codings: Record<string, Coding>, steps: typeof before) => {
            for (const s of steps) {
              if ('put' in s) putCoding(codings, coding(s.put, s.documentId, s.start, s.codeId));
              else removeCoding(codings, `coding-${s.remove}` as CodingId);
            }
          };
          const state = emptyProjectState('p' as ProjectId);
          indexCodings(state);
          apply(state.codings, before);
          const view = overlayState(state);
          apply(view.codings, inView);
          expect(answers(view)).toEqual(answers(copyOf(view)));
          const viewOfView = overlayState(view);
          apply(viewOfView.codings, inViewOfView);
          expect(answers(viewOfView)).toEqual(answers(copyOf(viewOfView)));
          // The project itself is as the first steps left it.
          const project = emptyProjectState('p' as ProjectId);
          apply(project.codings, before);
          expect(answers(state)).toEqual(answers(copyOf(project)));
        },
      ),
    );
  });

  it('is answered from the project’s index, not indexed by walking every coding through the view', () => {
    const state = emptyProjectState('p' as ProjectId);
    for (let i = 0; i < 2000; i++) putCoding(state.codings, coding(i, `d${i % 50}`, i, `c${i % 7}`));
    indexCodings(state);
    const view = overlayState(state);
    removeCoding(view.codings, 'coding-7' as CodingId);
    putCoding(view.codings, coding(5000, 'd7', 1, 'c0'));
    expect(codingsOfDocument(view, 'd7' as DocumentId).map((c) => c.id)).toContain('coding-5000');
    expect(codingsOfDocument(view, 'd7' as DocumentId).map((c) => c.id)).not.toContain('coding-7');
    expect(codingCount(view)).toBe(2000);
    // Indexing the view itself set a copy of each of the project's 2,000 codings into it.
    expect(overlayOf(view.codings)?.added.size).toBe(1);
  });
});
