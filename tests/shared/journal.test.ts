import { describe, expect, it } from 'vitest';
import {
  applyProjectEvent,
  emptyProjectState,
  type ProjectEvent,
  type ProjectEventBody,
} from '../../shared/events.ts';
import type { ProjectId, UserId } from '../../shared/ids.ts';
import { addJournalEntry, deleteJournalEntry, updateJournalEntry } from '../../shared/journal.ts';
import { overlayState } from '../../shared/overlay.ts';
import { invertTransaction } from '../../shared/undo.ts';

const AUTHOR = 'u-author' as UserId;
const OTHER = 'u-other' as UserId;
const NOW = '2026-03-05T10:00:00.000Z';

function project() {
  const state = emptyProjectState('p1' as ProjectId);
  const fold = (bodies: ProjectEventBody[], userId: UserId = AUTHOR): ProjectEvent[] => {
    const txn = state.seq + 1;
    return bodies.map((body) => {
      const event = { ...body, seq: state.seq + 1, txn, at: NOW, userId } as ProjectEvent;
      applyProjectEvent(state, event);
      return event;
    });
  };
  return { state, fold };
}

describe('the journal in the domain', () => {
  it('dates a new entry with the day it was written unless told, and folds it', () => {
    const { state, fold } = project();
    fold([addJournalEntry({ id: 'j1', title: 'Relance', text: '' }, AUTHOR, NOW)]);
    fold([addJournalEntry({ id: 'j2', title: 'Avant', text: '', date: '2026-01-02' }, AUTHOR, NOW)]);
    expect(state.journal?.j1).toMatchObject({ date: '2026-03-05', authorId: AUTHOR, createdAt: NOW });
    expect(state.journal?.j2?.date).toBe('2026-01-02');
  });

  it('records nothing for a change that changes nothing, and refuses another coder', () => {
    const { state, fold } = project();
    fold([addJournalEntry({ id: 'j1', title: 'Relance', text: 'a' }, AUTHOR, NOW)]);
    expect(updateJournalEntry(state, 'j1', { text: 'a' }, AUTHOR, 'coder', NOW).events).toEqual([]);
    expect(() => updateJournalEntry(state, 'j1', { text: 'b' }, OTHER, 'coder', NOW)).toThrow(/auteur/);
    expect(updateJournalEntry(state, 'j1', { text: 'b' }, OTHER, 'lead', NOW).events).toHaveLength(1);
    expect(() => deleteJournalEntry(state, 'j1', OTHER, 'coder')).toThrow(/auteur/);
    expect(() => deleteJournalEntry(state, 'nope', AUTHOR, 'lead')).toThrow(/introuvable/);
  });

  it('reverses each change, and refuses to reverse an edit made over since', () => {
    const { state, fold } = project();
    const [added] = fold([addJournalEntry({ id: 'j1', title: 'Relance', text: 'a' }, AUTHOR, NOW)]);
    const edit = fold(updateJournalEntry(state, 'j1', { text: 'b' }, AUTHOR, 'coder', NOW).events);
    const removal = fold(deleteJournalEntry(state, 'j1', AUTHOR, 'coder'));
    fold(invertTransaction(state, removal, AUTHOR, { undoOf: removal[0]!.txn }));
    expect(state.journal?.j1?.text).toBe('b');
    fold(invertTransaction(state, edit, AUTHOR, { undoOf: edit[0]!.txn }));
    expect(state.journal?.j1?.text).toBe('a');
    // Changed again since the entry was added: reversing the addition would lose that change.
    fold(updateJournalEntry(state, 'j1', { title: 'Relance 2' }, AUTHOR, 'coder', NOW).events);
    expect(() => invertTransaction(state, [added!], AUTHOR, { undoOf: added!.txn })).toThrow(/modifié/);
  });

  it('leaves the state under a scratch overlay untouched', () => {
    const { state, fold } = project();
    fold([addJournalEntry({ id: 'j1', title: 'Relance', text: 'a' }, AUTHOR, NOW)]);
    const scratch = overlayState(state);
    applyProjectEvent(scratch, {
      ...deleteJournalEntry(scratch, 'j1', AUTHOR, 'coder')[0]!,
      seq: state.seq + 1,
      txn: state.seq + 1,
      at: NOW,
      userId: AUTHOR,
    } as ProjectEvent);
    expect(scratch.journal?.j1).toBeUndefined();
    expect(state.journal?.j1).toBeDefined();
  });
});
