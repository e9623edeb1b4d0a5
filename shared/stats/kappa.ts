/**
 * Two raters' binary decisions over the same units, as the four cells of their 2 × 2 table:
 * `both` (both applied the code), `onlyA`, `onlyB`, `neither`.
 */
export interface AgreementTable {
  readonly both: number;
  readonly onlyA: number;
  readonly onlyB: number;
  readonly neither: number;
}

/** Why a kappa is `null` instead of a number. */
export type KappaNullReason = 'no_units' | 'chance_agreement_is_total';

export interface KappaResult {
  /** Number of units compared (code points or turns). */
  readonly units: number;
  /** Observed agreement pₒ as a share in [0, 1]; `null` when there is no unit. */
  readonly observedAgreement: number | null;
  /** Agreement expected by chance pₑ from each rater's marginals; `null` when there is no unit. */
  readonly chanceAgreement: number | null;
  /** Percent agreement, 100 · pₒ. */
  readonly percentAgreement: number | null;
  readonly kappa: number | null;
  /** Set when `kappa` is null. */
  readonly kappaNullReason?: KappaNullReason;
}

/**
 * Cohen's kappa from a 2 × 2 table: κ = (pₒ − pₑ) / (1 − pₑ), where pₒ = (both + neither) / n and
 * pₑ = pA·pB + (1 − pA)(1 − pB) with pA, pB each rater's share of units coded (their marginals).
 * When pₑ = 1 (both raters put every unit in the same category) κ is undefined: `null`, with the
 * reason, never NaN.
 *
 * Source: J. Cohen, « A coefficient of agreement for nominal scales », Educational and Psychological
 * Measurement 20 (1960), 37–46, equation (1).
 * @example kappaFromTable({both: 20, onlyA: 5, onlyB: 10, neither: 15}).kappa ≈ 0.4
 */
export function kappaFromTable(table: AgreementTable): KappaResult {
  const { both, onlyA, onlyB, neither } = table;
  for (const [name, value] of Object.entries(table)) {
    if (!Number.isInteger(value) || value < 0) {
      throw new Error(`kappaFromTable: ${name} must be a non-negative integer, got ${value}`);
    }
  }
  const n = both + onlyA + onlyB + neither;
  if (n === 0) {
    return {
      units: 0,
      observedAgreement: null,
      chanceAgreement: null,
      percentAgreement: null,
      kappa: null,
      kappaNullReason: 'no_units',
    };
  }
  const po = (both + neither) / n;
  const pA = (both + onlyA) / n;
  const pB = (both + onlyB) / n;
  // Computed on integers first so that pe = 1 is detected exactly.
  const chanceNumerator = (both + onlyA) * (both + onlyB) + (onlyB + neither) * (onlyA + neither);
  const pe = pA * pB + (1 - pA) * (1 - pB);
  const base = { units: n, observedAgreement: po, chanceAgreement: pe, percentAgreement: 100 * po };
  if (chanceNumerator === n * n)
    return { ...base, kappa: null, kappaNullReason: 'chance_agreement_is_total' };
  // (po − pe)/(1 − pe) on integers: (n·agree − chance) / (n² − chance), exact up to one division.
  const kappa = (n * (both + neither) - chanceNumerator) / (n * n - chanceNumerator);
  return { ...base, kappa };
}

/**
 * Cohen's kappa between two raters' binary decisions, unit by unit (the naive definition; the
 * review statistics build the 2 × 2 table by sweeping spans instead).
 * Source: Cohen (1960), see {@link kappaFromTable}.
 * @example cohensKappa([true, true, false, false], [true, false, false, false]).kappa === 0.5
 */
export function cohensKappa(a: readonly boolean[], b: readonly boolean[]): KappaResult {
  if (a.length !== b.length) {
    throw new Error(`cohensKappa: both raters must rate the same units (${a.length} ≠ ${b.length})`);
  }
  let both = 0;
  let onlyA = 0;
  let onlyB = 0;
  let neither = 0;
  a.forEach((x, i) => {
    const y = b[i] as boolean;
    if (x && y) both++;
    else if (x) onlyA++;
    else if (y) onlyB++;
    else neither++;
  });
  return kappaFromTable({ both, onlyA, onlyB, neither });
}
