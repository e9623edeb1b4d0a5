import {
  flattenCodes,
  nameOf,
  noteRefsOf,
  readCodes,
  readCoding,
  refiRefusal,
  requireGuid,
  stamp,
  textOf,
  type RefiCode,
} from './read-codes.ts';
import {
  checkMediaReferences,
  MEDIA_SOURCES,
  readMediaSource,
  type RefiMediaSource,
} from './read-media-sources.ts';
import { childNamed, childrenNamed, parseXml, type XmlElement } from './xml.ts';

/**
 * A `project.qde` read into plain data, every reference checked. Only what Verbatim can take in is
 * kept in detail (text sources, their selections and codings, cases, variables, notes); other
 * sources are counted so the import can say what it left aside.
 */
export interface RefiProject {
  readonly name: string;
  readonly origin: string;
  readonly description: string;
  readonly users: ReadonlyMap<string, RefiUser>;
  readonly codes: readonly RefiCode[];
  readonly variables: readonly RefiVariable[];
  readonly cases: readonly RefiCase[];
  readonly textSources: readonly RefiTextSource[];
  /** Audio and video sources: their transcripts become documents, their recordings kept. */
  readonly mediaSources: readonly RefiMediaSource[];
  /** GUIDs of sources Verbatim does not import (PDF, picture), by element name. */
  readonly otherSources: ReadonlyMap<string, string>;
  readonly notes: ReadonlyMap<string, RefiNote>;
  readonly noteRefs: readonly string[];
}

export interface RefiUser {
  readonly guid: string;
  readonly name: string;
}

export type RefiVariableType = 'Text' | 'Boolean' | 'Integer' | 'Float' | 'Date' | 'DateTime';

export interface RefiVariable {
  readonly guid: string;
  readonly name: string;
  readonly type: RefiVariableType;
  readonly description: string;
}

export interface RefiVariableValue {
  readonly variableGuid: string;
  readonly value: string;
}

export interface RefiCase {
  readonly guid: string;
  readonly name: string;
  readonly values: readonly RefiVariableValue[];
  readonly sourceRefs: readonly string[];
}

/** Who made something and when, as the file says (both optional). */
export interface RefiStamp {
  readonly creatingUser: string | undefined;
  readonly creationDateTime: string | undefined;
}

export interface RefiCoding extends RefiStamp {
  readonly guid: string;
  readonly codeGuid: string;
  readonly noteRefs: readonly string[];
}

export interface RefiSelection extends RefiStamp {
  readonly guid: string;
  /** As written: [start, end) in the tool's unit over the tool's text. */
  readonly start: number;
  readonly end: number;
  readonly codings: readonly RefiCoding[];
  readonly noteRefs: readonly string[];
}

/** Where a text is: inline, or a path such as `internal://<guid>.txt`. */
export interface RefiTextSource extends RefiStamp {
  readonly guid: string;
  readonly name: string;
  readonly content: string | undefined;
  readonly plainTextPath: string | undefined;
  readonly richTextPath: string | undefined;
  readonly selections: readonly RefiSelection[];
  /** Codings of the whole source. */
  readonly codings: readonly RefiCoding[];
  readonly noteRefs: readonly string[];
}

export type RefiNote = Omit<RefiTextSource, 'selections' | 'codings' | 'noteRefs' | 'richTextPath'>;

const VARIABLE_TYPES: readonly RefiVariableType[] = [
  'Text',
  'Boolean',
  'Integer',
  'Float',
  'Date',
  'DateTime',
];
const OTHER_SOURCES = ['PDFSource', 'PictureSource'];

/**
 * Read a `project.qde`. Any `urn:QDA-XML:project:*` namespace is accepted (tools wrote 0:10, 1.0…).
 * @throws DomainError `unprocessable` naming the file: not a REFI-QDA project, a malformed GUID or
 *   position, or a reference to a code, note, source or variable the file does not define.
 */
export function readProjectXml(fileName: string, xml: string | Uint8Array): RefiProject {
  const root = parseXml(fileName, xml);
  if (root.name !== 'Project' || !/^urn:QDA-XML:project:/i.test(root.namespace ?? '')) {
    throw refiRefusal(
      fileName,
      "ce n'est pas un projet REFI-QDA (élément racine <Project> dans l'espace de noms urn:QDA-XML:project).",
    );
  }
  const users = new Map<string, RefiUser>();
  for (const element of childrenNamed(childNamed(root, 'Users') ?? root, 'User')) {
    const guid = requireGuid(fileName, element);
    users.set(guid, { guid, name: nameOf(fileName, element, element.attributes.id ?? '') });
  }
  const codebook = childNamed(root, 'CodeBook');
  const codesElement = codebook && childNamed(codebook, 'Codes');
  const codes = codesElement ? readCodes(fileName, codesElement) : [];
  const variables = childrenNamed(childNamed(root, 'Variables') ?? root, 'Variable').map((element) =>
    readVariable(fileName, element),
  );
  const cases = childrenNamed(childNamed(root, 'Cases') ?? root, 'Case').map((element) => ({
    guid: requireGuid(fileName, element),
    name: nameOf(fileName, element),
    values: readValues(fileName, element),
    sourceRefs: childrenNamed(element, 'SourceRef').map((ref) => requireGuid(fileName, ref, 'targetGUID')),
  }));
  const sources = childNamed(root, 'Sources');
  const textSources = childrenNamed(sources ?? root, 'TextSource').map((element) =>
    readTextSource(fileName, element),
  );
  const mediaSources = (sources?.children ?? [])
    .filter((element) => (MEDIA_SOURCES as readonly string[]).includes(element.name))
    .map((element) => readMediaSource(fileName, element));
  const otherSources = new Map<string, string>();
  for (const element of sources?.children ?? []) {
    if (OTHER_SOURCES.includes(element.name)) otherSources.set(requireGuid(fileName, element), element.name);
  }
  const notes = new Map<string, RefiNote>();
  for (const element of childrenNamed(childNamed(root, 'Notes') ?? root, 'Note')) {
    const {
      selections: _s,
      codings: _c,
      noteRefs: _n,
      richTextPath: _r,
      ...note
    } = readTextSource(fileName, element);
    notes.set(note.guid, note);
  }
  const project: RefiProject = {
    name: nameOf(fileName, root),
    origin: root.attributes.origin ?? '',
    description: childNamed(root, 'Description')?.text ?? '',
    users,
    codes,
    variables,
    cases,
    textSources,
    mediaSources,
    otherSources,
    notes,
    noteRefs: noteRefsOf(fileName, root),
  };
  checkReferences(fileName, project);
  return project;
}

function readVariable(fileName: string, element: XmlElement): RefiVariable {
  const type = (element.attributes.typeOfVariable ?? 'Text').trim() as RefiVariableType;
  if (!VARIABLE_TYPES.includes(type)) {
    throw refiRefusal(fileName, `le type de variable « ${type} » est inconnu.`);
  }
  return {
    guid: requireGuid(fileName, element),
    name: nameOf(fileName, element),
    type,
    description: childNamed(element, 'Description')?.text ?? '',
  };
}

const VALUE_ELEMENTS = [
  'TextValue',
  'BooleanValue',
  'IntegerValue',
  'FloatValue',
  'DateValue',
  'DateTimeValue',
];

function readValues(fileName: string, element: XmlElement): RefiVariableValue[] {
  return childrenNamed(element, 'VariableValue').flatMap((value) => {
    const ref = childNamed(value, 'VariableRef');
    if (!ref) throw refiRefusal(fileName, 'une valeur de variable ne nomme pas sa variable (VariableRef).');
    const content = value.children.find((child) => VALUE_ELEMENTS.includes(child.name));
    return content ? [{ variableGuid: requireGuid(fileName, ref, 'targetGUID'), value: content.text }] : [];
  });
}

function readPosition(fileName: string, element: XmlElement, attribute: string): number {
  const raw = (element.attributes[attribute] ?? '').trim();
  if (!/^[+-]?\d{1,15}$/.test(raw)) {
    throw refiRefusal(
      fileName,
      `la sélection ${element.attributes.guid ?? ''} a une position ${attribute} invalide (« ${raw} »).`,
    );
  }
  return Number(raw);
}

function readTextSource(fileName: string, element: XmlElement): RefiTextSource {
  return {
    ...textOf(fileName, element),
    selections: childrenNamed(element, 'PlainTextSelection').map((selection) => ({
      guid: requireGuid(fileName, selection),
      start: readPosition(fileName, selection, 'startPosition'),
      end: readPosition(fileName, selection, 'endPosition'),
      codings: childrenNamed(selection, 'Coding').map((coding) => readCoding(fileName, coding)),
      noteRefs: noteRefsOf(fileName, selection),
      ...stamp(fileName, selection),
    })),
    codings: childrenNamed(element, 'Coding').map((coding) => readCoding(fileName, coding)),
    noteRefs: noteRefsOf(fileName, element),
    ...stamp(fileName, element),
  };
}

/** Refuse the file when any reference points at nothing it defines. */
function checkReferences(fileName: string, project: RefiProject): void {
  const codes = new Set(flattenCodes(project.codes).map(({ code }) => code.guid));
  const variables = new Set(project.variables.map((v) => v.guid));
  const sourceGuids = [
    ...project.textSources.map((s) => s.guid),
    ...project.mediaSources.map((s) => s.guid),
    ...project.otherSources.keys(),
  ];
  const sources = new Set(sourceGuids);
  const dangling = (kind: string, guid: string, from: string) =>
    refiRefusal(fileName, `${from} renvoie à ${kind} ${guid}, que le fichier ne définit pas.`, {
      reference: guid,
    });
  const checkNotes = (refs: readonly string[], from: string) => {
    for (const ref of refs) if (!project.notes.has(ref)) throw dangling('la note', ref, from);
  };
  const checkCodings = (codings: readonly RefiCoding[], from: string) => {
    for (const coding of codings) {
      if (!codes.has(coding.codeGuid)) throw dangling('le code', coding.codeGuid, from);
      checkNotes(coding.noteRefs, from);
    }
  };
  const unique = (kind: string, guids: readonly string[]) => {
    const seen = new Set<string>();
    for (const guid of guids) {
      if (seen.has(guid)) throw refiRefusal(fileName, `${kind} ${guid} est défini deux fois.`, { guid });
      seen.add(guid);
    }
  };
  unique('la source', sourceGuids);
  unique(
    'le cas',
    project.cases.map((c) => c.guid),
  );
  unique(
    'la variable',
    project.variables.map((v) => v.guid),
  );
  checkNotes(project.noteRefs, 'Le projet');
  for (const { code } of flattenCodes(project.codes)) checkNotes(code.noteRefs, `Le code « ${code.name} »`);
  for (const source of project.textSources) {
    const from = `La source « ${source.name || source.guid} »`;
    checkNotes(source.noteRefs, from);
    const codings = [...source.codings, ...source.selections.flatMap((s) => s.codings)];
    for (const selection of source.selections) checkNotes(selection.noteRefs, from);
    checkCodings(codings, from);
  }
  for (const source of project.mediaSources)
    checkMediaReferences(fileName, source, { notes: checkNotes, codings: checkCodings });
  for (const entry of project.cases) {
    const from = `Le cas « ${entry.name || entry.guid} »`;
    for (const ref of entry.sourceRefs) if (!sources.has(ref)) throw dangling('la source', ref, from);
    for (const value of entry.values) {
      if (!variables.has(value.variableGuid)) throw dangling('la variable', value.variableGuid, from);
    }
  }
}
