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

/** How far around a span word boundaries are looked for, in code points (no word is longer). */
const WORD_WINDOW = 200;

const wordSegmenter = new Intl.Segmenter('fr', { granularity: 'word' });
const graphemeSegmenter = new Intl.Segmenter('fr', { granularity: 'grapheme' });

/** A piece of text found by `Intl.Segmenter`, in code points, and whether it is a word. */
interface TextSegment extends Span {
  readonly word: boolean;
}

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
   * The segments (words, spaces, punctuation; or graphemes) of `[from, to)` widened by a margin so
   * that the segments around `from` and `to` are whole, in code points.
   */
  private segments(from: number, to: number, granularity: 'word' | 'grapheme'): TextSegment[] {
    const start = Math.max(0, from - WORD_WINDOW);
    const end = Math.min(this.length, to + WORD_WINDOW);
    const base = this.index.toUtf16(start);
    const chunk = this.text.slice(base, this.index.toUtf16(end));
    const segmenter = granularity === 'word' ? wordSegmenter : graphemeSegmenter;
    const out: TextSegment[] = [];
    for (const s of segmenter.segment(chunk)) {
      out.push({
        start: this.index.toCodePoint(base + s.index),
        end: this.index.toCodePoint(base + s.index + s.segment.length),
        word: granularity === 'word' ? s.isWordLike === true : !WHITESPACE.test(s.segment),
      });
    }
    return out;
  }

  /** The words of `[from, to)`, in code points (punctuation, spaces and emoji are not words). */
  words(from: number, to: number): Span[] {
    return this.segments(from, to, 'word')
      .filter((s) => s.word && s.start >= from && s.end <= to)
      .map(({ start, end }) => ({ start, end }));
  }

  /**
   * Widen a span so that it does not cut a word (`'word'`) or at least a character as the reader
   * sees it (`'grapheme'`: a letter with its combining accents, an emoji sequence).
   * @example new TranscriptText('le télétravail pèse').snap({ start: 5, end: 9 }, 'word') → { start: 3, end: 14 }
   */
  snap(span: Span, granularity: 'word' | 'grapheme'): Span {
    let { start, end } = span;
    for (const s of this.segments(span.start, span.end, granularity)) {
      const whole = granularity === 'grapheme' || s.word;
      if (whole && s.start < start && start < s.end) start = s.start;
      if (whole && s.start < end && end < s.end) end = s.end;
    }
    return { start, end };
  }

  /**
   * Move one end of a span by a word: `-1` at the start extends it over the previous word, `+1`
   * shrinks it by its first word; `+1` at the end extends it over the next word, `-1` drops its last
   * word. Undefined when no word is there or the span would become empty.
   */
  moveEdge(span: Span, edge: 'start' | 'end', direction: -1 | 1): Span | undefined {
    const words = this.words(
      Math.max(0, span.start - WORD_WINDOW),
      Math.min(this.length, span.end + WORD_WINDOW),
    );
    if (edge === 'start') {
      const target =
        direction < 0
          ? words.filter((w) => w.start < span.start).pop()?.start
          : words.find((w) => w.start > span.start && w.start < span.end)?.start;
      return target === undefined ? undefined : { start: target, end: span.end };
    }
    const target =
      direction > 0
        ? words.find((w) => w.end > span.end)?.end
        : words.filter((w) => w.end < span.end && w.end > span.start).pop()?.end;
    return target === undefined ? undefined : { start: span.start, end: target };
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
    return this.trimmed({ start, end });
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

  /** The span without whitespace at either end; undefined if nothing else is left. */
  trimmed(span: Span): Span | undefined {
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
