/**
 * The sweep algorithms against naive oracles that keep one boolean per code point (fast-check).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CodeId, CodingId, DocumentId, UserId } from '../../../shared/ids.ts';
import type { Coding, DocumentMeta } from '../../../shared/model.ts';
import { compareCoders } from '../../../shared/stats/agreement.ts';
import { countCooccurrence } from '../../../shared/stats/cooccurrence.ts';
import { countFrequencies } from '../../../shared/stats/frequencies.ts';
import { cohensKappa } from '../../../shared/stats/kappa.ts';
import { krippendorffAlphaNominal } from '../../../shared/stats/alpha.ts';
import { findPassages } from '../../../shared/stats/retrieve.ts';
import { intersectSpans, overlapComponents, spansLength, unionOfSpans } from '../../../shared/stats/sweep.ts';

const LENGTH = 40;
const DOCS = ['d0', 'd1'];
const CODES = ['c0', 'c1', 'c2'] as CodeId[];
const CODERS = ['u0', 'u1', 'u2'] as UserId[];

const span = fc
  .tuple(fc.integer({ min: 0, max: LENGTH - 1 }), fc.integer({ min: 1, max: 12 }))
  .map(([start, size]) => ({ start, end: Math.min(LENGTH, start + size) }));

const codingArb = fc.record({
  span,
  doc: fc.constantFrom(...DOCS),
  code: fc.constantFrom(...CODES),
  coder: fc.constantFrom(...CODERS),
});
const codingsArb = fc.array(codingArb, { maxLength: 25 }).map((list) =>
  list.map((x, i): Coding => ({
    id: `k${i}` as CodingId,
    documentId: x.doc as DocumentId,
    codeId: x.code,
    start: x.span.start,
    end: x.span.end,
    text: '',
    coderId: x.coder,
    createdAt: '',
    memo: '',
  })),
);

const documents: DocumentMeta[] = DOCS.map((id) => ({
  id: id as DocumentId,
  name: id,
  length: LENGTH,
  memo: '',
  createdAt: '',
  createdBy: 'u0' as UserId,
  format: 'txt',
  encoding: 'utf-8',
  turns: [],
  participantId: null,
}));
const UNITS = [
  { start: 0, end: 7 },
  { start: 9, end: 20 },
  { start: 20, end: 33 },
  { start: 35, end: 40 },
];

function mask(spans: readonly { start: number; end: number }[]): boolean[] {
  const m = new Array<boolean>(LENGTH).fill(false);
  for (const s of spans) for (let i = s.start; i < s.end; i++) m[i] = true;
  return m;
}
const shares = (a: { start: number; end: number }, b: { start: number; end: number }) =>
  mask([a]).some((x, i) => x && mask([b])[i]);

describe('span sweeps against one boolean per code point', () => {
  it('unionOfSpans covers exactly the code points of its spans, as disjoint non-touching-merged spans', () => {
    fc.assert(
      fc.property(fc.array(span, { maxLength: 15 }), (spans) => {
        const union = unionOfSpans(spans);
        expect(mask(union)).toEqual(mask(spans));
        expect(spansLength(union)).toBe(mask(spans).filter(Boolean).length);
        union.forEach((s, i) => i > 0 && expect(s.start).toBeGreaterThanOrEqual(union[i - 1]!.end));
      }),
    );
  });
  it('intersectSpans covers exactly the code points both lists cover', () => {
    fc.assert(
      fc.property(fc.array(span, { maxLength: 10 }), fc.array(span, { maxLength: 10 }), (a, b) => {
        const ma = mask(a);
        const mb = mask(b);
        expect(mask(intersectSpans(unionOfSpans(a), unionOfSpans(b)))).toEqual(ma.map((x, i) => x && mb[i]));
      }),
    );
  });
  it('overlapComponents puts two spans together exactly when a chain of shared code points links them', () => {
    fc.assert(
      fc.property(fc.array(span, { maxLength: 12 }), (spans) => {
        const components = overlapComponents(spans.map((s, id) => ({ ...s, id })));
        const component = new Map<number, number>();
        components.forEach((c, i) => c.members.forEach((m) => component.set(m.id, i)));
        spans.forEach((a, i) =>
          spans.forEach((b, j) => {
            if (shares(a, b)) expect(component.get(i)).toBe(component.get(j));
          }),
        );
        for (const c of components) {
          expect(c.span.start).toBe(Math.min(...c.members.map((m) => m.start)));
          expect(c.span.end).toBe(Math.max(...c.members.map((m) => m.end)));
        }
        // Different components never share a code point.
        components.forEach((a, i) =>
          components.forEach((b, j) => i < j && expect(shares(a.span, b.span)).toBe(false)),
        );
      }),
    );
  });
});

describe('statistics against naive oracles (property tests)', () => {
  it('coverage of every code is the share of code points one of its codings covers', () => {
    fc.assert(
      fc.property(codingsArb, (codings) => {
        const codes = Object.fromEntries(
          CODES.map((id) => [
            id,
            {
              id,
              name: id,
              parentId: null,
              color: '',
              description: '',
              createdAt: '',
              createdBy: 'u0' as UserId,
              version: 1,
            },
          ]),
        );
        const table = countFrequencies({ codes, participants: {} }, documents, codings);
        for (const row of table.rows) {
          const mine = codings.filter((c) => c.codeId === row.codeId);
          const naive = DOCS.reduce(
            (s, d) => s + mask(mine.filter((c) => c.documentId === d)).filter(Boolean).length,
            0,
          );
          expect(row.coveredCodePoints).toBe(naive);
          expect(row.coverage).toBeCloseTo(naive / (LENGTH * DOCS.length), 12);
        }
      }),
    );
  });

  it('overlap co-occurrence equals the count of pairs of codings sharing a code point', () => {
    fc.assert(
      fc.property(codingsArb, (codings) => {
        const { matrix } = countCooccurrence(CODES, codings, 'overlap');
        CODES.forEach((a, i) =>
          CODES.forEach((b, j) => {
            let naive = 0;
            if (i === j) naive = codings.filter((c) => c.codeId === a).length;
            else
              for (const x of codings)
                for (const y of codings)
                  if (x.codeId === a && y.codeId === b && x.documentId === y.documentId && shares(x, y))
                    naive++;
            expect(matrix[i]![j]).toBe(naive);
          }),
        );
      }),
    );
  });

  it('turn co-occurrence equals the count of units in which both codes cover a code point', () => {
    fc.assert(
      fc.property(codingsArb, (codings) => {
        const units = new Map(DOCS.map((d) => [d, UNITS]));
        const { matrix } = countCooccurrence(CODES, codings, 'turn', units);
        CODES.forEach((a, i) =>
          CODES.forEach((b, j) => {
            let naive = 0;
            for (const d of DOCS)
              for (const u of UNITS) {
                const has = (code: CodeId) =>
                  codings.some((c) => c.documentId === d && c.codeId === code && shares(c, u));
                if (has(a) && has(b)) naive++;
              }
            expect(matrix[i]![j]).toBe(naive);
          }),
        );
      }),
    );
  });

  it('character-level agreement equals kappa and alpha over one boolean per code point per coder', () => {
    fc.assert(
      fc.property(codingsArb, fc.constantFrom(2, 3), (codings, coderCount) => {
        const coders = CODERS.slice(0, coderCount);
        const mine = codings.filter((c) => coders.includes(c.coderId));
        const report = compareCoders(coders, documents, mine, CODES, 'character');
        const anything = DOCS.flatMap((d) => mask(mine.filter((c) => c.documentId === d)));
        for (const row of report.rows) {
          const vectors = coders.map((u) =>
            DOCS.flatMap((d) =>
              mask(mine.filter((c) => c.documentId === d && c.codeId === row.codeId && c.coderId === u)),
            ),
          );
          for (const universe of ['all', 'codedText'] as const) {
            const keep = (v: boolean[]) => v.filter((_, i) => universe === 'all' || anything[i]);
            const naive = cohensKappa(keep(vectors[0]!), keep(vectors[1]!));
            const pair = row[universe].pairs[0]!;
            expect(pair.units).toBe(naive.units);
            if (naive.kappa === null) expect(pair.kappa).toBeNull();
            else expect(pair.kappa).toBeCloseTo(naive.kappa, 10);
            expect(pair.percentAgreement).toBeCloseTo(naive.percentAgreement!, 10);
            const alpha = krippendorffAlphaNominal(vectors.map((v) => keep(v).map(Number)));
            if (alpha.alpha === null) expect(row[universe].alpha).toBeNull();
            else expect(row[universe].alpha).toBeCloseTo(alpha.alpha, 9);
          }
        }
        // The codes reported are those some compared coder used.
        expect(report.rows.map((r) => r.codeId).sort()).toEqual(
          [...new Set(mine.map((c) => c.codeId))].sort(),
        );
      }),
    );
  });

  it('turn-level agreement equals kappa and alpha over one boolean per unit per coder', () => {
    fc.assert(
      fc.property(codingsArb, fc.constantFrom(2, 3), (codings, coderCount) => {
        const coders = CODERS.slice(0, coderCount);
        const mine = codings.filter((c) => coders.includes(c.coderId));
        const units = new Map(DOCS.map((d) => [d, UNITS]));
        const report = compareCoders(coders, documents, mine, CODES, 'turn', units);
        const applied = (list: readonly Coding[]) =>
          DOCS.flatMap((d) => UNITS.map((u) => list.some((c) => c.documentId === d && shares(c, u))));
        const anything = applied(mine);
        for (const row of report.rows) {
          const vectors = coders.map((u) =>
            applied(mine.filter((c) => c.codeId === row.codeId && c.coderId === u)),
          );
          for (const universe of ['all', 'codedText'] as const) {
            const keep = (v: boolean[]) => v.filter((_, i) => universe === 'all' || anything[i]);
            const naive = cohensKappa(keep(vectors[0]!), keep(vectors[1]!));
            const pair = row[universe].pairs[0]!;
            expect([pair.units, pair.both, pair.onlyA, pair.onlyB]).toEqual([
              naive.units,
              keep(vectors[0]!).filter((x, i) => x && keep(vectors[1]!)[i]).length,
              keep(vectors[0]!).filter((x, i) => x && !keep(vectors[1]!)[i]).length,
              keep(vectors[1]!).filter((x, i) => x && !keep(vectors[0]!)[i]).length,
            ]);
            if (naive.kappa === null) expect(pair.kappa).toBeNull();
            else expect(pair.kappa).toBeCloseTo(naive.kappa, 10);
            const alpha = krippendorffAlphaNominal(vectors.map((v) => keep(v).map(Number)));
            if (alpha.alpha === null) expect(row[universe].alpha).toBeNull();
            else expect(row[universe].alpha).toBeCloseTo(alpha.alpha, 9);
          }
        }
      }),
    );
  });

  it('retrieval with « and » returns the maximal runs of code points where every listed code is present', () => {
    fc.assert(
      fc.property(codingsArb, (codings) => {
        const passages = findPassages([CODES[0]!, CODES[1]!], 'and', documents, codings);
        for (const d of DOCS) {
          const of = (code: CodeId) => mask(codings.filter((c) => c.documentId === d && c.codeId === code));
          const a = of(CODES[0]!);
          const b = of(CODES[1]!);
          const both = a.map((x, i) => x && b[i]);
          const mine = passages.filter((p) => p.documentId === d);
          expect(mask(mine)).toEqual(both);
          for (const p of mine) {
            expect(both[p.start - 1] ?? false).toBe(false);
            expect(both[p.end] ?? false).toBe(false);
          }
        }
      }),
    );
  });
});
