/**
 * The client's one place where offsets change unit. The wire speaks Unicode code points of the
 * document text; the DOM (selections, string indices) speaks UTF-16 code units. Everything that
 * crosses between the two goes through a {@link TranscriptText}.
 */
import type { Span } from '../../../shared/spans.ts';
import { CodePointIndex } from '../../../shared/offsets.ts';
import { parseSpeakerLine } from '../../../shared/turns.ts';

/** Segments of the transcript are `<span data-start data-end>` elements, in code points. */
export const SEGMENT_SELECTOR = 'span[data-start][data-end]';

const WHITESPACE = /\s/;

export class TranscriptText {
  private readonly index: CodePointIndex;

  constructor(readonly text: string) {
    this.index = new CodePointIndex(text);
  }

  /** Length in code points. */
  get length(): number {
    return this.index.length;
  }

  /** The text of `[start, end)` in code points. */
  slice(start: number, end: number): string {
    return this.index.slice(start, end);
  }

  /** The non-blank lines of `[from, to)`, as code-point spans without their newline. */
  lines(from: number, to: number): Span[] {
    const base = this.index.toUtf16(from);
    const chunk = this.text.slice(base, this.index.toUtf16(to));
    const spans: Span[] = [];
    let at = 0;
    for (const line of chunk.split('\n')) {
      if (line.trim() !== '') {
        spans.push({
          start: this.index.toCodePoint(base + at),
          end: this.index.toCodePoint(base + at + line.length),
        });
      }
      at += line.length + 1;
    }
    return spans;
  }

  /**
   * Where the speech of a turn begins, after its speaker label (« Camille Martin : »); the turn's
   * start when its first line has no label.
   */
  speechStart(turn: Span): number {
    const startUnit = this.index.toUtf16(turn.start);
    const endUnit = this.index.toUtf16(turn.end);
    const newline = this.text.indexOf('\n', startUnit);
    const line = this.text.slice(startUnit, newline === -1 || newline > endUnit ? endUnit : newline);
    const found = parseSpeakerLine(line);
    if (!found) return turn.start;
    return Math.min(turn.end, this.index.toCodePoint(startUnit + found.contentStart));
  }

  /**
   * The code-point span a DOM range covers inside `root`, without the whitespace at its ends;
   * undefined when it covers no text of the transcript.
   */
  spanOfRange(range: Range, root: Element): Span | undefined {
    if (range.collapsed || !root.contains(range.commonAncestorContainer)) return undefined;
    let start = this.boundary(range.startContainer, range.startOffset, root);
    let end = this.boundary(range.endContainer, range.endOffset, root);
    if (start === undefined || end === undefined) {
      // A boundary outside any segment (a time gutter, a block edge): snap to the segments inside.
      const inside = [...root.querySelectorAll<HTMLElement>(SEGMENT_SELECTOR)].filter((s) =>
        range.intersectsNode(s),
      );
      const first = inside[0];
      const last = inside[inside.length - 1];
      if (!first || !last) return undefined;
      start ??= Number(first.dataset.start);
      end ??= Number(last.dataset.end);
    }
    return this.trim({ start, end });
  }

  /** The code-point offset of a DOM boundary point that lies in a segment's text. */
  private boundary(node: Node, offset: number, root: Element): number | undefined {
    if (node.nodeType !== Node.TEXT_NODE) return undefined;
    const segment = node.parentElement?.closest<HTMLElement>(SEGMENT_SELECTOR);
    if (!segment || !root.contains(segment)) return undefined;
    const unit = this.index.toUtf16(Number(segment.dataset.start)) + offset;
    try {
      return this.index.toCodePoint(unit);
    } catch {
      // Inside a surrogate pair: take the whole character.
      return this.index.toCodePoint(unit + 1);
    }
  }

  /** Drop whitespace at both ends; undefined if nothing else is left. */
  private trim(span: Span): Span | undefined {
    let { start, end } = span;
    if (start > end) [start, end] = [end, start];
    // Whitespace is never astral, so one code unit is one code point here.
    const text = this.slice(start, end);
    let head = 0;
    let tail = text.length;
    while (head < tail && WHITESPACE.test(text.charAt(head))) head++;
    while (tail > head && WHITESPACE.test(text.charAt(tail - 1))) tail--;
    if (head === tail) return undefined;
    return { start: start + head, end: end - (text.length - tail) };
  }
}
