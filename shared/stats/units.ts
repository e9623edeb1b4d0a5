import type { DocumentMeta } from '../model.ts';
import type { Span } from '../spans.ts';

/**
 * The paragraphs of a text: every line (a stretch between two `\n`) holding at least one
 * non-whitespace character, from its first to its last code point (the `\n` excluded). The unit
 * of turn-level statistics for documents without speaker turns.
 * @example paragraphSpans('Un.\n\n  Deux.\n') → [{start:0,end:3},{start:5,end:12}]
 */
export function paragraphSpans(text: string): Span[] {
  const out: Span[] = [];
  let position = 0;
  for (const line of text.split('\n')) {
    const length = [...line].length;
    if (/\S/u.test(line)) out.push({ start: position, end: position + length });
    position += length + 1;
  }
  return out;
}

/**
 * The units of turn-level statistics for one document: its speaker turns, or, when it has none,
 * its paragraphs (`paragraphs` is then required). Text outside every turn (a preamble before the
 * first speaker) belongs to no unit.
 */
export function unitsOf(
  document: Pick<DocumentMeta, 'turns'>,
  paragraphs?: readonly Span[],
): readonly Span[] {
  if (document.turns.length > 0) return document.turns;
  if (paragraphs === undefined) {
    throw new Error('unitsOf: a document without turns needs its paragraphs');
  }
  return paragraphs;
}
