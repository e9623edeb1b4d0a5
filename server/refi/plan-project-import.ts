import { nameRecord, parseAttributeValue } from '../../shared/attributes.ts';
import { isDomainError } from '../../shared/errors.ts';
import type { ProjectEventBody } from '../../shared/events.ts';
import {
  newId,
  type CodeId,
  type CodingId,
  type DocumentId,
  type ParticipantId,
  type ProjectId,
  type UserId,
} from '../../shared/ids.ts';
import {
  CODE_COLORS,
  type AttributeDef,
  type AttributeValue,
  type Code,
  type Coding,
  type DocumentMeta,
  type Participant,
  type Project,
  type Role,
} from '../../shared/model.ts';
import { foldForComparison } from '../../shared/text.ts';
import { detectTurns } from '../../shared/turns.ts';
import { decodePlainText } from '../import/plain-text.ts';
import { choosePositionUnit, PositionMapper, type PositionUnit } from './positions.ts';
import { flattenCodes, refiRefusal } from './read-codes.ts';
import type {
  RefiCoding,
  RefiNote,
  RefiProject,
  RefiStamp,
  RefiTextSource,
  RefiVariable,
} from './read-project.ts';

/** The first line of the memo of an imported coding: who coded it in the original project. */
export const IMPORTED_CODER_LABEL = "Codeur d'origine : ";

/** What an import will write, computed entirely in memory before anything is stored. */
export interface ProjectImportPlan {
  readonly project: Project;
  readonly members: Record<string, Role>;
  /** Texts to store before the events, with the original file kept beside each. */
  readonly texts: readonly {
    documentId: DocumentId;
    text: string;
    original?: { format: string; bytes: Uint8Array };
  }[];
  readonly events: readonly ProjectEventBody[];
  readonly report: ProjectImportReport;
}

export interface SourceReport {
  readonly name: string;
  readonly positionUnit: PositionUnit;
  /** Why that unit was chosen (see `choosePositionUnit`). */
  readonly reason: string;
  readonly selections: number;
  readonly codings: number;
  /** Selections whose ends fell inside a character composed by normalisation, moved outwards. */
  readonly inexact: number;
}

export interface ProjectImportReport {
  origin: string;
  documents: number;
  codes: number;
  codings: number;
  participants: number;
  attributes: number;
  memos: number;
  /** The original coders of the file, with the number of their codings (kept as labels). */
  coders: { guid: string; name: string; codings: number }[];
  /** Whom every imported coding is attributed to: the person importing. */
  attributedTo: UserId;
  sources: SourceReport[];
  warnings: string[];
}

export interface ImportContext {
  readonly fileName: string;
  readonly userId: UserId;
  readonly now: string;
  readonly sources: ReadonlyMap<string, Uint8Array>;
}

/** The marker of a choice variable's allowed values in its description, as the export writes it. */
export const CHOICES_PREFIX = 'Choix : ';
export const CHOICES_SEPARATOR = ' ; ';

/**
 * Turn a REFI-QDA project into Verbatim's events, all checked before anything is stored: the
 * caller becomes lead; codes, documents, participants and codings keep their REFI GUIDs as ids;
 * every text is normalised like any import and every selection is carried through that
 * normalisation. A selection outside its text refuses the whole import.
 * @throws DomainError `unprocessable` (missing or unreadable source file, external source),
 *   `span_out_of_range` (a selection outside its text).
 */
export function planProjectImport(refi: RefiProject, context: ImportContext): ProjectImportPlan {
  const { fileName, userId, now } = context;
  const warnings: string[] = [];
  const events: ProjectEventBody[] = [];
  const notes = (refs: readonly string[]) =>
    refs.map((ref) => noteText(refi.notes.get(ref) as RefiNote, context)).filter((t) => t.trim() !== '');
  let memos = 0;
  const joinMemos = (texts: readonly string[]) => {
    memos += texts.length;
    return texts.join('\n\n');
  };

  const project: Project = {
    id: newId<ProjectId>(),
    name: (refi.name || fileName.replace(/\.[^.]+$/, '')).slice(0, 200) || 'Projet importé',
    description: [refi.description.trim(), joinMemos(notes(refi.noteRefs))]
      .filter((t) => t !== '')
      .join('\n\n')
      .slice(0, 5000),
    createdAt: now,
    createdBy: userId,
  };

  // Attributes and participants.
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
      createdAt: now,
      createdBy: userId,
    };
    for (const ref of entry.sourceRefs) {
      if (participantOfSource.has(ref))
        warnings.push(`La source ${ref} appartient à plusieurs cas : le premier est gardé.`);
      else participantOfSource.set(ref, participant.id);
    }
    return participant;
  });
  for (const participant of participants) events.push({ type: 'participant_created', participant });

  // Codes, parents first; sibling names made unique as Verbatim requires.
  const siblingNames = new Map<string, UniqueNames>();
  let colorIndex = 0;
  // Codes keep the file's order (a new project: from 0).
  let position = 0;
  for (const { code, parentGuid } of flattenCodes(refi.codes)) {
    const names = siblingNames.get(parentGuid ?? '') ?? new UniqueNames();
    siblingNames.set(parentGuid ?? '', names);
    const name = names.take(code.name || 'Code sans nom', 200);
    if (name !== (code.name || 'Code sans nom'))
      warnings.push(`Le code « ${code.name} » est renommé « ${name} » (nom en double au même niveau).`);
    const created: Code = {
      id: code.guid as CodeId,
      name,
      parentId: parentGuid as CodeId | null,
      color: code.color ?? (CODE_COLORS[colorIndex++ % CODE_COLORS.length] as string),
      description: [code.description, joinMemos(notes(code.noteRefs))]
        .filter((t) => t.trim() !== '')
        .join('\n\n')
        .slice(0, 20_000),
      createdAt: now,
      createdBy: userId,
      version: 1,
      position: position++,
    };
    events.push({ type: 'code_created', code: created });
  }

  // Coders: every coding is the importer's, labelled with its original coder.
  const coders = new CoderDirectory(refi);

  // Documents and codings.
  const texts: { documentId: DocumentId; text: string; original?: { format: string; bytes: Uint8Array } }[] =
    [];
  const sourceReports: SourceReport[] = [];
  const documentNames = new UniqueNames();
  const codings: Coding[] = [];
  const codingIds = new Set<string>();
  const codingKeys = new Set<string>();
  for (const source of refi.textSources) {
    const label = source.name || source.guid;
    const raw = sourceText(source, context);
    const choice = choosePositionUnit(raw.text, source.selections, refi.origin);
    const mapper = new PositionMapper(raw.text, choice.unit);
    const codingCount = source.codings.length + source.selections.reduce((n, s) => n + s.codings.length, 0);
    if (mapper.text.trim() === '') {
      warnings.push(
        `La source « ${label} » ne contient aucun texte : elle n'est pas importée${codingCount > 0 ? ` (ni ses ${codingCount} codages)` : ''}.`,
      );
      continue;
    }
    const documentId = source.guid as DocumentId;
    const document: DocumentMeta = {
      id: documentId,
      name: documentNames.take(source.name || `Source ${source.guid.slice(0, 8)}`, 255),
      length: mapper.index.length,
      memo: joinMemos(notes(source.noteRefs)).slice(0, 100_000),
      createdAt: source.creationDateTime ?? now,
      createdBy: userId,
      format: raw.original?.format ?? 'txt',
      encoding: raw.encoding,
      turns: detectTurns(mapper.text),
      participantId: participantOfSource.get(source.guid) ?? null,
    };
    events.push({ type: 'document_added', document });
    texts.push({ documentId, text: mapper.text, ...(raw.original ? { original: raw.original } : {}) });

    let inexact = 0;
    let made = 0;
    const addCoding = (
      refiCoding: RefiCoding,
      start: number,
      end: number,
      owner: RefiStamp,
      memo: string,
    ) => {
      const original = coders.label(refiCoding.creatingUser ?? owner.creatingUser);
      const key = `${documentId}|${refiCoding.codeGuid}|${original?.key ?? ''}|${start}|${end}`;
      if (codingKeys.has(key)) {
        warnings.push(`Codage en double ignoré dans « ${label} » (même code, même passage, même codeur).`);
        return;
      }
      codingKeys.add(key);
      const id = codingIds.has(refiCoding.guid) ? newId<CodingId>() : (refiCoding.guid as CodingId);
      codingIds.add(id);
      const codingMemo = [
        original ? `${IMPORTED_CODER_LABEL}${original.name}` : '',
        memo,
        joinMemos(notes(refiCoding.noteRefs)),
      ]
        .filter((t) => t !== '')
        .join('\n\n');
      codings.push({
        id,
        documentId,
        codeId: refiCoding.codeGuid as CodeId,
        start,
        end,
        text: mapper.index.slice(start, end),
        coderId: userId,
        createdAt: refiCoding.creationDateTime ?? owner.creationDateTime ?? now,
        memo: codingMemo.slice(0, 100_000),
      });
      made++;
    };
    for (const coding of source.codings) addCoding(coding, 0, mapper.index.length, source, '');
    for (const selection of source.selections) {
      const span = mapper.map(selection.start, selection.end);
      if (!span) {
        throw refiRefusal(
          fileName,
          `la sélection ${selection.guid} de « ${label} » [${selection.start}, ${selection.end}) sort du texte (longueur ${mapper.rawLength} en ${mapper.unit === 'utf-16' ? 'unités UTF-16' : 'points de code'}).`,
          {
            source: source.guid,
            selection: selection.guid,
            start: selection.start,
            end: selection.end,
            length: mapper.rawLength,
          },
        );
      }
      if (!span.exact) inexact++;
      if (span.start === span.end) {
        if (selection.codings.length > 0)
          warnings.push(`Sélection vide ignorée dans « ${label} » (${selection.guid}).`);
        continue;
      }
      const memo = joinMemos(notes(selection.noteRefs));
      for (const coding of selection.codings) addCoding(coding, span.start, span.end, selection, memo);
    }
    sourceReports.push({
      name: document.name,
      positionUnit: choice.unit,
      reason: choice.reason,
      selections: source.selections.length,
      codings: made,
      inexact,
    });
  }
  for (const coding of codings) events.push({ type: 'coding_created', coding });
  for (const [guid, kind] of refi.otherSources)
    warnings.push(`Source ${kind} ${guid} non importée : Verbatim n'importe que les textes.`);

  const members: Record<string, Role> = { [userId]: 'lead' };
  return {
    project,
    members,
    texts,
    events,
    report: {
      origin: refi.origin,
      documents: texts.length,
      codes: flattenCodes(refi.codes).length,
      codings: codings.length,
      participants: participants.length,
      attributes: attributes.length,
      memos,
      coders: coders.used(),
      attributedTo: userId,
      sources: sourceReports,
      warnings,
    },
  };
}

/** Names made unique without regard to case or accents, by adding « (2) », « (3) »… */
class UniqueNames {
  private readonly taken = new Set<string>();

  take(wanted: string, max: number): string {
    const base = wanted.normalize('NFC').trim().slice(0, max);
    let name = base;
    for (let n = 2; this.taken.has(foldForComparison(name)); n++) {
      const suffix = ` (${n})`;
      name = base.slice(0, max - suffix.length) + suffix;
    }
    this.taken.add(foldForComparison(name));
    return name;
  }
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

/** Resolve `internal://name` in the sources folder; anything else cannot be read from the archive. */
function internalFile(path: string, context: ImportContext, what: string): Uint8Array {
  const match = /^internal:\/\/\/?(.+)$/i.exec(path.trim());
  if (!match) {
    throw refiRefusal(context.fileName, `${what} renvoie à un fichier hors de l'archive (« ${path} »).`);
  }
  const bytes = context.sources.get((match[1] as string).toLowerCase());
  if (!bytes)
    throw refiRefusal(context.fileName, `${what} renvoie à « ${path} », absent du dossier sources.`);
  return bytes;
}

/** A source's raw text (before normalisation), how it was encoded, and the original to keep. */
function sourceText(
  source: RefiTextSource,
  context: ImportContext,
): { text: string; encoding: string; original: { format: string; bytes: Uint8Array } | undefined } {
  const what = `La source « ${source.name || source.guid} »`;
  let text: string;
  let encoding = 'utf-8';
  let plain: Uint8Array | undefined;
  if (source.content !== undefined) text = source.content;
  else if (source.plainTextPath !== undefined) {
    plain = internalFile(source.plainTextPath, context, what);
    try {
      ({ text, encoding } = decodePlainText(source.name || source.guid, plain));
    } catch (error) {
      if (!isDomainError(error)) throw error;
      throw refiRefusal(context.fileName, `${what} : ${error.message}`);
    }
  } else {
    throw refiRefusal(
      context.fileName,
      `${what} n'a ni texte (PlainTextContent) ni fichier texte (plainTextPath).`,
    );
  }
  const rich = source.richTextPath;
  if (rich !== undefined && /\.docx$/i.test(rich)) {
    return { text, encoding, original: { format: 'docx', bytes: internalFile(rich, context, what) } };
  }
  return { text, encoding, original: plain ? { format: 'txt', bytes: plain } : undefined };
}

/** A note's text, normalised like any text. */
function noteText(note: RefiNote, context: ImportContext): string {
  if (note.content !== undefined) return note.content.replace(/\r\n?/g, '\n').normalize('NFC').trim();
  if (note.plainTextPath === undefined) return '';
  const bytes = internalFile(note.plainTextPath, context, `La note « ${note.name || note.guid} »`);
  return decodePlainText(note.name || note.guid, bytes)
    .text.replace(/\r\n?/g, '\n')
    .normalize('NFC')
    .trim();
}

/**
 * The coders of an imported project. Every coding is attributed to the person importing: no
 * account is created, and none is matched by GUID or name (a file can claim any GUID, any name).
 * The original coder's name is kept on each coding as a label, so the work of each original coder
 * stays distinct and can still be compared.
 */
class CoderDirectory {
  private readonly seen = new Map<string, { guid: string; name: string; codings: number }>();

  constructor(private readonly refi: RefiProject) {}

  /** The original coder of a coding, by REFI user GUID (none: unknown), counted once more. */
  label(guid: string | undefined): { key: string; name: string } | undefined {
    if (guid === undefined) return undefined;
    const name = (this.refi.users.get(guid)?.name || `Codeur ${guid.slice(0, 8)}`).slice(0, 120);
    const entry = this.seen.get(guid) ?? { guid, name, codings: 0 };
    entry.codings++;
    this.seen.set(guid, entry);
    return { key: guid, name };
  }

  /** The original coders met, in order of appearance. */
  used(): { guid: string; name: string; codings: number }[] {
    return [...this.seen.values()];
  }
}
