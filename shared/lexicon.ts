/**
 * Whether a word is a common French word, against a lexicon passed in (the server loads one from a
 * word list; `shared/` reads no file). Used to tell names from words: « Les », « Avec »,
 * « Pouvez-vous » are words whatever their capital; « Bertin », « Saint-Aubin » are not.
 */

/** Pronouns that follow a verb in an inversion or an imperative: « pouvez-vous », « dites-moi », « a-t-il ». */
const AFTER_VERB = new Set(
  'je tu il elle on nous vous ils elles moi toi lui leur leurs le la les y en t ce là ci'.split(' '),
);
const ELIDED = /^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|presqu|quoiqu)'(.+)$/u;

/** A word as the lexicon spells it: lower case, composed, apostrophe `'`. */
export function lexiconForm(word: string): string {
  return word
    .normalize('NFC')
    .toLocaleLowerCase('fr')
    .replace(/[’ʼ‘`´]/gu, "'");
}

/**
 * `isCommonWord` against `lexicon`, remembering its answers for one run over a corpus: the same
 * capitalised words (« Alors », « Oui », a speaker's name) come back thousands of times, and
 * lowering a word for a locale goes through ICU. The memory holds words of the transcripts, names
 * among them: keep the function no longer than the run that needs it.
 */
export function commonWordTest(lexicon: ReadonlySet<string>): (word: string) => boolean {
  const known = new Map<string, boolean>();
  return (word) => {
    let common = known.get(word);
    if (common === undefined) {
      common = isCommonWord(word, lexicon);
      known.set(word, common);
    }
    return common;
  };
}

/**
 * Whether `word` is a common word: in the lexicon once in lower case, after an elided article
 * (« l’Équipe »), or a verb followed by its pronouns (« Pouvez-vous »).
 * @example isCommonWord('Avec', new Set(['avec'])) === true
 */
export function isCommonWord(word: string, lexicon: ReadonlySet<string>): boolean {
  const lower = lexiconForm(word);
  if (lower === '' || lexicon.has(lower)) return true;
  const elided = ELIDED.exec(lower);
  if (elided) return isCommonWord(elided[1] as string, lexicon);
  const parts = lower.split('-');
  return (
    parts.length > 1 && lexicon.has(parts[0] as string) && parts.slice(1).every((p) => AFTER_VERB.has(p))
  );
}
