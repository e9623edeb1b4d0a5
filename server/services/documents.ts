import { assertRole } from '../../shared/access.ts';
import { DomainError, isDomainError } from '../../shared/errors.ts';
import { newId, type DocumentId, type ProjectId, type UserId } from '../../shared/ids.ts';
import type { DocumentMeta, ProjectState } from '../../shared/model.ts';
import { codePointLength } from '../../shared/offsets.ts';
import { unsafeNameReason } from '../../shared/safe-text.ts';
import type { ImportedText } from '../import/index.ts';
import type { Store } from '../storage/store.ts';

export function assertUniqueDocumentName(
  state: Readonly<ProjectState>,
  name: string,
  exceptId: string | null,
): void {
  const folded = name.normalize('NFC').toLocaleLowerCase('fr');
  for (const d of Object.values(state.documents)) {
    if (d.id !== exceptId && d.name.toLocaleLowerCase('fr') === folded) {
      throw new DomainError('duplicate_name', `Un document « ${d.name} » existe déjà dans ce projet.`, {
        existingId: d.id,
      });
    }
  }
}

/**
 * Add one imported document: its text is written (durably) first, then the event that makes it
 * part of the project. If the event is refused, the text is removed: a failed file leaves nothing.
 */
export async function addDocument(
  store: Store,
  projectId: ProjectId,
  userId: UserId,
  name: string,
  imported: Omit<ImportedText, 'original'>,
  original?: Uint8Array,
): Promise<DocumentMeta> {
  const unsafe = unsafeNameReason(name);
  if (unsafe) {
    // A file's name: refused like the file's content (422); a JSON name is refused by its schema.
    throw new DomainError('unprocessable', `Le nom du fichier « ${name} » ${unsafe}`, { file: name });
  }
  if (imported.text.trim() === '') {
    throw new DomainError('unprocessable', `« ${name} » est vide : il n'y a pas de texte à coder.`, {
      file: name,
    });
  }
  const documentId = newId<DocumentId>();
  const document: DocumentMeta = {
    id: documentId,
    name: name.normalize('NFC').trim(),
    length: codePointLength(imported.text),
    memo: '',
    createdAt: new Date().toISOString(),
    createdBy: userId,
    format: imported.format,
    encoding: imported.encoding,
    turns: imported.turns,
    ...(imported.syncPoints.length > 0 ? { syncPoints: imported.syncPoints } : {}),
    participantId: null,
    ...(imported.marks.length > 0 ? { marks: imported.marks } : {}),
  };
  // Refuse a duplicate name before writing anything.
  const current = await store.readProject(projectId);
  if (current) assertUniqueDocumentName(current, document.name, null);
  try {
    await store.putText(projectId, documentId, imported.text);
    if (original) await store.putOriginal(projectId, documentId, imported.format, original);
    return await store.changeProject(projectId, userId, (s) => {
      assertRole(s, userId, 'lead');
      assertUniqueDocumentName(s, document.name, null);
      return { events: [{ type: 'document_added', document }], result: document };
    });
  } catch (error) {
    await store.discardText(projectId, documentId).catch(() => undefined);
    if (isDomainError(error)) throw error;
    throw new DomainError('storage_unavailable', `« ${name} » n'a pas pu être enregistré sur le disque.`, {
      file: name,
      cause: String(error),
    });
  }
}
