import { DomainError } from '../../shared/errors.ts';
import { assertStorable } from '../../shared/safe-text.ts';
import { noteDurableWait } from '../request-timing.ts';
import type { JournalSink } from './journal.ts';
import { stampEvents } from './stamp.ts';

/** What a decision returns: the events to append (possibly none) and the caller's result. */
export interface Change<Body, T> {
  readonly events: readonly Body[];
  readonly result: T;
}

/** How many of a log's last events are kept in memory, for live feeds, recent pages and undo. */
export const RECENT_EVENTS = 2000;

/**
 * An event-sourced state held in memory and made durable by a journal.
 *
 * `change` runs the caller's decision synchronously against the current state (no `await` between
 * reading and deciding, so two requests cannot both pass a check that only one should), applies
 * the events in memory at once, and resolves only when the journal has them on disk. If the disk
 * write fails, the state is reloaded from disk (which holds exactly what was acknowledged) and the
 * caller gets `storage_unavailable`.
 */
export class Ledger<
  State extends { seq: number },
  Body extends { type: string },
  Event extends Body & { seq: number },
> {
  private recovering: Promise<void> | undefined;
  /** Set while an exclusive piece of work (an erasure) runs: changes wait for it. */
  private paused: Promise<void> | undefined;
  /** Appends under way, which exclusive work waits for. */
  private readonly appending = new Set<Promise<void>>();
  private readonly listeners = new Set<(events: readonly Event[]) => void>();
  /** Recent events, for live feeds and undo without reading the file. */
  readonly recent: Event[] = [];

  constructor(
    public state: State,
    private readonly apply: (state: State, event: Event) => void,
    private journal: JournalSink,
    private reload: () => Promise<State>,
    private readonly recentLimit = RECENT_EVENTS,
  ) {}

  async change<T>(userId: string | null, decide: (state: Readonly<State>) => Change<Body, T>): Promise<T> {
    while (this.paused) await this.paused;
    if (this.recovering) await this.recovering;
    const { events: bodies, result } = decide(this.state);
    if (bodies.length === 0) return result;
    assertStorable(bodies);
    const events = stampEvents<Event>(bodies, this.state.seq, userId);
    for (const event of events) this.apply(this.state, event);
    const append = this.journal.append(events, (events[0] as Event).seq);
    const settled = append.then(
      () => undefined,
      () => undefined,
    );
    this.appending.add(settled);
    void settled.then(() => this.appending.delete(settled));
    const waiting = performance.now();
    try {
      await append;
    } catch (error) {
      // Answer only once memory holds what the disk holds again, so that no read made after the
      // refusal shows the change that failed.
      await this.recover();
      throw new DomainError(
        'storage_unavailable',
        "L'enregistrement sur disque a échoué ; rien n'a été modifié.",
        {
          cause: String(error),
        },
      );
    }
    noteDurableWait(performance.now() - waiting);
    this.announce(events);
    return result;
  }

  /** Remember durable events and tell the listeners. */
  announce(events: readonly Event[]): void {
    this.remember(events);
    for (const listener of this.listeners) listener(events);
  }

  /**
   * Run `work` alone: once the changes under way are durable, and with new ones waiting until it
   * ends. For an erasure, which rewrites the log the journal appends to.
   */
  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    while (this.paused) await this.paused;
    let release = () => {};
    this.paused = new Promise<void>((r) => (release = r));
    try {
      while (this.appending.size > 0 || this.recovering) {
        await Promise.all([...this.appending]);
        if (this.recovering) await this.recovering;
      }
      return await work();
    } finally {
      this.paused = undefined;
      release();
    }
  }

  /** Resolves once no exclusive work runs. */
  async unpaused(): Promise<void> {
    while (this.paused) await this.paused;
  }

  /** Continue from a log rewritten under `exclusive`: its folded state and its new journal. */
  reopen(state: State, journal: JournalSink, reload: () => Promise<State>): void {
    this.state = state;
    this.journal = journal;
    this.reload = reload;
    this.recent.length = 0;
  }

  /** Events already durable when the log was opened, its last ones, oldest first: remembered as recent. */
  seedRecent(events: readonly Event[]): void {
    this.remember(events);
  }

  /** Listen to events once they are durable. Returns the function that stops listening. */
  subscribe(listener: (events: readonly Event[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private remember(events: readonly Event[]): void {
    this.recent.push(...events);
    if (this.recent.length > this.recentLimit) this.recent.splice(0, this.recent.length - this.recentLimit);
  }

  private recover(): Promise<void> {
    this.recovering ??= this.reload().then(
      (state) => {
        this.state = state;
        this.recent.length = 0;
        this.recovering = undefined;
        this.journal.recovered?.();
      },
      () =>
        // Still failing: wait, then try again; changes keep waiting meanwhile.
        new Promise<void>((r) => setTimeout(r, 1000)).then(() => {
          this.recovering = undefined;
          this.recover();
          return this.recovering;
        }),
    );
    return this.recovering;
  }
}
