import type { Turn } from '../turns.ts';
import type { CodePointIndex } from '../offsets.ts';

/** A passage the search indexes and returns: a speaker turn, or part of a long one. */
export interface SearchUnit {
  /** [start, end) in code points of the document's text. */
  readonly start: number;
  readonly end: number;
  readonly speaker: string;
  readonly time?: number;
}

/** Turns longer than this (in code points) are cut at sentence ends into several units. */
const MAX_UNIT = 1200;

/** Sentence ends: . ! ? … followed by a space or a line break (« M. Dupont » may be cut: harmless). */
const SENTENCE_END = /[.!?…]+[»”"')\]]*\s+/gu;

/**
 * The passages of a document: its speaker turns, or its paragraphs when it has none, with long ones
 * cut at sentence ends. Whitespace-only stretches are left out.
 */
export function searchUnits(index: CodePointIndex, turns: readonly Turn[]): SearchUnit[] {
  const blocks: SearchUnit[] = turns.length > 0 ? [...turns] : paragraphs(index);
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
  return units.filter((u) => u.end > u.start && index.slice(u.start, u.end).trim() !== '');
}

function piece(index: CodePointIndex, base: number, from: number, to: number, block: SearchUnit): SearchUnit {
  return {
    start: index.toCodePoint(base + from),
    end: index.toCodePoint(base + to),
    speaker: block.speaker,
    ...(block.time !== undefined ? { time: block.time } : {}),
  };
}

function paragraphs(index: CodePointIndex): SearchUnit[] {
  const out: SearchUnit[] = [];
  const text = index.text;
  let start = 0;
  for (const m of text.matchAll(/\n+/g)) {
    if (m.index > start)
      out.push({ start: index.toCodePoint(start), end: index.toCodePoint(m.index), speaker: '' });
    start = m.index + m[0].length;
  }
  if (start < text.length) out.push({ start: index.toCodePoint(start), end: index.length, speaker: '' });
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
