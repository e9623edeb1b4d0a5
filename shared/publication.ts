/**
 * What a pseudonymised export may show. Attributes: which may be cited beside a pseudonym (the
 * lead's `publish` setting, else only attributes whose every value is shared by several
 * participants). Names: the replacements applied, built from the project's list, the participants'
 * names (and each part of them) and the values of attributes that are not published.
 */
import { attributeValueOf } from './attributes.ts';
import type { AttributeDef, Participant, ProjectState, Replacement } from './model.ts';
import { isCommonWord } from './lexicon.ts';
import type { ReplacerEntry } from './pseudonymise.ts';
import { foldForComparison } from './text.ts';

/** Why an attribute is or is not cited in pseudonymised exports. */
export type PublicationReason = 'marked_publishable' | 'marked_private' | 'shared_values' | 'unique_values';

export interface AttributePublication {
  readonly name: string;
  readonly publishable: boolean;
  readonly reason: PublicationReason;
}

/** Participants holding each value of an attribute, values folded. */
function holders(attribute: AttributeDef, participants: readonly Participant[]): Map<string, number> {
  const count = new Map<string, number>();
  for (const p of participants) {
    const value = attributeValueOf(p.attributes, attribute.name);
    if (value === undefined || String(value).trim() === '') continue;
    const key = foldForComparison(String(value).trim());
    count.set(key, (count.get(key) ?? 0) + 1);
  }
  return count;
}

/**
 * Whether each attribute may be cited in pseudonymised exports, and why: as the lead set it
 * (`publish`), else publishable only when every value is held by at least two participants (a
 * structure's name, a job title held by one person identify them).
 * @example attributePublication([{ name: 'structure', type: 'text', choices: [] }], oneEach)[0].publishable === false
 */
export function attributePublication(
  attributes: readonly AttributeDef[],
  participants: readonly Participant[],
): AttributePublication[] {
  return attributes.map((a) => {
    if (a.publish === true) return { name: a.name, publishable: true, reason: 'marked_publishable' };
    if (a.publish === false) return { name: a.name, publishable: false, reason: 'marked_private' };
    const counts = [...holders(a, participants).values()];
    const shared = counts.length > 0 && counts.every((n) => n >= 2);
    return { name: a.name, publishable: shared, reason: shared ? 'shared_values' : 'unique_values' };
  });
}

/** The attributes a pseudonymised export may cite, in definition order. */
export function publishableAttributes(state: Readonly<ProjectState>): AttributeDef[] {
  const allowed = new Set(
    attributePublication(state.attributes, Object.values(state.participants))
      .filter((a) => a.publishable)
      .map((a) => a.name),
  );
  return state.attributes.filter((a) => allowed.has(a.name));
}

/** Titles and particles inside a person's name, never replaced alone. */
const NOT_A_PART = new Set(
  'm. m mme mlle madame monsieur mademoiselle dr docteur me maitre pr de du des la le les van von der di da del ben d l'.split(
    ' ',
  ),
);

/** The parts of a person's name worth replacing alone: « Marie-Laure Colin » → Marie-Laure, Colin. */
export function nameParts(name: string): string[] {
  return name
    .split(/[\s\u00a0]+/u)
    .map((p) => p.replace(/^[dl]['’]/iu, '').replace(/[.,;:]+$/u, ''))
    .filter((p) => [...p].filter((c) => /\p{L}/u.test(c)).length >= 2)
    .filter((p) => !NOT_A_PART.has(foldForComparison(p)));
}

/** « A », « B », … « Z », « AA »: the letter of the n-th (0-based) value. */
export function letterLabel(n: number): string {
  const letter = String.fromCharCode(65 + (n % 26));
  return n < 26 ? letter : letterLabel(Math.floor(n / 26) - 1) + letter;
}

/**
 * Every replacement a pseudonymised export applies, in priority order: the project's list; each
 * participant's name → pseudonym; the values of unpublished text attributes → « [structure A] »; then each part of a
 * person's name alone (list entries of kind `person` and participants), replaced only where
 * capitalised when the part is also a common word (« Colin »). A part shared by two people
 * becomes « [nom] ».
 */
export function publicationReplacements(
  state: Readonly<Pick<ProjectState, 'participants' | 'attributes' | 'replacements'>>,
  lexicon: ReadonlySet<string>,
): ReplacerEntry[] {
  const list = state.replacements ?? [];
  const participants = Object.values(state.participants).sort((a, b) =>
    a.pseudonym.localeCompare(b.pseudonym, 'fr', { numeric: true }),
  );
  const people: Replacement[] = [
    ...list.filter((r) => r.kind === 'person'),
    ...participants.filter((p) => p.name.trim() !== '').map((p) => ({ from: p.name, to: p.pseudonym })),
  ];
  const entries: ReplacerEntry[] = [
    ...list,
    ...participants.filter((p) => p.name.trim() !== '').map((p) => ({ from: p.name, to: p.pseudonym })),
    ...attributeValueReplacements(state.attributes, participants, lexicon),
  ];
  const parts = new Map<string, { from: string; to: string }>();
  for (const person of people) {
    for (const part of nameParts(person.from)) {
      const key = foldForComparison(part);
      const known = parts.get(key);
      parts.set(key, { from: part, to: known && known.to !== person.to ? '[nom]' : person.to });
    }
  }
  for (const { from, to } of parts.values()) {
    entries.push({ from, to, capitalisedOnly: isCommonWord(from, lexicon) });
  }
  return entries;
}

/** The values of unpublished attributes that could identify someone, each with its label. */
function attributeValueReplacements(
  attributes: readonly AttributeDef[],
  participants: readonly Participant[],
  lexicon: ReadonlySet<string>,
): ReplacerEntry[] {
  const out: ReplacerEntry[] = [];
  for (const publication of attributePublication(attributes, participants)) {
    const attribute = attributes.find((a) => a.name === publication.name) as AttributeDef;
    // Text attributes hold names (a structure, a town, a job); choices are categories.
    if (publication.publishable || attribute.type !== 'text') continue;
    const values = new Map<string, string>();
    for (const p of participants) {
      const raw = attributeValueOf(p.attributes, attribute.name);
      if (raw === undefined) continue;
      const value = String(raw).trim();
      const key = foldForComparison(value);
      if (value === '' || values.has(key)) continue;
      values.set(key, value);
    }
    // A single common word (« Théâtre », « administratrice ») is a category, not a name: it stays.
    const names = [...values.values()].filter((v) => /[\s\u00a0]/u.test(v) || !isCommonWord(v, lexicon));
    names.forEach((value, i) => out.push({ from: value, to: `[${attribute.name} ${letterLabel(i)}]` }));
  }
  return out;
}
