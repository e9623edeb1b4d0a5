import { CodePointIndex } from '../../shared/offsets.ts';
import { normaliseText } from '../../shared/text.ts';

/**
 * Selections of an imported REFI-QDA source, carried onto Verbatim's stored text.
 *
 * A source's text is stored as every imported text is: normalised once (`normaliseText`: leading
 * byte-order marks removed, CRLF and lone CR turned into LF, NFC composition). Each step moves
 * positions, so a selection counted in the tool's text is mapped through the normalisation and
 * covers the same characters afterwards.
 *
 * The text is cut into segments that normalise independently — a leading BOM, a line end, a line
 * already in NFC (mapped one to one inside), or else a character with the combining marks that
 * follow it — and each segment's start is recorded before and after normalisation. A position on a segment boundary maps exactly; a position inside one
 * (between a letter and its accent, between CR and LF) is moved outwards, to the segment's start
 * for a selection's start and its end for a selection's end, and reported as inexact.
 */

/** The unit a tool counted positions in: the specification says code points, NVivo counts UTF-16. */
export type PositionUnit = 'code-points' | 'utf-16';

export interface NormalisedText {
  /** The stored text: exactly `normaliseText(raw)`. */
  readonly text: string;
  /** Start of each segment in the raw text (UTF-16), ascending, with `raw.length` last. */
  readonly rawBounds: readonly number[];
  /** Start of the same segments in `text` (UTF-16), with `text.length` last. */
  readonly textBounds: readonly number[];
  /**
   * Whether each segment is unchanged by normalisation (a line already in NFC): a position inside
   * it maps one to one, exactly.
   */
  readonly unchanged: readonly boolean[];
}

/** Characters that attach to the one before them under NFC: marks and Hangul vowel/final jamo. */
const ATTACHES = /[\p{M}\u1160-\u11FF\uD7B0-\uD7FF]/u;

/**
 * Normalise a text as `normaliseText` does, keeping the correspondence of positions.
 * @example normaliseWithBounds('\uFEFFe\u0301\r\n').text === 'é\n'
 */
export function normaliseWithBounds(raw: string): NormalisedText {
  const rawBounds: number[] = [];
  const textBounds: number[] = [];
  const unchanged: boolean[] = [];
  const pieces: string[] = [];
  let produced = 0;
  const push = (rawStart: number, normalised: string, same = false) => {
    rawBounds.push(rawStart);
    textBounds.push(produced);
    unchanged.push(same);
    pieces.push(normalised);
    produced += normalised.length;
  };
  let i = 0;
  while (i < raw.length && raw.charCodeAt(i) === 0xfeff) push(i++, '');
  while (i < raw.length) {
    const lineEnd = nextLineEnd(raw, i);
    if (lineEnd > i) pushLine(raw, i, lineEnd, push);
    if (lineEnd >= raw.length) break;
    const breakLength = raw.startsWith('\r\n', lineEnd) ? 2 : 1;
    push(lineEnd, '\n');
    i = lineEnd + breakLength;
  }
  const text = pieces.join('');
  rawBounds.push(raw.length);
  textBounds.push(text.length);
  if (text !== normaliseText(raw)) {
    // Cannot happen for well-formed Unicode; a guard so that a surprise never shifts codings.
    throw new Error('normaliseWithBounds: segment-wise normalisation differs from normaliseText');
  }
  return { text, rawBounds, textBounds, unchanged };
}

function nextLineEnd(raw: string, from: number): number {
  for (let j = from; j < raw.length; j++) {
    const unit = raw.charCodeAt(j);
    if (unit === 0x0a || unit === 0x0d) return j;
  }
  return raw.length;
}

/**
 * One line, cut after each character and its attaching marks. NFC never reaches across a line
 * end, so when cutting finer would change the result (a rare composition between two starters),
 * the whole line becomes one segment instead.
 */
function pushLine(
  raw: string,
  start: number,
  end: number,
  push: (rawStart: number, normalised: string, same?: boolean) => void,
) {
  const line = raw.slice(start, end);
  // Nearly every line of a transcript: already composed, so one segment mapped one to one.
  if (line.normalize('NFC') === line) {
    push(start, line, true);
    return;
  }
  const cuts: number[] = [];
  let j = 0;
  for (const char of line) {
    if (j === 0 || !ATTACHES.test(char)) cuts.push(j);
    j += char.length;
  }
  const segments = cuts.map((cut, k) => line.slice(cut, cuts[k + 1] ?? line.length).normalize('NFC'));
  if (segments.join('') !== line.normalize('NFC')) {
    push(start, line.normalize('NFC'));
    return;
  }
  cuts.forEach((cut, k) => push(start + cut, segments[k] as string));
}

/** Whether a UTF-16 offset falls between the two halves of a surrogate pair. */
function splitsSurrogatePair(text: string, offset: number): boolean {
  if (offset <= 0 || offset >= text.length) return false;
  const before = text.charCodeAt(offset - 1);
  const after = text.charCodeAt(offset);
  return before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff;
}

export interface RawSpan {
  readonly start: number;
  readonly end: number;
}

/**
 * Decide which unit a source's selections are counted in. The two units agree unless the text has
 * characters outside the Basic Multilingual Plane (emoji); then:
 * 1. an interpretation is possible when every selection has 0 ≤ start ≤ end ≤ the text's length in
 *    that unit and, for UTF-16, no position splits a surrogate pair;
 * 2. when only one is possible, it is the one;
 * 3. when both are, the exporting tool decides: NVivo (any version: `origin` names it) counts
 *    UTF-16 code units, everything else is taken at its word, code points, as the specification says.
 * When neither is possible, code points are returned and the selections will be refused as outside
 * the text.
 */
export function choosePositionUnit(
  raw: string,
  spans: readonly RawSpan[],
  origin: string,
): { unit: PositionUnit; reason: string } {
  const codePoints = new CodePointIndex(raw).length;
  if (codePoints === raw.length) {
    return { unit: 'code-points', reason: 'no character outside the BMP: both units agree' };
  }
  const fitsCodePoints = spans.every((s) => s.start >= 0 && s.start <= s.end && s.end <= codePoints);
  const fitsUtf16 = spans.every(
    (s) =>
      s.start >= 0 &&
      s.start <= s.end &&
      s.end <= raw.length &&
      !splitsSurrogatePair(raw, s.start) &&
      !splitsSurrogatePair(raw, s.end),
  );
  if (fitsUtf16 && !fitsCodePoints)
    return { unit: 'utf-16', reason: 'only UTF-16 units fit every selection' };
  if (fitsCodePoints && !fitsUtf16)
    return { unit: 'code-points', reason: 'only code points fit every selection' };
  if (fitsUtf16 && /nvivo/i.test(origin)) return { unit: 'utf-16', reason: `exported by ${origin}` };
  return { unit: 'code-points', reason: 'the specification counts code points' };
}

export interface MappedSpan {
  /** [start, end) in code points of the normalised text. */
  readonly start: number;
  readonly end: number;
  /** False when a position fell inside a character that normalisation composed or a CRLF. */
  readonly exact: boolean;
}

/** Carries selections of one raw source text onto its normalised text. */
export class PositionMapper {
  readonly normalised: NormalisedText;
  readonly index: CodePointIndex;
  private readonly rawIndex: CodePointIndex;

  constructor(
    readonly raw: string,
    readonly unit: PositionUnit,
  ) {
    this.normalised = normaliseWithBounds(raw);
    this.index = new CodePointIndex(this.normalised.text);
    this.rawIndex = new CodePointIndex(raw);
  }

  /** The stored text. */
  get text(): string {
    return this.normalised.text;
  }

  /** Length of the raw text in the unit of the positions. */
  get rawLength(): number {
    return this.unit === 'utf-16' ? this.raw.length : this.rawIndex.length;
  }

  /**
   * Map a selection `[start, end)` counted in `unit` over the raw text.
   * Returns undefined when it lies outside the raw text, is reversed, or splits a surrogate pair.
   */
  map(start: number, end: number): MappedSpan | undefined {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || start > end) return undefined;
    if (end > this.rawLength) return undefined;
    let rawStart = start;
    let rawEnd = end;
    if (this.unit === 'code-points') {
      rawStart = this.rawIndex.toUtf16(start);
      rawEnd = this.rawIndex.toUtf16(end);
    } else if (splitsSurrogatePair(this.raw, start) || splitsSurrogatePair(this.raw, end)) {
      return undefined;
    }
    const from = this.toText(rawStart, 'start');
    const to = this.toText(rawEnd, 'end');
    return {
      start: this.index.toCodePoint(from.offset),
      end: this.index.toCodePoint(Math.max(from.offset, to.offset)),
      exact: from.exact && to.exact,
    };
  }

  private toText(rawOffset: number, side: 'start' | 'end'): { offset: number; exact: boolean } {
    const { rawBounds, textBounds } = this.normalised;
    // Last segment whose raw start is ≤ rawOffset.
    let lo = 0;
    let hi = rawBounds.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((rawBounds[mid] as number) <= rawOffset) lo = mid;
      else hi = mid - 1;
    }
    if (rawBounds[lo] === rawOffset) return { offset: textBounds[lo] as number, exact: true };
    if (this.normalised.unchanged[lo] && rawOffset < (rawBounds[lo + 1] as number)) {
      return { offset: (textBounds[lo] as number) + rawOffset - (rawBounds[lo] as number), exact: true };
    }
    const k = side === 'start' ? lo : lo + 1;
    return { offset: textBounds[k] as number, exact: false };
  }
}
