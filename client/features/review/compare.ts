/**
 * Two coders' codings of one code in one document, side by side: where each coded, where they
 * agree, and which codings the other coder does not share. Spans are [start, end) in code points.
 */

export interface SimpleSpan {
  readonly start: number;
  readonly end: number;
}

/** A stretch of the text and who coded it. */
export interface ComparedSegment extends SimpleSpan {
  readonly a: boolean;
  readonly b: boolean;
}

/** Whether the code points of `span` are covered by one of `spans`, at a given position. */
function covers(spans: readonly SimpleSpan[], position: number): boolean {
  return spans.some((s) => s.start <= position && position < s.end);
}

/**
 * Cut `[0, length)` at every boundary of the two coders' spans: each piece is coded by A, by B,
 * by both or by neither. Consecutive pieces with the same status are joined.
 * @example compareSpans(10, [{start: 0, end: 5}], [{start: 3, end: 8}]) →
 *   [{0,3,a}, {3,5,a,b}, {5,8,b}, {8,10}]
 */
export function compareSpans(
  length: number,
  a: readonly SimpleSpan[],
  b: readonly SimpleSpan[],
): ComparedSegment[] {
  const cuts = new Set<number>([0, length]);
  for (const s of [...a, ...b]) {
    cuts.add(Math.max(0, Math.min(length, s.start)));
    cuts.add(Math.max(0, Math.min(length, s.end)));
  }
  const points = [...cuts].sort((x, y) => x - y);
  const out: ComparedSegment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i] as number;
    const end = points[i + 1] as number;
    if (start === end) continue;
    const piece = { start, end, a: covers(a, start), b: covers(b, start) };
    const last = out[out.length - 1];
    if (last && last.a === piece.a && last.b === piece.b) out[out.length - 1] = { ...last, end };
    else out.push(piece);
  }
  return out;
}

/** How one coder's coding stands against the other coder's codings of the same code. */
export type MatchStatus = 'same' | 'overlap' | 'alone';

/**
 * `same`: the other coder has a coding of this code on exactly this span; `overlap`: one that
 * shares at least one code point; `alone`: none.
 */
export function matchStatus(coding: SimpleSpan, others: readonly SimpleSpan[]): MatchStatus {
  if (others.some((o) => o.start === coding.start && o.end === coding.end)) return 'same';
  if (others.some((o) => o.start < coding.end && coding.start < o.end)) return 'overlap';
  return 'alone';
}
