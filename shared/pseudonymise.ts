/**
 * Pseudonymisation of what leaves Verbatim: quotes, citations, memos and names in exports, and the
 * anonymised reading view. Names are matched as whole words, without regard to case, accents,
 * apostrophe style or line breaks, the longest first; the stored text itself never changes.
 */
import { DomainError } from './errors.ts';
import type { Participant, Replacement } from './model.ts';

/** A replaced name: [start, end) in Unicode code points of the text it was found in. */
export interface ReplacementSpan {
  readonly start: number;
  readonly end: number;
  readonly replacement: string;
}

/** Replaces the names of one list in any text; built once per export. */
export interface Replacer {
  /** The text with every name replaced. */
  apply(text: string): string;
  /** Where the names are in `text`, in order, without overlaps. */
  spans(text: string): ReplacementSpan[];
}

const APOSTROPHES = /['’ʼ‘`´]/u;
const SPACE = /\s/u;
const foldCache = new Map<string, string>();

/** One code point folded: whitespace to one space, apostrophes to `'`, no case, no accents. */
function foldCodePoint(ch: string): string {
  const cached = foldCache.get(ch);
  if (cached !== undefined) return cached;
  let folded: string;
  if (SPACE.test(ch)) folded = ' ';
  else if (APOSTROPHES.test(ch)) folded = "'";
  else
    folded = ch
      .toLocaleLowerCase('fr')
      .normalize('NFD')
      .replace(/\p{M}+/gu, '');
  if (foldCache.size < 10_000) foldCache.set(ch, folded);
  return folded;
}

/** A text folded for matching, each folded UTF-16 unit mapped back to the code point it came from. */
interface FoldedText {
  readonly folded: string;
  /** For each UTF-16 unit of `folded`: the code-point index of its source in the original. */
  readonly codePoint: Int32Array;
  /** For each code point of the original (and one past the end): its UTF-16 offset. */
  readonly utf16: Int32Array;
}

/** Fold `text`, collapsing runs of whitespace (spaces, line breaks, no-break spaces) into one space. */
function foldText(text: string): FoldedText {
  // Each code point folds to one unit or more (rarely more): grown when the text is not ASCII.
  let codePoint = new Int32Array(text.length + 1);
  const utf16 = new Int32Array(text.length + 1);
  const parts: string[] = [];
  let length = 0;
  let cp = 0;
  let lastWasSpace = false;
  // Start of the current run of units that fold to themselves (copied as one slice), or -1.
  let same = -1;
  const flush = (to: number) => {
    if (same >= 0) parts.push(text.slice(same, to));
    same = -1;
  };
  for (let unit = 0; unit < text.length;) {
    utf16[cp] = unit;
    const code = text.charCodeAt(unit);
    if (code < 128) {
      // ASCII, folded as foldCodePoint folds it (whitespace to a space, ` to ', capitals to lower
      // case) without its cache lookup; a run of whitespace is one space.
      const space = code === 32 || (code >= 9 && code <= 13);
      const folded = space ? 32 : code === 96 ? 39 : code >= 65 && code <= 90 ? code + 32 : code;
      if (space && lastWasSpace) {
        flush(unit);
      } else if (folded === code) {
        if (same < 0) same = unit;
        codePoint[length++] = cp;
      } else {
        flush(unit);
        parts.push(String.fromCharCode(folded));
        codePoint[length++] = cp;
      }
      lastWasSpace = space;
      unit += 1;
      cp += 1;
      continue;
    }
    flush(unit);
    const ch = String.fromCodePoint(text.codePointAt(unit) as number);
    const folded = foldCodePoint(ch);
    if (folded === ' ') {
      if (!lastWasSpace) {
        parts.push(' ');
        codePoint[length++] = cp;
      }
      lastWasSpace = true;
    } else {
      lastWasSpace = false;
      parts.push(folded);
      if (length + folded.length > codePoint.length) {
        const grown = new Int32Array(Math.max(codePoint.length * 2, length + folded.length));
        grown.set(codePoint);
        codePoint = grown;
      }
      for (let i = 0; i < folded.length; i++) codePoint[length++] = cp;
    }
    unit += ch.length;
    cp += 1;
  }
  flush(text.length);
  utf16[cp] = text.length;
  return {
    folded: parts.join(''),
    codePoint: codePoint.subarray(0, length),
    utf16: utf16.subarray(0, cp + 1),
  };
}

/** The folded form of a name to look for: trimmed, inner whitespace as one space. */
export function foldName(name: string): string {
  return [...name.trim()].map(foldCodePoint).join('').replace(/ {2,}/g, ' ');
}

/**
 * Elided words as they stand before a name (folded: apostrophe `'`, no case), and their full form.
 * « d’Hélène » becomes « de P07 », not « d’P07 », when the replacement does not open with a vowel.
 */
const ELIDED: Readonly<Record<string, string>> = {
  d: 'de',
  l: 'le',
  qu: 'que',
  jusqu: 'jusque',
  lorsqu: 'lorsque',
  puisqu: 'puisque',
  presqu: 'presque',
  quoiqu: 'quoique',
};
const ELIDED_BEFORE = /(?<![\p{L}\p{N}])(d|l|qu|jusqu|lorsqu|puisqu|presqu|quoiqu)'$/u;
/** Whether a replacement can follow an elided word: it opens with a vowel or an h. */
const OPENS_WITH_VOWEL = /^[aeiouyhàâäéèêëîïôöùûüÿæœ]/iu;

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** Whether code point `code` is a letter or a digit (`[\p{L}\p{N}]`), ASCII without a pattern. */
function isLetterOrDigit(code: number): boolean {
  if (code < 128)
    return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  return LETTER_OR_DIGIT.test(String.fromCodePoint(code));
}

/** The end (UTF-16 offset) of the run of letters and digits of `text` that starts at `at`. */
function runEnd(text: string, at: number): number {
  let i = at;
  while (i < text.length) {
    const code = text.codePointAt(i) as number;
    if (!isLetterOrDigit(code)) break;
    i += code > 0xffff ? 2 : 1;
  }
  return i;
}

/** The code point `text` ends with (that of a surrogate pair, if it ends with one). */
function lastCodePoint(text: string): number {
  const last = text.charCodeAt(text.length - 1);
  const pair = last >= 0xdc00 && last <= 0xdfff && text.length > 1;
  return pair ? (text.codePointAt(text.length - 2) as number) : last;
}

/**
 * Finds whole-word names in a folded text: where no letter or digit precedes, the first of the
 * names (longest first) that stands there and is not followed by a letter or digit. The names are
 * grouped by their first run of letters and digits, which the text must repeat exactly where one
 * of them starts, so each word of the text costs one lookup: a pattern alternating hundreds of
 * names was tried name by name at every position (3 s to check the export of the large study).
 */
function nameFinder(names: readonly string[]): (folded: string) => { index: number; name: string }[] {
  const byFirstRun = new Map<string, string[]>();
  for (const name of names) {
    const first = name.slice(0, runEnd(name, 0));
    const group = byFirstRun.get(first);
    if (group) group.push(name);
    else byFirstRun.set(first, [name]);
  }
  return (folded) => {
    const found: { index: number; name: string }[] = [];
    let afterLetter = false;
    for (let i = 0; i < folded.length;) {
      const code = folded.codePointAt(i) as number;
      const letter = isLetterOrDigit(code);
      if (!afterLetter) {
        const end = letter ? runEnd(folded, i) : i;
        const name = byFirstRun.get(folded.slice(i, end))?.find((candidate) => {
          if (!folded.startsWith(candidate, i)) return false;
          const next = folded.codePointAt(i + candidate.length);
          return next === undefined || !isLetterOrDigit(next);
        });
        if (name !== undefined) {
          found.push({ index: i, name });
          i += name.length;
          afterLetter = isLetterOrDigit(lastCodePoint(name));
          continue;
        }
        if (letter) {
          // No name starts inside a word.
          i = end;
          afterLetter = true;
          continue;
        }
      }
      afterLetter = letter;
      i += code > 0xffff ? 2 : 1;
    }
    return found;
  };
}

/** An entry of a replacer: a replacement, possibly applied only where the name is capitalised. */
export interface ReplacerEntry extends Replacement {
  readonly capitalisedOnly?: boolean;
}

function startsWithCapital(text: string, at: number): boolean {
  const ch = String.fromCodePoint(text.codePointAt(at) ?? 0);
  return ch !== ch.toLocaleLowerCase('fr');
}

/**
 * A replacer for a list of names. Matching is on whole words (« Martin » does not touch
 * « Martine »), case- and accent-insensitive, across line breaks and repeated spaces, the longest
 * name first where several start at the same place (« Théâtre des Lilas » before « Lilas »).
 * Entries whose name folds to nothing are ignored; of two that fold alike, the first wins. An
 * elided word before the name is written in full when the replacement opens with a consonant.
 * @example createReplacer([{ from: 'Hélène Dubœuf', to: 'P02' }]).apply('Merci d’helene\nDUBŒUF.') === 'Merci de P02.'
 */
export function createReplacer(replacements: readonly ReplacerEntry[]): Replacer {
  const targets = new Map<string, string>();
  /** Names that are also common words (« Colin », « Tours »): replaced only where capitalised. */
  const capitalisedOnly = new Set<string>();
  for (const r of replacements) {
    const key = foldName(r.from);
    if (key === '' || targets.has(key)) continue;
    targets.set(key, r.to);
    if (r.capitalisedOnly) capitalisedOnly.add(key);
  }
  if (targets.size === 0) {
    return { apply: (text) => text, spans: () => [] };
  }
  const alternatives = [...targets.keys()].sort((a, b) => b.length - a.length || a.localeCompare(b));
  const findNames = nameFinder(alternatives);
  /** The spans of `text`, and the UTF-16 offset of each of its code points (for `apply`). */
  const find = (text: string): { found: ReplacementSpan[]; utf16: Int32Array } => {
    const { folded, codePoint, utf16 } = foldText(text);
    const out: ReplacementSpan[] = [];
    for (const match of findNames(folded)) {
      const first = match.index;
      const last = first + match.name.length - 1;
      const replacement = targets.get(match.name) as string;
      if (
        capitalisedOnly.has(match.name) &&
        !startsWithCapital(text, utf16[codePoint[first] as number] as number)
      )
        continue;
      const elided = OPENS_WITH_VOWEL.test(replacement)
        ? null
        : ELIDED_BEFORE.exec(folded.slice(Math.max(0, first - 8), first));
      const previousEnd = out[out.length - 1]?.end ?? 0;
      const articleFolded = elided ? first - elided[0].length : -1;
      const articleStart = elided ? (codePoint[articleFolded] as number) : -1;
      if (elided && articleStart >= previousEnd) {
        // « d’Hélène » → « de P07 », keeping the capital of « D’Hélène ».
        const full = ELIDED[elided[1] as string] as string;
        const original = text.slice(utf16[articleStart], (utf16[articleStart] as number) + 1);
        const article = original !== original.toLowerCase() ? full[0]?.toUpperCase() + full.slice(1) : full;
        out.push({
          start: articleStart,
          end: (codePoint[last] as number) + 1,
          replacement: `${article} ${replacement}`,
        });
        continue;
      }
      out.push({ start: codePoint[first] as number, end: (codePoint[last] as number) + 1, replacement });
    }
    return { found: out, utf16 };
  };
  return {
    spans: (text) => find(text).found,
    apply(text: string): string {
      const { found, utf16 } = find(text);
      if (found.length === 0) return text;
      const parts: string[] = [];
      let at = 0;
      for (const s of found) {
        parts.push(text.slice(at, utf16[s.start]), s.replacement);
        at = utf16[s.end] as number;
      }
      parts.push(text.slice(at));
      return parts.join('');
    },
  };
}

/**
 * The replacements an export applies: the project's list, then each participant's name → their
 * pseudonym (a participant's real name is replaced even when the list forgets it; the list wins
 * where both name the same person).
 */
export function exportReplacements(
  list: readonly Replacement[],
  participants: readonly Pick<Participant, 'name' | 'pseudonym'>[],
): Replacement[] {
  return [
    ...list,
    ...participants.filter((p) => p.name.trim() !== '').map((p) => ({ from: p.name, to: p.pseudonym })),
  ];
}

/**
 * A replacement list as the lead submits it, tidied (trimmed, inner whitespace as one space) and
 * checked: every entry has a name and a replacement, and no name appears twice once case, accents
 * and spacing are set aside.
 * @throws DomainError `invalid_input` for an empty entry, `duplicate_name` for a name given twice.
 */
export function checkReplacementList(list: readonly Replacement[]): Replacement[] {
  const seen = new Map<string, string>();
  return list.map((r, index) => {
    const from = r.from.trim().replace(/\s+/gu, ' ');
    const to = r.to.trim();
    const key = foldName(from);
    if (key === '' || to === '') {
      throw new DomainError(
        'invalid_input',
        `Ligne ${index + 1} : le nom et son remplacement sont obligatoires.`,
        {
          index,
        },
      );
    }
    const previous = seen.get(key);
    if (previous !== undefined) {
      throw new DomainError('duplicate_name', `« ${previous} » et « ${from} » désignent le même nom.`, {
        index,
      });
    }
    seen.set(key, from);
    return r.kind === undefined ? { from, to } : { from, to, kind: r.kind };
  });
}
