import { codingCountOfDocument, codingCountsByCode, codingsOfDocument } from '../../shared/coding-index.ts';
import { Hono, type Context } from 'hono';
import type { z } from 'zod';
import { assertRole } from '../../shared/access.ts';
import { DomainError, isDomainError, type DomainErrorCode } from '../../shared/errors.ts';
import { assertMemoUnchanged } from '../../shared/memos.ts';
import type { ProjectEventBody } from '../../shared/events.ts';
import type { DocumentId, ParticipantId, ProjectId, UserId } from '../../shared/ids.ts';
import type { Coding, DocumentMeta, ProjectState, Role, UserRecord } from '../../shared/model.ts';
import { DocumentPatch, NewDocument } from '../../shared/schemas.ts';
import { requireUser } from '../auth/sessions.ts';
import { idParam, projectFor } from '../http/access.ts';
import { RawJson } from '../http/json-bytes.ts';
import { fileTooLarge, streamUploadedFiles } from '../http/multipart.ts';
import type { Env } from '../http/env.ts';
import { wordCounts } from '../services/word-counts.ts';
import { uploadSlots } from '../http/upload-slots.ts';
import { invalidInput, validate } from '../http/validate.ts';
import { statusOf } from '../http/errors.ts';
import { importSentText } from '../import/index.ts';
import { importThread } from '../import/off-thread.ts';
import { addDocument, assertUniqueDocumentName } from '../services/documents.ts';
import type { Change, Store } from '../storage/store.ts';
import { historySummary } from './history.ts';
import { memberList } from './members.ts';

/** A document in lists: its metadata without the turns (but its speakers), and how many codings it carries. */
function documentSummary(document: DocumentMeta, codings: number, words?: number) {
  const { turns, syncPoints: _syncPoints, ...rest } = document;
  const speakers = [...new Set(turns.map((t) => t.speaker).filter((name) => name !== ''))];
  return { ...rest, turnCount: turns.length, speakers, codings, ...(words === undefined ? {} : { words }) };
}

function getDocument(state: Readonly<ProjectState>, documentId: DocumentId): DocumentMeta {
  const document = state.documents[documentId];
  if (!document) throw new DomainError('not_found', 'Document introuvable.', { documentId });
  return document;
}

type CodingInView = Omit<Coding, 'documentId' | 'text'>;

/**
 * Each coding as the document view writes it, kept as long as the coding itself: a coding is never
 * changed in place (a change puts a new object in the state), so its JSON is made once, not at
 * every opening of its document. Weakly held, it goes with the coding (erasure included) and holds
 * nothing the state does not.
 */
const codingsInView = new WeakMap<Coding, RawJson<CodingInView>>();

function codingInView(coding: Coding): RawJson<CodingInView> {
  let json = codingsInView.get(coding);
  if (json === undefined) {
    const { documentId: _documentId, text: _text, ...rest } = coding;
    json = new RawJson<CodingInView>(JSON.stringify(rest));
    codingsInView.set(coding, json);
  }
  return json;
}

/**
 * Everything the coding view needs to open one document, read from one state at one seq: the
 * project's name and the caller's role, the document and its text, **its** codings, the codebook
 * with the number of codings of each code in the project (from the coding index, so without
 * reading the other codings) and in this document, the members' names, the participant
 * interviewed, the settings and the caller's undo history. Its cost follows the document and the
 * codebook, not the project's other codings. The codings leave out their document's id and the
 * text they cover, which the document's text gives.
 */
function documentView(
  state: Readonly<ProjectState>,
  document: DocumentMeta,
  text: string,
  context: { role: Role; userId: string; users: Readonly<Record<string, UserRecord>> },
) {
  const codings = codingsOfDocument(state, document.id).sort(
    (a, b) => a.start - b.start || a.end - b.end || a.createdAt.localeCompare(b.createdAt),
  );
  const inDocument = new Map<string, number>();
  for (const coding of codings) inDocument.set(coding.codeId, (inDocument.get(coding.codeId) ?? 0) + 1);
  const projectCounts = codingCountsByCode(state);
  const participant = document.participantId ? state.participants[document.participantId] : undefined;
  return {
    seq: state.seq,
    project: { ...state.project, role: context.role },
    document: { ...document, syncPoints: document.syncPoints ?? [], text },
    // Without what the document already gives: its id, and the text each covers (`text` between
    // `start` and `end`, in code points). A third of the answer for a densely coded interview.
    codings: codings.map(codingInView),
    codes: Object.values(state.codes).map((code) => ({
      ...code,
      codings: projectCounts.get(code.id) ?? 0,
      inDocument: inDocument.get(code.id) ?? 0,
    })),
    members: memberList(state, context.users),
    participant: participant ? { participant, attributes: state.attributes } : null,
    settings: state.settings,
    history: historySummary(state, context.userId),
  };
}

/** Most files in one upload form (the interface sends each drop as one form). */
const MAX_FILES_PER_UPLOAD = 100;

interface FileError {
  file: string;
  code: DomainErrorCode;
  message: string;
}

export function documentRoutes(store: Store, options: { maxUploadBytes: number }) {
  return new Hono<Env>()
    .use(requireUser(store))
    .get('/', async (c) => {
      const { id, state } = await projectFor(c, store, 'viewer');
      const words = await wordCounts(store, id, Object.values(state.documents));
      const documents = Object.values(state.documents)
        .map((d) => documentSummary(d, codingCountOfDocument(state, d.id), words.get(d.id)))
        .sort((a, b) => a.name.localeCompare(b.name, 'fr', { numeric: true }));
      return c.json({ documents }, 200);
    })
    .post('/', uploadSlots.guard, async (c) => {
      const { id } = await projectFor(c, store, 'lead');
      const userId = c.get('user').id;
      const type = (c.req.header('content-type') ?? '').toLowerCase();
      const documents: DocumentMeta[] = [];
      const errors: FileError[] = [];
      if (type.startsWith('application/json')) {
        const parsed = NewDocument.safeParse(await c.req.json().catch(() => undefined));
        if (!parsed.success) throw invalidInput(parsed.error);
        documents.push(
          await addDocument(store, id, userId, parsed.data.name, importSentText(parsed.data.text)),
        );
        return c.json({ documents: documents.map((d) => documentSummary(d, 0)), errors }, 201);
      }
      await importUploadedFiles(
        c,
        store,
        { projectId: id, userId, maxUploadBytes: options.maxUploadBytes },
        documents,
        errors,
      );
      const summaries = documents.map((d) => documentSummary(d, 0));
      if (documents.length === 0) {
        const first = errors[0] as FileError;
        return c.json(
          { error: { code: first.code, message: first.message }, documents: summaries, errors },
          statusOf(first.code),
        );
      }
      return c.json({ documents: summaries, errors }, 201);
    })
    .get('/:documentId', async (c) => {
      const { id, state } = await projectFor(c, store, 'viewer');
      const document = getDocument(state, idParam<DocumentId>(c, 'documentId', 'Document'));
      const text = await store.readText(id, document.id);
      return c.json({ ...document, syncPoints: document.syncPoints ?? [], text }, 200);
    })
    .get('/:documentId/view', async (c) => {
      const { id, state } = await projectFor(c, store, 'viewer');
      const document = getDocument(state, idParam<DocumentId>(c, 'documentId', 'Document'));
      const text = await store.readText(id, document.id);
      const users = (await store.readInstance(c.get('arrivedAt'))).users;
      // Read again after the awaits, then built synchronously: one state, at one seq, with the
      // caller's membership as it stands in it.
      const userId = c.get('user').id;
      const now = await store.readProject(id, c.get('arrivedAt'));
      if (!now) throw new DomainError('not_found', "Ce projet n'existe pas.");
      const role = assertRole(now, userId, 'viewer');
      return c.json(documentView(now, getDocument(now, document.id), text, { role, userId, users }), 200);
    })
    .patch('/:documentId', validate('json', DocumentPatch), async (c) => {
      const { id } = await projectFor(c, store, 'coder');
      const documentId = idParam<DocumentId>(c, 'documentId', 'Document');
      const input = c.req.valid('json');
      const userId = c.get('user').id;
      const updated = await store.changeProject(id, userId, (s) =>
        updateDocument(s, userId, documentId, input),
      );
      const state = await store.readProject(id);
      return c.json(documentSummary(updated, state ? codingCountOfDocument(state, documentId) : 0), 200);
    })
    .delete('/:documentId', async (c) => {
      const { id } = await projectFor(c, store, 'lead');
      const documentId = idParam<DocumentId>(c, 'documentId', 'Document');
      const userId = c.get('user').id;
      const removed = await store.changeProject(id, userId, (s) => deleteDocument(s, userId, documentId));
      return c.json({ deleted: { documents: 1, codings: removed } }, 200);
    });
}

/**
 * Import and store each file of a multipart form as it arrives (the next is read only then), into
 * `documents`; a file refused goes to `errors`. When the form breaks after some files were stored,
 * they stay, and `errors` says why the rest is missing.
 */
async function importUploadedFiles(
  c: Context<Env>,
  store: Store,
  upload: { projectId: ProjectId; userId: UserId; maxUploadBytes: number },
  documents: DocumentMeta[],
  errors: FileError[],
): Promise<void> {
  const { projectId, userId, maxUploadBytes } = upload;
  const parts = streamUploadedFiles(
    c,
    'Envoyez du JSON {name, text} ou des fichiers (multipart, champ « file »).',
    {
      maxFileBytes: maxUploadBytes,
      maxFiles: MAX_FILES_PER_UPLOAD,
    },
  );
  try {
    for await (const part of parts) {
      try {
        if (part.tooLarge) throw fileTooLarge(part.name, maxUploadBytes);
        const imported = await importThread.importFile(part.name, part.bytes, { maxBytes: maxUploadBytes });
        documents.push(await addDocument(store, projectId, userId, part.name, imported, imported.original));
      } catch (error) {
        if (!isDomainError(error)) throw error;
        errors.push({ file: part.name, code: error.code, message: error.message });
      }
    }
  } catch (error) {
    // The form broke after some files were stored: they stay, and the answer says which.
    if (!isDomainError(error) || documents.length === 0) throw error;
    errors.push({ file: '', code: error.code, message: error.message });
  }
}

// ---- decisions: each runs synchronously against the project's state (store.changeProject) -------

/** A document renamed, linked to a participant, or its memo written. */
function updateDocument(
  s: Readonly<ProjectState>,
  userId: UserId,
  documentId: DocumentId,
  input: z.infer<typeof DocumentPatch>,
): Change<ProjectEventBody, DocumentMeta> {
  // Coders may write the document memo; renaming and linking to a participant are for leads.
  const leadOnly = input.name !== undefined || input.participantId !== undefined;
  assertRole(s, userId, leadOnly ? 'lead' : 'coder');
  const before = getDocument(s, documentId);
  assertMemoUnchanged(before.memo, input.memoBefore);
  if (input.name !== undefined) assertUniqueDocumentName(s, input.name, documentId);
  const participantId =
    input.participantId === undefined ? before.participantId : (input.participantId as ParticipantId | null);
  if (participantId !== null && !s.participants[participantId]) {
    throw new DomainError('not_found', 'Participant introuvable.');
  }
  const after: DocumentMeta = {
    ...before,
    name: input.name ?? before.name,
    memo: input.memo ?? before.memo,
    participantId,
  };
  return { events: [{ type: 'document_updated', before, after }], result: after };
}

/** A document deleted with its codings; the result counts the codings. */
function deleteDocument(
  s: Readonly<ProjectState>,
  userId: UserId,
  documentId: DocumentId,
): Change<ProjectEventBody, number> {
  assertRole(s, userId, 'lead');
  const document = getDocument(s, documentId);
  const codings: Coding[] = codingsOfDocument(s, documentId);
  return { events: [{ type: 'document_deleted', document, codings }], result: codings.length };
}
