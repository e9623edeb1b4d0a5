/**
 * FoldedLog (server/storage/pg-log.ts) tells when a state folded an event that rewrote the log
 * before it (an erasure) onto what it had read earlier: that state may hold what was rewritten
 * away, and must not be written into a snapshot.
 */
import { describe, expect, it } from 'vitest';
import { FoldedLog } from '../../../server/storage/pg-log.ts';

interface Event {
  seq: number;
  type: 'note' | 'erasure';
}

function newLog(seq = 0): FoldedLog<{ seq: number; notes: number }, Event> {
  return new FoldedLog<{ seq: number; notes: number }, Event>(
    { seq, notes: 0 },
    (state, event) => {
      state.seq = event.seq;
      if (event.type === 'note') state.notes++;
    },
    () => Promise.resolve([]),
    (event) => event.type === 'erasure',
  );
}

const notes = (from: number, to: number): Event[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ seq: from + i, type: 'note' as const }));

describe('FoldedLog.rewritten', () => {
  it('is not set by an erasure folded with the whole log, read at once from the first event', () => {
    const log = newLog();
    log.absorb([...notes(1, 3), { seq: 4, type: 'erasure' }, ...notes(5, 6)]);
    expect(log.state.seq).toBe(6);
    expect(log.rewritten).toBe(false);
  });

  it('is set by an erasure folded onto events read before it, until the state is reset', () => {
    const log = newLog();
    log.absorb(notes(1, 3));
    log.absorb(notes(4, 5));
    expect(log.rewritten).toBe(false);
    log.absorb([{ seq: 6, type: 'erasure' }]);
    expect(log.rewritten).toBe(true);
    log.reset({ seq: 0, notes: 0 });
    expect(log.rewritten).toBe(false);
  });

  it('is set by an erasure folded onto a snapshot, which an erasure should have deleted', () => {
    const log = newLog(10);
    log.absorb([{ seq: 11, type: 'erasure' }]);
    expect(log.rewritten).toBe(true);
  });
});
