/**
 * How a transcript is cut for display: blocks (speaker turns, or paragraphs when there are none),
 * and inside each block the pieces between coding boundaries. Pure functions over code points.
 */
import type { TextMark } from '../../../shared/model.ts';
import type { Turn } from '../../../shared/turns.ts';
import { segmentSpans, type Span } from '../../../shared/spans.ts';
import type { TranscriptText } from './selection-to-span.ts';

export interface Block extends Span {
  /** Speaker of the turn; undefined for a paragraph outside any turn. */
  readonly speaker?: string;
  /** Seconds into the recording, when the transcript gives it. */
  readonly time?: number;
  /** Where the speech begins after the speaker label; `start` when there is no label. */
  readonly speechStart: number;
  /** The heading level (1–6) when the block is a heading of the original (Markdown). */
  readonly heading?: number;
}

/** A run of text covered by the same codings; `label` marks the speaker label of a turn. */
export interface Piece<Id> extends Span {
  readonly ids: readonly Id[];
  readonly label: boolean;
  /** Set in strong or emphasised type by the original's markup. */
  readonly strong?: boolean;
  readonly emphasis?: boolean;
}

/**
 * Turns as blocks, with the text outside turns (a preamble, notes) as paragraph blocks; a line a
 * heading mark starts is a heading block.
 */
export function transcriptBlocks(
  text: TranscriptText,
  turns: readonly Turn[],
  marks: readonly TextMark[] = [],
): Block[] {
  const headings = new Map(marks.filter((m) => m.kind === 'heading').map((m) => [m.start, m.level ?? 1]));
  const blocks: Block[] = [];
  const paragraphs = (from: number, to: number) => {
    for (const line of text.lines(from, to)) {
      const heading = headings.get(line.start);
      blocks.push(
        heading === undefined
          ? { ...line, speechStart: line.start }
          : { ...line, speechStart: line.start, heading },
      );
    }
  };
  let at = 0;
  for (const turn of [...turns].sort((a, b) => a.start - b.start)) {
    if (turn.start < at || turn.end <= turn.start) continue;
    paragraphs(at, turn.start);
    blocks.push({
      start: turn.start,
      end: turn.end,
      speaker: turn.speaker,
      ...(turn.time === undefined ? {} : { time: turn.time }),
      speechStart: text.speechStart(turn),
    });
    at = turn.end;
  }
  paragraphs(at, text.length);
  return blocks;
}

/**
 * The pieces of each block: one sweep of {@link segmentSpans} over the whole text, then the
 * segments are dealt out to the (sorted, disjoint) blocks and cut at each block's label end.
 */
export function layoutPieces<Id>(
  blocks: readonly Block[],
  spans: readonly (Span & { readonly id: Id })[],
  length: number,
): Piece<Id>[][] {
  const segments = segmentSpans(spans, 0, length);
  const out: Piece<Id>[][] = [];
  let first = 0;
  for (const block of blocks) {
    const pieces: Piece<Id>[] = [];
    while (first < segments.length && (segments[first] as Span).end <= block.start) first++;
    for (let k = first; k < segments.length; k++) {
      const segment = segments[k] as (typeof segments)[number];
      if (segment.start >= block.end) break;
      const start = Math.max(segment.start, block.start);
      const end = Math.min(segment.end, block.end);
      const cut = block.speechStart;
      if (cut > start && cut < end) {
        pieces.push({ start, end: cut, ids: segment.ids, label: true });
        pieces.push({ start: cut, end, ids: segment.ids, label: false });
      } else {
        pieces.push({ start, end, ids: segment.ids, label: end <= cut });
      }
    }
    out.push(pieces);
  }
  return out;
}

/**
 * The pieces of each block cut again where strong or emphasised type starts or ends, and flagged
 * inside it. `marks` are the document's marks (headings are blocks, not type, and are skipped).
 */
export function stylePieces<Id>(
  blocks: readonly Block[],
  pieces: readonly (readonly Piece<Id>[])[],
  marks: readonly TextMark[],
): Piece<Id>[][] {
  const type = marks.filter((m) => m.kind !== 'heading');
  if (type.length === 0) return pieces as Piece<Id>[][];
  const byBlock = spansByBlock(blocks, type);
  return pieces.map((list, b) => {
    const here = byBlock[b] ?? [];
    if (here.length === 0) return [...list];
    const out: Piece<Id>[] = [];
    for (const piece of list) {
      const cuts = new Set([piece.start, piece.end]);
      for (const m of here) {
        if (m.start > piece.start && m.start < piece.end) cuts.add(m.start);
        if (m.end > piece.start && m.end < piece.end) cuts.add(m.end);
      }
      const points = [...cuts].sort((x, y) => x - y);
      for (let k = 1; k < points.length; k++) {
        const start = points[k - 1] as number;
        const end = points[k] as number;
        const inside = (kind: TextMark['kind']) =>
          here.some((m) => m.kind === kind && m.start <= start && m.end >= end);
        const strong = inside('strong');
        const emphasis = inside('emphasis');
        out.push({ ...piece, start, end, ...(strong ? { strong } : {}), ...(emphasis ? { emphasis } : {}) });
      }
    }
    return out;
  });
}

/** Whether two piece lists would render the same DOM. */
export function samePieces<Id>(a: readonly Piece<Id>[], b: readonly Piece<Id>[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((p, i) => {
    const q = b[i] as Piece<Id>;
    return (
      p.start === q.start &&
      p.end === q.end &&
      p.label === q.label &&
      p.strong === q.strong &&
      p.emphasis === q.emphasis &&
      p.ids.length === q.ids.length &&
      p.ids.every((id, j) => id === q.ids[j])
    );
  });
}

/**
 * The pieces with one more span cut in (the keyboard cursor, say): pieces it covers are split at its
 * ends and carry `id` too. Only one block's pieces are cut, so moving the cursor redraws one turn.
 */
export function cutPieces<Id>(pieces: readonly Piece<Id>[], span: Span, id: Id): Piece<Id>[] {
  const out: Piece<Id>[] = [];
  for (const piece of pieces) {
    if (piece.end <= span.start || piece.start >= span.end) {
      out.push(piece);
      continue;
    }
    const from = Math.max(piece.start, span.start);
    const to = Math.min(piece.end, span.end);
    if (piece.start < from) out.push({ ...piece, end: from });
    out.push({ ...piece, start: from, end: to, ids: [...piece.ids, id] });
    if (to < piece.end) out.push({ ...piece, start: to });
  }
  return out;
}

/** One vertical bar of the margin: a coding's extent, in its code's lane. */
export interface Stripe {
  readonly key: string;
  readonly codeId: string;
  readonly lane: number;
  /** Fractions of the block's text height, before the block is measured. */
  readonly top: number;
  readonly bottom: number;
}

/**
 * The margin bars of a block: one lane per code (in order of first appearance), one bar per coding,
 * placed by its share of the block's text until the block is measured.
 */
export function blockStripes(
  block: Span,
  codings: readonly (Span & { readonly key: string; readonly codeId: string })[],
): { stripes: Stripe[]; lanes: string[] } {
  const lanes: string[] = [];
  const stripes: Stripe[] = [];
  const length = Math.max(1, block.end - block.start);
  for (const c of codings) {
    if (c.end <= block.start || c.start >= block.end) continue;
    let lane = lanes.indexOf(c.codeId);
    if (lane < 0) lane = lanes.push(c.codeId) - 1;
    stripes.push({
      key: c.key,
      codeId: c.codeId,
      lane,
      top: (Math.max(c.start, block.start) - block.start) / length,
      bottom: (Math.min(c.end, block.end) - block.start) / length,
    });
  }
  return { stripes, lanes };
}

/** Whether two stripe layouts would draw the same margin. */
export function sameStripes(
  a: { stripes: Stripe[]; lanes: string[] },
  b: { stripes: Stripe[]; lanes: string[] },
): boolean {
  return (
    a.lanes.join() === b.lanes.join() &&
    a.stripes.length === b.stripes.length &&
    a.stripes.every((s, k) => {
      const o = b.stripes[k] as Stripe;
      return s.key === o.key && s.lane === o.lane && s.top === o.top && s.bottom === o.bottom;
    })
  );
}

/** Whether two lists hold the same items in the same order. */
export function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, k) => x === b[k]);
}

/** The spans (codings) overlapping each block, in one pass (blocks are sorted and disjoint). */
export function spansByBlock<S extends Span>(blocks: readonly Block[], spans: readonly S[]): S[][] {
  const out: S[][] = blocks.map(() => []);
  for (const span of spans) {
    let lo = 0;
    let hi = blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((blocks[mid] as Block).end <= span.start) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < blocks.length && (blocks[i] as Block).start < span.end; i++) out[i]?.push(span);
  }
  return out;
}

/** The time to show in each block's gutter: only when its label does not already show one. */
export function gutterTimes(blocks: readonly Block[], text: TranscriptText): (number | undefined)[] {
  return blocks.map((b) =>
    b.time !== undefined && !/\d:\d\d/.test(text.slice(b.start, b.speechStart)) ? b.time : undefined,
  );
}
