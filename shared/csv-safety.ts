/**
 * Formula injection (CSV injection): a cell whose text starts with `=`, `+`, `-`, `@`, a tab or a
 * carriage return is run as a formula by spreadsheets. An interview quote must never become one:
 * every CSV and XLSX the tool writes, on the server or in the browser, goes through this one rule.
 */

/** What a spreadsheet reads as the start of a formula. */
export const FORMULA_START = /^[=+\-@\t\r]/;

/** Whether a spreadsheet would take `text` for a formula. */
export function looksLikeFormula(text: string): boolean {
  return FORMULA_START.test(text);
}

/**
 * The text as a spreadsheet shows it as text: prefixed with an apostrophe when it looks like a
 * formula, unchanged otherwise.
 * @example neutraliseFormula('=SOMME(A1)') → "'=SOMME(A1)" · neutraliseFormula('Coûts') → 'Coûts'
 */
export function neutraliseFormula(text: string): string {
  return looksLikeFormula(text) ? `'${text}` : text;
}
