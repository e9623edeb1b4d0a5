/**
 * FoldedLog (server/storage/pg-log.ts) tells when a state folded an event that rewrote the log
 * before it (an erasure) onto what it had read earlier: that state may hold what was rewritten
 * away, and must not be written into a snapshot.
 */
import { describe, expect, it, vi } from 'vitest';
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

/**
 * A log whose reads are answered by hand: `reads` holds each one asked, with the seq it starts
 * after and the function that answers it.
 */
function heldLog() {
  const committed: Event[] = [];
  const reads: { after: number; answer: () => void }[] = [];
  const log = new FoldedLog<{ seq: number; notes: number }, Event>(
    { seq: 0, notes: 0 },
    (state, event) => {
      state.seq = event.seq;
      state.notes++;
    },
    (after) =>
      new Promise((resolve) => {
        // What the database holds when the read reaches it: now.
        const found = committed.filter((e) => e.seq > after);
        reads.push({ after, answer: () => resolve(found) });
      }),
  );
  const commit = () => committed.push({ seq: committed.length + 1, type: 'note' });
  return { log, reads, commit };
}

describe('FoldedLog.catchUp(since)', () => {
  it('is met by a read sent after `since`, done or in flight, and not by one sent before', async () => {
    const { log, reads, commit } = heldLog();
    commit();
    const before = performance.now();
    // A read sent after `before`, in flight: a caller from `before` waits for it, no second read.
    const first = log.catchUp();
    const sharing = log.catchUp(before);
    expect(reads).toHaveLength(1);
    reads[0]?.answer();
    await Promise.all([first, sharing]);
    expect(log.state.seq).toBe(1);
    // Done: a caller from `before` is answered from memory.
    await log.catchUp(before);
    expect(reads).toHaveLength(1);
    // A change acknowledged after that read was sent: a caller from now needs a new read.
    commit();
    const arrived = performance.now();
    const next = log.catchUp(arrived);
    expect(reads).toHaveLength(2);
    reads[1]?.answer();
    await next;
    expect(log.state.seq).toBe(2);
  });

  it('waits for one more read when the read in flight was sent before `since`', async () => {
    const { log, reads, commit } = heldLog();
    const early = log.catchUp(); // Sent now…
    commit(); // …a change acknowledged after it was sent…
    const arrived = performance.now();
    const late = log.catchUp(arrived); // …by a request that arrives after.
    expect(reads).toHaveLength(1);
    reads[0]?.answer();
    await early;
    await vi.waitFor(() => expect(reads).toHaveLength(2));
    reads[1]?.answer();
    await late;
    expect(log.state.seq).toBe(1);
  });

  it('forgets what it had read when the state is reset', async () => {
    const { log, reads, commit } = heldLog();
    commit();
    const before = performance.now();
    const read = log.catchUp();
    reads[0]?.answer();
    await read;
    log.reset({ seq: 0, notes: 0 });
    const again = log.catchUp(before);
    expect(reads).toHaveLength(2);
    reads[1]?.answer();
    await again;
    expect(log.state.seq).toBe(1);
  });

  it('counts a batch committed under the lock as a read sent when the lock was asked for', async () => {
    const { log, reads } = heldLog();
    const before = performance.now();
    log.absorb(notes(1, 2));
    log.settle();
    log.freshAt(performance.now());
    await log.catchUp(before);
    expect(reads).toHaveLength(0);
    // A state dropped after a failed batch is not fresh, whatever comes after.
    log.reset({ seq: 0, notes: 0 });
    log.freshAt(performance.now());
    const again = log.catchUp(before);
    expect(reads).toHaveLength(1);
    reads[0]?.answer();
    await again;
  });
});
