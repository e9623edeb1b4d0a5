/**
 * The project's journal: dated free-standing memos (a decision on the codebook, an impression
 * after an interview, a step of the analysis). Any coder writes in it; an entry is changed or
 * removed by its author or a lead. Each change is one undoable event.
 */
import { roleAtLeast } from './access.ts';
import { DomainError } from './errors.ts';
import type { ProjectEventBody } from './events.ts';
import type { JournalEntry, ProjectState, Role, Timestamp } from './model.ts';
import { assertMemoUnchanged } from './memos.ts';

export interface JournalEntryChange {
  readonly date?: string | undefined;
  readonly title?: string | undefined;
  readonly text?: string | undefined;
  /** The text as the client last saw it: a text saved meanwhile refuses the change (409). */
  readonly textBefore?: string | undefined;
}

function entryOf(state: Readonly<ProjectState>, entryId: string): JournalEntry {
  const entry = state.journal?.[entryId];
  if (!entry) throw new DomainError('not_found', 'Entrée du journal introuvable.');
  return entry;
}

function assertMayChange(entry: JournalEntry, userId: string, role: Role): void {
  if (entry.authorId !== userId && !roleAtLeast(role, 'lead')) {
    throw new DomainError(
      'forbidden',
      'Seuls son auteur·rice et les responsables du projet peuvent modifier cette entrée du journal.',
    );
  }
}

/** A new entry, dated `input.date` or the day of `now`. */
export function addJournalEntry(
  input: { id: string; date?: string | undefined; title: string; text: string },
  userId: JournalEntry['authorId'],
  now: Timestamp,
): ProjectEventBody & { type: 'journal_entry_added' } {
  const entry: JournalEntry = {
    id: input.id,
    date: input.date ?? now.slice(0, 10),
    title: input.title,
    text: input.text,
    authorId: userId,
    createdAt: now,
    updatedAt: now,
  };
  return { type: 'journal_entry_added', entry };
}

/**
 * An entry changed by `userId` (its author, or a lead); nothing is recorded when nothing changes.
 * @throws DomainError `not_found`, `forbidden`, or `conflict` when its text changed since `textBefore`.
 */
export function updateJournalEntry(
  state: Readonly<ProjectState>,
  entryId: string,
  change: JournalEntryChange,
  userId: string,
  role: Role,
  now: Timestamp,
): { events: ProjectEventBody[]; entry: JournalEntry } {
  const before = entryOf(state, entryId);
  assertMayChange(before, userId, role);
  assertMemoUnchanged(before.text, change.textBefore);
  const after: JournalEntry = {
    ...before,
    date: change.date ?? before.date,
    title: change.title ?? before.title,
    text: change.text ?? before.text,
  };
  if (after.date === before.date && after.title === before.title && after.text === before.text) {
    return { events: [], entry: before };
  }
  const stamped = { ...after, updatedAt: now };
  return { events: [{ type: 'journal_entry_updated', before, after: stamped }], entry: stamped };
}

/** An entry removed by its author or a lead (undoable, like every change of the journal). */
export function deleteJournalEntry(
  state: Readonly<ProjectState>,
  entryId: string,
  userId: string,
  role: Role,
): ProjectEventBody[] {
  const entry = entryOf(state, entryId);
  assertMayChange(entry, userId, role);
  return [{ type: 'journal_entry_deleted', entry }];
}
