import type { Span } from '../spans.ts';

/**
 * Span arithmetic for the review statistics. Every function here works on spans sorted or sorts
 * them once: O(n log n), never one boolean per code point.
 * Spans are half-open `[start, end)` in Unicode code points of a document's stored text.
 */

/**
 * The union of spans as sorted disjoint spans. Unlike `mergeSpans`, spans that only touch
 * (`[0,3)` and `[3,5)`) stay apart: they share no code point.
 * @example unionOfSpans([{start:0,end:3},{start:2,end:5},{start:5,end:6}]) → [{start:0,end:5},{start:5,end:6}]
 */
export function unionOfSpans(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: { start: number; end: number }[] = [];
  for (const s of sorted) {
    if (s.end <= s.start) continue;
    const last = out[out.length - 1];
    if (last && s.start < last.end) last.end = Math.max(last.end, s.end);
    else out.push({ start: s.start, end: s.end });
  }
  return out;
}

/** Total number of code points of sorted disjoint spans. */
export function spansLength(disjoint: readonly Span[]): number {
  let total = 0;
  for (const s of disjoint) total += s.end - s.start;
  return total;
}

/**
 * The intersection of two lists of sorted disjoint spans, by a two-pointer sweep: O(a + b).
 * @example intersectSpans([{start:0,end:5}], [{start:3,end:8}]) → [{start:3,end:5}]
 */
export function intersectSpans(a: readonly Span[], b: readonly Span[]): Span[] {
  const out: Span[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as Span;
    const y = b[j] as Span;
    const start = Math.max(x.start, y.start);
    const end = Math.min(x.end, y.end);
    if (start < end) out.push({ start, end });
    if (x.end <= y.end) i++;
    else j++;
  }
  return out;
}

/** Number of code points shared by two lists of sorted disjoint spans: O(a + b). */
export function intersectionLength(a: readonly Span[], b: readonly Span[]): number {
  return spansLength(intersectSpans(a, b));
}

/**
 * Group spans into connected components: two spans belong together when they share at least one
 * code point, directly or through a chain of spans. Each component is returned with its extent
 * and its members, in order of start.
 */
export function overlapComponents<T extends Span>(spans: readonly T[]): { span: Span; members: T[] }[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: { span: { start: number; end: number }; members: T[] }[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start < last.span.end) {
      last.span.end = Math.max(last.span.end, s.end);
      last.members.push(s);
    } else out.push({ span: { start: s.start, end: s.end }, members: [s] });
  }
  return out;
}

/**
 * Index of the first of `units` (sorted, disjoint) whose end lies after `position`: the only units
 * a span starting at `position` can overlap begin there. Binary search, O(log n).
 */
export function firstUnitEndingAfter(units: readonly Span[], position: number): number {
  let lo = 0;
  let hi = units.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((units[mid] as Span).end <= position) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Indices of the units (sorted, disjoint) that share at least one code point with `span`. */
export function unitsOverlapping(units: readonly Span[], span: Span): number[] {
  const out: number[] = [];
  for (let i = firstUnitEndingAfter(units, span.start); i < units.length; i++) {
    if ((units[i] as Span).start >= span.end) break;
    out.push(i);
  }
  return out;
}

/**
 * The units (sorted, disjoint) that share at least one code point with `span`, as the half-open
 * range of their indices: overlapping units are always consecutive. Empty when there is none.
 * @example unitRange([{start:0,end:5},{start:6,end:9},{start:10,end:12}], {start:4,end:7}) → {start:0,end:2}
 */
export function unitRange(units: readonly Span[], span: Span): Span {
  const first = firstUnitEndingAfter(units, span.start);
  let end = first;
  while (end < units.length && (units[end] as Span).start < span.end) end++;
  return { start: first, end };
}
