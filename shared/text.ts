/**
 * Normalise a document's text once, at import: strip a byte-order mark, turn CRLF and lone CR
 * into LF, and compose to NFC. The result is stored and never changed again, so offsets into it
 * never drift.
 * A text saved twice with a BOM starts with two: all leading ones go, so that normalising a
 * normalised text changes nothing.
 * @example normaliseText('\uFEFFe\u0301te\u0301\r\n') === 'été\n'
 */
export function normaliseText(raw: string): string {
  const withoutBom = raw.replace(/^\uFEFF+/, '');
  return withoutBom.replace(/\r\n?/g, '\n').normalize('NFC');
}

/**
 * Fold a string for accent- and case-insensitive comparison: « Été » and « ete » fold alike.
 * `toLowerCase` rather than `toLocaleLowerCase('fr')`: French has no case rule of its own, so both
 * give the same string for every code point (tests/shared/text.test.ts), and the first is twice as
 * fast, which counts when a new code's name is compared with each of hundreds of others.
 */
export function foldForComparison(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/**
 * Words as a word processor counts them: runs of characters between spaces that hold at least one
 * letter or digit (« l’entretien » and « peut-être » are one word each; a lone « – » or « : » none).
 * @example countWords('Enquêtrice : l’outil, peut-être ?') → 3
 */
export function countWords(text: string): number {
  let words = 0;
  for (const token of text.split(/\s+/u)) if (/[\p{L}\p{N}]/u.test(token)) words++;
  return words;
}
