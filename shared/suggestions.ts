/**
 * Names worth adding to the replacement list, found in the transcripts: people (« Hugo Bertin »,
 * « Léa » greeted alone, « Mme Fabre »), places (« à Saint-Aubin ») and organisations (« Théâtre
 * des Tilleuls »), each with its count, a few contexts and a replacement to propose. A common word
 * (checked against a French lexicon) is never a suggestion alone, nor a capital that merely opens a
 * sentence.
 */
import type { Participant, Replacement, ReplacementKind } from './model.ts';
import { commonWordTest } from './lexicon.ts';
import { contextAt } from './publication-check.ts';
import { letterLabel, nameParts } from './publication.ts';
import { createReplacer, foldName, type Replacer, type ReplacerEntry } from './pseudonymise.ts';
import { foldForComparison } from './text.ts';
import type { Turn } from './turns.ts';
import { isInterviewer } from './turns.ts';

/** A name that could identify someone, found in the transcripts. */
export interface ReplacementSuggestion {
  readonly from: string;
  /** How many times it occurs in the texts (or as the speaker of turns). */
  readonly count: number;
  readonly sources: readonly ('text' | 'speaker')[];
  readonly kind: ReplacementKind;
  /** The replacement proposed: « [personne 1] », « [prénom 2] », « [ville A] », « [structure B] ». */
  readonly to: string;
  /** A few passages where it occurs, about 40 characters either side. */
  readonly contexts: readonly string[];
}

const WORD = "\\p{Lu}[\\p{L}\\p{M}'’-]*";
const PARTICLE = "(?:de|du|des|la|le|les|van|von|der|di|da|del|ben|sur|en|[dl]['’])";
const SEQUENCE = new RegExp(
  `(?<![\\p{L}\\p{M}\\p{N}])${WORD}(?:(?:[ \\u00a0]${PARTICLE}(?:[ \\u00a0]|(?<=['’]))|[ \\u00a0])${WORD})*(?![\\p{L}\\p{M}\\p{N}])`,
  'gu',
);
const TITLE = /^(?:m\.?|mme|mlle|madame|monsieur|mademoiselle|dr|docteur|docteure|me|maitre)$/u;
const ORGANISATION =
  /^(?:theatre|festival|compagnie|cie|association|scene|centre|maison|mairie|ville|conseil|opera|salle|collectif|musee|espace|lycee|college|ecole|universite|fondation|institut|bibliotheque|mediatheque|ensemble|orchestre|societe|agence|office|region|departement|communaute|fabrique|studio|atelier|cinema|conservatoire|friche|ministere|drac)$/u;
const PLACE_BEFORE = /(?:^|[\s\u00a0])(?:à|a|vers|depuis|sur|près de|pres de)[\s\u00a0]+$/iu;
const PLACE_SHAPE = /^(?:saint|sainte|st|ste)-|-(?:sur|en|les|lès|le|la|de|du)-/iu;
const ACRONYM = /^[\p{Lu}\d]{2,8}$/u;
const SENTENCE_END = /[.!?…:;\n«"“—–]/u;
const SPACE_OR_PAREN = /[\s(]/u;

/** Whether a capital at `index` opens a sentence: only spaces, quotes or dashes since a full stop. */
function opensSentence(text: string, index: number): boolean {
  for (let i = index - 1; i >= 0; i--) {
    const ch = text[i] as string;
    if (SENTENCE_END.test(ch)) return true;
    if (!SPACE_OR_PAREN.test(ch)) return false;
  }
  return true;
}

interface Found {
  from: string;
  kind: ReplacementKind;
  count: number;
  sources: Set<'text' | 'speaker'>;
  contexts: string[];
}

/** What a sequence of capitalised words names, or null when it names nothing. */
function classify(
  words: readonly string[],
  before: string,
  common: (word: string) => boolean,
): ReplacementKind | null {
  const first = foldForComparison(words[0] as string);
  if (words.length >= 2 && TITLE.test(first)) return 'person';
  if (ORGANISATION.test(first)) return words.length >= 2 ? 'organisation' : null;
  if (words.length === 1) {
    const word = words[0] as string;
    if ([...word].length < 2 || ACRONYM.test(word) || common(word)) return null;
    // « L’emailing »: after an elided article, a word in lower case is no name.
    if (/^\p{Lu}['’]\p{Ll}/u.test(word)) return null;
    if (PLACE_SHAPE.test(word) || PLACE_BEFORE.test(before)) return 'place';
    return 'person';
  }
  if (PLACE_SHAPE.test(words[0] as string)) return 'place';
  return common(words[0] as string) ? 'organisation' : 'person';
}

/** The capitalised sequences of one text that name someone or something, with their kind. */
function* namesIn(text: string, common: (word: string) => boolean) {
  for (const match of text.matchAll(SEQUENCE)) {
    let words = match[0].split(/[ \u00a0]/u);
    let start = match.index;
    if (/(?<![\p{L}\p{M}])M\.[ \u00a0]$/u.test(text.slice(Math.max(0, start - 4), start))) {
      // « M. Fabre »: the full stop of the title opens no sentence.
      yield { name: `M. ${words.join(' ')}`, kind: 'person' as const, index: start - 3 };
      continue;
    }
    if (opensSentence(text, match.index)) {
      // « Bonjour Léa », « Le Théâtre des Tilleuls »: words that open the sentence go, names stay.
      // « Et le Festival des Ormeaux »: « Et », then « le », go.
      while (words.length > 0) {
        const w = words[0] as string;
        const folded = foldForComparison(w);
        const capital = /^\p{Lu}/u.test(w);
        if (capital && (ORGANISATION.test(folded) || TITLE.test(folded) || !common(w))) break;
        start += w.length + 1;
        words = words.slice(1);
      }
      if (words.length === 0 || !/^\p{Lu}/u.test(words[0] as string)) continue;
    }
    const kind = classify(words, text.slice(Math.max(0, start - 12), start), common);
    if (kind) yield { name: words.join(' '), kind, index: start };
  }
}

/** Whether the replacements already applied replace `name` whole (« Théâtre » alone does not). */
function coversAll(covered: Replacer, name: string): boolean {
  const spans = covered.spans(name);
  return spans.length === 1 && spans[0]?.start === 0 && spans[0].end === [...name].length;
}

/** Whether a name needs no entry: replaced whole, or a person whose every part is (« Mme Fabre »). */
function alreadyReplaced(covered: Replacer, name: string, kind: ReplacementKind): boolean {
  if (coversAll(covered, name)) return true;
  const parts = kind === 'person' ? nameParts(name) : [];
  return parts.length > 0 && parts.every((part) => coversAll(covered, part));
}

export interface SuggestInput {
  readonly documents: readonly { readonly text: string; readonly turns: readonly Turn[] }[];
  readonly participants: readonly Pick<Participant, 'name'>[];
  readonly interviewerLabels: readonly string[];
  /** The replacements already applied (list, participants, attributes): their names are not proposed. */
  readonly covered: readonly ReplacerEntry[];
  readonly listed: readonly Replacement[];
  readonly lexicon: ReadonlySet<string>;
  readonly limit?: number;
}

/**
 * Names worth replacing, most frequent first. A name already replaced (by the list, as a
 * participant's name or one of its parts, as an attribute's value) is left out, and so is a first
 * name found inside a longer suggested name: « Hugo » goes with « Hugo Bertin ».
 */
export function suggestReplacements(input: SuggestInput): ReplacementSuggestion[] {
  const covered = createReplacer(input.covered);
  const common = commonWordTest(input.lexicon);
  const found = new Map<string, Found>();
  const add = (name: string, kind: ReplacementKind, source: 'text' | 'speaker', context?: string) => {
    const key = foldName(name);
    if (key === '' || isInterviewer(name, input.interviewerLabels)) return;
    const entry = found.get(key) ?? { from: name, kind, count: 0, sources: new Set(), contexts: [] };
    entry.count += 1;
    entry.sources.add(source);
    if (context !== undefined && entry.contexts.length < 3) entry.contexts.push(context);
    found.set(key, entry);
  };
  for (const { text, turns } of input.documents) {
    for (const { name, kind, index } of namesIn(text, common)) {
      if (alreadyReplaced(covered, name, kind)) continue;
      add(name, kind, 'text', contextAt(text, index, name.length));
    }
    for (const turn of turns) {
      const speaker = turn.speaker.trim();
      // « R », « P1 »: a role, not a name.
      if (!/\p{L}{2}/u.test(speaker) || coversAll(covered, speaker)) continue;
      if (common(speaker)) continue;
      add(speaker, 'person', 'speaker');
    }
  }
  absorbParts(found);
  return label([...found.values()], [...input.listed, ...input.covered])
    .sort((a, b) => b.count - a.count || foldForComparison(a.from).localeCompare(foldForComparison(b.from)))
    .slice(0, input.limit ?? 300);
}

/** A single name that is part of a longer person's name joins it (« Hugo » into « Hugo Bertin »). */
function absorbParts(found: Map<string, Found>): void {
  const people = [...found.values()].filter((f) => f.kind === 'person' && /\s/u.test(f.from));
  for (const [key, entry] of found) {
    if (/\s/u.test(entry.from)) continue;
    const owners = people.filter((p) => nameParts(p.from).some((part) => foldName(part) === key));
    if (owners.length !== 1) continue;
    const owner = owners[0] as Found;
    owner.count += entry.count;
    for (const s of entry.sources) owner.sources.add(s);
    found.delete(key);
  }
}

/**
 * Numbered labels per kind, after those already in use (the list, attribute values): « [personne 3] »,
 * « [ville B] ». Two names never share a label.
 */
function label(found: readonly Found[], listed: readonly Replacement[]): ReplacementSuggestion[] {
  const used = new Set(listed.map((r) => r.to));
  const next = new Map<string, number>();
  const fresh = (prefix: string, letters: boolean): string => {
    for (let n = next.get(prefix) ?? 0; ; n++) {
      const candidate = `[${prefix} ${letters ? letterLabel(n) : n + 1}]`;
      if (!used.has(candidate)) {
        next.set(prefix, n + 1);
        return candidate;
      }
    }
  };
  return [...found]
    .sort((a, b) => b.count - a.count)
    .map((f) => {
      const prefix =
        f.kind === 'place'
          ? 'ville'
          : f.kind === 'organisation'
            ? 'structure'
            : f.kind === 'person' && !/\s/u.test(f.from)
              ? 'prénom'
              : f.kind === 'person'
                ? 'personne'
                : 'nom';
      return {
        from: f.from,
        count: f.count,
        sources: [...f.sources].sort(),
        kind: f.kind,
        to: fresh(prefix, f.kind === 'place' || f.kind === 'organisation'),
        contexts: f.contexts,
      };
    });
}
