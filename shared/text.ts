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

/** Fold a string for accent- and case-insensitive comparison: « Été » and « ete » fold alike. */
export function foldForComparison(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLocaleLowerCase('fr');
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
