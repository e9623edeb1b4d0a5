import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binaryAlphaFromCounts, krippendorffAlphaNominal } from '../../../shared/stats/alpha.ts';
import { cohensKappa, kappaFromTable } from '../../../shared/stats/kappa.ts';
import { expected } from './review-fixture.ts';

describe('kappaFromTable', () => {
  it('gives κ = 0.4 for both 20, only A 5, only B 10, neither 15 (pₒ = 0.7, pₑ = 0.5, by hand)', () => {
    const r = kappaFromTable({ both: 20, onlyA: 5, onlyB: 10, neither: 15 });
    expect(r.observedAgreement).toBeCloseTo(0.7, 15);
    expect(r.chanceAgreement).toBeCloseTo(0.5, 15);
    expect(r.percentAgreement).toBeCloseTo(70, 13);
    expect(r.kappa).toBeCloseTo(0.4, 15);
  });
  it('gives κ = 1 for perfect agreement and κ = −1 for systematic disagreement on balanced marginals', () => {
    expect(kappaFromTable({ both: 3, onlyA: 0, onlyB: 0, neither: 7 }).kappa).toBe(1);
    expect(kappaFromTable({ both: 0, onlyA: 5, onlyB: 5, neither: 0 }).kappa).toBe(-1);
  });
  it('gives a null kappa with its reason, never NaN, when pₑ = 1 or there is no unit', () => {
    expect(kappaFromTable({ both: 0, onlyA: 0, onlyB: 0, neither: 9 })).toMatchObject({
      percentAgreement: 100,
      kappa: null,
      kappaNullReason: 'chance_agreement_is_total',
    });
    expect(kappaFromTable({ both: 4, onlyA: 0, onlyB: 0, neither: 0 }).kappaNullReason).toBe(
      'chance_agreement_is_total',
    );
    expect(kappaFromTable({ both: 0, onlyA: 0, onlyB: 0, neither: 0 })).toMatchObject({
      units: 0,
      kappa: null,
      kappaNullReason: 'no_units',
    });
  });
  it('refuses counts that are not non-negative integers, naming itself', () => {
    expect(() => kappaFromTable({ both: -1, onlyA: 0, onlyB: 0, neither: 0 })).toThrow(/kappaFromTable/);
  });
  it('agrees with cohensKappa on the unit-by-unit ratings (the documented example gives 0.5)', () => {
    expect(cohensKappa([true, true, false, false], [true, false, false, false]).kappa).toBe(0.5);
    expect(() => cohensKappa([true], [])).toThrow(/cohensKappa/);
  });
});

describe('krippendorffAlphaNominal', () => {
  it('gives α = 0.743 on Krippendorff’s (2011) 4 observers × 12 units nominal example with missing values', () => {
    const data = expected.krippendorff2011.data as (number | null)[][];
    const r = krippendorffAlphaNominal(data);
    expect(r.alpha).toBeCloseTo(0.743, 3);
    expect(r.alpha).toBeCloseTo(expected.krippendorff2011.alpha, 12);
    // Krippendorff's text: n = 40 pairable values (unit 12 has one value only).
    expect(r.pairableValues).toBeCloseTo(40, 9);
  });
  it('gives the documented 0.444 example and null when there is no variation or nothing pairable', () => {
    expect(
      krippendorffAlphaNominal([
        [1, 1, 0],
        [1, 0, 0],
      ]).alpha,
    ).toBeCloseTo(4 / 9, 15);
    expect(
      krippendorffAlphaNominal([
        [1, 1],
        [1, 1],
      ]),
    ).toMatchObject({ alpha: null, alphaNullReason: 'no_variation' });
    expect(
      krippendorffAlphaNominal([
        [1, null],
        [null, 2],
      ]).alphaNullReason,
    ).toBe('no_pairable_values');
  });
});

describe('binaryAlphaFromCounts', () => {
  it('equals the coincidence-matrix alpha on any complete binary table (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 5 }).chain((coders) =>
          fc.tuple(
            fc.constant(coders),
            fc.array(fc.array(fc.boolean(), { minLength: coders, maxLength: coders }), {
              minLength: 1,
              maxLength: 30,
            }),
          ),
        ),
        ([coders, units]) => {
          const data = Array.from({ length: coders }, (_, c) => units.map((u) => (u[c] ? 1 : 0)));
          const histogram = new Array<number>(coders + 1).fill(0);
          for (const u of units) histogram[u.filter(Boolean).length]!++;
          const fast = binaryAlphaFromCounts(coders, histogram);
          const slow = krippendorffAlphaNominal(data);
          if (slow.alpha === null) expect(fast.alpha).toBeNull();
          else expect(fast.alpha).toBeCloseTo(slow.alpha, 9);
        },
      ),
    );
  });
  it('refuses fewer than two coders', () => {
    expect(() => binaryAlphaFromCounts(1, [1, 1])).toThrow(/binaryAlphaFromCounts/);
  });
});
