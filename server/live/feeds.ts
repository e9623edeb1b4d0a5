import { sessionAccount } from '../auth/sessions.ts';
import type { Store } from '../storage/store.ts';

/** An open live feed, as the registry knows it. */
export interface OpenFeed {
  readonly sessionHash: string;
  readonly userId: string;
  /** Stop the feed: it sends nothing more and its response ends. */
  end(): void;
}

/**
 * Every live feed open on this instance, keyed by session and user, so that none outlives the
 * access it was opened with. While any is open, the sessions are checked every `intervalMs`
 * against the instance state (`sessionAccount`: ended, expired, password changed, account
 * disabled), and a feed whose session no longer holds is ended. Changes made on this instance call
 * `check()` at once; on PostgreSQL, a change made by another instance is seen by the next check,
 * whose `readInstance` catches up with the instance log. Membership and role changes reach each
 * feed through its own project's events (see server/routes/events.ts).
 */
export class LiveFeeds {
  private readonly feeds = new Set<OpenFeed>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private checking: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly intervalMs = 500,
  ) {}

  /** Register a feed; returns the function that forgets it. */
  open(feed: OpenFeed): () => void {
    this.feeds.add(feed);
    this.timer ??= setInterval(() => void this.check().catch(() => undefined), this.intervalMs);
    this.timer.unref();
    return () => {
      this.feeds.delete(feed);
      if (this.feeds.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
  }

  /** How many feeds are open (for tests and diagnostics). */
  get size(): number {
    return this.feeds.size;
  }

  /** End now every feed whose session has ended, expired or lost its account. */
  check(): Promise<void> {
    if (this.feeds.size === 0) return Promise.resolve();
    // Each call reads the state as it is after the call (a check under way may have read less).
    const run = this.checking
      ? this.checking.catch(() => undefined).then(() => this.endInvalid())
      : this.endInvalid();
    this.checking = run;
    void run
      .finally(() => {
        if (this.checking === run) this.checking = undefined;
      })
      .catch(() => undefined);
    return run;
  }

  private async endInvalid(): Promise<void> {
    const state = await this.store.readInstance();
    const now = new Date().toISOString();
    for (const feed of [...this.feeds]) {
      if (sessionAccount(state, feed.sessionHash, now)?.id === feed.userId) continue;
      this.feeds.delete(feed);
      feed.end();
    }
  }
}
