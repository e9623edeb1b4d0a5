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
