/**
 * One event log as an instance of the PostgreSQL store holds it: the state folded in memory, the
 * listeners told about each new event, the queue that runs this instance's changes one after the
 * other, and a catch-up that reads what other instances committed.
 *
 * The database is the only source of truth; several instances each hold a copy of the state and
 * bring it forward from the log. `absorb` is therefore idempotent: an event already folded (its seq
 * is not past the state's) is skipped, whichever path brought it first (the instance's own commit,
 * a notification, a read).
 *
 * A batch of changes being committed folds its events into the state before COMMIT (`stage`), so
 * that each decision of the batch sees the ones before it; listeners hear nothing until `publish`
 * (after COMMIT). If the transaction fails, `reset` drops the state: it is `stale` until a
 * catch-up has read the whole log again, and listeners are told only events they have not heard.
 */
export class FoldedLog<State extends { seq: number }, Event extends { seq: number }> {
  private readonly listeners = new Set<(events: readonly Event[]) => void>();
  private tail: Promise<unknown> = Promise.resolve();
  private fetching: Promise<void> | undefined;
  private again: Promise<void> | undefined;
  /** Folded but not told to listeners yet: staged by a batch, or absorbed while one is staged. */
  private unpublished: Event[] = [];
  /** Whether a batch has staged events not committed yet (listeners wait for `publish`). */
  private holding = false;
  /** The last seq told to listeners. */
  private published = 0;
  /** Bumped by `reset`: a catch-up read for an older state is thrown away. */
  private generation = 0;
  /**
   * When (performance.now()) the read behind the state was sent: the state holds everything
   * committed before that moment. -Infinity until a read, and again after `reset`.
   */
  private freshSince = -Infinity;
  /** When the read in flight (`fetching`) was sent. */
  private fetchingSentAt = -Infinity;
  /** Set by `reset`, until the state has been read again from the database. */
  stale = false;
  /**
   * Set when an event that rewrote the log before it (an erasure) was folded onto a state built
   * from earlier reads: that state may hold what the rewrite removed, until `reset`.
   */
  rewritten = false;

  constructor(
    public state: State,
    private readonly apply: (state: State, event: Event) => void,
    /** Committed events with `seq > after`, oldest first. */
    private readonly fetch: (after: number) => Promise<Event[]>,
    /** Whether an event rewrote the events before it (see `rewritten`). */
    private readonly rewrites: (event: Event) => boolean = () => false,
  ) {}

  /** Fold committed events into the state (skipping those already folded), then tell listeners. */
  absorb(events: readonly Event[]): void {
    this.fold(events);
    if (!this.holding) this.flush();
  }

  /**
   * Fold the events of a change not committed yet, so that the next decision of the batch sees
   * them. Listeners hear them at `publish`; if the batch fails, `reset` must follow.
   */
  stage(events: readonly Event[]): void {
    this.holding = true;
    this.fold(events);
  }

  /** The staged batch is committed: tell listeners everything they have not heard yet. */
  publish(): void {
    this.holding = false;
    this.flush();
  }

  /**
   * Forget the state (a staged batch failed): start again from `empty`, marked `stale` until a
   * catch-up has read the log again. Reads in flight for the old state are discarded.
   */
  reset(empty: State): void {
    this.state = empty;
    this.freshSince = -Infinity;
    this.generation++;
    this.unpublished = [];
    this.holding = false;
    this.stale = true;
    this.rewritten = false;
  }

  /** The state now holds everything committed (read under the project's lock). */
  settle(): void {
    this.stale = false;
  }

  /** The state holds everything committed before `time` (read under a lock asked for then). */
  freshAt(time: number): void {
    if (!this.stale) this.freshSince = Math.max(this.freshSince, time);
  }

  private fold(events: readonly Event[]): void {
    const fresh = events.filter((e) => e.seq > this.state.seq);
    const first = fresh[0];
    if (!first) return;
    if (first.seq !== this.state.seq + 1) {
      throw new Error(`FoldedLog.absorb: event ${first.seq} does not follow ${this.state.seq}`);
    }
    // Folded whole from one read (from the first event), a rewrite is already in what came before.
    if (this.state.seq > 0 && fresh.some(this.rewrites)) this.rewritten = true;
    for (const event of fresh) this.apply(this.state, event);
    // After a reset, events folded again were already heard (when committed): not told twice.
    for (const event of fresh) if (event.seq > this.published) this.unpublished.push(event);
  }

  private follows(events: readonly Event[]): boolean {
    const first = events.find((e) => e.seq > this.state.seq);
    return !first || first.seq === this.state.seq + 1;
  }

  private flush(): void {
    const events = this.unpublished;
    const last = events[events.length - 1];
    if (!last) return;
    this.unpublished = [];
    this.published = last.seq;
    // Listeners get the events of one decision together, as from a single instance.
    for (const group of byTransaction(events)) for (const listener of this.listeners) listener(group);
  }

  /**
   * Bring the state up to what the database held at `since` (default: now). A read sent at or
   * after `since` is enough, done or in flight: requests that arrive together share one. A read
   * sent before may miss a change committed just before `since`: callers then wait for one more
   * read, shared by everyone who asks meanwhile.
   */
  catchUp(since = performance.now()): Promise<void> {
    if (this.freshSince >= since) return Promise.resolve();
    if (this.fetching && this.fetchingSentAt >= since) return this.fetching;
    if (!this.fetching) {
      this.fetchingSentAt = performance.now();
      this.fetching = this.read().finally(() => {
        this.fetching = undefined;
      });
      return this.fetching;
    }
    this.again ??= this.fetching
      .catch(() => undefined)
      .then(() => {
        this.again = undefined;
        return this.catchUp();
      });
    return this.again;
  }

  private async read(): Promise<void> {
    for (;;) {
      const generation = this.generation;
      const sentAt = performance.now();
      const events = await this.fetch(this.state.seq);
      if (generation !== this.generation) continue; // Reset meanwhile: read the log again.
      if (this.holding && !this.follows(events)) {
        // Read past a staged batch that then failed (its seqs taken by another instance): the
        // reset about to come reads the log again.
        return;
      }
      this.absorb(events);
      this.stale = false;
      this.freshSince = Math.max(this.freshSince, sentAt);
      return;
    }
  }

  /** Run this instance's changes to the log one after the other, so each decides on the latest state. */
  serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task, task);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Resolves once the changes queued so far have finished. */
  async settled(): Promise<void> {
    await this.tail;
  }

  subscribe(listener: (events: readonly Event[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Split events into runs sharing a `txn` (instance events have none: one run). */
function byTransaction<Event extends { seq: number }>(events: readonly Event[]): Event[][] {
  const groups: Event[][] = [];
  let last: unknown = Symbol('none');
  for (const event of events) {
    const txn = (event as { txn?: number }).txn;
    const current = groups[groups.length - 1];
    if (current && txn === last) current.push(event);
    else groups.push([event]);
    last = txn;
  }
  return groups;
}
