import { Hono } from 'hono';
import type { z } from 'zod';
import { assertRole, roleAtLeast } from '../../shared/access.ts';
import { codingsOfCode, codingsOfDocument, findDuplicateCoding } from '../../shared/coding-index.ts';
import { DomainError } from '../../shared/errors.ts';
import { assertMemoUnchanged } from '../../shared/memos.ts';
import type { ProjectEventBody } from '../../shared/events.ts';
import {
  newId,
  type CodeId,
  type CodingId,
  type DocumentId,
  type ProjectId,
  type UserId,
} from '../../shared/ids.ts';
import type { Coding, ProjectState, Role } from '../../shared/model.ts';
import type { CodePointIndex } from '../../shared/offsets.ts';
import { CodingQuery } from '../../shared/queries.ts';
import {
  CodingPatch,
  ConsensusInput,
  MoveCodingsInput,
  NewCoding,
  type NewCodingInput,
} from '../../shared/schemas.ts';
import { assertSpan } from '../../shared/spans.ts';
import { requireUser } from '../auth/sessions.ts';
import { idParam, projectFor } from '../http/access.ts';
import type { Env } from '../http/env.ts';
import { validate } from '../http/validate.ts';
import type { Change, Store } from '../storage/store.ts';

function documentOf(state: Readonly<ProjectState>, documentId: string) {
  const document = state.documents[documentId];
  if (!document) throw new DomainError('not_found', 'Document introuvable dans ce projet.', { documentId });
  return document;
}

function assertCode(state: Readonly<ProjectState>, codeId: string): void {
  if (!state.codes[codeId])
    throw new DomainError('not_found', 'Code introuvable dans ce projet.', { codeId });
}

/** Coders change their own codings; leads change anyone's. */
function assertMayChange(coding: Coding, userId: string, role: Role): void {
  if (coding.coderId !== userId && !roleAtLeast(role, 'lead')) {
    throw new DomainError('forbidden', 'Seuls son auteur et les responsables peuvent modifier ce codage.');
  }
}

/** The same code on the same passage by the same coder is one coding, not two. */
function assertNotDuplicate(
  state: Readonly<ProjectState>,
  candidate: Omit<Coding, 'text' | 'createdAt' | 'memo'>,
): void {
  const existing = findDuplicateCoding(state, candidate);
  if (existing)
    throw new DomainError('conflict', 'Ce passage porte déjà ce code.', { existingId: existing.id });
}

async function textIndex(
  store: Store,
  projectId: ProjectId,
  documentId: DocumentId,
): Promise<CodePointIndex> {
  return store.readTextIndex(projectId, documentId);
}

export function codingRoutes(store: Store) {
  return (
    new Hono<Env>()
      .use(requireUser(store))
      .get('/', validate('query', CodingQuery), async (c) => {
        const { state } = await projectFor(c, store, 'viewer');
        const codings = filterCodings(state, c.req.valid('query'));
        return c.json({ codings }, 200);
      })
      .post('/', validate('json', NewCoding), async (c) => {
        const { id, state } = await projectFor(c, store, 'coder');
        const input = c.req.valid('json');
        const userId = c.get('user').id;
        const documentId = input.documentId as DocumentId;
        documentOf(state, documentId);
        const index = await textIndex(store, id, documentId);
        const coding = await store.changeProject(id, userId, (s) => createCoding(s, userId, input, index), {
          commutesWithOthersCodings: true,
        });
        return c.json(coding, 201);
      })
      /**
       * Accept a coding as the team's consensus (after comparing coders): the lead gets a coding of
       * the same code on the same passage, marked as consensus and linked to the accepted one.
       */
      .post('/consensus', validate('json', ConsensusInput), async (c) => {
        const { id } = await projectFor(c, store, 'lead');
        const { codingId } = c.req.valid('json');
        const userId = c.get('user').id;
        const coding = await store.changeProject(id, userId, (s) => acceptConsensus(s, userId, codingId));
        return c.json(coding, 201);
      })
      /** Move several codings to another code at once (to split a code, say): one undoable change. */
      .post('/move', validate('json', MoveCodingsInput), async (c) => {
        const { id } = await projectFor(c, store, 'coder');
        const { codingIds, codeId } = c.req.valid('json');
        const userId = c.get('user').id;
        const moved = await store.changeProject(id, userId, (s) =>
          moveCodings(s, userId, codingIds, codeId as CodeId),
        );
        return c.json({ moved }, 200);
      })
      .patch('/:codingId', validate('json', CodingPatch), async (c) => {
        const { id, state } = await projectFor(c, store, 'coder');
        const codingId = idParam<CodingId>(c, 'codingId', 'Codage');
        const input = c.req.valid('json');
        const userId = c.get('user').id;
        const existing = state.codings[codingId];
        if (!existing) throw new DomainError('not_found', 'Codage introuvable.');
        const index = await textIndex(store, id, existing.documentId);
        const coding = await store.changeProject(id, userId, (s) =>
          updateCoding(s, userId, codingId, input, index),
        );
        return c.json(coding, 200);
      })
      .delete('/:codingId', async (c) => {
        const { id } = await projectFor(c, store, 'coder');
        const codingId = idParam<CodingId>(c, 'codingId', 'Codage');
        const userId = c.get('user').id;
        await store.changeProject(id, userId, (s) => deleteCoding(s, userId, codingId));
        return c.body(null, 204);
      })
  );
}

/** The codings a query asks for, by document, then position. */
function filterCodings(state: Readonly<ProjectState>, q: z.infer<typeof CodingQuery>): Coding[] {
  // From the index when the query names a document or a code: what they hold, not every coding.
  const candidates =
    q.documentId !== undefined
      ? codingsOfDocument(state, q.documentId as DocumentId)
      : q.codeId !== undefined
        ? codingsOfCode(state, q.codeId as CodeId)
        : Object.values(state.codings);
  return candidates
    .filter(
      (x) =>
        (q.documentId === undefined || x.documentId === q.documentId) &&
        (q.codeId === undefined || x.codeId === q.codeId) &&
        (q.coderId === undefined || x.coderId === q.coderId),
    )
    .sort((a, b) => a.documentId.localeCompare(b.documentId) || a.start - b.start || a.end - b.end);
}

// ---- decisions: each runs synchronously against the project's state (store.changeProject) -------

/**
 * A coding of `[start, end)` of a document, its text taken from `index`. Reads no coding but its
 * coder's (the duplicate check) and answers the coding alone: it commutes with other coders'
 * codings (`ChangeOptions.commutesWithOthersCodings`).
 */
function createCoding(
  s: Readonly<ProjectState>,
  userId: UserId,
  input: NewCodingInput,
  index: CodePointIndex,
): Change<ProjectEventBody, Coding> {
  assertRole(s, userId, 'coder');
  const documentId = input.documentId as DocumentId;
  const document = documentOf(s, documentId);
  assertCode(s, input.codeId);
  assertSpan(input.start, input.end, document.length);
  const created: Coding = {
    id: newId<CodingId>(),
    documentId,
    codeId: input.codeId as CodeId,
    start: input.start,
    end: input.end,
    text: index.slice(input.start, input.end),
    coderId: userId,
    createdAt: new Date().toISOString(),
    memo: input.memo ?? '',
  };
  assertNotDuplicate(s, created);
  return { events: [{ type: 'coding_created', coding: created }], result: created };
}

/**
 * A coding accepted as the team's consensus (after comparing coders): the lead gets a coding of
 * the same code on the same passage, marked as consensus and linked to the accepted one.
 */
function acceptConsensus(
  s: Readonly<ProjectState>,
  userId: UserId,
  codingId: string,
): Change<ProjectEventBody, Coding> {
  assertRole(s, userId, 'lead');
  const accepted = s.codings[codingId];
  if (!accepted) throw new DomainError('not_found', 'Codage introuvable.');
  const created: Coding = {
    ...accepted,
    id: newId<CodingId>(),
    coderId: userId,
    createdAt: new Date().toISOString(),
    memo: '',
    consensus: { acceptedFrom: accepted.id },
  };
  assertNotDuplicate(s, created);
  return { events: [{ type: 'coding_created', coding: created }], result: created };
}

/** Several codings moved to another code at once; the result counts them all, moved or already there. */
function moveCodings(
  s: Readonly<ProjectState>,
  userId: UserId,
  codingIds: readonly string[],
  codeId: CodeId,
): Change<ProjectEventBody, number> {
  const role = assertRole(s, userId, 'coder');
  assertCode(s, codeId);
  const events = [...new Set(codingIds)].map((codingId) => {
    const before = s.codings[codingId];
    if (!before) throw new DomainError('not_found', 'Codage introuvable.', { codingId });
    assertMayChange(before, userId, role);
    const after: Coding = { ...before, codeId };
    assertNotDuplicate(s, after);
    return { type: 'coding_updated' as const, before, after };
  });
  return { events: events.filter((e) => e.before.codeId !== codeId), result: events.length };
}

/** A coding's code, span or memo changed; its text taken again from `index`. */
function updateCoding(
  s: Readonly<ProjectState>,
  userId: UserId,
  codingId: CodingId,
  input: z.infer<typeof CodingPatch>,
  index: CodePointIndex,
): Change<ProjectEventBody, Coding> {
  const role = assertRole(s, userId, 'coder');
  const before = s.codings[codingId];
  if (!before) throw new DomainError('not_found', 'Codage introuvable.');
  assertMayChange(before, userId, role);
  assertMemoUnchanged(before.memo, input.memoBefore);
  const document = documentOf(s, before.documentId);
  const start = input.start ?? before.start;
  const end = input.end ?? before.end;
  const codeId = (input.codeId ?? before.codeId) as CodeId;
  assertCode(s, codeId);
  assertSpan(start, end, document.length);
  const after: Coding = {
    ...before,
    codeId,
    start,
    end,
    text: index.slice(start, end),
    memo: input.memo ?? before.memo,
  };
  assertNotDuplicate(s, after);
  return { events: [{ type: 'coding_updated', before, after }], result: after };
}

function deleteCoding(
  s: Readonly<ProjectState>,
  userId: UserId,
  codingId: CodingId,
): Change<ProjectEventBody, null> {
  const role = assertRole(s, userId, 'coder');
  const coding = s.codings[codingId];
  if (!coding) throw new DomainError('not_found', 'Codage introuvable.');
  assertMayChange(coding, userId, role);
  return { events: [{ type: 'coding_deleted', coding }], result: null };
}
