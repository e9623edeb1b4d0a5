/**
 * A query evaluated over the index's postings in tight loops over typed arrays, one slot per unit.
 * Scores are MiniSearch's BM25+ as this index used to compute them through MiniSearch (same
 * parameters, same prefix and fuzzy weights, a clause's score multiplied by its number of distinct
 * terms), so results come in the same order.
 */
import type { Clause, Query } from '../../shared/search/query.ts';
import type { Postings } from './postings.ts';

export interface SearchOptions {
  prefix: boolean;
  fuzzy: boolean;
}

const K = 1.2;
const B = 0.7;
const D = 0.5;
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;
const MAX_FUZZY = 6;

/** The index's terms a query term reaches (itself, longer words it begins, near spellings). */
export interface Expansion {
  readonly terms: Uint32Array;
  readonly weights: Float64Array;
}

/** What evaluating a query reads from the index. */
export interface ScoringContext {
  readonly unitCount: number;
  readonly postings: Postings;
  readonly unitLength: Uint32Array;
  readonly averageLength: number;
  expand(term: string, prefix: boolean, fuzzy: boolean): Expansion;
  /** The term numbers of a phrase's words, or undefined when one is in no unit. */
  phraseTerms(clause: Clause): Uint32Array | undefined;
  hasPhrase(unit: number, wanted: Uint32Array): boolean;
}

/** Units that match, ascending, with their scores. */
export interface Matched {
  readonly units: Uint32Array;
  readonly scores: Float64Array;
}

/** Whether a clause's term is expanded by prefix and by fuzzy matching. */
export function expansionOf(clause: Clause, term: string, options: SearchOptions): [boolean, boolean] {
  return [
    options.prefix && !clause.phrase && term.length >= 3,
    options.fuzzy && !clause.phrase && term.length >= 4,
  ];
}

/**
 * Every term of `terms` that `term` reaches: itself (weight 1), the words it begins (prefix), those
 * within an edit distance of a fifth of its length (fuzzy; a word it begins counts as a prefix).
 */
export function expandTerm(
  term: string,
  prefix: boolean,
  fuzzy: boolean,
  terms: readonly string[],
  exact: number | undefined,
): Expansion {
  const ids: number[] = exact === undefined ? [] : [exact];
  const weights: number[] = exact === undefined ? [] : [1];
  const maxDistance = fuzzy ? Math.min(MAX_FUZZY, Math.round(term.length * 0.2)) : 0;
  if (prefix || maxDistance > 0) {
    for (let t = 0; t < terms.length; t++) {
      const word = terms[t] as string;
      if (word === term) continue;
      if (prefix && word.startsWith(term)) {
        const distance = word.length - term.length;
        ids.push(t);
        weights.push((PREFIX_WEIGHT * word.length) / (word.length + 0.3 * distance));
      } else if (maxDistance > 0) {
        const distance = editDistance(term, word, maxDistance);
        if (distance > maxDistance) continue;
        ids.push(t);
        weights.push((FUZZY_WEIGHT * word.length) / (word.length + distance));
      }
    }
  }
  return { terms: Uint32Array.from(ids), weights: Float64Array.from(weights) };
}

/** Levenshtein distance, or `max + 1` as soon as it is known to exceed `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = new Uint32Array(b.length + 1);
  let current = new Uint32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const replace = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      const value = Math.min(replace, (previous[j] as number) + 1, (current[j - 1] as number) + 1);
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    [previous, current] = [current, previous];
  }
  return previous[b.length] as number;
}

/**
 * Add one clause's matches to a group: units holding all its terms (each through any of its
 * expansions), in order when it is a phrase. Each term's scores are summed before being added to
 * the clause's, as MiniSearch combined them.
 */
function addClause(
  ctx: ScoringContext,
  clause: Clause,
  options: SearchOptions,
  scores: Float64Array,
  hit: Uint8Array,
): void {
  const n = ctx.unitCount;
  const { start, units, frequencies } = ctx.postings;
  const clauseScore = new Float64Array(n);
  const termScore = new Float64Array(n);
  const found = new Uint16Array(n);
  const touched = new Uint32Array(n);
  const average = ctx.averageLength;
  clause.terms.forEach((term) => {
    const [prefix, fuzzy] = expansionOf(clause, term, options);
    const expansion = ctx.expand(term, prefix, fuzzy);
    let count = 0;
    for (let e = 0; e < expansion.terms.length; e++) {
      const t = expansion.terms[e] as number;
      const weight = expansion.weights[e] as number;
      const from = start[t] as number;
      const to = start[t + 1] as number;
      const matching = to - from;
      const idf = Math.log(1 + (n - matching + 0.5) / (matching + 0.5));
      for (let p = from; p < to; p++) {
        const u = units[p] as number;
        const tf = frequencies[p] as number;
        const length = ctx.unitLength[u] as number;
        const raw = idf * (D + (tf * (K + 1)) / (tf + K * (1 - B + (B * length) / average)));
        if (termScore[u] === 0) touched[count++] = u;
        termScore[u] = (termScore[u] as number) + weight * raw;
      }
    }
    for (let i = 0; i < count; i++) {
      const u = touched[i] as number;
      clauseScore[u] = (clauseScore[u] as number) + (termScore[u] as number);
      termScore[u] = 0;
      found[u]!++;
    }
  });
  const needed = clause.terms.length;
  const quality = new Set(clause.terms).size;
  const phrase = clause.phrase ? ctx.phraseTerms(clause) : undefined;
  if (clause.phrase && !phrase) return;
  for (let u = 0; u < n; u++) {
    if (found[u] !== needed || (phrase && !ctx.hasPhrase(u, phrase))) continue;
    scores[u] = (scores[u] as number) + (clauseScore[u] as number) * quality;
    hit[u] = 1;
  }
}

/**
 * Units matching a query: every group (one of its clauses, or more: their scores add up), no
 * excluded clause (matched exactly, without prefix or fuzzy matching).
 */
export function evaluate(ctx: ScoringContext, query: Query, options: SearchOptions): Matched {
  const n = ctx.unitCount;
  let total: Float64Array | undefined;
  let alive = new Uint8Array(n);
  for (const group of query.groups) {
    const scores = new Float64Array(n);
    const hit = new Uint8Array(n);
    for (const clause of group) addClause(ctx, clause, options, scores, hit);
    if (!total) {
      total = scores;
      alive = hit;
      continue;
    }
    for (let u = 0; u < n; u++) {
      if (alive[u] && hit[u]) total[u] = (total[u] as number) + (scores[u] as number);
      else alive[u] = 0;
    }
  }
  for (const clause of query.excluded) {
    const hit = new Uint8Array(n);
    addClause(ctx, clause, { prefix: false, fuzzy: false }, new Float64Array(n), hit);
    for (let u = 0; u < n; u++) if (hit[u]) alive[u] = 0;
  }
  let count = 0;
  for (let u = 0; u < n; u++) count += alive[u] as number;
  const units = new Uint32Array(count);
  const scores = new Float64Array(count);
  let i = 0;
  for (let u = 0; u < n && total; u++) {
    if (!alive[u]) continue;
    units[i] = u;
    scores[i++] = total[u] as number;
  }
  return { units, scores };
}
