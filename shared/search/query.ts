import { DomainError } from '../errors.ts';
import { processTerm, tokenize } from './french.ts';

/** One thing to look for: a word or an exact phrase, as processed terms. */
export interface Clause {
  readonly raw: string;
  readonly terms: readonly string[];
  readonly phrase: boolean;
}

/**
 * A parsed query: every group must match (AND), a group matches when one of its clauses does
 * (OR), and no excluded clause may match.
 */
export interface Query {
  readonly groups: readonly (readonly Clause[])[];
  readonly excluded: readonly Clause[];
}

function clause(raw: string, phrase: boolean): Clause | undefined {
  const terms = tokenize(raw)
    .map((t) => processTerm(t.word))
    .filter((t): t is string => t !== null);
  return terms.length === 0 ? undefined : { raw, terms, phrase: phrase && terms.length > 1 };
}

/**
 * Read a query as researchers type it: words (all required), `"exact phrases"`, `OR` between two
 * alternatives, `-word` or `-"phrase"` to exclude. `AND` is accepted and changes nothing.
 * @example parseQuery('"double saisie" OR ressaisie -papier')
 */
export function parseQuery(q: string): Query {
  const parts = [...q.matchAll(/(-?)"([^"]*)"|(\S+)/g)].map((m) =>
    m[3] !== undefined
      ? {
          neg: m[3].startsWith('-') && m[3].length > 1,
          text: m[3].replace(/^-/, ''),
          quoted: false,
          bare: m[3],
        }
      : { neg: m[1] === '-', text: m[2] ?? '', quoted: true, bare: '' },
  );
  const groups: Clause[][] = [];
  const excluded: Clause[] = [];
  let joinNext = false;
  for (const part of parts) {
    if (!part.quoted && (part.bare === 'OR' || part.bare === 'OU')) {
      joinNext = groups.length > 0;
      continue;
    }
    if (!part.quoted && (part.bare === 'AND' || part.bare === 'ET')) continue;
    const c = clause(part.text, part.quoted);
    if (!c) continue;
    if (part.neg) excluded.push(c);
    else if (joinNext) (groups[groups.length - 1] as Clause[]).push(c);
    else groups.push([c]);
    joinNext = false;
  }
  if (groups.length === 0) {
    throw new DomainError(
      'invalid_input',
      'La recherche ne contient aucun mot significatif (les mots trop courants sont ignorés).',
    );
  }
  return { groups, excluded };
}
