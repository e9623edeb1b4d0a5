import { DomainError } from '../../shared/errors.ts';

/**
 * Slows down password guessing: after a few failed logins for one account from one address, each
 * further attempt must wait, twice as long each time (1 s, 2 s, 4 s… up to 15 minutes). A success
 * clears the count. Kept in memory: a restart forgets it, which only helps a guesser by a restart.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; until: number; last: number }>();

  constructor(
    private readonly freeAttempts = 5,
    private readonly maxDelayMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** @throws DomainError `too_many_requests` with `retryAfter` (seconds) while the key must wait. */
  check(key: string): void {
    const entry = this.failures.get(key);
    const now = this.now();
    if (entry && entry.until > now) {
      const retryAfter = Math.ceil((entry.until - now) / 1000);
      throw new DomainError(
        'too_many_requests',
        `Trop de tentatives de connexion échouées : réessayez dans ${retryAfter} s.`,
        { retryAfter },
      );
    }
  }

  fail(key: string): void {
    const now = this.now();
    const previous = this.failures.get(key);
    // Failures older than the longest delay are forgotten.
    const count = previous && now - previous.last < this.maxDelayMs ? previous.count + 1 : 1;
    const excess = count - this.freeAttempts;
    const delay = excess > 0 ? Math.min(1000 * 2 ** (excess - 1), this.maxDelayMs) : 0;
    this.failures.set(key, { count, until: now + delay, last: now });
    if (this.failures.size > 100_000) this.failures.delete(this.failures.keys().next().value as string);
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }
}
