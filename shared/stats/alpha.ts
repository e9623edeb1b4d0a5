/** Why an alpha is `null` instead of a number. */
export type AlphaNullReason = 'no_pairable_values' | 'no_variation';

export interface AlphaResult {
  readonly alpha: number | null;
  readonly alphaNullReason?: AlphaNullReason;
  /** Number of pairable values n: values in units that at least two coders rated. */
  readonly pairableValues: number;
}

/**
 * Krippendorff's alpha for nominal data, any number of coders, missing values allowed:
 * α = 1 − (n − 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k, where o_ck is the coincidence matrix
 * (each unit u with m_u ≥ 2 values contributes, for every ordered pair of values from two different
 * coders, 1 / (m_u − 1)), n_c its marginals and n = Σ n_c the number of pairable values. Units
 * with fewer than two values are not pairable and are left out.
 * `data[coder][unit]` holds a value, or `null` when that coder did not rate that unit.
 * α is `null` when no unit is pairable, or when every pairable value is the same (Dₑ = 0).
 *
 * Source: K. Krippendorff, « Computing Krippendorff's Alpha-Reliability » (2011), section C
 * (nominal data, any number of observers, missing data); its example gives α = 0.743.
 * @example krippendorffAlphaNominal([[1, 1, 0], [1, 0, 0]]).alpha ≈ 0.444
 */
export function krippendorffAlphaNominal(
  data: readonly (readonly (string | number | null)[])[],
): AlphaResult {
  const unitCount = data[0]?.length ?? 0;
  for (const row of data) {
    if (row.length !== unitCount) {
      throw new Error(
        'krippendorffAlphaNominal: every coder must have one entry per unit (null when missing)',
      );
    }
  }
  const coincidence = new Map<string, Map<string, number>>();
  const add = (c: string, k: string, weight: number) => {
    const row = coincidence.get(c) ?? new Map<string, number>();
    row.set(k, (row.get(k) ?? 0) + weight);
    coincidence.set(c, row);
  };
  for (let u = 0; u < unitCount; u++) {
    const values: string[] = [];
    for (const row of data) {
      const v = row[u];
      if (v !== null && v !== undefined) values.push(`${typeof v}:${v}`);
    }
    const m = values.length;
    if (m < 2) continue;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) if (i !== j) add(values[i] as string, values[j] as string, 1 / (m - 1));
    }
  }
  const marginals = new Map<string, number>();
  let n = 0;
  let disagreement = 0;
  for (const [c, row] of coincidence) {
    for (const [k, o] of row) {
      marginals.set(c, (marginals.get(c) ?? 0) + o);
      n += o;
      if (c !== k) disagreement += o;
    }
  }
  n = Math.round(n * 1e9) / 1e9;
  if (n === 0) return { alpha: null, alphaNullReason: 'no_pairable_values', pairableValues: 0 };
  let expected = 0;
  for (const [c, nc] of marginals) for (const [k, nk] of marginals) if (c !== k) expected += nc * nk;
  if (expected === 0) return { alpha: null, alphaNullReason: 'no_variation', pairableValues: n };
  return { alpha: 1 - ((n - 1) * disagreement) / expected, pairableValues: n };
}

/**
 * Krippendorff's nominal alpha for binary values without missing data, from how many units carry
 * each number of 1s: `unitsWithOnes[m]` is the number (or total length) of units that exactly m of
 * the `coders` coders marked 1. The same figure as {@link krippendorffAlphaNominal} on the full
 * table, without building it: for c coders, a unit with m ones adds m(c − m)/(c − 1) to o₀₁ and
 * o₁₀ each, m(m − 1)/(c − 1) to o₁₁ and (c − m)(c − m − 1)/(c − 1) to o₀₀.
 * Source: Krippendorff (2011), section C, specialised to two values.
 * @example binaryAlphaFromCounts(2, [1, 1, 1]).alpha ≈ 0.444
 */
export function binaryAlphaFromCounts(coders: number, unitsWithOnes: readonly number[]): AlphaResult {
  if (!Number.isInteger(coders) || coders < 2) {
    throw new Error(`binaryAlphaFromCounts: at least two coders are needed, got ${coders}`);
  }
  if (unitsWithOnes.length > coders + 1) {
    throw new Error('binaryAlphaFromCounts: a unit cannot carry more ones than there are coders');
  }
  // Work in units of 1/(c − 1) so the sums stay integers: O = (c − 1) · o.
  let units = 0;
  let ones = 0;
  let mixed = 0;
  unitsWithOnes.forEach((count, m) => {
    units += count;
    ones += count * m;
    mixed += count * m * (coders - m);
  });
  const n = units * coders;
  if (n === 0) return { alpha: null, alphaNullReason: 'no_pairable_values', pairableValues: 0 };
  const zeros = n - ones;
  if (ones === 0 || zeros === 0) return { alpha: null, alphaNullReason: 'no_variation', pairableValues: n };
  // o₀₁ = mixed/(c − 1); α = 1 − (n − 1)·2·o₀₁ / (2·n₀·n₁).
  return { alpha: 1 - ((n - 1) * mixed) / ((coders - 1) * zeros * ones), pairableValues: n };
}
