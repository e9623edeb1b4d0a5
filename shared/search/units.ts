import type { Turn } from '../turns.ts';
import type { CodePointIndex } from '../offsets.ts';

/** A passage the search indexes and returns: a speaker turn, or part of a long one. */
export interface SearchUnit {
  /** [start, end) in code points of the document's text. */
  readonly start: number;
  readonly end: number;
  readonly speaker: string;
  readonly time?: number;
  /** Text of a transcript with turns that no turn holds (its title block): said by no speaker. */
  readonly outsideTurns?: true;
}

/** Turns longer than this (in code points) are cut at sentence ends into several units. */
const MAX_UNIT = 1200;

/** Sentence ends: . ! ? … followed by a space or a line break (« M. Dupont » may be cut: harmless). */
const SENTENCE_END = /[.!?…]+[»”"')\]]*\s+/gu;

/**
 * The passages of a document: its speaker turns, and the paragraphs of any text outside them (a
 * title block before the first turn: interview number, date, place, conventions), with long ones
 * cut at sentence ends. Every character of the document is in one unit; whitespace-only stretches
 * are left out.
 */
export function searchUnits(index: CodePointIndex, turns: readonly Turn[]): SearchUnit[] {
  const blocks = blocksOf(index, turns);
  const units: SearchUnit[] = [];
  for (const block of blocks) {
    if (block.end - block.start <= MAX_UNIT) {
      units.push(block);
      continue;
    }
    const text = index.slice(block.start, block.end);
    const base = index.toUtf16(block.start);
    let from = 0;
    let last = 0;
    for (const m of text.matchAll(SENTENCE_END)) {
      const cut = m.index + m[0].length;
      if (cut - from > MAX_UNIT / 2 && last > from) {
        units.push(piece(index, base, from, last, block));
        from = last;
      }
      last = cut;
    }
    units.push(piece(index, base, from, text.length, block));
  }
  // A test for one character that is not a space, rather than `trim()`, which copies the text.
  return units.filter((u) => u.end > u.start && NOT_SPACE.test(index.slice(u.start, u.end)));
}

/** A character `trim()` would keep: JavaScript's `\s` is the white space and line ends it removes. */
const NOT_SPACE = /\S/;

function piece(index: CodePointIndex, base: number, from: number, to: number, block: SearchUnit): SearchUnit {
  return {
    start: index.toCodePoint(base + from),
    end: index.toCodePoint(base + to),
    speaker: block.speaker,
    ...(block.time !== undefined ? { time: block.time } : {}),
    ...(block.outsideTurns ? { outsideTurns: true as const } : {}),
  };
}

/** The turns in order, with the paragraphs of the stretches they leave uncovered between them. */
function blocksOf(index: CodePointIndex, turns: readonly Turn[]): SearchUnit[] {
  const sorted = [...turns].sort((a, b) => a.start - b.start);
  const blocks: SearchUnit[] = [];
  let covered = 0;
  for (const turn of sorted) {
    if (turn.start > covered) blocks.push(...outside(index, covered, turn.start));
    blocks.push(turn);
    covered = Math.max(covered, turn.end);
  }
  if (covered < index.length)
    blocks.push(...(sorted.length > 0 ? outside : paragraphs)(index, covered, index.length));
  return blocks;
}

function outside(index: CodePointIndex, from: number, to: number): SearchUnit[] {
  return paragraphs(index, from, to).map((p) => ({ ...p, outsideTurns: true as const }));
}

/** The paragraphs (runs of text between line breaks) of `[from, to)`, in code points. */
function paragraphs(index: CodePointIndex, from: number, to: number): SearchUnit[] {
  const out: SearchUnit[] = [];
  const base = index.toUtf16(from);
  const text = index.slice(from, to);
  let start = 0;
  const push = (end: number) =>
    out.push({ start: index.toCodePoint(base + start), end: index.toCodePoint(base + end), speaker: '' });
  for (const m of text.matchAll(/\n+/g)) {
    if (m.index > start) push(m.index);
    start = m.index + m[0].length;
  }
  if (start < text.length) push(text.length);
  return out;
}

/**
 * The sentence around `[start, end)` (code points) within a unit: from the previous sentence end
 * to the next one.
 */
export function sentenceAround(
  index: CodePointIndex,
  unit: SearchUnit,
  start: number,
  end: number,
): { start: number; end: number } {
  const text = index.slice(unit.start, unit.end);
  const base = index.toUtf16(unit.start);
  const from = index.toUtf16(start) - base;
  const to = index.toUtf16(end) - base;
  let sentenceStart = 0;
  let sentenceEnd = text.length;
  for (const m of text.matchAll(SENTENCE_END)) {
    const cut = m.index + m[0].length;
    if (cut <= from) sentenceStart = cut;
    else if (m.index + 1 >= to) {
      sentenceEnd = m.index + (m[0].match(/^[.!?…]+[»”"')\]]*/u)?.[0].length ?? 1);
      break;
    }
  }
  const trimmedEnd = text.slice(0, sentenceEnd).trimEnd().length;
  return {
    start: index.toCodePoint(base + sentenceStart),
    end: index.toCodePoint(base + Math.max(trimmedEnd, to)),
  };
}
