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

type ScratchArray = Float64Array | Uint32Array | Uint16Array | Uint8Array;

/** Arrays of each kind kept for the next query. */
const KEPT_PER_KIND = 4;

/**
 * Arrays of one slot per unit, lent to a query's evaluation and given back when done with, zeroed
 * when lent again. A query over the large study needs a dozen megabytes of them: allocated afresh
 * each time, they made V8 collect its whole heap every few queries (a pause of 50 to 100 ms).
 */
export class Scratch {
  private readonly free = new Map<string, ScratchArray[]>();
  private readonly lent = new Map<ScratchArray, string>();

  constructor(readonly size: number) {}

  f64(): Float64Array {
    return this.take('f64', () => new Float64Array(this.size)) as Float64Array;
  }

  u32(): Uint32Array {
    return this.take('u32', () => new Uint32Array(this.size)) as Uint32Array;
  }

  u16(): Uint16Array {
    return this.take('u16', () => new Uint16Array(this.size)) as Uint16Array;
  }

  u8(): Uint8Array {
    return this.take('u8', () => new Uint8Array(this.size)) as Uint8Array;
  }

  private take(kind: string, make: () => ScratchArray): ScratchArray {
    const kept = this.free.get(kind)?.pop();
    kept?.fill(0);
    const array = kept ?? make();
    this.lent.set(array, kind);
    return array;
  }

  /** Take back arrays lent (all of them without arguments): they may not be used after this. */
  giveBack(...arrays: ScratchArray[]): void {
    for (const array of arrays.length > 0 ? arrays : [...this.lent.keys()]) {
      const kind = this.lent.get(array);
      if (kind === undefined) continue;
      this.lent.delete(array);
      const list = this.free.get(kind) ?? [];
      if (list.length < KEPT_PER_KIND) list.push(array);
      this.free.set(kind, list);
    }
  }
}

/** What evaluating a query reads from the index. */
export interface ScoringContext {
  readonly unitCount: number;
  /** Arrays of `unitCount` slots to work in (evaluation is synchronous: one query at a time). */
  scratch(): Scratch;
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

/** Two rows of the edit-distance table, grown as longer words come (one pair for every call). */
let rows = [new Uint32Array(64), new Uint32Array(64)] as const;

/** Levenshtein distance, or `max + 1` as soon as it is known to exceed `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (rows[0].length <= b.length)
    rows = [new Uint32Array(b.length * 2 + 1), new Uint32Array(b.length * 2 + 1)];
  let [previous, current] = rows;
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
  const scratch = ctx.scratch();
  const clauseScore = scratch.f64();
  const termScore = scratch.f64();
  const found = scratch.u16();
  const touched = scratch.u32();
  const n = ctx.unitCount;
  const { start, units, frequencies } = ctx.postings;
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
  // A phrase with a word no unit holds matches nothing.
  const none = clause.phrase && !phrase;
  for (let u = 0; u < n && !none; u++) {
    if (found[u] !== needed || (phrase && !ctx.hasPhrase(u, phrase))) continue;
    scores[u] = (scores[u] as number) + (clauseScore[u] as number) * quality;
    hit[u] = 1;
  }
  scratch.giveBack(clauseScore, termScore, found, touched);
}

/**
 * Units matching a query: every group (one of its clauses, or more: their scores add up), no
 * excluded clause (matched exactly, without prefix or fuzzy matching).
 */
export function evaluate(ctx: ScoringContext, query: Query, options: SearchOptions): Matched {
  try {
    return evaluateIn(ctx, ctx.scratch(), query, options);
  } finally {
    ctx.scratch().giveBack();
  }
}

function evaluateIn(ctx: ScoringContext, scratch: Scratch, query: Query, options: SearchOptions): Matched {
  const n = ctx.unitCount;
  let total: Float64Array | undefined;
  let alive = scratch.u8();
  for (const group of query.groups) {
    const scores = scratch.f64();
    const hit = scratch.u8();
    for (const clause of group) addClause(ctx, clause, options, scores, hit);
    if (!total) {
      scratch.giveBack(alive);
      total = scores;
      alive = hit;
      continue;
    }
    for (let u = 0; u < n; u++) {
      if (alive[u] && hit[u]) total[u] = (total[u] as number) + (scores[u] as number);
      else alive[u] = 0;
    }
    scratch.giveBack(scores, hit);
  }
  for (const clause of query.excluded) {
    const hit = scratch.u8();
    const scores = scratch.f64();
    addClause(ctx, clause, { prefix: false, fuzzy: false }, scores, hit);
    for (let u = 0; u < n; u++) if (hit[u]) alive[u] = 0;
    scratch.giveBack(scores, hit);
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
