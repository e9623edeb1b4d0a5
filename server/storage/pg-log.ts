/**
 * One event log as an instance of the PostgreSQL store holds it: the state folded in memory, the
 * listeners told about each new event, the queue that runs this instance's changes one after the
 * other, and a catch-up that reads what other instances committed.
 *
 * The database is the only source of truth; several instances each hold a copy of the state and
 * bring it forward from the log. `absorb` is therefore idempotent: an event already folded (its seq
 * is not past the state's) is skipped, whichever path brought it first (the instance's own commit,
 * a notification, a read).
 */
export class FoldedLog<State extends { seq: number }, Event extends { seq: number }> {
  private readonly listeners = new Set<(events: readonly Event[]) => void>();
  private tail: Promise<unknown> = Promise.resolve();
  private fetching: Promise<void> | undefined;
  private again: Promise<void> | undefined;

  constructor(
    public state: State,
    private readonly apply: (state: State, event: Event) => void,
    /** Committed events with `seq > after`, oldest first. */
    private readonly fetch: (after: number) => Promise<Event[]>,
  ) {}

  /** Fold committed events into the state (skipping those already folded), then tell listeners. */
  absorb(events: readonly Event[]): void {
    const fresh = events.filter((e) => e.seq > this.state.seq);
    const first = fresh[0];
    if (!first) return;
    if (first.seq !== this.state.seq + 1) {
      throw new Error(`FoldedLog.absorb: event ${first.seq} does not follow ${this.state.seq}`);
    }
    for (const event of fresh) this.apply(this.state, event);
    // Listeners get the events of one decision together, as from a single instance.
    for (const group of byTransaction(fresh)) for (const listener of this.listeners) listener(group);
  }

  /**
   * Bring the state up to what the database holds now. A read that started before the caller
   * asked may miss a change committed just before: callers then wait for one more read, shared by
   * everyone who asks meanwhile.
   */
  catchUp(): Promise<void> {
    if (!this.fetching) {
      const run = this.fetch(this.state.seq).then((events) => this.absorb(events));
      this.fetching = run.finally(() => {
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
