import { Low } from 'lowdb';
import { DurableJsonFile, StorageCorruptError, writeFileDurable } from './durable-file.ts';
import { FileJournal, readJournal } from './journal.ts';
import type { OpenedLog } from './ledger-store.ts';
import { RECENT_EVENTS } from './ledger.ts';
import { frozenView, stringifyInPieces } from './sliced-json.ts';

/** A snapshot: the folded state and how far into the journal it reaches. */
export interface Snapshot<State> {
  seq: number;
  journalBytes: number;
  state: State;
}

/** When the snapshots of a log are written, and who waits for them. */
export interface SnapshotPolicy {
  /** Events accumulated since the last snapshot before the next one (or a quarter of its seq). */
  every: number;
  /** Quiet wanted before one is serialised (0: at once). */
  quietMs: number;
  /** Whether the store is closing: no snapshot starts then. */
  stopped(): boolean;
  /** Told of each snapshot being written, so that closing can wait for it. */
  track(written: Promise<void>): void;
}

/**
 * Open one log: read its snapshot (if any), replay the journal past it, and arrange for new
 * snapshots to be written when enough events have accumulated and the journal is idle (the only
 * moment when memory holds exactly what is on disk).
 */
export async function openFileLog<State extends { seq: number }>(
  paths: { snapshotPath: string; journalPath: string },
  empty: () => State,
  apply: (state: State, event: { seq: number }) => void,
  policy: SnapshotPolicy,
): Promise<OpenedLog<State> & { journal: FileJournal }> {
  const { snapshotPath, journalPath } = paths;
  const db = new Low<Snapshot<State> | null>(new DurableJsonFile(snapshotPath), null);
  const fold = async (read: (from: number) => Promise<unknown[]>) => {
    await db.read();
    const snapshot = db.data;
    const state = snapshot ? snapshot.state : empty();
    const replayed: { seq: number }[] = [];
    for (const line of await read(snapshot?.journalBytes ?? 0)) {
      const event = line as { seq: number };
      if (event.seq <= state.seq) continue;
      replayed.push(event);
      try {
        apply(state, event);
      } catch (error) {
        throw new StorageCorruptError(journalPath, (error as Error).message);
      }
    }
    return { state, snapshot, replayed };
  };
  let journal: FileJournal | undefined;
  let folded: Awaited<ReturnType<typeof fold>>;
  try {
    folded = await fold(async (from) => {
      const opened = await FileJournal.open(journalPath, from);
      journal = opened.journal;
      return opened.lines;
    });
  } catch (error) {
    await journal?.close();
    throw error;
  }
  const { state, snapshot, replayed } = folded;
  const fileJournal = journal as FileJournal;
  return {
    state,
    journal: fileJournal,
    recent: replayed.slice(-RECENT_EVENTS),
    reload: async () => (await fold((from) => readJournal(journalPath, from, fileJournal.size))).state,
    attach: (ledger) => scheduleSnapshots(ledger, fileJournal, snapshotPath, snapshot?.seq ?? 0, policy),
  };
}

/**
 * Write a snapshot of `ledger`'s state each time the journal falls idle with enough events since
 * the last one: at once when far overdue, else after a quiet moment.
 */
function scheduleSnapshots<State extends { seq: number }>(
  ledger: { readonly state: State },
  fileJournal: FileJournal,
  snapshotPath: string,
  lastSeq: number,
  policy: SnapshotPolicy,
): void {
  let snapshotSeq = lastSeq;
  let writing = false;
  let timer: NodeJS.Timeout | undefined;
  let lastWrite = 0;
  const idle = () => !policy.stopped() && !writing && !fileJournal.diverged && !fileJournal.closed;
  const write = () => {
    writing = true;
    const seq = ledger.state.seq;
    // Frozen now, while memory equals the durable journal; serialised in slices afterwards,
    // so that requests keep being answered while a big project is written.
    const snapshot: Snapshot<State> = {
      seq,
      journalBytes: fileJournal.size,
      state: frozenView(ledger.state),
    };
    const written = stringifyInPieces(snapshot)
      .then((pieces) => writeFileDurable(snapshotPath, pieces))
      .then(
        () => {
          snapshotSeq = seq;
          writing = false;
          // Changes that became durable while this snapshot was written found it busy: catch up.
          if (!fileJournal.busy && !fileJournal.diverged) fileJournal.onIdle?.();
        },
        () => {
          // A snapshot is only a shortcut: the journal still holds everything.
          writing = false;
        },
      );
    policy.track(written);
  };
  const wait = (ms: number) => {
    timer = setTimeout(() => {
      timer = undefined;
      if (!idle()) return;
      const quiet = performance.now() - lastWrite;
      if (fileJournal.busy || quiet < policy.quietMs) {
        wait(Math.max(10, policy.quietMs - quiet));
        return;
      }
      write();
    }, ms);
    timer.unref();
  };
  fileJournal.onIdle = () => {
    if (!idle()) return;
    const since = ledger.state.seq - snapshotSeq;
    // Serialising a state costs what the state holds: a big project is snapshotted after
    // proportionally more events, so the cost per event stays flat (and a restart replays
    // at most a quarter of the events already in the snapshot).
    const threshold = Math.max(policy.every, Math.floor(snapshotSeq / 4));
    if (since < threshold) return;
    // Serialising blocks the process: wait for a quiet moment, unless far overdue.
    if (since >= 4 * threshold || policy.quietMs === 0) {
      clearTimeout(timer);
      timer = undefined;
      write();
      return;
    }
    lastWrite = performance.now();
    if (timer) return;
    wait(policy.quietMs);
  };
}
