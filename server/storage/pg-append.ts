/**
 * A batch of changes to one project appended in one round trip to PostgreSQL, when the state this
 * instance holds allows it (see `commitBatch` in pg-commit.ts for the other way).
 */
import {
  applyProjectEvent,
  emptyProjectState,
  type ProjectEvent,
  type ProjectEventBody,
} from '../../shared/events.ts';
import type { ProjectId } from '../../shared/ids.ts';
import { overlayState } from '../../shared/overlay.ts';
import { assertStorable } from '../../shared/safe-text.ts';
import type { Change } from './ledger.ts';
import type { BatchHost, ProjectLog, QueuedChange } from './pg-commit.ts';
import { isConnectionError, storageError, type Statement } from './pg-db.ts';
import { EVENTS_CHANNEL } from './pg-listen.ts';
import { stampEvents } from './stamp.ts';

/**
 * The batch in one round trip (`append_project_events`, migration 4): decided on a scratch view of
 * the state as this instance holds it, then appended by one statement that takes the project's
 * row lock, so that the lock is held for the insert and COMMIT alone. The database appends it if
 * nothing was committed since that state, or only codings of other coders while every change of
 * the batch says it commutes with them (`ChangeOptions`): the batch then follows them, its seqs and
 * txns shifted. A change refused or changing nothing was decided on that state: when others'
 * codings came first, it is decided again under the lock, on the whole state. Returns the changes
 * to decide again that way, or undefined, having changed nothing, when the whole batch must: no
 * change with events, a change the database did not take, or events that do not commute with those
 * committed meanwhile.
 */
export async function appendBatch(
  host: BatchHost,
  id: ProjectId,
  log: ProjectLog,
  batch: readonly QueuedChange[],
): Promise<readonly QueuedChange[] | undefined> {
  const after = log.state.seq;
  const scratch = overlayState(log.state);
  const outcomes: Outcome[] = [];
  const events: ProjectEvent[] = [];
  // Whether every change with events may follow other coders' codings, and who its coders are.
  let commuting = true;
  const coders = new Set<string>();
  try {
    for (const change of batch) {
      let decided: Change<ProjectEventBody, unknown>;
      try {
        decided = change.decide(scratch);
        assertStorable(decided.events);
      } catch (error) {
        outcomes.push({ ok: false, error });
        continue;
      }
      outcomes.push({ ok: true, result: decided.result, changed: decided.events.length > 0 });
      if (decided.events.length === 0) continue;
      const stamped = stampEvents<ProjectEvent>(decided.events, scratch.seq, change.userId);
      for (const event of stamped) applyProjectEvent(scratch, event);
      events.push(...stamped);
      commuting &&= change.commutesWithOthersCodings === true;
      coders.add(change.userId);
      for (const event of stamped) if (event.type === 'coding_created') coders.add(event.coding.coderId);
    }
  } catch {
    return undefined; // Folding a decided event failed: the lock-first path reports it.
  }
  if (events.length === 0) return undefined;
  commuting &&= events.every((e) => e.type === 'coding_created');
  const sentAt = performance.now();
  let appended: AppendAnswer | undefined;
  try {
    const statement = appendStatement(id, after, events, commuting ? [...coders] : undefined);
    const { rows } = await host.db.query<AppendAnswer>({
      name: 'append-batch',
      text: statement.text,
      values: statement.values as unknown[],
    });
    appended = rows[0];
  } catch (error) {
    // The connection was lost: the batch may have been committed or not, so it is not tried
    // again; the log is read again from the database. Anything else was refused before COMMIT.
    if (!isConnectionError(error)) return undefined;
    host.background(log.catchUp());
    const refusal = storageError(error);
    for (const change of batch) change.reject(refusal);
    return [];
  }
  if (!appended?.appended) return undefined;
  const shift = appended.head - after;
  const ours = shift === 0 ? events : events.map((e) => ({ ...e, seq: e.seq + shift, txn: e.txn + shift }));
  // The log may have moved meanwhile (a notification read): folding skips what it holds. It may
  // also have been dropped (an erasure heard): it is then read again, and holds the batch after.
  // Listeners hear the events in `answer`, as after a commit that took the lock first.
  if (log.state.seq >= after) {
    try {
      log.stage([...(appended.newer ?? []), ...ours]);
    } catch (error) {
      // Committed all the same: the state that could not fold it is read again.
      console.error('Lot enregistré, état à relire :', error);
      log.reset(emptyProjectState(id));
      host.background(log.catchUp());
    }
  } else host.background(log.catchUp());
  log.freshAt(sentAt);
  // Decided on a state others' codings then followed: refusals and no-ops are decided again.
  const decideAgain = (outcome: Outcome | undefined) => shift > 0 && !(outcome?.ok && outcome.changed);
  answer(
    log,
    batch,
    outcomes.map((outcome) => (decideAgain(outcome) ? undefined : outcome)),
  );
  return batch.filter((_, i) => decideAgain(outcomes[i]));
}

/** How a change of a batch was decided (`changed`: it has events). */
export type Outcome = { ok: true; result: unknown; changed?: boolean } | { ok: false; error: unknown };

/** What `append_project_events` answers: the head it found, and the events after `p_after`. */
interface AppendAnswer {
  head: number;
  appended: boolean;
  newer: ProjectEvent[] | null;
}

/**
 * The one statement that appends a batch of a project's events (decided on the state at `after`),
 * moves its head and notifies: `append_project_events`. With `coders`, the batch may follow codings
 * other users created for other coders since `after` (see `appendBatch`).
 */
export function appendStatement(
  id: ProjectId,
  after: number,
  events: readonly ProjectEvent[],
  coders?: readonly string[],
): Statement {
  return {
    text: 'SELECT head, appended, newer FROM append_project_events($1, $2, $3, $4, $5, $6)',
    values: [id, after, JSON.stringify(events), coders !== undefined, coders ?? [], EVENTS_CHANNEL],
  };
}

/** After COMMIT: listeners hear the batch, then each caller is answered. */
export function answer(
  log: ProjectLog,
  batch: readonly QueuedChange[],
  /** Each change's outcome; undefined for a change decided again later. */
  outcomes: readonly (Outcome | undefined)[],
): void {
  try {
    log.publish();
  } catch (error) {
    // A listener's fault: the batch is committed all the same, and its callers are answered.
    console.error('Abonné au journal en échec :', error);
  }
  outcomes.forEach((outcome, i) => {
    const change = batch[i] as QueuedChange;
    if (!outcome) return;
    if (outcome.ok) change.resolve(outcome.result);
    else change.reject(outcome.error);
  });
}
