import { DomainError } from './errors.ts';
import type { AttributeDef, AttributeType, AttributeValue, Participant } from './model.ts';
import { foldForComparison } from './text.ts';

/**
 * Read a number as people write it in French or English: « 12 », « 12,5 », « 1 200 », « 1200.5 ».
 * Returns undefined when the text is not a number.
 */
export function parseNumber(raw: string): number | undefined {
  const compact = raw.trim().replace(/[\s\u00a0\u202f]/g, '');
  if (!/^[+-]?(\d+([.,]\d+)?|[.,]\d+)$/.test(compact)) return undefined;
  const value = Number(compact.replace(',', '.'));
  return Number.isFinite(value) ? value : undefined;
}

/** Read a date as `YYYY-MM-DD` or French `JJ/MM/AAAA` (also with - or .); returns `YYYY-MM-DD`. */
export function parseDate(raw: string): string | undefined {
  const text = raw.trim();
  let y: number, m: number, d: number;
  let match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else {
    match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
    if (!match) return undefined;
    [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  }
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    return undefined;
  return date.toISOString().slice(0, 10);
}

/**
 * Check and normalise a value for an attribute. An empty value means "no value" (undefined).
 * @throws DomainError `invalid_input` naming the attribute and the expected type.
 */
export function parseAttributeValue(def: AttributeDef, raw: AttributeValue): AttributeValue | undefined {
  const text = typeof raw === 'number' ? String(raw) : raw.trim();
  if (text === '') return undefined;
  switch (def.type) {
    case 'text':
      return text;
    case 'number': {
      const value = typeof raw === 'number' ? raw : parseNumber(text);
      if (value === undefined || !Number.isFinite(value)) {
        throw new DomainError('invalid_input', `« ${def.name} » attend un nombre, pas « ${text} ».`);
      }
      return value;
    }
    case 'date': {
      const value = parseDate(text);
      if (!value)
        throw new DomainError(
          'invalid_input',
          `« ${def.name} » attend une date (AAAA-MM-JJ ou JJ/MM/AAAA), pas « ${text} ».`,
        );
      return value;
    }
    case 'choice': {
      const folded = foldForComparison(text);
      const choice = def.choices.find((c) => foldForComparison(c) === folded);
      if (choice === undefined) {
        throw new DomainError(
          'invalid_input',
          `« ${text} » n'est pas une valeur prévue pour « ${def.name} » (${def.choices.join(', ')}).`,
        );
      }
      return choice;
    }
  }
}

/**
 * Guess an attribute's type from the values of a column: numbers, dates, a few repeated values
 * (a choice), or free text.
 */
export function inferAttributeType(values: readonly string[]): { type: AttributeType; choices: string[] } {
  const present = values.map((v) => v.trim()).filter((v) => v !== '');
  if (present.length > 0 && present.every((v) => parseNumber(v) !== undefined))
    return { type: 'number', choices: [] };
  if (present.length > 0 && present.every((v) => parseDate(v) !== undefined))
    return { type: 'date', choices: [] };
  const distinct = new Map<string, string>();
  for (const v of present) if (!distinct.has(foldForComparison(v))) distinct.set(foldForComparison(v), v);
  if (distinct.size > 0 && distinct.size <= 12 && distinct.size < present.length) {
    return { type: 'choice', choices: [...distinct.values()].sort((a, b) => a.localeCompare(b, 'fr')) };
  }
  return { type: 'text', choices: [] };
}

/**
 * A record keyed by names people chose (attributes, their values): without a prototype, so that
 * `constructor`, `__proto__` or `toString` are keys like any other, neither inherited nor setters.
 */
export function nameRecord<V>(entries: Iterable<readonly [string, V]> = []): Record<string, V> {
  const record = Object.create(null) as Record<string, V>;
  for (const [key, value] of entries) record[key] = value;
  return record;
}

/**
 * A participant's value for the attribute `name`, if it has one of its own: an attribute named
 * `constructor` is not Object's constructor, even in a record read back from JSON.
 */
export function attributeValueOf(
  attributes: Readonly<Record<string, AttributeValue>> | undefined,
  name: string,
): AttributeValue | undefined {
  return ownValue(attributes, name);
}

/** `record[key]` if the record has that key of its own, else undefined (never Object's members). */
export function ownValue<V>(record: Readonly<Record<string, V>> | undefined, key: string): V | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Find an attribute by name, without regard to case or accents. */
export function findAttribute(defs: readonly AttributeDef[], name: string): AttributeDef | undefined {
  const folded = foldForComparison(name.trim());
  return defs.find((d) => foldForComparison(d.name) === folded);
}

/** The next free pseudonym of the form P01, P02, … */
export function nextPseudonym(participants: readonly Participant[]): string {
  const used = new Set(participants.map((p) => p.pseudonym.toUpperCase()));
  for (let n = 1; ; n++) {
    const candidate = `P${String(n).padStart(2, '0')}`;
    if (!used.has(candidate)) return candidate;
  }
}
