import { attributeValueOf } from '../../shared/attributes.ts';
import { strToU8, zipSync } from 'fflate';
import type { ProjectId } from '../../shared/ids.ts';
import type {
  AttributeDef,
  AttributeValue,
  Coding,
  DocumentMeta,
  Participant,
  ProjectState,
  UserRecord,
} from '../../shared/model.ts';
import type { Store } from '../storage/store.ts';
import { codeElements, ORIGIN } from './export-codebook.ts';
import { derivedGuid } from './guid.ts';
import { CHOICES_PREFIX, CHOICES_SEPARATOR } from './plan-project-import.ts';
import { serialiseXml, type XmlNode } from './xml.ts';

export const PROJECT_NAMESPACE = 'urn:QDA-XML:project:1.0';

/**
 * A project as REFI-QDA (Project.xsd), element order as the schema's sequences require and no
 * empty wrapper. GUIDs are Verbatim's own ids (UUIDs) where a thing has one, and otherwise derived
 * from the project's ids (`derivedGuid`), so exporting the same project twice gives the same GUIDs.
 *
 * - Users: every account the export names (members, coders, authors).
 * - CodeBook: the code tree. Variables: the participants' attributes (`choice` as Text, its
 *   choices in the description). Cases: one per participant, named by pseudonym, with its values
 *   and its documents.
 * - Sources: one TextSource per document, its stored text in `sources/<guid>.txt` (so positions
 *   hold) and its original `.docx`, when it was one, as `richTextPath`. Codings with the same
 *   span and memo share one PlainTextSelection ([start, end) in code points), with one Coding
 *   per code and coder.
 * - Notes: document memos (referenced by their source) and coding memos (by their selection).
 */
export function buildProjectXml(
  state: Readonly<ProjectState>,
  users: Readonly<Record<string, UserRecord>>,
  withDocx: ReadonlySet<string>,
): string {
  const projectId = state.project.id;
  const referenced = new Set<string>([state.project.createdBy, ...Object.keys(state.members)]);
  const notes: XmlNode[] = [];
  const documents = Object.values(state.documents).sort(byName);
  const codingsByDocument = new Map<string, Coding[]>();
  for (const coding of Object.values(state.codings)) {
    const list = codingsByDocument.get(coding.documentId) ?? [];
    list.push(coding);
    codingsByDocument.set(coding.documentId, list);
  }

  const sources = documents.map((document): XmlNode => {
    referenced.add(document.createdBy);
    const selections = selectionElements(
      document,
      codingsByDocument.get(document.id) ?? [],
      notes,
      referenced,
    );
    let noteRef: XmlNode | undefined;
    if (document.memo.trim() !== '') {
      const guid = derivedGuid('document-memo', projectId, document.id);
      notes.push(
        noteElement(guid, `Mémo : ${document.name}`, document.memo, document.createdBy, document.createdAt),
      );
      noteRef = { name: 'NoteRef', attributes: { targetGUID: guid } };
    }
    return {
      name: 'TextSource',
      attributes: {
        guid: document.id,
        name: document.name,
        richTextPath: withDocx.has(document.id) ? `internal://${document.id}.docx` : undefined,
        plainTextPath: `internal://${document.id}.txt`,
        creatingUser: document.createdBy,
        creationDateTime: document.createdAt,
      },
      children: [...selections, noteRef],
    };
  });

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

  const codes = codeElements(state.codes);
  const userElements = [...referenced]
    .filter((id) => id !== '')
    .sort()
    .map((id): XmlNode => ({
      name: 'User',
      attributes: { guid: id, name: users[id]?.displayName ?? id, id: users[id]?.username },
    }));
  const wrap = (name: string, children: readonly XmlNode[]): XmlNode | undefined =>
    children.length === 0 ? undefined : { name, children };
  return serialiseXml({
    name: 'Project',
    attributes: {
      xmlns: PROJECT_NAMESPACE,
      name: state.project.name,
      origin: ORIGIN,
      creatingUserGUID: state.project.createdBy || undefined,
      creationDateTime: state.project.createdAt || undefined,
    },
    children: [
      wrap('Users', userElements),
      codes.length === 0 ? undefined : { name: 'CodeBook', children: [{ name: 'Codes', children: codes }] },
      wrap('Variables', variables),
      wrap('Cases', cases),
      wrap('Sources', sources),
      wrap('Notes', notes),
      state.project.description.trim() === ''
        ? undefined
        : { name: 'Description', text: state.project.description },
    ],
  });
}

function byName(a: DocumentMeta, b: DocumentMeta): number {
  return a.name.localeCompare(b.name, 'fr', { numeric: true }) || a.id.localeCompare(b.id);
}

/** Participants are known in exports by their pseudonym. */
function caseName(participant: Participant): string {
  return participant.pseudonym || participant.name;
}

/** Codings grouped by span and memo into selections, each with one Coding per code and coder. */
function selectionElements(
  document: DocumentMeta,
  codings: readonly Coding[],
  notes: XmlNode[],
  referenced: Set<string>,
): XmlNode[] {
  const groups = new Map<string, Coding[]>();
  for (const coding of [...codings].sort(
    (a, b) =>
      a.start - b.start ||
      a.end - b.end ||
      a.createdAt.localeCompare(b.createdAt) ||
      a.id.localeCompare(b.id),
  )) {
    const key = JSON.stringify([coding.start, coding.end, coding.memo]);
    const group = groups.get(key) ?? [];
    group.push(coding);
    groups.set(key, group);
  }
  return [...groups.values()].map((group): XmlNode => {
    const first = group[0] as Coding;
    const guid = derivedGuid('selection', document.id, String(first.start), String(first.end), first.memo);
    let noteRef: XmlNode | undefined;
    if (first.memo.trim() !== '') {
      const noteGuid = derivedGuid('coding-memo', guid);
      notes.push(
        noteElement(
          noteGuid,
          `Mémo : ${document.name} [${first.start}, ${first.end})`,
          first.memo,
          first.coderId,
          first.createdAt,
        ),
      );
      noteRef = { name: 'NoteRef', attributes: { targetGUID: noteGuid } };
    }
    for (const coding of group) referenced.add(coding.coderId);
    return {
      name: 'PlainTextSelection',
      attributes: {
        guid,
        startPosition: String(first.start),
        endPosition: String(first.end),
        creatingUser: first.coderId,
        creationDateTime: first.createdAt,
      },
      children: [
        ...group.map((coding): XmlNode => ({
          name: 'Coding',
          attributes: { guid: coding.id, creatingUser: coding.coderId, creationDateTime: coding.createdAt },
          children: [{ name: 'CodeRef', attributes: { targetGUID: coding.codeId } }],
        })),
        noteRef,
      ],
    };
  });
}

function noteElement(guid: string, name: string, text: string, userId: string, at: string): XmlNode {
  return {
    name: 'Note',
    attributes: { guid, name, creatingUser: userId, creationDateTime: at },
    children: [{ name: 'PlainTextContent', text }],
  };
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

/**
 * The `.qdpx` of a project: `project.qde` and, in `sources/`, each document's stored text (UTF-8,
 * no byte-order mark) and its original `.docx` when it was imported from one.
 */
export async function buildProjectArchive(store: Store, state: Readonly<ProjectState>): Promise<Uint8Array> {
  const projectId = state.project.id as ProjectId;
  const files: Record<string, Uint8Array> = {};
  const withDocx = new Set<string>();
  for (const document of Object.values(state.documents)) {
    files[`sources/${document.id}.txt`] = strToU8(await store.readText(projectId, document.id));
    if (document.format === 'docx') {
      const original = await store.readOriginal(projectId, document.id, 'docx');
      if (original) {
        files[`sources/${document.id}.docx`] = original;
        withDocx.add(document.id);
      }
    }
  }
  const users = (await store.readInstance()).users;
  return zipSync({ 'project.qde': strToU8(buildProjectXml(state, users, withDocx)), ...files }, { level: 6 });
}
