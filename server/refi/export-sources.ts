import type { Coding, DocumentMeta, ProjectState } from '../../shared/model.ts';
import { derivedGuid } from './guid.ts';
import type { XmlNode } from './xml.ts';

/** What the sources' elements add to the rest of the project: notes, and the users they name. */
export interface SourceExtras {
  /** Document and coding memos, as `Note`s for the project's `Notes`. */
  readonly notes: XmlNode[];
  /** Accounts to list in `Users`. */
  readonly referenced: Set<string>;
}

/**
 * One TextSource per document: its stored text in `sources/<guid>.txt` (so positions hold), its
 * original `.docx`, when it was one, as `richTextPath`, its codings as selections, its memo as a
 * note.
 */
export function sourceElements(
  state: Readonly<ProjectState>,
  documents: readonly DocumentMeta[],
  withDocx: ReadonlySet<string>,
  extras: SourceExtras,
): XmlNode[] {
  const codingsByDocument = new Map<string, Coding[]>();
  for (const coding of Object.values(state.codings)) {
    const list = codingsByDocument.get(coding.documentId) ?? [];
    list.push(coding);
    codingsByDocument.set(coding.documentId, list);
  }
  return documents.map((document): XmlNode => {
    extras.referenced.add(document.createdBy);
    const selections = selectionElements(document, codingsByDocument.get(document.id) ?? [], extras);
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
      children: [...selections, documentNoteRef(state, document, extras)],
    };
  });
}

/** The reference to a document's memo, its note added to the project's notes; none when blank. */
function documentNoteRef(
  state: Readonly<ProjectState>,
  document: DocumentMeta,
  extras: SourceExtras,
): XmlNode | undefined {
  if (document.memo.trim() === '') return undefined;
  const guid = derivedGuid('document-memo', state.project.id, document.id);
  extras.notes.push(
    noteElement(guid, `Mémo : ${document.name}`, document.memo, document.createdBy, document.createdAt),
  );
  return { name: 'NoteRef', attributes: { targetGUID: guid } };
}

/** Codings with the same span and memo, sorted, each group with the GUID of its selection. */
export function codingGroups(
  document: DocumentMeta,
  codings: readonly Coding[],
): { guid: string; first: Coding; group: Coding[] }[] {
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
  return [...groups.values()].map((group) => {
    const first = group[0] as Coding;
    const guid = derivedGuid('selection', document.id, String(first.start), String(first.end), first.memo);
    return { guid, first, group };
  });
}

/**
 * A selection's children: one Coding per code and coder, and the reference to the memo the
 * group shares (its note added to the project's notes).
 */
export function groupChildren(
  document: DocumentMeta,
  { guid, first, group }: { guid: string; first: Coding; group: readonly Coding[] },
  extras: SourceExtras,
): XmlNode[] {
  let noteRef: XmlNode | undefined;
  if (first.memo.trim() !== '') {
    const noteGuid = derivedGuid('coding-memo', guid);
    extras.notes.push(
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
  for (const coding of group) extras.referenced.add(coding.coderId);
  return [
    ...group.map((coding): XmlNode => ({
      name: 'Coding',
      attributes: { guid: coding.id, creatingUser: coding.coderId, creationDateTime: coding.createdAt },
      children: [{ name: 'CodeRef', attributes: { targetGUID: coding.codeId } }],
    })),
    ...(noteRef ? [noteRef] : []),
  ];
}

/** Codings grouped by span and memo into selections, each with one Coding per code and coder. */
function selectionElements(
  document: DocumentMeta,
  codings: readonly Coding[],
  extras: SourceExtras,
): XmlNode[] {
  return codingGroups(document, codings).map((entry): XmlNode => ({
    name: 'PlainTextSelection',
    attributes: {
      guid: entry.guid,
      startPosition: String(entry.first.start),
      endPosition: String(entry.first.end),
      creatingUser: entry.first.coderId,
      creationDateTime: entry.first.createdAt,
    },
    children: groupChildren(document, entry, extras),
  }));
}

function noteElement(guid: string, name: string, text: string, userId: string, at: string): XmlNode {
  return {
    name: 'Note',
    attributes: { guid, name, creatingUser: userId, creationDateTime: at },
    children: [{ name: 'PlainTextContent', text }],
  };
}
