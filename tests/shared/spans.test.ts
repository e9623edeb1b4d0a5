// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/errors.ts';
import { assertSpan, mergeSpans, segmentSpans, spansOverlap, type Span } from '../../shared/spans.ts';

function expectSpanOutOfRange(run: () => void): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(DomainError);
  expect((thrown as DomainError).code).toBe('span_out_of_range');
}

/** A span inside [0, max], possibly empty. */
const span = (max: number) =>
  fc.tuple(fc.nat(max), fc.nat(max)).map(([a, b]): Span => ({ start: Math.min(a, b), end: Math.max(a, b) }));

describe('assertSpan', () => {
  it('accepts a non-empty span inside the text, up to its very end', () => {
    expect(() => assertSpan(0, 10, 10)).not.toThrow();
    expect(() => assertSpan(9, 10, 10)).not.toThrow();
    expect(() => assertSpan(3, 4, 10)).not.toThrow();
  });

  it('refuses a negative start', () => {
    expectSpanOutOfRange(() => assertSpan(-1, 3, 10));
  });

  it('refuses a reversed span', () => {
    expectSpanOutOfRange(() => assertSpan(5, 2, 10));
  });

  it('refuses an empty span', () => {
    expectSpanOutOfRange(() => assertSpan(4, 4, 10));
  });

  it('refuses a span reaching past the end of the text', () => {
    expectSpanOutOfRange(() => assertSpan(8, 11, 10));
    expectSpanOutOfRange(() => assertSpan(0, 1, 0));
  });

  it('refuses offsets that are not integers', () => {
    expectSpanOutOfRange(() => assertSpan(1.5, 3, 10));
    expectSpanOutOfRange(() => assertSpan(1, Number.NaN, 10));
    expectSpanOutOfRange(() => assertSpan(0, Number.POSITIVE_INFINITY, 10));
  });

  it('names the offending positions in the error details', () => {
    try {
      assertSpan(8, 11, 10);
      expect.unreachable('assertSpan should have thrown');
    } catch (error) {
      expect((error as DomainError).details).toEqual({ start: 8, end: 11, length: 10 });
    }
  });
});

describe('spansOverlap', () => {
  it('says that [0,5) and [4,8) overlap', () => {
    expect(spansOverlap({ start: 0, end: 5 }, { start: 4, end: 8 })).toBe(true);
  });

  it('says that touching spans [0,3) and [3,5) do not overlap', () => {
    expect(spansOverlap({ start: 0, end: 3 }, { start: 3, end: 5 })).toBe(false);
    expect(spansOverlap({ start: 3, end: 5 }, { start: 0, end: 3 })).toBe(false);
  });

  it('says that a span inside another overlaps it', () => {
    expect(spansOverlap({ start: 0, end: 10 }, { start: 2, end: 3 })).toBe(true);
  });

  it('agrees with the naive oracle on non-empty spans: some code point lies in both', () => {
    const nonEmpty = span(30).filter((s) => s.start < s.end);
    fc.assert(
      fc.property(nonEmpty, nonEmpty, (a, b) => {
        let shared = false;
        for (let i = 0; i < 30; i++)
          if (i >= a.start && i < a.end && i >= b.start && i < b.end) shared = true;
        expect(spansOverlap(a, b)).toBe(shared);
        expect(spansOverlap(b, a)).toBe(shared);
      }),
    );
  });
});

describe('mergeSpans', () => {
  it('joins touching spans [0,3)+[3,5) into [0,5)', () => {
    expect(
      mergeSpans([
        { start: 0, end: 3 },
        { start: 3, end: 5 },
      ]),
    ).toEqual([{ start: 0, end: 5 }]);
  });

  it('joins overlapping spans given in any order and keeps gaps apart', () => {
    expect(
      mergeSpans([
        { start: 10, end: 12 },
        { start: 4, end: 8 },
        { start: 0, end: 5 },
        { start: 6, end: 7 },
      ]),
    ).toEqual([
      { start: 0, end: 8 },
      { start: 10, end: 12 },
    ]);
  });

  it('returns nothing for no spans and leaves its input untouched', () => {
    expect(mergeSpans([])).toEqual([]);
    const input = [
      { start: 3, end: 5 },
      { start: 0, end: 3 },
    ];
    mergeSpans(input);
    expect(input).toEqual([
      { start: 3, end: 5 },
      { start: 0, end: 3 },
    ]);
  });

  it('covers exactly the code points the input covers, with sorted, disjoint, non-touching spans', () => {
    fc.assert(
      fc.property(
        fc.array(
          span(40).filter((s) => s.start < s.end),
          { maxLength: 12 },
        ),
        (spans) => {
          const merged = mergeSpans(spans);
          for (let i = 0; i < 40; i++) {
            const inInput = spans.some((s) => i >= s.start && i < s.end);
            const inMerged = merged.some((s) => i >= s.start && i < s.end);
            expect(inMerged).toBe(inInput);
          }
          for (let k = 1; k < merged.length; k++) {
            expect((merged[k] as Span).start).toBeGreaterThan((merged[k - 1] as Span).end);
          }
        },
      ),
    );
  });
});

describe('segmentSpans', () => {
  it('cuts [0,10) at the boundaries of two overlapping codings', () => {
    const segments = segmentSpans(
      [
        { id: 'b', start: 4, end: 8 },
        { id: 'a', start: 2, end: 6 },
      ],
      0,
      10,
    );
    expect(segments).toEqual([
      { start: 0, end: 2, ids: [] },
      { start: 2, end: 4, ids: ['a'] },
      { start: 4, end: 6, ids: ['b', 'a'] },
      { start: 6, end: 8, ids: ['b'] },
      { start: 8, end: 10, ids: [] },
    ]);
  });

  it('clips spans that reach outside [from, to)', () => {
    expect(segmentSpans([{ id: 1, start: 0, end: 20 }], 5, 9)).toEqual([{ start: 5, end: 9, ids: [1] }]);
  });

  it('returns no segment for an empty range', () => {
    expect(segmentSpans([{ id: 1, start: 0, end: 20 }], 5, 5)).toEqual([]);
  });

  it('agrees with a naive per-code-point oracle on random spans', () => {
    const input = fc
      .tuple(fc.nat(30), fc.nat(30))
      .map(([a, b]) => ({ from: Math.min(a, b), to: Math.max(a, b) }))
      .chain(({ from, to }) =>
        fc.record({
          from: fc.constant(from),
          to: fc.constant(to),
          spans: fc.array(
            span(40).filter((s) => s.start < s.end),
            { maxLength: 10 },
          ),
        }),
      );
    fc.assert(
      fc.property(input, ({ from, to, spans }) => {
        const withIds = spans.map((s, i) => ({ ...s, id: `c${i}` }));
        const segments = segmentSpans(withIds, from, to);

        // The segments tile [from, to) exactly, in order, each non-empty.
        let cursor = from;
        for (const segment of segments) {
          expect(segment.start).toBe(cursor);
          expect(segment.end).toBeGreaterThan(segment.start);
          cursor = segment.end;
        }
        expect(cursor).toBe(to);

        // Each code point is covered by exactly the spans listed on its segment, in input order.
        for (let i = from; i < to; i++) {
          const expected = withIds.filter((s) => i >= s.start && i < s.end).map((s) => s.id);
          const segment = segments.find((s) => i >= s.start && i < s.end);
          expect(segment?.ids).toEqual(expected);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('cuts only where the set of covering spans can change', () => {
    fc.assert(
      fc.property(
        fc.array(
          span(20).filter((s) => s.start < s.end),
          { maxLength: 8 },
        ),
        (spans) => {
          const withIds = spans.map((s, i) => ({ ...s, id: i }));
          const boundaries = new Set([0, 20, ...spans.flatMap((s) => [s.start, s.end])]);
          for (const segment of segmentSpans(withIds, 0, 20)) {
            expect(boundaries.has(segment.start)).toBe(true);
            expect(boundaries.has(segment.end)).toBe(true);
          }
        },
      ),
    );
  });
});
