/**
 * How a search hit is shown: its passage cut into plain and marked pieces. The server gives every
 * position in Unicode code points of the document's text; the passage (`snippet`) is the text of
 * `[hit.start, hit.end)`, so a match sits at `match.start - hit.start` code points into it. The
 * conversion to string indexes happens here, through `CodePointIndex`, and nowhere else.
 */
import { CodePointIndex, codePointLength } from '../../../shared/offsets.ts';

/** `[start, end)` in code points of the document's text. */
export interface CodePointSpan {
  readonly start: number;
  readonly end: number;
}

/** A run of the passage, in its original spelling; `marked` when it is a matched word. */
export interface SnippetPiece {
  readonly text: string;
  readonly marked: boolean;
}

/** The part of a passage to show, `[from, to)` in code points of the passage (not the document). */
export interface PassageWindow {
  readonly from: number;
  readonly to: number;
}

/**
 * Cut `snippet`, which starts at code point `snippetStart` of its document, into pieces: the
 * `matches` (code points of the document) marked, the rest plain. Overlapping or unsorted matches
 * are merged; only the window `[from, to)` of the passage is kept (all of it by default).
 * @example snippetPieces('😀 On ressaisit tout', 100, [{ start: 105, end: 114 }])
 * // → [{ text: '😀 On ', marked: false }, { text: 'ressaisit', marked: true }, { text: ' tout', marked: false }]
 */
export function snippetPieces(
  snippet: string,
  snippetStart: number,
  matches: readonly CodePointSpan[],
  window?: PassageWindow,
): SnippetPiece[] {
  const index = new CodePointIndex(snippet);
  const from = clamp(window?.from ?? 0, 0, index.length);
  const to = clamp(window?.to ?? index.length, from, index.length);
  const pieces: SnippetPiece[] = [];
  const push = (start: number, end: number, marked: boolean) => {
    if (end <= start) return;
    const last = pieces[pieces.length - 1];
    const text = index.slice(start, end);
    if (last && last.marked === marked) pieces[pieces.length - 1] = { text: last.text + text, marked };
    else pieces.push({ text, marked });
  };
  let cursor = from;
  const sorted = [...matches].sort((a, b) => a.start - b.start || a.end - b.end);
  for (const match of sorted) {
    const start = clamp(match.start - snippetStart, cursor, to);
    const end = clamp(match.end - snippetStart, start, to);
    if (end <= start) continue;
    push(cursor, start, false);
    push(start, end, true);
    cursor = end;
  }
  push(cursor, to, false);
  return pieces;
}

/**
 * How many code points of the passage the speaker's label takes (« Inès Benali : »), so that
 * the label shown apart is not repeated in the passage; 0 when the passage does not open with it.
 */
export function speakerLabelLength(snippet: string, speaker: string): number {
  if (speaker === '' || !snippet.startsWith(speaker)) return 0;
  const label = /^\s*:\s*/u.exec(snippet.slice(speaker.length));
  return label ? codePointLength(speaker) + codePointLength(label[0]) : 0;
}

/**
 * The part of a long passage worth showing: from `context` code points before the first match
 * to `context` after the last, widened to whole words, never before `skip` (the speaker's label).
 * A passage that fits in `2 × context` code points is shown whole.
 */
export function passageWindow(
  snippet: string,
  snippetStart: number,
  matches: readonly CodePointSpan[],
  context: number,
  skip = 0,
): PassageWindow {
  const index = new CodePointIndex(snippet);
  const length = index.length;
  /** The character at code point `i` (whitespace is never astral, so one code point suffices). */
  const charAt = (i: number) => (i >= 0 && i < length ? index.slice(i, i + 1) : ' ');
  if (matches.length === 0 || length - skip <= 2 * context) return { from: skip, to: length };
  const first = Math.min(...matches.map((m) => m.start - snippetStart));
  const last = Math.max(...matches.map((m) => m.end - snippetStart));
  let from = clamp(first - context, skip, length);
  let to = clamp(last + context, from, length);
  // Widen to word boundaries, so that no word is shown cut.
  while (from > skip && !/\s/u.test(charAt(from - 1))) from--;
  while (to < length && !/\s/u.test(charAt(to))) to++;
  return { from, to };
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}
