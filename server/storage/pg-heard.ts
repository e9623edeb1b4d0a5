import type { ProjectLog } from './pg-commit.ts';

/**
 * How long after hearing another instance's commit to a project this one reads it, if nothing has
 * read it meanwhile: the delay the project's live feed takes on, at most.
 */
export const HEARD_DELAY_MS = 10;

/**
 * Commits of other instances, heard on the LISTEN connection, read a little later rather than at
 * once. A busy project is read anyway by its requests (each catches up first) and its batches (the
 * lock brings what others committed): reading at each notification as well doubled the reads per
 * change with two instances. Notifications heard meanwhile share one read, and none is made if
 * the events have been read by then.
 */
export class HeardCommits {
  private readonly ahead = new Map<ProjectLog, { seq: number }>();

  constructor(private readonly catchUp: (log: ProjectLog) => void) {}

  /** Another instance committed `log`'s project up to `seq`. */
  heard(log: ProjectLog, seq: number): void {
    if (!(seq > log.state.seq)) return;
    const pending = this.ahead.get(log);
    if (pending) {
      pending.seq = Math.max(pending.seq, seq);
      return;
    }
    const entry = { seq };
    this.ahead.set(log, entry);
    setTimeout(() => {
      this.ahead.delete(log);
      if (entry.seq > log.state.seq) this.catchUp(log);
    }, HEARD_DELAY_MS).unref();
  }
}
