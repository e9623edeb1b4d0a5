/**
 * French typography for generated documents: the no-break spaces French puts before high
 * punctuation and inside guillemets, and text Word's XML can hold.
 */

const NNBSP = '\u202f';
const NBSP = '\u00a0';

/**
 * Turn the ordinary spaces French typography wants unbreakable into the right no-break space:
 * U+202F (fine) before `; ! ?`, U+00A0 before `:` and inside « ». Only spaces already there are
 * changed (none is added, none removed), so a quote stays word for word what was said; a missing
 * space inside guillemets is added, since only generated text lacks it.
 * @example frenchSpacing('« Bonjour ! » : oui') === '«\u00a0Bonjour\u202f!\u00a0»\u00a0: oui'
 */
export function frenchSpacing(text: string): string {
  return text
    .replace(/[ \u00a0\u202f]+(?=[;!?])/g, NNBSP)
    .replace(/[ \u00a0\u202f]+(?=:)/g, NBSP)
    .replace(/«[ \u00a0\u202f]*/g, `«${NBSP}`)
    .replace(/[ \u00a0\u202f]*»/g, `${NBSP}»`);
}

/** A time in the recording as `hh:mm:ss` (« 00:12:34 »). */
export function formatTime(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
}

/**
 * Text that XML 1.0 can hold: control characters other than tab and line feed, lone surrogates and
 * the two non-characters U+FFFE/U+FFFF are dropped (Word refuses a document that has them).
 */
export function xmlSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|\p{Cs}/gu, '');
}
