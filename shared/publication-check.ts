/**
 * The check before publishing: what in the texts of an export could still identify someone —
 * capitalised words that are neither common words nor replacements, dates that could be a birth
 * date, e-mail addresses, phone numbers — each with where it stands. A help for the reader who
 * checks, not a proof that nothing is left.
 */
import { commonWordTest } from './lexicon.ts';
import { foldForComparison } from './text.ts';

export type RiskKind = 'name' | 'date' | 'email' | 'phone';
/** The part of an export a text comes from. */
export type ExportPart = 'quote' | 'citation' | 'memo' | 'theme' | 'definition';

export interface PublicationRisk {
  readonly kind: RiskKind;
  readonly text: string;
  readonly count: number;
  /** Up to three passages where it stands, each with what it is part of (« citation », « mémo »…). */
  readonly contexts: readonly { readonly where: ExportPart; readonly context: string }[];
}

const CAPITALISED = /(?<![\p{L}\p{M}\p{N}[])\p{Lu}[\p{L}\p{M}'’-]*(?![\p{L}\p{M}\p{N}])/gu;
const MONTHS =
  'janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre';
const DIGIT = /\d/u;
/** Each kind's pattern, and a character every match of it holds (a text without one is skipped). */
const PATTERNS: readonly [RiskKind, RegExp, RegExp | undefined][] = [
  ['email', /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu, /@/u],
  ['phone', /(?<!\d)(?:\+33[\s.]?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)/gu, DIGIT],
  ['date', /(?<!\d)(?:0?[1-9]|[12]\d|3[01])[/.-](?:0?[1-9]|1[0-2])[/.-](?:19\d{2}|20\d{2})(?!\d)/gu, DIGIT],
  [
    'date',
    new RegExp(
      `(?<!\\d)(?:1er|[0-3]?\\d)[\\s\\u00a0]+(?:${MONTHS})[\\s\\u00a0]+(?:19|20)\\d{2}(?!\\d)`,
      'giu',
    ),
    DIGIT,
  ],
  ['date', /\bn[ée]e?s?[\s\u00a0]+(?:en|le)[\s\u00a0]+[^\s.,;]+(?:[\s\u00a0]+[^\s.,;]+){0,2}/giu, undefined],
];

/**
 * The matches of global `pattern` in `text`, as `text.matchAll(pattern)` gives them, without the
 * copy of the pattern `matchAll` makes at each call (a million copies for the texts of the large
 * study's export). `pattern` must not be used meanwhile: the loop owns its `lastIndex`.
 */
function* matchesOf(pattern: RegExp, text: string): Generator<RegExpExecArray> {
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    // An empty match would be found again at the same place: step over it, as matchAll does.
    if (m[0] === '') pattern.lastIndex = m.index + ((text.codePointAt(m.index) ?? 0) > 0xffff ? 2 : 1);
    yield m;
  }
  pattern.lastIndex = 0;
}

/** About 40 characters either side of [index, index + length), cut at spaces, with « … » where cut. */
export function contextAt(text: string, index: number, length: number): string {
  let from = Math.max(0, index - 40);
  let to = Math.min(text.length, index + length + 40);
  if (from > 0) from = Math.min(index, text.indexOf(' ', from) + 1 || index);
  if (to < text.length) to = Math.max(index + length, text.lastIndexOf(' ', to));
  const middle = text.slice(from, to).replace(/\s+/gu, ' ').trim();
  return `${from > 0 ? '…' : ''}${middle}${to < text.length ? '…' : ''}`;
}

/** A capitalised word as found, without the apostrophes or hyphens it ends with. */
function capitalisedWord(found: string): string {
  return found.replace(/['’-]+$/u, '');
}

/** Whether a capitalised word is inside a replacement label « [structure A] ». */
function insideLabel(text: string, index: number): boolean {
  const open = text.lastIndexOf('[', index);
  return open >= 0 && text.lastIndexOf(']', index) < open && text.indexOf(']', index) >= 0;
}

/**
 * What could still identify someone in `texts`, the most frequent first (at most `limit`).
 * `known` are words that may stand (pseudonyms, interviewer labels, published attribute values),
 * compared without case or accents.
 * @example findPublicationRisks([{ where: 'citation', text: 'Hugo est venu' }], lexicon, [])[0].text === 'Hugo'
 */
export function findPublicationRisks(
  texts: readonly { readonly where: ExportPart; readonly text: string }[],
  lexicon: ReadonlySet<string>,
  known: readonly string[],
  limit = 200,
): PublicationRisk[] {
  // A value that may stand, and each capitalised word of it as the texts are read (« Azur » of a
  // published « Provence-Alpes-Côte d’Azur »).
  const allowed = new Set<string>();
  for (const value of known) {
    allowed.add(foldForComparison(value.trim()));
    for (const m of matchesOf(CAPITALISED, value)) allowed.add(foldForComparison(capitalisedWord(m[0])));
  }
  // Asked once per distinct word of this run (the memory goes with it).
  const common = commonWordTest(lexicon);
  const seen = new Map<string, boolean>();
  const allowedWord = (word: string) => {
    let answer = seen.get(word);
    if (answer === undefined) seen.set(word, (answer = allowed.has(foldForComparison(word))));
    return answer;
  };
  const found = new Map<
    string,
    { kind: RiskKind; text: string; count: number; contexts: PublicationRisk['contexts'][number][] }
  >();
  const add = (kind: RiskKind, value: string, where: ExportPart, text: string, index: number) => {
    const key = `${kind}:${foldForComparison(value)}`;
    const entry = found.get(key) ?? { kind, text: value, count: 0, contexts: [] };
    entry.count += 1;
    if (entry.contexts.length < 3)
      entry.contexts.push({ where, context: contextAt(text, index, value.length) });
    found.set(key, entry);
  };
  for (const { where, text } of texts) {
    const taken: [number, number][] = [];
    for (const [kind, pattern, needs] of PATTERNS) {
      // A text without the character every match holds is not searched.
      if (needs && !needs.test(text)) continue;
      for (const m of matchesOf(pattern, text)) {
        // « née le 12/03/1978 » is one finding, the date already.
        if (taken.some(([a, b]) => m.index < b && a < m.index + m[0].length)) continue;
        taken.push([m.index, m.index + m[0].length]);
        add(kind, m[0], where, text, m.index);
      }
    }
    for (const m of matchesOf(CAPITALISED, text)) {
      const word = capitalisedWord(m[0]);
      if ([...word].length < 2 || allowedWord(word)) continue;
      if (common(word) || insideLabel(text, m.index)) continue;
      add('name', word, where, text, m.index);
    }
  }
  return [...found.values()]
    .sort((a, b) => b.count - a.count || a.text.localeCompare(b.text, 'fr'))
    .slice(0, limit);
}
