/**
 * What text Verbatim stores. Every text field, whichever store keeps it, holds characters that
 * both stores can write and read back: no lone surrogate (half of a UTF-16 pair: no character at
 * all, and PostgreSQL's JSON refuses it) and no control character (NUL is refused by PostgreSQL;
 * the others are invisible and never typed), except tab and line breaks in multi-line texts.
 * Names (codes, documents, projects, attributes, participants…) are also shown, compared and used
 * as keys: they may not hold invisible characters either (zero-width, bidirectional controls, soft
 * hyphen, fillers), which would make two names that look the same differ.
 */
import { DomainError } from './errors.ts';

/** A surrogate not part of a pair (with the `u` flag, a pair is one code point). */
const LONE_SURROGATE = /\p{Cs}/u;
/** C0 and C1 controls and DEL, except tab, LF and CR. */
// eslint-disable-next-line no-control-regex
const CONTROL_IN_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
/** Every control character, and the line and paragraph separators. */
const CONTROL_IN_NAME = /[\p{Cc}\u2028\u2029]/u;
/**
 * Invisible characters: format characters (zero-width space and joiners, bidirectional marks,
 * embeddings and isolates, soft hyphen, word joiner, byte-order mark, tags…) and the fillers
 * drawn as blank space.
 */
const INVISIBLE = /[\p{Cf}\u115F\u1160\u3164\uFFA0\u2800]/u;
/** A zero-width joiner inside an emoji sequence (👩‍🔬) is part of what is seen: allowed there. */
const EMOJI_JOINER =
  /(?<=\p{Extended_Pictographic}(?:\uFE0F|[\u{1F3FB}-\u{1F3FF}])?)\u200D(?=\p{Extended_Pictographic})/gu;

/** `U+200B`: how a refused character is named in messages. */
function codePointOf(match: string): string {
  return `U+${(match.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** A character a text or a name may not hold: what kind, and which (`U+200B`). */
export interface UnsafeCharacter {
  readonly kind: 'surrogate' | 'control' | 'invisible';
  readonly character: string;
}

/**
 * The first character `value` may not hold, as a text (a memo, a description, a document's text)
 * or as a name (on one line, without invisible characters); undefined if there is none.
 * @example findUnsafeCharacter('Coûts\u200B', 'name') → {kind: 'invisible', character: 'U+200B'}
 */
export function findUnsafeCharacter(value: string, as: 'text' | 'name'): UnsafeCharacter | undefined {
  const lone = LONE_SURROGATE.exec(value);
  if (lone) return { kind: 'surrogate', character: codePointOf(lone[0]) };
  const control = (as === 'text' ? CONTROL_IN_TEXT : CONTROL_IN_NAME).exec(value);
  if (control) return { kind: 'control', character: codePointOf(control[0]) };
  const invisible = as === 'name' ? INVISIBLE.exec(value.replace(EMOJI_JOINER, '')) : null;
  if (invisible) return { kind: 'invisible', character: codePointOf(invisible[0]) };
  return undefined;
}

/** The refusal of `found`, in French: « contient un caractère invisible (U+200B). » */
export function describeUnsafe(found: UnsafeCharacter): string {
  switch (found.kind) {
    case 'surrogate':
      return `contient un caractère invalide (moitié de paire de substitution ${found.character}).`;
    case 'control':
      return `contient un caractère de contrôle (${found.character}).`;
    case 'invisible':
      return `contient un caractère invisible (${found.character}).`;
  }
}

/**
 * Why `value` may not be stored as a text, in French, or undefined if it may.
 * @example unsafeTextReason('a\u0000b') === 'contient un caractère de contrôle (U+0000).'
 */
export function unsafeTextReason(value: string): string | undefined {
  const found = findUnsafeCharacter(value, 'text');
  return found && describeUnsafe(found);
}

/**
 * Why `value` may not be used as a name, in French, or undefined if it may.
 * @example unsafeNameReason('Coûts\u200B') === 'contient un caractère invisible (U+200B).'
 */
export function unsafeNameReason(value: string): string | undefined {
  const found = findUnsafeCharacter(value, 'name');
  return found && describeUnsafe(found);
}

/**
 * Why the cells of an imported row may not be stored (« Colonne « nom » : contient… »), or
 * undefined: names checked as names, texts as texts.
 */
export function unsafeCellsReason(
  cells: readonly { column: string; value: string; kind: 'name' | 'text' }[],
): string | undefined {
  for (const { column, value, kind } of cells) {
    const reason = kind === 'name' ? unsafeNameReason(value) : unsafeTextReason(value);
    if (reason) return `Colonne « ${column} » : ${reason}`;
  }
  return undefined;
}

/**
 * What PostgreSQL cannot hold in a JSON or text value: a lone surrogate or NUL. Other controls
 * are refused at the edge but could still be stored.
 */
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /[\p{Cs}\u0000]/gu;

/** Whether a string holds a character PostgreSQL would refuse. */
export function isStorable(value: string): boolean {
  UNSTORABLE.lastIndex = 0;
  return !UNSTORABLE.test(value);
}

/**
 * Replace each character PostgreSQL cannot hold by U+FFFD, one code point for one, so that
 * offsets into a repaired text stay where they were.
 * @example repairText('a\u0000b\uD800') === 'a\uFFFDb\uFFFD'
 */
export function repairText(value: string): string {
  return value.replace(UNSTORABLE, '\uFFFD');
}

/**
 * The first string found in `value` (searched depth-first: object keys and values, array items)
 * that PostgreSQL cannot hold, with its path (`after.memo`), or undefined.
 */
export function findUnstorable(value: unknown, path = ''): { path: string; value: string } | undefined {
  if (typeof value === 'string') return isStorable(value) ? undefined : { path, value };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorable(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (!isStorable(key)) return { path: at, value: key };
    const found = findUnstorable(item, at);
    if (found) return found;
  }
  return undefined;
}

/** A copy of `value` with every string (keys included) repaired by `repairText`. */
export function repairDeep<T>(value: T): T {
  if (typeof value === 'string') return repairText(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => repairDeep(item)) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [key, item] of Object.entries(value)) out[repairText(key)] = repairDeep(item);
  return Object.setPrototypeOf(out, Object.prototype) as T;
}

/**
 * Refuse events holding a string that PostgreSQL could not store, whichever store runs: the same
 * text is refused by both (400 `invalid_input`, naming the field), and a folder can always be
 * migrated. The edge refuses such text first; this catches any path that let one through.
 */
export function assertStorable(events: readonly object[]): void {
  const found = findUnstorable(events);
  if (!found) return;
  const field = found.path.replace(/^\[\d+\]\.?/, '') || 'texte';
  throw new DomainError(
    'invalid_input',
    `${field} : ce texte ${unsafeTextReason(found.value) ?? 'contient un caractère invalide.'}`,
    { field },
  );
}
