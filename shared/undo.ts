import { assertUniqueSiblingName, assertValidParent } from './codebook.ts';
import { DomainError } from './errors.ts';
import { applyProjectEvent, type ProjectChange, type ProjectEvent, type ProjectEventBody } from './events.ts';
import { codingCountsByCode, codingsOfCodes, codingsOfDocument } from './coding-index.ts';
import type { UserId } from './ids.ts';
import type { ProjectState } from './model.ts';
import { overlayState } from './overlay.ts';

/**
 * Whether two values hold the same data, whatever the order of their keys: an event read back from
 * PostgreSQL (jsonb orders keys its own way) equals the object the state holds.
 */
function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a, sortedKeys) === JSON.stringify(b, sortedKeys);
}

function sortedKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((k) => [k, record[k]]),
  );
}

function changedSince(what: string): DomainError {
  return new DomainError(
    'conflict',
    `Impossible d'annuler : ${what} a été modifié depuis (par vous ou par quelqu'un d'autre).`,
  );
}

/**
 * The change that reverses one event, checked against `state` (the project as it is now, with the
 * later events of the same transaction already reversed).
 * @throws DomainError `conflict` when the object was changed since, so reversing it would lose work.
 */
function inverse(state: Readonly<ProjectState>, event: ProjectChange): ProjectChange[] {
  switch (event.type) {
    case 'project_updated':
      if (!same(state.project, event.after)) throw changedSince('le projet');
      return [{ type: 'project_updated', before: event.after, after: event.before }];
    case 'document_added':
    case 'document_restored': {
      const current = state.documents[event.document.id];
      if (!current || !same(current, event.document)) throw changedSince('le document');
      const codings = codingsOfDocument(state, current.id);
      const expected = event.type === 'document_restored' ? event.codings.length : 0;
      if (codings.length !== expected) throw changedSince('le codage de ce document');
      return [{ type: 'document_deleted', document: current, codings }];
    }
    case 'document_updated':
      if (!same(state.documents[event.after.id], event.after)) throw changedSince('le document');
      return [{ type: 'document_updated', before: event.after, after: event.before }];
    case 'document_deleted':
      if (state.documents[event.document.id]) throw changedSince('le document');
      for (const c of event.codings) if (!state.codes[c.codeId]) throw changedSince('le codebook');
      return [{ type: 'document_restored', document: event.document, codings: event.codings }];
    default:
      return inverseOfCodebook(state, event);
  }
}

/** The inverse of a change of the codebook or of a coding (see `inverse`). */
function inverseOfCodebook(
  state: Readonly<ProjectState>,
  event: Exclude<ProjectChange, { type: 'project_updated' | `document_${string}` }>,
): ProjectChange[] {
  switch (event.type) {
    case 'code_created': {
      const current = state.codes[event.code.id];
      if (!current || !same(current, event.code)) throw changedSince('le code');
      if (Object.values(state.codes).some((c) => c.parentId === current.id))
        throw changedSince('le code (sous-codes)');
      if (codingCountsByCode(state).has(current.id)) throw changedSince('le code (codages)');
      return [{ type: 'codes_deleted', codes: [current], codings: [] }];
    }
    case 'codes_restored': {
      for (const code of event.codes) if (!same(state.codes[code.id], code)) throw changedSince('le code');
      const ids = new Set(event.codes.map((c) => c.id));
      if (
        Object.values(state.codes).some((c) => c.parentId !== null && ids.has(c.parentId) && !ids.has(c.id))
      ) {
        throw changedSince('le code (sous-codes)');
      }
      const codings = codingsOfCodes(state, ids);
      if (codings.length !== event.codings.length) throw changedSince('le code (codages)');
      return [{ type: 'codes_deleted', codes: event.codes, codings }];
    }
    case 'code_updated': {
      const current = state.codes[event.after.id];
      if (!current || current.version !== event.after.version) throw changedSince('le code');
      assertValidParent(state.codes, current.id, event.before.parentId);
      assertUniqueSiblingName(state.codes, event.before.name, event.before.parentId, current.id);
      return [
        { type: 'code_updated', before: current, after: { ...event.before, version: current.version + 1 } },
      ];
    }
    case 'codes_deleted':
      for (const code of event.codes) {
        if (state.codes[code.id]) throw changedSince('le code');
        assertUniqueSiblingName(state.codes, code.name, code.parentId, code.id);
      }
      for (const code of event.codes) {
        if (
          code.parentId !== null &&
          !state.codes[code.parentId] &&
          !event.codes.some((c) => c.id === code.parentId)
        ) {
          throw changedSince('le code parent');
        }
      }
      for (const c of event.codings)
        if (!state.documents[c.documentId]) throw changedSince('un document codé');
      return [{ type: 'codes_restored', codes: event.codes, codings: event.codings }];
    case 'coding_created':
      if (!same(state.codings[event.coding.id], event.coding)) throw changedSince('le codage');
      return [{ type: 'coding_deleted', coding: event.coding }];
    case 'coding_updated':
      if (!same(state.codings[event.after.id], event.after)) throw changedSince('le codage');
      if (!state.codes[event.before.codeId]) throw changedSince('le code');
      return [{ type: 'coding_updated', before: event.after, after: event.before }];
    case 'coding_deleted':
      if (state.codings[event.coding.id]) throw changedSince('le codage');
      if (!state.documents[event.coding.documentId] || !state.codes[event.coding.codeId]) {
        throw changedSince('le document ou le code');
      }
      return [{ type: 'coding_created', coding: event.coding }];
    default:
      return inverseOfTheRest(state, event);
  }
}

/** The inverse of a change of participants, settings, replacements or the journal (see `inverse`). */
function inverseOfTheRest(
  state: Readonly<ProjectState>,
  event: Exclude<
    ProjectChange,
    {
      type:
        'project_updated' | `document_${string}` | `code_${string}` | `codes_${string}` | `coding_${string}`;
    }
  >,
): ProjectChange[] {
  switch (event.type) {
    case 'attributes_set':
      if (!same(state.attributes, event.after)) throw changedSince('la liste des attributs');
      return [{ type: 'attributes_set', before: event.after, after: event.before }];
    case 'participant_created':
    case 'participant_restored': {
      const current = state.participants[event.participant.id];
      if (!current || !same(current, event.participant)) throw changedSince('le participant');
      const documentIds = Object.values(state.documents)
        .filter((d) => d.participantId === current.id)
        .map((d) => d.id);
      return [{ type: 'participant_deleted', participant: current, documentIds }];
    }
    case 'participant_updated':
      if (!same(state.participants[event.after.id], event.after)) throw changedSince('le participant');
      return [{ type: 'participant_updated', before: event.after, after: event.before }];
    case 'participant_deleted': {
      if (state.participants[event.participant.id]) throw changedSince('le participant');
      const documentIds = event.documentIds.filter((id) => state.documents[id]?.participantId === null);
      return [{ type: 'participant_restored', participant: event.participant, documentIds }];
    }
    case 'settings_updated':
      if (!same(state.settings, event.after)) throw changedSince('les réglages');
      return [{ type: 'settings_updated', before: event.after, after: event.before }];
    case 'replacements_set':
      if (!same(state.replacements ?? [], event.after)) throw changedSince('la liste de remplacements');
      return [{ type: 'replacements_set', before: event.after, after: event.before }];
    case 'journal_entry_added': {
      const current = state.journal?.[event.entry.id];
      if (!current || !same(current, event.entry)) throw changedSince('l’entrée du journal');
      return [{ type: 'journal_entry_deleted', entry: current }];
    }
    case 'journal_entry_updated':
      if (!same(state.journal?.[event.after.id], event.after)) throw changedSince('l’entrée du journal');
      return [{ type: 'journal_entry_updated', before: event.after, after: event.before }];
    case 'journal_entry_deleted':
      if (state.journal?.[event.entry.id]) throw changedSince('l’entrée du journal');
      return [{ type: 'journal_entry_added', entry: event.entry }];
    case 'project_created':
    case 'member_set':
    case 'member_removed':
    case 'export_with_real_names':
    case 'erasure':
      throw new DomainError('conflict', "Ce changement ne s'annule pas.");
  }
}

/**
 * The events that reverse a whole transaction, last event first, each checked against the state
 * the previous ones leave (tried on a scratch copy-on-write view, not on the project).
 */
export function invertTransaction(
  state: Readonly<ProjectState>,
  events: readonly ProjectEvent[],
  userId: UserId,
  mark: { undoOf: number } | { redoOf: number },
): ProjectEventBody[] {
  const scratch = overlayState(state);
  const out: ProjectEventBody[] = [];
  for (const event of [...events].reverse()) {
    for (const change of inverse(scratch, event)) {
      const body: ProjectEventBody = { ...change, ...mark };
      applyProjectEvent(scratch, {
        ...body,
        seq: scratch.seq + 1,
        txn: scratch.seq + 1,
        at: '',
        userId,
      } as ProjectEvent);
      out.push(body);
    }
  }
  return out;
}
