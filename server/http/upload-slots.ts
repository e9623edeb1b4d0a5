import type { MiddlewareHandler } from 'hono';
import { DomainError } from '../../shared/errors.ts';
import type { Env } from './env.ts';

/** Uploads one account may have under way at once (each holds up to a file's limit in memory). */
export const UPLOADS_PER_USER = 2;
/** Uploads the whole server reads at once, whoever sends them. */
export const UPLOADS_PER_SERVER = 4;

/**
 * Counts the uploads under way, per account and in all, so that memory stays bounded: a request
 * over either count is refused at once with 429 `too_many_requests` (and `Retry-After`), before
 * its body is read. Kept in memory; the count is released when the request ends, however it ends.
 */
export class UploadSlots {
  private readonly byUser = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly perUser = UPLOADS_PER_USER,
    private readonly perServer = UPLOADS_PER_SERVER,
  ) {}

  /** @throws DomainError `too_many_requests` when `userId` or the server has no slot left. */
  take(userId: string): () => void {
    const mine = this.byUser.get(userId) ?? 0;
    if (mine >= this.perUser || this.total >= this.perServer) {
      throw new DomainError(
        'too_many_requests',
        mine >= this.perUser
          ? `Vous avez déjà ${mine} envois en cours : attendez qu'ils se terminent avant d'en lancer un autre.`
          : 'Le serveur reçoit déjà beaucoup de fichiers : réessayez dans quelques secondes.',
        { retryAfter: 5 },
      );
    }
    this.byUser.set(userId, mine + 1);
    this.total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const left = (this.byUser.get(userId) ?? 1) - 1;
      if (left > 0) this.byUser.set(userId, left);
      else this.byUser.delete(userId);
    };
  }

  /** Middleware for an upload route, after authentication: one slot for the request's lifetime. */
  readonly guard: MiddlewareHandler<Env> = async (c, next) => {
    let release: () => void;
    try {
      release = this.take(c.get('user').id);
    } catch (error) {
      // The body is not read: close the connection after the answer rather than drain it.
      c.header('Connection', 'close');
      throw error;
    }
    try {
      await next();
    } finally {
      release();
    }
  };
}

/** The server's one count of uploads under way. */
export const uploadSlots = new UploadSlots();
