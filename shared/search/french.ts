/**
 * French term processing for search: people type « accessibilite » for « accessibilité », « ca »
 * for « ça », « ressaisir » for « ressaisissons », « l’API » for « API ».
 *
 * A term is folded (accents and case removed), stripped of an elided article or pronoun (l’, d’,
 * qu’…), dropped if it is a stop word, then stemmed with the Snowball French stemmer. Folding comes
 * before stemming so that a word typed with or without its accents gets the same stem.
 */
import snowball from 'snowball-stemmers';

const stemmer = snowball.newStemmer('french');

/** Accents and case removed: « Été » → « ete ». */
export function foldTerm(word: string): string {
  return word
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

const ELISION = /^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)['’ʼ]/i;

/** Common French words that carry no theme: left out of the index and of queries. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a au aux avec ce ces cette cet dans de des du elle elles en et eux il ils je la le les leur leurs lui ma mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous y ' +
    'c d j l m n s t etre avoir est sont etait ai as avons avez ont fait faire plus tres bien alors donc or ni car si tout tous toute toutes aussi comme cela ici la-bas euh ben bah hein quoi voila oui non'
  ).split(/\s+/),
);

/**
 * Words already processed. Interviews reuse a vocabulary of some tens of thousands of forms, and
 * stemming is most of the cost of indexing and of checking hits, so each form is stemmed once.
 * Emptied when full rather than evicted one by one: refilling is cheap.
 */
const processed = new Map<string, string | null>();
const PROCESSED_LIMIT = 200_000;

/** A word as the index stores it, or null for a stop word. */
export function processTerm(word: string): string | null {
  const known = processed.get(word);
  if (known !== undefined) return known;
  const folded = foldTerm(word).replace(ELISION, '');
  const term = folded === '' || STOP_WORDS.has(folded) ? null : stemmer.stem(folded);
  if (processed.size >= PROCESSED_LIMIT) processed.clear();
  processed.set(word, term);
  return term;
}

/** A word of a text with its position: `[start, end)` in UTF-16 units of that text. */
export interface Token {
  readonly word: string;
  readonly start: number;
  readonly end: number;
}

// Letters and digits, with inner apostrophes kept so elisions can be recognised; hyphens split words.
const WORD = /[\p{L}\p{N}]+(?:['’ʼ][\p{L}\p{N}]+)*/gu;

/** The words of a text, without positions: faster than `tokenize` when only the words are needed. */
export function words(text: string): string[] {
  return text.match(WORD) ?? [];
}

/** The words of a text, with their UTF-16 positions. « l’accessibilité » is one token (its elision is stripped by processTerm). */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(WORD)) {
    const start = match.index;
    tokens.push({ word: match[0], start, end: start + match[0].length });
  }
  return tokens;
}

/** Whether each UTF-16 unit of the Basic Multilingual Plane is a letter or a digit; built at first use. */
let wordUnits: Uint8Array | undefined;
const WORD_CHARACTER = /^[\p{L}\p{N}]$/u;

function wordUnitTable(): Uint8Array {
  const table = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    // Surrogates stay 0: a lone one is no letter, and pairs are looked at whole.
    if (c < 0xd800 || c > 0xdfff) table[c] = WORD_CHARACTER.test(String.fromCharCode(c)) ? 1 : 0;
  }
  return table;
}

/** UTF-16 length of the letter or digit at `i` (2 for a surrogate pair), or 0 when there is none. */
function wordCharacterAt(text: string, i: number, to: number, table: Uint8Array): number {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
    const next = text.charCodeAt(i + 1);
    if (next >= 0xdc00 && next <= 0xdfff) return WORD_CHARACTER.test(text.slice(i, i + 2)) ? 2 : 0;
  }
  return table[c] as number;
}

const isApostrophe = (c: number) => c === 0x27 || c === 0x2019 || c === 0x2bc;

/**
 * Call `found(start, end)` for each word of `text` within `[from, to)` (UTF-16 units), exactly the
 * words `tokenize` finds in that stretch, without building a match or a token for each: indexing a
 * study of millions of words spent more time collecting those than stemming.
 */
export function forEachWord(
  text: string,
  from: number,
  to: number,
  found: (start: number, end: number, hash: number) => void,
): void {
  const table = (wordUnits ??= wordUnitTable());
  let i = from;
  while (i < to) {
    let c = text.charCodeAt(i);
    let n = c >= 0xd800 && c <= 0xdbff ? wordCharacterAt(text, i, to, table) : (table[c] as number);
    if (n === 0) {
      i++;
      continue;
    }
    const start = i;
    // FNV-1a over the word's UTF-16 units, as `hashUnits` computes it, while they are read.
    let hash = 0x811c9dc5;
    for (;;) {
      while (n > 0) {
        hash = Math.imul(hash ^ c, 0x01000193);
        if (n === 2) hash = Math.imul(hash ^ text.charCodeAt(i + 1), 0x01000193);
        i += n;
        if (i >= to) {
          n = 0;
          break;
        }
        c = text.charCodeAt(i);
        n = c >= 0xd800 && c <= 0xdbff ? wordCharacterAt(text, i, to, table) : (table[c] as number);
      }
      // An inner apostrophe followed by a letter continues the word (« aujourd’hui », « l’API »).
      if (i + 1 < to && isApostrophe(c) && (n = wordCharacterAt(text, i + 1, to, table)) > 0) {
        hash = Math.imul(hash ^ c, 0x01000193);
        i++;
        c = text.charCodeAt(i);
        continue;
      }
      break;
    }
    found(start, i, hash >>> 0);
  }
}

/** FNV-1a over the UTF-16 units of `text` in `[start, end)`: the hash `forEachWord` gives a word. */
export function hashUnits(text: string, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
