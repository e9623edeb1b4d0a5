/**
 * Normalise a document's text once, at import: strip a byte-order mark, turn CRLF and lone CR
 * into LF, and compose to NFC. The result is stored and never changed again, so offsets into it
 * never drift.
 * @example normaliseText('\uFEFFe\u0301te\r\n') === 'été\n'
 */
export function normaliseText(raw: string): string {
  const withoutBom = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  return withoutBom.replace(/\r\n?/g, '\n').normalize('NFC');
}

/** Fold a string for accent- and case-insensitive comparison: « Été » and « ete » fold alike. */
export function foldForComparison(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLocaleLowerCase('fr');
}
