import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProjectLog } from '../../../server/storage/pg-commit.ts';
import { HEARD_DELAY_MS, HeardCommits } from '../../../server/storage/pg-heard.ts';

/** Enough of a project's log for HeardCommits: its state's seq. */
function logAt(seq: number): ProjectLog {
  return { state: { seq } } as unknown as ProjectLog;
}

describe('commits heard from other instances', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads once, HEARD_DELAY_MS after the first notification, for all those heard meanwhile', () => {
    const reads: ProjectLog[] = [];
    const heard = new HeardCommits((log) => reads.push(log));
    const log = logAt(10);
    heard.heard(log, 11);
    heard.heard(log, 12);
    vi.advanceTimersByTime(HEARD_DELAY_MS - 1);
    heard.heard(log, 14);
    expect(reads).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(reads).toEqual([log]);
    // A notification after that read starts a new wait.
    heard.heard(log, 15);
    vi.advanceTimersByTime(HEARD_DELAY_MS);
    expect(reads).toEqual([log, log]);
  });

  it('reads nothing when the events were brought meanwhile (a request, a batch), or were already held', () => {
    const reads: ProjectLog[] = [];
    const heard = new HeardCommits((log) => reads.push(log));
    const log = logAt(10);
    heard.heard(log, 10); // This instance's own commit, or already read.
    heard.heard(log, 12);
    (log.state as { seq: number }).seq = 12; // Read by a request meanwhile.
    vi.advanceTimersByTime(HEARD_DELAY_MS);
    expect(reads).toEqual([]);
    // Still behind the last one heard: read.
    heard.heard(log, 13);
    heard.heard(log, 15);
    (log.state as { seq: number }).seq = 14;
    vi.advanceTimersByTime(HEARD_DELAY_MS);
    expect(reads).toEqual([log]);
  });

  it('keeps one wait per project', () => {
    const reads: ProjectLog[] = [];
    const heard = new HeardCommits((log) => reads.push(log));
    const [a, b] = [logAt(1), logAt(1)];
    heard.heard(a, 2);
    heard.heard(b, 3);
    vi.advanceTimersByTime(HEARD_DELAY_MS);
    expect(reads).toEqual([a, b]);
  });
});
