import { DomainError } from './errors.ts';

/** A half-open range `[start, end)` in Unicode code points of a document's stored text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * Check that `[start, end)` is a non-empty span inside a text of `length` code points.
 * @throws DomainError `span_out_of_range` naming what is wrong.
 */
export function assertSpan(start: number, end: number, length: number): void {
  if (!Number.isInteger(start) || !Number.isInteger(end)) {
    throw new DomainError('span_out_of_range', 'Les positions doivent être des nombres entiers.', {
      start,
      end,
    });
  }
  if (start < 0 || end > length || start >= end) {
    throw new DomainError(
      'span_out_of_range',
      `Le passage [${start}, ${end}) n'est pas un passage non vide du texte (longueur ${length}).`,
      { start, end, length },
    );
  }
}

/** Whether two spans share at least one code point. */
export function spansOverlap(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

/**
 * Merge spans that overlap or touch into a sorted list of disjoint spans.
 * @example mergeSpans([{start:0,end:3},{start:3,end:5}]) → [{start:0,end:5}]
 */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: { start: number; end: number }[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ start: s.start, end: s.end });
  }
  return out;
}

/** A piece of text between two consecutive boundaries, with the ids of the spans covering it. */
export interface Segment<Id> extends Span {
  readonly ids: readonly Id[];
}

/**
 * Cut `[from, to)` into segments at every boundary of the given spans, each segment listing the
 * spans that cover it (in input order). One sweep over sorted boundaries: O((n + k) log n), not one
 * pass per span.
 */
export function segmentSpans<Id>(
  spans: readonly (Span & { readonly id: Id })[],
  from: number,
  to: number,
): Segment<Id>[] {
  const points = new Set<number>([from, to]);
  const inRange = spans.filter((s) => s.end > from && s.start < to);
  for (const s of inRange) {
    points.add(Math.max(from, s.start));
    points.add(Math.min(to, s.end));
  }
  const bounds = [...points].sort((a, b) => a - b);
  const starts = [...inRange].sort((a, b) => a.start - b.start);
  const order = new Map(inRange.map((s, i) => [s, i]));
  const active = new Set<Span & { readonly id: Id }>();
  const segments: Segment<Id>[] = [];
  let next = 0;
  for (let i = 0; i + 1 < bounds.length; i++) {
    const start = bounds[i] as number;
    const end = bounds[i + 1] as number;
    while (next < starts.length && (starts[next] as Span).start <= start) {
      active.add(starts[next] as Span & { readonly id: Id });
      next++;
    }
    for (const s of active) if (s.end <= start) active.delete(s);
    const ids = [...active]
      .sort((a, b) => (order.get(a) as number) - (order.get(b) as number))
      .map((s) => s.id);
    segments.push({ start, end, ids });
  }
  return segments;
}
