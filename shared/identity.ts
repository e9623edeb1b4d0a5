/**
 * Checks on the names people are known by (usernames, display names) against impersonation: a
 * username mixing scripts (`аdmin` with a Cyrillic « а » looks like `admin`) and characters that
 * show nothing (zero-width spaces, joiners, direction marks, fillers).
 */

/** Scripts a letter may belong to; Japanese writing mixes three of them legitimately. */
const SCRIPTS: readonly [string, RegExp][] = [
  ['Latin', /\p{Script=Latin}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Armenian', /\p{Script=Armenian}/u],
  ['Georgian', /\p{Script=Georgian}/u],
  ['Hebrew', /\p{Script=Hebrew}/u],
  ['Arabic', /\p{Script=Arabic}/u],
  ['Devanagari', /\p{Script=Devanagari}/u],
  ['Thai', /\p{Script=Thai}/u],
  ['Hangul', /\p{Script=Hangul}/u],
  ['Japanese', /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u],
];

/** The script of a letter, by name (`Other:<letter>` for one not listed: it matches only itself). */
function scriptOf(letter: string): string {
  for (const [script, pattern] of SCRIPTS) if (pattern.test(letter)) return script;
  return `Other:${letter}`;
}

/**
 * Whether every letter of `value` belongs to one script (digits and punctuation belong to all).
 * @example isSingleScript('camille.durand') // true
 * @example isSingleScript('\u0430dmin') // false: Cyrillic « а » among Latin letters
 */
export function isSingleScript(value: string): boolean {
  const scripts = new Set<string>();
  for (const letter of value.match(/\p{L}/gu) ?? []) scripts.add(scriptOf(letter));
  return scripts.size <= 1;
}

/**
 * Characters that show nothing or change how the rest shows: format characters (zero-width space,
 * joiners, direction marks and overrides, soft hyphen), other default-ignorable code points
 * (Hangul fillers, variation selectors), control characters and the blank Braille pattern.
 */
const INVISIBLE = /[\p{Cf}\p{Cc}\p{Default_Ignorable_Code_Point}\u2800]/u;

/**
 * Whether `value` holds a character that shows nothing.
 * @example hasInvisible('Camille\u200bDurand') // true
 */
export function hasInvisible(value: string): boolean {
  return INVISIBLE.test(value);
}
