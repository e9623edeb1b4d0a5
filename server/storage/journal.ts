import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  ensureDirectory,
  FILE_MODE,
  StorageCorruptError,
  syncDirectory,
  writeFileDurable,
} from './durable-file.ts';
import { JournalIndex } from './journal-index.ts';
import { writeBatch, type BatchEntry } from './journal-write.ts';
import { JournalLineError, parseJournalLine, serialiseJournalLine } from './journal-line.ts';

/**
 * One event as a line of a journal, checksum and newline included (`serialiseJournalLine`). Every
 * line written to a journal goes through here: appends, and the rewrite of an erasure.
 */
export function journalLine(event: unknown): string {
  return serialiseJournalLine(event as object);
}

/** Where appended lines go. The file journal fsyncs; the memory one keeps them in an array. */
export interface JournalSink {
  /**
   * Append lines holding the events `firstSeq`, `firstSeq + 1`… when given; resolves once they
   * are durable.
   */
  append(events: readonly object[], firstSeq?: number): Promise<void>;
  /** Told once the caller's state was reloaded from disk after a failed append. */
  recovered?(): void;
  close(): Promise<void>;
}

interface Waiter extends BatchEntry {
  firstSeq: number | undefined;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * An append-only journal of JSON lines with group commit: appends that arrive while a flush is
 * under way wait and go to disk together in the next write + fdatasync. The cost of one append
 * does not depend on the size of the file.
 *
 * When a write fails (disk full, permissions), the file is truncated back to its last durable
 * length and every waiting append is rejected: the caller must then reload its state from disk,
 * because those appends had already been applied in memory.
 */
export class FileJournal implements JournalSink {
  private queue: Waiter[] = [];
  private flushing = false;
  /** Where old events lie, for pages read past the memory's window (`readAfter`). */
  private index = new JournalIndex();
  /** Reads under way, which `close` waits for. */
  private readonly reads = new Set<Promise<unknown>>();
  /** One extension of the index at a time: lines are noted in order. */
  private indexing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly handle: FileHandle,
    private readonly path: string,
    /** Bytes known to be durable. */
    public size: number,
  ) {}

  /**
   * Open a journal and read its lines from byte `from`. A last line that is complete and intact
   * but lacks only its newline was acknowledged: it is kept, and its newline restored. A torn last
   * line (cut while being written, never acknowledged) is moved aside into `damaged-<date>/` beside
   * the journal, with a log line, and cut from the journal. Any other unreadable line is damage
   * and is refused.
   */
  static async open(path: string, from = 0): Promise<{ journal: FileJournal; lines: unknown[] }> {
    // Positional writes, not O_APPEND, so a failed write can be truncated away and written over.
    const handle = await open(path, constants.O_RDWR | constants.O_CREAT, FILE_MODE);
    try {
      const { size } = await handle.stat();
      // An empty journal may have just been created: its folder's entry must survive a crash too.
      if (size === 0) await syncDirectory(dirname(path));
      // Read from the start, the journal's lines make its index at once; from a snapshot's
      // offset, the index is made when an old page is first asked for (`readAfter`).
      const index = new JournalIndex();
      const { lines, complete, tail } = await readLines(handle, path, from, size, true, (line) => {
        if (from === 0) index.note(line.seq, line.offset, line.end, line.checked);
      });
      let length = complete;
      if (tail === 'unterminated') {
        await handle.write('\n', size);
        await handle.sync();
        length = size + 1;
        console.warn(
          `Journal ${path} : la dernière ligne, intacte, n'avait pas de fin de ligne ; elle est gardée.`,
        );
      } else if (tail === 'torn') {
        const aside = await setTornTailAside(handle, path, complete, size);
        await handle.truncate(complete);
        await handle.sync();
        console.warn(
          `Journal ${path} : dernière ligne incomplète (${size - complete} octets, jamais confirmée), ` +
            `mise de côté dans ${aside}.`,
        );
      }
      const journal = new FileJournal(handle, path, length);
      if (from === 0 && index.covered === length) journal.index = index;
      return { journal, lines };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  append(events: readonly object[], firstSeq?: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ events, firstSeq, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  /** Whether appends are waiting or being written. */
  get busy(): boolean {
    return this.flushing || this.queue.length > 0;
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    let failed = false;
    // Let requests of the same tick join this batch.
    await new Promise<void>((r) => setImmediate(r));
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        const { length, lines } = await writeBatch(
          this.handle,
          this.size,
          batch,
          this.index.covered === this.size,
        );
        await this.handle.datasync();
        // Durable now: the index may point at these lines.
        for (let i = 0; i < lines.length; i += 3) {
          this.index.note(lines[i] as number, lines[i + 1] as number, lines[i + 2] as number, true);
        }
        this.size += length;
        for (const w of batch) w.resolve();
      } catch (error) {
        failed = true;
        this.diverged = true;
        try {
          await this.handle.truncate(this.size);
        } catch {
          // The durable prefix is intact whatever happened after it; the caller reloads from it.
        }
        // Taken after the truncate: appends that arrived meanwhile were decided against the state
        // that just failed, so they must fail too rather than land after a gap in the sequence.
        const rest = this.queue;
        this.queue = [];
        for (const w of [...batch, ...rest]) w.reject(error);
      }
    }
    this.flushing = false;
    // After a failure, memory still holds the failed events until the caller reloads: not idle.
    if (!failed && !this.diverged) this.onIdle?.();
  }

  /**
   * The first `limit` events after seq `after`, read from the lines around them: the index is
   * brought up to the durable end (reading only what it does not cover yet), then the journal is
   * read from the last mark before them, a stretch between two marks at a time, until `limit`
   * events are found. The lines are checked as a whole read checks them.
   */
  readAfter(after: number, limit: number): Promise<{ seq: number }[]> {
    const read = (async () => {
      await this.indexUpTo(this.size);
      const events: { seq: number }[] = [];
      const end = this.index.covered;
      for (let from = this.index.startFor(after); events.length < limit && from < end;) {
        const to = this.index.nextMark(from);
        const { lines } = await readLines(this.handle, this.path, from, to, this.index.legacyAt(from));
        for (const line of lines as { seq: number }[]) {
          if (line.seq > after && events.length < limit) events.push(line);
        }
        from = to;
      }
      return events;
    })();
    this.reads.add(read);
    void read.then(
      () => this.reads.delete(read),
      () => this.reads.delete(read),
    );
    return read;
  }

  /** Extend the index over the durable lines it does not cover yet, up to byte `size`. */
  private indexUpTo(size: number): Promise<void> {
    this.indexing = this.indexing.then(async () => {
      const from = this.index.covered;
      if (from >= size) return;
      await noteLines(this.handle, this.path, from, size, this.index.legacyAt(from), (line) =>
        this.index.note(line.seq, line.offset, line.end, line.checked),
      );
    });
    return this.indexing;
  }

  /**
   * Set when a write failed: memory may hold events the disk does not, until the caller has
   * reloaded its state from disk and clears it. No snapshot may be taken meanwhile.
   */
  diverged = false;

  recovered(): void {
    this.diverged = false;
  }

  /**
   * Called each time the queue drains after successful writes: the moment when memory equals what
   * is on disk. Not called after a failed write.
   */
  onIdle: (() => void) | undefined;

  /** Set once closed: no snapshot may be taken of what it held any more. */
  closed = false;

  async close(): Promise<void> {
    this.closed = true;
    while (this.busy) await new Promise((r) => setTimeout(r, 5));
    await Promise.allSettled([...this.reads]);
    await this.handle.close();
  }
}

/**
 * Read the journal's lines from byte `from` to `to`, read-only: a last line that lacks only its
 * newline is read, a torn one (being written now, or cut by a crash) is left out.
 */
export async function readJournal(path: string, from: number, to: number): Promise<unknown[]> {
  const handle = await open(path, 'r');
  try {
    return (await readLines(handle, path, from, to)).lines;
  } finally {
    await handle.close();
  }
}

/** `damaged-<date>`: the folder, beside a damaged file, where what cannot be read is set aside. */
export function damagedFolderName(date = new Date()): string {
  return `damaged-${date.toISOString().replace(/[:.]/g, '-')}`;
}

/** Copy bytes `[from, to)` of the journal into `damaged-<date>/<name>.tail`, durably; returns its path. */
async function setTornTailAside(handle: FileHandle, path: string, from: number, to: number): Promise<string> {
  const buffer = Buffer.alloc(to - from);
  await handle.read(buffer, 0, buffer.length, from);
  const folder = join(dirname(path), damagedFolderName());
  await ensureDirectory(folder);
  const aside = join(folder, `${basename(path)}.tail`);
  await writeFileDurable(aside, buffer);
  await syncDirectory(dirname(path));
  return aside;
}

/** How much of the journals has been read and parsed since the process started (for tests). */
export const journalReads = { bytes: 0, lines: 0 };

/** A line read, where it lies: from byte `offset` to `end` (its newline included). */
interface LineRead {
  seq: number;
  offset: number;
  end: number;
  checked: boolean;
}

/** Bytes read at a time when a journal is indexed past what was read at start (tests make it small). */
export const journalIndexing = { chunkBytes: 4 * 1024 * 1024 };

/** `length` bytes of the journal from byte `position`, fewer if it ends first. */
async function readBytes(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let read = 0;
  while (read < length) {
    const { bytesRead } = await handle.read(buffer, read, length - read, position + read);
    if (bytesRead === 0) break;
    read += bytesRead;
  }
  journalReads.bytes += read;
  return buffer.subarray(0, read);
}

/** Where a pass over lines stands: lines counted since its start, whether legacy lines may come. */
type LineCursor = { lineNo: number; legacy: boolean };

/**
 * Check each complete line of `bytes` (read at byte `at` by a pass that began at byte `from`)
 * through `parseJournalLine`, and hand `take` its event and where it lies. Returns how many bytes
 * the complete lines take. An unreadable line is damage (`StorageCorruptError`).
 */
function checkLines(
  path: string,
  bytes: Buffer,
  at: number,
  from: number,
  cursor: LineCursor,
  take: (event: unknown, line: LineRead) => void,
): number {
  const complete = bytes.lastIndexOf(0x0a) + 1;
  for (let start = 0; start < complete;) {
    const newline = bytes.indexOf(0x0a, start);
    const line = bytes.toString('utf8', start, newline);
    cursor.lineNo++;
    if (line !== '') {
      journalReads.lines++;
      try {
        const parsed = parseJournalLine(line, cursor.legacy);
        cursor.legacy &&= !parsed.checked;
        const seq = (parsed.event as { seq: number }).seq;
        take(parsed.event, { seq, offset: at + start, end: at + newline + 1, checked: parsed.checked });
      } catch (error) {
        const reason = error instanceof JournalLineError ? error.reason : 'illisible';
        throw new StorageCorruptError(path, `ligne ${cursor.lineNo} après l'octet ${from} : ${reason}`);
      }
    }
    start = newline + 1;
  }
  return complete;
}

function shorterThanExpected(path: string, size: number, expected: number): StorageCorruptError {
  return new StorageCorruptError(path, `le journal est plus court qu'attendu (${size} octets < ${expected})`);
}

/**
 * Check the complete lines between two byte offsets as `readLines` does and tell `onLine` where
 * each lies, a few megabytes at a time, keeping none (indexing the large study's 110 MB journal
 * with `readLines` held the whole file and every event parsed from it: 136 MB more).
 */
async function noteLines(
  handle: FileHandle,
  path: string,
  from: number,
  to: number,
  legacy: boolean,
  onLine: (line: LineRead) => void,
): Promise<void> {
  const cursor: LineCursor = { lineNo: 0, legacy };
  let chunk = journalIndexing.chunkBytes;
  for (let offset = from; offset < to;) {
    const wanted = Math.min(chunk, to - offset);
    const bytes = await readBytes(handle, offset, wanted);
    if (bytes.length < wanted) throw shorterThanExpected(path, offset + bytes.length, to);
    const complete = checkLines(path, bytes, offset, from, cursor, (_event, line) => onLine(line));
    if (complete === 0) {
      // The rest is a line without its newline (not noted, as `readLines` notes none), or a line
      // longer than the chunk: read again with room for it.
      if (offset + bytes.length >= to) return;
      chunk *= 2;
      continue;
    }
    chunk = journalIndexing.chunkBytes;
    offset += complete;
  }
}

/**
 * Parse the lines between two byte offsets, each through `parseJournalLine`. Lines without a
 * checksum are accepted only before the first line carrying one (they were written before
 * checksums existed); `legacy` says whether that first line may still be ahead. The last line,
 * when it has no newline, is `unterminated` if it is intact (it is then read) and `torn`
 * otherwise; `complete` says where the lines ending in a newline end. Any other unreadable line is
 * damage. `onLine` hears where each complete line lies.
 */
async function readLines(
  handle: FileHandle,
  path: string,
  from: number,
  to: number,
  legacy = true,
  onLine?: (line: LineRead) => void,
): Promise<{ lines: unknown[]; complete: number; tail: 'none' | 'unterminated' | 'torn' }> {
  const { size } = await handle.stat();
  if (from > size || to > size) throw shorterThanExpected(path, size, Math.max(from, to));
  const buffer = await readBytes(handle, from, to - from);
  const cursor: LineCursor = { lineNo: 0, legacy };
  const lines: unknown[] = [];
  const completeBytes = checkLines(path, buffer, from, from, cursor, (event, line) => {
    lines.push(event);
    onLine?.(line);
  });
  const rest = buffer.subarray(completeBytes);
  if (rest.length === 0) return { lines, complete: from + completeBytes, tail: 'none' };
  try {
    lines.push(parseJournalLine(rest.toString('utf8'), cursor.legacy).event);
    return { lines, complete: from + completeBytes, tail: 'unterminated' };
  } catch {
    return { lines, complete: from + completeBytes, tail: 'torn' };
  }
}
