/**
 * The one place where offsets change unit.
 *
 * Verbatim's offsets are Unicode code points of the stored (normalised) text, as REFI-QDA defines
 * positions. JavaScript strings, and so DOM selections, index UTF-16 code units: a character outside
 * the Basic Multilingual Plane (an emoji, say) is one code point but two code units.
 *
 * A `CodePointIndex` converts both ways. Texts with no astral character (nearly every French
 * transcript) take a fast path where both units coincide; otherwise a sorted table of the UTF-16
 * positions of surrogate pairs is searched in O(log n).
 */
/** A high surrogate followed by a low one: one astral character (a lone surrogate is not). */
const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;

export class CodePointIndex {
  /** Length of the text in code points. */
  readonly length: number;
  /** UTF-16 positions of the high surrogate of each astral character, ascending. */
  private readonly astral: readonly number[];

  constructor(readonly text: string) {
    // A regular expression finds the pairs far faster than a loop over every code unit, which until
    // optimised costs several nanoseconds a unit: most texts hold none, or a few emoji far apart.
    this.astral = Array.from(text.matchAll(SURROGATE_PAIR), (match) => match.index);
    this.length = text.length - this.astral.length;
  }

  /** UTF-16 offset → code-point offset. An offset inside a surrogate pair is refused. */
  toCodePoint(utf16: number): number {
    if (!Number.isInteger(utf16) || utf16 < 0 || utf16 > this.text.length) {
      throw new RangeError(`toCodePoint: ${utf16} is outside [0, ${this.text.length}]`);
    }
    if (this.astral.length === 0) return utf16;
    // Number of astral characters starting strictly before utf16.
    const before = upperBound(this.astral, utf16 - 1);
    if (before > 0 && this.astral[before - 1] === utf16 - 1) {
      throw new RangeError(`toCodePoint: ${utf16} splits a surrogate pair`);
    }
    return utf16 - before;
  }

  /** Code-point offset → UTF-16 offset. */
  toUtf16(codePoint: number): number {
    if (!Number.isInteger(codePoint) || codePoint < 0 || codePoint > this.length) {
      throw new RangeError(`toUtf16: ${codePoint} is outside [0, ${this.length}]`);
    }
    if (this.astral.length === 0) return codePoint;
    // Find how many astral characters lie before code point `codePoint`: the k-th astral character
    // (0-based) sits at code point astral[k] - k.
    let lo = 0;
    let hi = this.astral.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.astral[mid] as number) - mid < codePoint) lo = mid + 1;
      else hi = mid;
    }
    return codePoint + lo;
  }

  /** The text of `[start, end)` in code points. */
  slice(start: number, end: number): string {
    return this.text.slice(this.toUtf16(start), this.toUtf16(end));
  }
}

/** Number of elements of a sorted array that are ≤ value. */
function upperBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Length of a string in code points. */
export function codePointLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}
