import { attributeValueOf } from '../../shared/attributes.ts';
import type {
  AttributeDef,
  AttributeValue,
  DocumentMeta,
  Participant,
  ProjectState,
} from '../../shared/model.ts';
import { derivedGuid } from './guid.ts';
import { CHOICES_PREFIX, CHOICES_SEPARATOR } from './plan-participants.ts';
import type { XmlNode } from './xml.ts';

/**
 * The participants' attributes as `Variable`s (`choice` as Text, its choices in the description)
 * and the participants as `Case`s named by pseudonym, with their values and their documents.
 */
export function caseElements(
  state: Readonly<ProjectState>,
  documents: readonly DocumentMeta[],
): { variables: XmlNode[]; cases: XmlNode[] } {
  const projectId = state.project.id;
  const attributes = state.attributes;
  const participants = Object.values(state.participants).sort((a, b) =>
    caseName(a).localeCompare(caseName(b), 'fr', { numeric: true }),
  );
  const variableTypes = attributes.map((def) => variableType(def, participants));
  const variables = attributes.map((def, i): XmlNode => ({
    name: 'Variable',
    attributes: {
      guid: derivedGuid('variable', projectId, def.name),
      name: def.name,
      typeOfVariable: variableTypes[i],
    },
    children: [
      def.type === 'choice' && def.choices.length > 0
        ? { name: 'Description', text: CHOICES_PREFIX + def.choices.join(CHOICES_SEPARATOR) }
        : undefined,
    ],
  }));
  const cases = participants.map((participant): XmlNode => ({
    name: 'Case',
    attributes: { guid: participant.id, name: caseName(participant) },
    children: [
      ...attributes.flatMap((def, i) => {
        const value = attributeValueOf(participant.attributes, def.name);
        return value === undefined
          ? []
          : [variableValue(derivedGuid('variable', projectId, def.name), variableTypes[i] as string, value)];
      }),
      ...documents
        .filter((d) => d.participantId === participant.id)
        .map((d): XmlNode => ({ name: 'SourceRef', attributes: { targetGUID: d.id } })),
    ],
  }));
  return { variables, cases };
}

/** Participants are known in exports by their pseudonym. */
function caseName(participant: Participant): string {
  return participant.pseudonym || participant.name;
}

/** Numbers are Integer when every value is a whole number, Float otherwise. */
function variableType(def: AttributeDef, participants: readonly Participant[]): string {
  switch (def.type) {
    case 'text':
    case 'choice':
      return 'Text';
    case 'date':
      return 'Date';
    case 'number': {
      const values = participants
        .map((p) => attributeValueOf(p.attributes, def.name))
        .filter((v) => v !== undefined);
      return values.length > 0 && values.every((v) => Number.isInteger(Number(v))) ? 'Integer' : 'Float';
    }
  }
}

function variableValue(variableGuid: string, type: string, value: AttributeValue): XmlNode {
  const element =
    { Text: 'TextValue', Integer: 'IntegerValue', Float: 'FloatValue', Date: 'DateValue' }[type] ??
    'TextValue';
  const text = typeof value === 'number' ? formatDecimal(value) : value;
  return {
    name: 'VariableValue',
    children: [
      { name: 'VariableRef', attributes: { targetGUID: variableGuid } },
      { name: element, text },
    ],
  };
}

/** A number as xsd:decimal writes it: digits and a point, never an exponent. */
export function formatDecimal(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return value.toFixed(0);
  return value.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
}
