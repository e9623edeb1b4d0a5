/**
 * A code's description holds its definition, when to use it, when not to, and an example quote.
 * The server stores one text; these four parts are written in it under headings, one per line
 * (« Définition : … »), so the description stays readable in a CSV export or another tool, and a
 * free-form description (imported, or written before) reads back as the definition.
 */

export interface CodeDescription {
  readonly definition: string;
  readonly whenToUse: string;
  readonly whenNotToUse: string;
  readonly example: string;
}

type Part = keyof CodeDescription;

/** Headings written (French, the reference language) and the headings read back (French or English). */
const HEADINGS: readonly { part: Part; written: string; read: readonly string[] }[] = [
  { part: 'definition', written: 'Définition', read: ['définition', 'definition'] },
  {
    part: 'whenToUse',
    written: 'Quand l’utiliser',
    read: ['quand l’utiliser', "quand l'utiliser", 'when to use'],
  },
  {
    part: 'whenNotToUse',
    written: 'Quand ne pas l’utiliser',
    read: ['quand ne pas l’utiliser', "quand ne pas l'utiliser", 'when not to use'],
  },
  { part: 'example', written: 'Exemple', read: ['exemple', 'example'] },
];

export const EMPTY_DESCRIPTION: CodeDescription = {
  definition: '',
  whenToUse: '',
  whenNotToUse: '',
  example: '',
};

/** The heading a line opens (« Exemple : … » → example and what follows), if any. */
function headingOf(line: string): { part: Part; rest: string } | undefined {
  const colon = line.indexOf(':');
  if (colon < 0) return undefined;
  const label = line.slice(0, colon).trim().replace(/\s+/g, ' ').toLocaleLowerCase('fr');
  const found = HEADINGS.find((h) => h.read.includes(label));
  return found ? { part: found.part, rest: line.slice(colon + 1).trim() } : undefined;
}

/**
 * Read a description into its four parts. Text before any heading belongs to the definition.
 * @example parseDescription('Définition : le coût\nExemple : « 150 € »').example === '« 150 € »'
 */
export function parseDescription(text: string): CodeDescription {
  const parts: Record<Part, string[]> = { definition: [], whenToUse: [], whenNotToUse: [], example: [] };
  let current: Part = 'definition';
  for (const line of text.split('\n')) {
    const heading = headingOf(line);
    if (heading) {
      current = heading.part;
      if (heading.rest !== '') parts[current].push(heading.rest);
    } else {
      parts[current].push(line);
    }
  }
  const join = (lines: string[]) => lines.join('\n').trim();
  return {
    definition: join(parts.definition),
    whenToUse: join(parts.whenToUse),
    whenNotToUse: join(parts.whenNotToUse),
    example: join(parts.example),
  };
}

/**
 * Write the four parts as one text, omitting empty parts. A description with only a definition is
 * written as itself, without a heading.
 */
export function formatDescription(description: CodeDescription): string {
  const filled = HEADINGS.filter((h) => description[h.part].trim() !== '');
  if (filled.length === 0) return '';
  if (filled.length === 1 && filled[0]?.part === 'definition') return description.definition.trim();
  return filled.map((h) => `${h.written} : ${description[h.part].trim()}`).join('\n');
}
