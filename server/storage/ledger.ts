import { DomainError } from '../../shared/errors.ts';
import { assertStorable } from '../../shared/safe-text.ts';
import type { JournalSink } from './journal.ts';
import { serialiseJournalLine } from './journal-line.ts';

/** What a decision returns: the events to append (possibly none) and the caller's result. */
export interface Change<Body, T> {
  readonly events: readonly Body[];
  readonly result: T;
}

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
  private readonly listeners = new Set<(events: readonly Event[]) => void>();
  /** Recent events, for live feeds and undo without reading the file. */
  readonly recent: Event[] = [];

  constructor(
    public state: State,
    private readonly apply: (state: State, event: Event) => void,
    private readonly journal: JournalSink,
    private readonly reload: () => Promise<State>,
    private readonly recentLimit = 2000,
  ) {}

  async change<T>(userId: string | null, decide: (state: Readonly<State>) => Change<Body, T>): Promise<T> {
    if (this.recovering) await this.recovering;
    const { events: bodies, result } = decide(this.state);
    if (bodies.length === 0) return result;
    assertStorable(bodies);
    const at = new Date().toISOString();
    const events = bodies.map(
      (body, i) =>
        ({ ...body, seq: this.state.seq + 1 + i, txn: this.state.seq + 1, at, userId }) as unknown as Event,
    );
    for (const event of events) this.apply(this.state, event);
    try {
      await this.journal.append(events.map((e) => serialiseJournalLine(e as object)).join(''));
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
    this.remember(events);
    for (const listener of this.listeners) listener(events);
    return result;
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
