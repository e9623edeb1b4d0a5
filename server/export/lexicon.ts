/**
 * The French lexicon that tells names from common words (suggestions, the check before
 * publishing): about 336,000 word forms from the `an-array-of-french-words` list (MIT), read once,
 * at first use, and kept.
 */
import { createRequire } from 'node:module';
import { lexiconForm } from '../../shared/lexicon.ts';

/** Words of speech and abbreviated titles that no dictionary lists but every transcript holds. */
const SPOKEN = ['euh', 'hum', 'bah', 'ben', 'hein', 'ouais', 'ok', 'okay', 'mmh', 'mh', 'voilà', 'bref'];
const TITLES = ['mme', 'mmes', 'mlle', 'mlles', 'dr', 'pr', 'me'];
/** The list holds no word with an apostrophe. */
const WITH_APOSTROPHE = [
  "c'est-à-dire",
  "aujourd'hui",
  "quelqu'un",
  "quelqu'une",
  "presqu'île",
  "prud'homme",
];

let lexicon: ReadonlySet<string> | undefined;

export function frenchLexicon(): ReadonlySet<string> {
  if (lexicon === undefined) {
    const words = createRequire(import.meta.url)('an-array-of-french-words/index.json') as string[];
    lexicon = new Set([...words, ...SPOKEN, ...TITLES, ...WITH_APOSTROPHE].map(lexiconForm));
  }
  return lexicon;
}
