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
  const fileCol = findColumn(header, FILE_HEADERS);
  const nameCol = findColumn(header, NAME_HEADERS);
  const pseudoCol = findColumn(header, PSEUDONYM_HEADERS);
  if (nameCol < 0 || fileCol < 0) {
    throw new DomainError(
      'unprocessable',
      `L'en-tête doit nommer une colonne de fichier (fichier, file ou document) et une colonne de participant (participant, nom ou name). En-tête lu : ${header.join(' | ')}`,
    );
  }
  const attributeCols = header
    .map((h, i) => ({ name: h.trim(), index: i }))
    .filter((c) => c.index !== fileCol && c.index !== nameCol && c.index !== pseudoCol && c.name !== '');
  for (const col of attributeCols) {
    const unsafe = unsafeNameReason(col.name);
    if (unsafe) throw new DomainError('unprocessable', `L'en-tête « ${col.name} » ${unsafe}`);
  }

  // Attribute definitions: existing ones keep their type; new ones are inferred from the column.
  const defs: AttributeDef[] = [...state.attributes];
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

  const participants = new Map<string, Participant>(Object.values(state.participants).map((p) => [p.id, p]));
  const byName = new Map<string, ParticipantId>(
    [...participants.values()].map((p) => [foldForComparison(p.name), p.id]),
  );
  const created = new Set<string>();
  const touched = new Set<string>();
  const links = new Map<string, ParticipantId>();
  const documents = Object.values(state.documents);
  const errors: { row: number; message: string }[] = [];

  rows.forEach((row, i) => {
    const rowNo = i + 2; // Spreadsheet numbering: the header is row 1.
    if (row.every((cell) => cell.trim() === '')) return;
    const name = (row[nameCol] ?? '').trim();
    if (name === '') {
      errors.push({ row: rowNo, message: 'Nom de participant manquant.' });
      return;
    }
    const unsafe = unsafeCellsReason([
      { column: header[nameCol] ?? '', value: name, kind: 'name' },
      ...(pseudoCol >= 0
        ? [{ column: header[pseudoCol] ?? '', value: row[pseudoCol] ?? '', kind: 'name' as const }]
        : []),
      ...attributeCols.map((c) => ({ column: c.name, value: row[c.index] ?? '', kind: 'name' as const })),
    ]);
    if (unsafe) {
      errors.push({ row: rowNo, message: unsafe });
      return;
    }
    try {
      const values = nameRecord<AttributeValue>();
      for (const col of attributeCols) values[col.name] = row[col.index] ?? '';
      const id = byName.get(foldForComparison(name));
      const before = id ? participants.get(id) : undefined;
      const attributes = checkAttributes(defs, values, before?.attributes ?? {});
      const pseudonymCell = pseudoCol >= 0 ? (row[pseudoCol] ?? '').trim() : '';
      const all = [...participants.values()];
      const next: Participant = before
        ? { ...before, pseudonym: pseudonymCell || before.pseudonym, attributes }
        : {
            id: newId<ParticipantId>(),
            name,
            pseudonym: pseudonymCell || nextPseudonym(all),
            attributes,
            createdAt: now,
            createdBy: userId,
          };
      assertUniqueParticipant(all, next);
      const fileName = (row[fileCol] ?? '').trim();
      const document = fileName === '' ? undefined : findDocument(documents, fileName);
      participants.set(next.id, next);
      byName.set(foldForComparison(name), next.id);
      (before ? touched : created).add(next.id);
      if (fileName !== '' && !document) {
        errors.push({
          row: rowNo,
          message: `Aucun document « ${fileName} » dans le projet : ligne importée sans lien.`,
        });
      } else if (document) {
        links.set(document.id, next.id);
      }
    } catch (error) {
      if (!isDomainError(error)) throw error;
      errors.push({ row: rowNo, message: error.message });
    }
  });

  const events: ProjectEventBody[] = [];
  if (attributesAdded.length > 0 || defs.some((d, i) => d !== state.attributes[i])) {
    events.push({ type: 'attributes_set', before: [...state.attributes], after: defs });
  }
  let updated = 0;
  for (const id of new Set([...created, ...touched])) {
    const after = participants.get(id) as Participant;
    const before = state.participants[id];
    if (!before) events.push({ type: 'participant_created', participant: after });
    else if (JSON.stringify(before) !== JSON.stringify(after)) {
      events.push({ type: 'participant_updated', before, after });
      updated++;
    }
  }
  let linked = 0;
  for (const [documentId, participantId] of links) {
    const before = state.documents[documentId] as DocumentMeta;
    if (before.participantId === participantId) continue;
    events.push({ type: 'document_updated', before, after: { ...before, participantId } });
    linked++;
  }
  return {
    events,
    report: {
      created: [...created].filter((id) => !state.participants[id]).length,
      updated,
      linked,
      attributesAdded,
      errors,
    },
  };
}
