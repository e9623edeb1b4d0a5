/**
 * When an instance of the PostgreSQL store writes a project's snapshot (pg-snapshots.ts): as the
 * data folder does (file-log.ts), once enough events have accumulated since the last one (1,000,
 * or a quarter of the events that one holds, if more) and the project's writes have paused; far
 * overdue (four times that), at once, except the project's first one. Whichever instance holds
 * the project folded may write it, one at a time (`whileMakingSnapshot`, a lock in the database):
 * each waits a slightly different quiet moment, gives up if another is making it, and first asks
 * the database whether another one has written it meanwhile.
 *
 * The state is frozen between two batches of the project (`FoldedLog.serial`), so it holds only
 * committed events, then serialised a few milliseconds at a time between requests and gzipped off
 * the main thread: the benchmark's study of 100,000 codings is about 55 MB of JSON. One snapshot
 * is written at a time per instance. A state that folded an erasure onto what it held before (`rewritten`) may
 * still hold what was erased: it is read again instead of being written.
 */
import type { ProjectId } from '../../shared/ids.ts';
import type { ProjectLog } from './pg-commit.ts';
import { isConnectionError, type Db } from './pg-db.ts';
import { encodeSnapshot, storedSnapshotSeq, storeSnapshot, whileMakingSnapshot } from './pg-snapshots.ts';
import { frozenView, stringifyInPieces } from './sliced-json.ts';

/** Events between two snapshots of a project, by default (a quarter of the last one's seq, if more). */
export const SNAPSHOT_EVERY = 1000;

/** When the projects' snapshots are written (defaults: SNAPSHOT_EVERY events, 250 ms of quiet). */
export interface SnapshotOptions {
  /** Events accumulated since the last snapshot before the next one (or a quarter of its seq). */
  snapshotEvery?: number;
  /** Quiet wanted before one is written, in milliseconds (0: at once). */
  snapshotQuietMs?: number;
}

export interface SnapshotPolicy {
  /** Events accumulated since the last snapshot before the next one (or a quarter of its seq). */
  every: number;
  /** Quiet wanted before one is written (0: at once). */
  quietMs: number;
}

interface Followed {
  readonly id: ProjectId;
  readonly log: ProjectLog;
  /** The seq of the project's snapshot as last known here (0: none). */
  known: number;
  lastActivity: number;
  timer?: NodeJS.Timeout;
  /** Queued or being written. */
  busy: boolean;
  unsubscribe: () => void;
}

export class SnapshotWriter {
  private readonly followed = new Map<ProjectLog, Followed>();
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly policy: SnapshotPolicy,
    /** Drop the project's state and read it again (it may hold erased data). */
    private readonly reread: (id: ProjectId, log: ProjectLog) => void,
  ) {}

  /** Write snapshots of `log` from now on; `known` is the seq of the one it was opened from. */
  follow(id: ProjectId, log: ProjectLog, known: number): void {
    if (this.followed.has(log) || this.stopped) return;
    const followed: Followed = {
      id,
      log,
      known,
      lastActivity: performance.now(),
      busy: false,
      unsubscribe: () => undefined,
    };
    followed.unsubscribe = log.subscribe((events) => {
      // An erasure deleted the project's snapshot.
      if (events.some((e) => e.type === 'erasure')) followed.known = 0;
      followed.lastActivity = performance.now();
      this.consider(followed);
    });
    this.followed.set(log, followed);
    this.consider(followed);
  }

  /** Stop following a log (its project deleted, or no longer held). */
  unfollow(log: ProjectLog): void {
    const followed = this.followed.get(log);
    if (!followed) return;
    clearTimeout(followed.timer);
    followed.unsubscribe();
    this.followed.delete(log);
  }

  /** Write no more snapshots; resolves once the one under way (if any) has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const log of [...this.followed.keys()]) this.unfollow(log);
    await this.queue;
  }

  private threshold(known: number): number {
    return Math.max(this.policy.every, Math.floor(known / 4));
  }

  private due(followed: Followed): number {
    return followed.log.state.seq - followed.known - this.threshold(followed.known);
  }

  private consider(followed: Followed): void {
    if (this.stopped || followed.busy || this.due(followed) < 0) return;
    const since = followed.log.state.seq - followed.known;
    // Far overdue, written at once, pause or not; but a project's first snapshot (just migrated,
    // or erased) waits for a pause: its whole state, written while coders are at work, would slow
    // their every request for seconds.
    const overdue = followed.known > 0 && since >= 4 * this.threshold(followed.known);
    if (overdue || this.policy.quietMs === 0) {
      clearTimeout(followed.timer);
      followed.timer = undefined;
      this.enqueue(followed);
    } else if (!followed.timer) this.wait(followed, this.policy.quietMs);
  }

  private wait(followed: Followed, ms: number): void {
    // Instances holding the same project each wait a little differently: usually one writes,
    // and the others find its snapshot.
    followed.timer = setTimeout(
      () => {
        followed.timer = undefined;
        const quiet = performance.now() - followed.lastActivity;
        if (quiet < this.policy.quietMs) this.wait(followed, this.policy.quietMs - quiet);
        else if (!this.stopped && !followed.busy && this.followed.get(followed.log) === followed)
          this.enqueue(followed);
      },
      ms * (1 + Math.random() / 2),
    );
    followed.timer.unref();
  }

  private enqueue(followed: Followed): void {
    followed.busy = true;
    this.queue = this.queue
      .then(() => this.write(followed))
      .catch((error: unknown) => {
        // A snapshot is only a shortcut: the log still holds everything.
        if (!isConnectionError(error) && !this.stopped)
          console.error(`Instantané du projet ${followed.id} non écrit :`, error);
        return false;
      })
      .then(
        (stored) => {
          followed.busy = false;
          // Events committed while it was written may call for the next one already.
          if (stored) this.consider(followed);
        },
        () => {
          followed.busy = false;
        },
      );
  }

  /** Write the snapshot if it is still due and no other instance is making it; whether one was stored. */
  private async write(followed: Followed): Promise<boolean> {
    const { log } = followed;
    if (this.stopped || this.followed.get(log) !== followed) return false;
    return (await whileMakingSnapshot(this.db, followed.id, () => this.make(followed))) ?? false;
  }

  /** Serialise and store the snapshot, if still due, this instance alone making it. */
  private async make(followed: Followed): Promise<boolean> {
    const { id, log } = followed;
    followed.known = await storedSnapshotSeq(this.db, id);
    if (this.due(followed) < 0) return false;
    if (log.rewritten) {
      this.reread(id, log);
      return false;
    }
    // Between two batches: the state holds committed events only.
    const frozen = await log.serial(() =>
      Promise.resolve(
        log.stale || log.rewritten ? undefined : { seq: log.state.seq, state: frozenView(log.state) },
      ),
    );
    if (!frozen || this.stopped) return false;
    const bytes = await encodeSnapshot(await stringifyInPieces(frozen.state));
    if (this.stopped || !(await storeSnapshot(this.db, id, frozen.seq, bytes))) return false;
    followed.known = frozen.seq;
    return true;
  }
}
