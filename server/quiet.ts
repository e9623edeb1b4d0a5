/**
 * Work the server may do whenever it likes, left for a quiet moment. Starting the import thread
 * compiles and loads its parsers (a quarter to half a second of CPU): done as the server starts
 * listening, it slowed the first requests after a start — the ones a restart brings at once, every
 * open page reconnecting — by as much (at the large study, the first search 739–843 ms without it
 * against 889–999 with it, on two cores).
 */

/** How long no request must have arrived. */
export const QUIET_MS = 2000;

/** How often the server is looked at. */
const CHECK_EVERY_MS = 500;

/** When the last request arrived, to tell with the count of those being answered when the server is quiet. */
export class Activity {
  private lastArrival: number;

  constructor(
    /** Requests being answered now (a live feed, which never ends, not among them). */
    private readonly answering: () => number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.lastArrival = now();
  }

  /** A request arrived (a live feed included). */
  arrived(): void {
    this.lastArrival = this.now();
  }

  /** No request being answered, and none arrived for `QUIET_MS`. */
  quiet(): boolean {
    return this.answering() === 0 && this.now() - this.lastArrival >= QUIET_MS;
  }

  /**
   * Run `work` at the first quiet moment (looked for every `CHECK_EVERY_MS`); the wait does not
   * keep the process alive. Returns a function that gives up waiting (at shutdown).
   */
  whenQuiet(work: () => void): () => void {
    const timer = setInterval(() => {
      if (!this.quiet()) return;
      clearInterval(timer);
      work();
    }, CHECK_EVERY_MS);
    timer.unref();
    return () => clearInterval(timer);
  }
}
