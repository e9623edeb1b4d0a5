import pg from 'pg';
import { DomainError } from '../../shared/errors.ts';

export type Db = pg.Pool;
export type Tx = pg.PoolClient;

/** A connection pool with the settings every Verbatim connection uses. */
export function createPool(url: string, max = 10): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: 5000,
    application_name: 'verbatim',
    // A stuck database must not hold requests (and the rows they lock) forever.
    statement_timeout: 15_000,
    idle_in_transaction_session_timeout: 30_000,
    // Queries sent together are written together (`inShortTransaction`); awaited one by one, as
    // everywhere else, they go as before.
    pipeline: true,
  });
  // An idle connection lost (the database restarted): the pool drops it and opens another when
  // needed. Without a listener, the 'error' event would end the process.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * Run `work` in a transaction on one connection: COMMIT if it resolves, ROLLBACK if it throws (a
 * `DomainError` thrown by a decision, or a lost connection: either way nothing is applied).
 */
export function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  return transact(db, begin, (tx) => work(tx));
}

/** One statement and its parameters. */
export interface Statement {
  readonly text: string;
  readonly values?: readonly unknown[];
}

/** A transaction opened by `inShortTransaction`. */
export interface ShortTransaction {
  readonly tx: Tx;
  /** The rows of each opening statement, in order. */
  readonly opened: pg.QueryResultRow[][];
  /**
   * Send the transaction's last statement and COMMIT in one round trip; its rows. Nothing may be
   * sent after it: the transaction is over once it resolves.
   */
  commitWith(statement: Statement): Promise<pg.QueryResultRow[]>;
}

/**
 * A transaction in fewer round trips to the database: BEGIN and the `opening` statements are sent
 * together (each runs after the one before it, so a read that follows a lock sees what was
 * committed before the lock was granted), and the last statement (`commitWith`) together with
 * COMMIT: the connection pipelines them (node-postgres's `pipeline`), each with its parameters,
 * so that no value is written into a statement's text (which PostgreSQL shows in
 * `pg_stat_activity` and writes to its log when a statement fails). A batch of codings takes two
 * round trips this way instead of four. If `work` resolves without calling `commitWith`, COMMIT is
 * sent alone; if anything fails, ROLLBACK, as `inTransaction`.
 */
export function inShortTransaction<T>(
  db: Db,
  opening: readonly Statement[],
  work: (transaction: ShortTransaction) => Promise<T>,
): Promise<T> {
  return transact(db, undefined, async (tx, committed) => {
    const [, ...opened] = await Promise.all([
      tx.query('BEGIN'),
      ...opening.map((s) => tx.query(s.text, s.values as unknown[])),
    ]);
    return work({
      tx,
      opened: opened.map((r) => r.rows),
      async commitWith(statement) {
        const [done] = await Promise.all([
          tx.query(statement.text, statement.values as unknown[]),
          tx.query('COMMIT'),
        ]);
        committed();
        return done.rows;
      },
    });
  });
}

/** `work` in a transaction; `begin` its first statement, or undefined if `work` sends it. */
async function transact<T>(
  db: Db,
  begin: string | undefined,
  work: (tx: Tx, committed: () => void) => Promise<T>,
): Promise<T> {
  const client = await db.connect();
  // Errors of a connection in use reject its queries; the listener only keeps them from being
  // raised as an uncaught 'error' event.
  const ignore = () => undefined;
  client.on('error', ignore);
  let broken: Error | undefined;
  let committed = false;
  try {
    if (begin !== undefined) await client.query(begin);
    const result = await work(client, () => {
      committed = true;
    });
    if (!committed) await client.query('COMMIT');
    return result;
  } catch (error) {
    if (!committed) {
      await client.query('ROLLBACK').catch((e: unknown) => {
        broken = e instanceof Error ? e : new Error(String(e));
      });
    }
    throw error;
  } finally {
    client.off('error', ignore);
    // A connection that could not roll back is destroyed rather than given to the next caller.
    client.release(broken);
  }
}

/** Error codes meaning "the database cannot be reached now", as opposed to a refused statement. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOENT',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  '57014', // query_canceled (statement_timeout)
]);

/** node-postgres reports some connection failures by message only. */
const CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|not queryable|Client was closed|Cannot use a pool after calling end/i;

/**
 * Whether an error says the database is unreachable or shutting down (connection lost, refused,
 * SQLSTATE classes 08 "connection exception", 53 "insufficient resources", 57P "operator
 * intervention"): the change did not happen, and trying again later may work.
 */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (CONNECTION_CODES.has(code) || /^(08|53|57P)/.test(code))) return true;
  return CONNECTION_MESSAGES.test(error.message);
}

/** Map a connection failure to 503 `storage_unavailable`; pass anything else on. */
export function storageError(error: unknown): unknown {
  if (!isConnectionError(error)) return error;
  return new DomainError(
    'storage_unavailable',
    "La base de données est injoignable pour l'instant ; rien n'a été modifié. Réessayez dans un moment.",
    { cause: String((error as { code?: unknown }).code ?? 'connection') },
  );
}
