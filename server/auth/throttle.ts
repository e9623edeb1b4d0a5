import { DomainError } from '../../shared/errors.ts';

interface Entry {
  count: number;
  until: number;
  last: number;
}

/** How one kind of key is slowed down: free attempts, then 1 s, 2 s, 4 s… up to `maxDelayMs`. */
export interface ThrottleRule {
  freeAttempts: number;
  maxDelayMs: number;
}

/**
 * Slows down password guessing, per key: after `freeAttempts` attempts, each further one must
 * wait, twice as long each time (1 s, 2 s, 4 s… up to `maxDelayMs`). An attempt is counted when it
 * starts, before the password is hashed, so that parallel guesses are counted too; one that
 * succeeds is then given back. Kept in memory: a restart forgets it, which only helps a guesser
 * by a restart.
 */
export class Throttle {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly rule: ThrottleRule,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds the key must still wait, or 0. */
  wait(key: string): number {
    const entry = this.entries.get(key);
    const now = this.now();
    return entry && entry.until > now ? Math.ceil((entry.until - now) / 1000) : 0;
  }

  /** Count an attempt (it failed, or has not succeeded yet). */
  count(key: string): void {
    const now = this.now();
    const previous = this.entries.get(key);
    // Attempts older than the longest delay are forgotten.
    const count = previous && now - previous.last < this.rule.maxDelayMs ? previous.count + 1 : 1;
    this.setCount(key, count, now);
    if (this.entries.size > 100_000) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** Give back an attempt counted by `count` that succeeded. */
  refund(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    if (entry.count <= 1) this.entries.delete(key);
    else this.setCount(key, entry.count - 1, entry.last);
  }

  /** Forget the key's attempts. */
  clear(key: string): void {
    this.entries.delete(key);
  }

  private setCount(key: string, count: number, last: number): void {
    const excess = count - this.rule.freeAttempts;
    const delay = excess > 0 ? Math.min(1000 * 2 ** (excess - 1), this.rule.maxDelayMs) : 0;
    this.entries.set(key, { count, until: last + delay, last });
  }
}

/**
 * The throttle of password checks (sign-in and password change), per account and per client
 * address separately. Per address it is strict (5 free attempts, then up to 15 minutes): one
 * client guessing across accounts. Per account it is looser (20 free attempts, then up to one
 * minute): many addresses guessing one password are slowed down, while someone failing on purpose
 * can only delay the account's owner by a minute, not lock them out for a quarter of an hour.
 */
export class LoginThrottle {
  readonly byAddress: Throttle;
  readonly byAccount: Throttle;

  constructor(
    options: { address?: ThrottleRule; account?: ThrottleRule } = {},
    now: () => number = Date.now,
  ) {
    this.byAddress = new Throttle(options.address ?? { freeAttempts: 5, maxDelayMs: 15 * 60_000 }, now);
    this.byAccount = new Throttle(options.account ?? { freeAttempts: 20, maxDelayMs: 60_000 }, now);
  }

  /**
   * Start a password check for `account` (its folded name) from `address`: refused while either
   * must wait, else counted at once, before any hashing.
   * @throws DomainError `too_many_requests` with `retryAfter` (seconds).
   */
  begin(account: string, address: string): { succeeded(): void } {
    const retryAfter = Math.max(this.byAddress.wait(address), this.byAccount.wait(account));
    if (retryAfter > 0) {
      throw new DomainError(
        'too_many_requests',
        `Trop de tentatives de connexion échouées : réessayez dans ${retryAfter} s.`,
        { retryAfter },
      );
    }
    this.byAddress.count(address);
    this.byAccount.count(account);
    return {
      succeeded: () => {
        this.byAddress.refund(address);
        this.byAccount.clear(account);
      },
    };
  }
}
