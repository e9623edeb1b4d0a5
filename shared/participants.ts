import {
  findAttribute,
  inferAttributeType,
  nameRecord,
  nextPseudonym,
  parseAttributeValue,
} from './attributes.ts';
import { DomainError, isDomainError } from './errors.ts';
import type { ProjectEventBody } from './events.ts';
import { newId, type ParticipantId, type UserId } from './ids.ts';
import type { AttributeDef, AttributeValue, DocumentMeta, Participant, ProjectState } from './model.ts';
import { unsafeCellsReason, unsafeNameReason } from './safe-text.ts';
import { foldForComparison } from './text.ts';

/** Check values against the project's attribute definitions; unknown attributes are refused. */
export function checkAttributes(
  defs: readonly AttributeDef[],
  values: Readonly<Record<string, AttributeValue | null>>,
  base: Readonly<Record<string, AttributeValue>> = {},
): Record<string, AttributeValue> {
  const out = nameRecord(Object.entries(base));
  for (const [key, raw] of Object.entries(values)) {
    const def = findAttribute(defs, key);
    if (!def)
      throw new DomainError('invalid_input', `L'attribut « ${key} » n'est pas défini dans ce projet.`);
    const value = raw === null ? undefined : parseAttributeValue(def, raw);
    if (value === undefined) delete out[def.name];
    else out[def.name] = value;
  }
  return out;
}

/** Pseudonyms and names are unique in a project (compared without case or accents). */
export function assertUniqueParticipant(
  participants: readonly Participant[],
  candidate: { id: string; name: string; pseudonym: string },
): void {
  for (const p of participants) {
    if (p.id === candidate.id) continue;
    if (foldForComparison(p.name) === foldForComparison(candidate.name)) {
      throw new DomainError('duplicate_name', `Un participant « ${p.name} » existe déjà.`);
    }
    if (
      candidate.pseudonym !== '' &&
      foldForComparison(p.pseudonym) === foldForComparison(candidate.pseudonym)
    ) {
      throw new DomainError(
        'duplicate_name',
        `Le pseudonyme « ${p.pseudonym} » est déjà pris par ${p.name}.`,
      );
    }
  }
}

const FILE_HEADERS = ['fichier', 'file', 'document', 'filename', 'nom du fichier'];
const NAME_HEADERS = ['participant', 'nom', 'name', 'cas', 'case'];
const PSEUDONYM_HEADERS = ['pseudonyme', 'pseudonym', 'pseudo', 'alias'];

function findColumn(header: readonly string[], names: readonly string[]): number {
  return header.findIndex((h) => names.includes(foldForComparison(h.trim())));
}

/** Find the document a CSV row names: the exact file name, or the same name without extension. */
function findDocument(documents: readonly DocumentMeta[], fileName: string): DocumentMeta | undefined {
  const folded = fileName.trim().toLocaleLowerCase('fr');
  const stem = (n: string) => n.toLocaleLowerCase('fr').replace(/\.[^.]+$/, '');
  return (
    documents.find((d) => d.name.toLocaleLowerCase('fr') === folded) ??
    documents.find((d) => stem(d.name) === stem(folded))
  );
}

/** What a participants import did: the server answers it, the interface shows it. */
export interface ParticipantImportReport {
  created: number;
  updated: number;
  linked: number;
  attributesAdded: string[];
  errors: { row: number; message: string }[];
}

/**
 * Plan the import of a participants table (already parsed: a header and rows of cells). The header
 * names a file column, a participant column, optionally a pseudonym column; every other column is
 * an attribute (new ones get a type guessed from their values). Rows link documents by file name.
 * Bad rows and unknown files are reported, not guessed; everything else becomes one batch of
 * events, applied together or not at all.
 */
export function planParticipantImport(
  state: Readonly<ProjectState>,
  header: readonly string[],
  rows: readonly (readonly string[])[],
  userId: UserId,
  now: string,
): { events: ProjectEventBody[]; report: ParticipantImportReport } {
  const columns = readColumns(header);
  const { defs, attributesAdded } = attributeDefinitions(state.attributes, columns.attributes, rows);
  const participants = new Map<string, Participant>(Object.values(state.participants).map((p) => [p.id, p]));
  const imported: ImportedRows = {
    participants,
    byName: new Map<string, ParticipantId>(
      [...participants.values()].map((p) => [foldForComparison(p.name), p.id]),
    ),
    created: new Set<string>(),
    touched: new Set<string>(),
    links: new Map<string, ParticipantId>(),
    errors: [],
  };
  const table: TableContext = {
    header,
    columns,
    defs,
    documents: Object.values(state.documents),
    userId,
    now,
  };
  rows.forEach((row, i) => importRow(row, i + 2, table, imported)); // Spreadsheet numbering: the header is row 1.
  const { events, updated, linked } = importEvents(state, defs, attributesAdded, imported);
  return {
    events,
    report: {
      created: [...imported.created].filter((id) => !state.participants[id]).length,
      updated,
      linked,
      attributesAdded,
      errors: imported.errors,
    },
  };
}

/** The columns of a participants table: file, participant and pseudonym (-1 when absent), attributes. */
interface Columns {
  readonly file: number;
  readonly name: number;
  readonly pseudonym: number;
  readonly attributes: readonly { readonly name: string; readonly index: number }[];
}

/** What every row of one import reads: the table's header and columns, the attributes, the documents. */
interface TableContext {
  readonly header: readonly string[];
  readonly columns: Columns;
  readonly defs: readonly AttributeDef[];
  readonly documents: readonly DocumentMeta[];
  readonly userId: UserId;
  readonly now: string;
}

/** What the rows read so far have made: participants by id and by folded name, links, errors. */
interface ImportedRows {
  readonly participants: Map<string, Participant>;
  readonly byName: Map<string, ParticipantId>;
  readonly created: Set<string>;
  readonly touched: Set<string>;
  /** documentId → the participant it is linked to. */
  readonly links: Map<string, ParticipantId>;
  readonly errors: { row: number; message: string }[];
}

/** The header's columns; refused without a file and a participant column, or with an unsafe name. */
function readColumns(header: readonly string[]): Columns {
  const file = findColumn(header, FILE_HEADERS);
  const name = findColumn(header, NAME_HEADERS);
  const pseudonym = findColumn(header, PSEUDONYM_HEADERS);
  if (name < 0 || file < 0) {
    throw new DomainError(
      'unprocessable',
      `L'en-tête doit nommer une colonne de fichier (fichier, file ou document) et une colonne de participant (participant, nom ou name). En-tête lu : ${header.join(' | ')}`,
    );
  }
  const attributes = header
    .map((h, i) => ({ name: h.trim(), index: i }))
    .filter((c) => c.index !== file && c.index !== name && c.index !== pseudonym && c.name !== '');
  for (const col of attributes) {
    const unsafe = unsafeNameReason(col.name);
    if (unsafe) throw new DomainError('unprocessable', `L'en-tête « ${col.name} » ${unsafe}`);
  }
  return { file, name, pseudonym, attributes };
}

/** Attribute definitions: existing ones keep their type; new ones are inferred from the column. */
function attributeDefinitions(
  existingDefs: readonly AttributeDef[],
  attributeCols: Columns['attributes'],
  rows: readonly (readonly string[])[],
): { defs: AttributeDef[]; attributesAdded: string[] } {
  const defs: AttributeDef[] = [...existingDefs];
  const attributesAdded: string[] = [];
  for (const col of attributeCols) {
    const values = rows.map((r) => r[col.index] ?? '');
    const existing = findAttribute(defs, col.name);
    if (!existing) {
      defs.push({ name: col.name, ...inferAttributeType(values) });
      attributesAdded.push(col.name);
    } else if (existing.type === 'choice') {
      // New values of a choice attribute extend its list (matching without case or accents).
      const extra = values
        .map((v) => v.trim())
        .filter(
          (v) => v !== '' && !existing.choices.some((c) => foldForComparison(c) === foldForComparison(v)),
        );
      if (extra.length > 0) {
        const unique = [...new Map(extra.map((v) => [foldForComparison(v), v])).values()];
        defs[defs.indexOf(existing)] = { ...existing, choices: [...existing.choices, ...unique] };
      }
    }
  }
  return { defs, attributesAdded };
}

/** One row of the table, into `imported`: a participant created or updated, a link, or an error. */
function importRow(row: readonly string[], rowNo: number, table: TableContext, imported: ImportedRows): void {
  const { header, columns, defs } = table;
  const { participants, byName, errors } = imported;
  if (row.every((cell) => cell.trim() === '')) return;
  const name = (row[columns.name] ?? '').trim();
  if (name === '') {
    errors.push({ row: rowNo, message: 'Nom de participant manquant.' });
    return;
  }
  const unsafe = unsafeCellsReason([
    { column: header[columns.name] ?? '', value: name, kind: 'name' },
    ...(columns.pseudonym >= 0
      ? [
          {
            column: header[columns.pseudonym] ?? '',
            value: row[columns.pseudonym] ?? '',
            kind: 'name' as const,
          },
        ]
      : []),
    ...columns.attributes.map((c) => ({ column: c.name, value: row[c.index] ?? '', kind: 'name' as const })),
  ]);
  if (unsafe) {
    errors.push({ row: rowNo, message: unsafe });
    return;
  }
  try {
    const values = nameRecord<AttributeValue>();
    for (const col of columns.attributes) values[col.name] = row[col.index] ?? '';
    const id = byName.get(foldForComparison(name));
    const before = id ? participants.get(id) : undefined;
    const attributes = checkAttributes(defs, values, before?.attributes ?? {});
    const pseudonymCell = columns.pseudonym >= 0 ? (row[columns.pseudonym] ?? '').trim() : '';
    const all = [...participants.values()];
    const next: Participant = before
      ? { ...before, pseudonym: pseudonymCell || before.pseudonym, attributes }
      : {
          id: newId<ParticipantId>(),
          name,
          pseudonym: pseudonymCell || nextPseudonym(all),
          attributes,
          createdAt: table.now,
          createdBy: table.userId,
        };
    assertUniqueParticipant(all, next);
    const fileName = (row[columns.file] ?? '').trim();
    const document = fileName === '' ? undefined : findDocument(table.documents, fileName);
    participants.set(next.id, next);
    byName.set(foldForComparison(name), next.id);
    (before ? imported.touched : imported.created).add(next.id);
    if (fileName !== '' && !document) {
      errors.push({
        row: rowNo,
        message: `Aucun document « ${fileName} » dans le projet : ligne importée sans lien.`,
      });
    } else if (document) {
      imported.links.set(document.id, next.id);
    }
  } catch (error) {
    if (!isDomainError(error)) throw error;
    errors.push({ row: rowNo, message: error.message });
  }
}

/** The events of an import: attributes, participants created or changed, documents linked. */
function importEvents(
  state: Readonly<ProjectState>,
  defs: AttributeDef[],
  attributesAdded: readonly string[],
  imported: ImportedRows,
): { events: ProjectEventBody[]; updated: number; linked: number } {
  const events: ProjectEventBody[] = [];
  if (attributesAdded.length > 0 || defs.some((d, i) => d !== state.attributes[i])) {
    events.push({ type: 'attributes_set', before: [...state.attributes], after: defs });
  }
  let updated = 0;
  for (const id of new Set([...imported.created, ...imported.touched])) {
    const after = imported.participants.get(id) as Participant;
    const before = state.participants[id];
    if (!before) events.push({ type: 'participant_created', participant: after });
    else if (JSON.stringify(before) !== JSON.stringify(after)) {
      events.push({ type: 'participant_updated', before, after });
      updated++;
    }
  }
  let linked = 0;
  for (const [documentId, participantId] of imported.links) {
    const before = state.documents[documentId] as DocumentMeta;
    if (before.participantId === participantId) continue;
    events.push({ type: 'document_updated', before, after: { ...before, participantId } });
    linked++;
  }
  return { events, updated, linked };
}
