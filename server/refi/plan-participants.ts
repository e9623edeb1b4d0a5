import { nameRecord, parseAttributeValue } from '../../shared/attributes.ts';
import { isDomainError } from '../../shared/errors.ts';
import type { ProjectEventBody } from '../../shared/events.ts';
import type { ParticipantId, UserId } from '../../shared/ids.ts';
import type { AttributeDef, AttributeValue, Participant } from '../../shared/model.ts';
import { foldForComparison } from '../../shared/text.ts';
import type { RefiProject, RefiVariable } from './read-project.ts';
import { UniqueNames } from './unique-names.ts';

/** The marker of a choice variable's allowed values in its description, as the export writes it. */
export const CHOICES_PREFIX = 'Choix : ';
export const CHOICES_SEPARATOR = ' ; ';

/** Attributes and participants planned from a file's variables and cases. */
export interface PlannedParticipants {
  readonly attributes: readonly AttributeDef[];
  readonly participants: readonly Participant[];
  /** The participant of each source a case refers to (the first case, when several do). */
  readonly participantOfSource: ReadonlyMap<string, ParticipantId>;
  readonly events: readonly ProjectEventBody[];
}

/**
 * Variables as attributes (unique names) and cases as participants named by the case, with the
 * values that fit their attribute; a value that does not is left out with a warning.
 */
export function planParticipants(
  refi: RefiProject,
  stamp: { readonly userId: UserId; readonly now: string },
  warnings: string[],
): PlannedParticipants {
  const events: ProjectEventBody[] = [];
  const attributeByVariable = new Map<string, AttributeDef>();
  const attributes: AttributeDef[] = [];
  const attributeNames = new UniqueNames();
  for (const variable of refi.variables) {
    const def = attributeFor(variable, attributeNames.take(variable.name || 'Variable', 200), refi);
    attributeByVariable.set(variable.guid, def);
    attributes.push(def);
  }
  if (attributes.length > 0) events.push({ type: 'attributes_set', before: [], after: attributes });
  const participantNames = new UniqueNames();
  const participantOfSource = new Map<string, ParticipantId>();
  const participants: Participant[] = refi.cases.map((entry, n) => {
    const name = participantNames.take(entry.name || `Cas ${n + 1}`, 100);
    const values = nameRecord<AttributeValue>();
    for (const { variableGuid, value } of entry.values) {
      const def = attributeByVariable.get(variableGuid) as AttributeDef;
      try {
        const parsed = parseAttributeValue(def, def.type === 'choice' ? booleanOrText(value, def) : value);
        if (parsed !== undefined) values[def.name] = parsed;
      } catch (error) {
        if (!isDomainError(error)) throw error;
        warnings.push(`Cas « ${name} » : ${error.message} Valeur ignorée.`);
      }
    }
    const participant: Participant = {
      id: entry.guid as ParticipantId,
      name,
      pseudonym: name,
      attributes: values,
      createdAt: stamp.now,
      createdBy: stamp.userId,
    };
    for (const ref of entry.sourceRefs) {
      if (participantOfSource.has(ref))
        warnings.push(`La source ${ref} appartient à plusieurs cas : le premier est gardé.`);
      else participantOfSource.set(ref, participant.id);
    }
    return participant;
  });
  for (const participant of participants) events.push({ type: 'participant_created', participant });
  return { attributes, participants, participantOfSource, events };
}

/** A REFI variable as an attribute: Integer and Float are numbers, Date a date, the rest text. */
function attributeFor(variable: RefiVariable, name: string, refi: RefiProject): AttributeDef {
  switch (variable.type) {
    case 'Integer':
    case 'Float':
      return { name, type: 'number', choices: [] };
    case 'Date':
      return { name, type: 'date', choices: [] };
    case 'Boolean':
      return { name, type: 'choice', choices: ['true', 'false'] };
    case 'DateTime':
      return { name, type: 'text', choices: [] };
    case 'Text': {
      // Verbatim writes a choice attribute as Text with its choices in the description.
      const line = variable.description.split('\n').find((l) => l.startsWith(CHOICES_PREFIX));
      if (!line) return { name, type: 'text', choices: [] };
      const choices = line
        .slice(CHOICES_PREFIX.length)
        .split(CHOICES_SEPARATOR)
        .map((c) => c.trim())
        .filter((c) => c !== '');
      const values = refi.cases.flatMap((c) =>
        c.values.filter((v) => v.variableGuid === variable.guid).map((v) => v.value.trim()),
      );
      const folded = new Set(choices.map(foldForComparison));
      const fits = choices.length > 0 && values.every((v) => v === '' || folded.has(foldForComparison(v)));
      return fits ? { name, type: 'choice', choices } : { name, type: 'text', choices: [] };
    }
  }
}

/** Boolean values as the choices `true`/`false` (`1`/`0` are booleans too in XML Schema). */
function booleanOrText(value: string, def: AttributeDef): string {
  const text = value.trim();
  if (def.choices.length === 2 && def.choices[0] === 'true' && def.choices[1] === 'false') {
    if (text === '1') return 'true';
    if (text === '0') return 'false';
  }
  return text;
}
