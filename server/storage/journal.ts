import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { FILE_MODE, StorageCorruptError } from './durable-file.ts';

/**
 * One event as a line of a journal. Every line written to a journal goes through here: appends,
 * and the rewrite of an erasure.
 */
export function journalLine(event: unknown): string {
  return JSON.stringify(event) + '\n';
}

/** Where appended lines go. The file journal fsyncs; the memory one keeps them in an array. */
export interface JournalSink {
  /** Append already-serialised lines (each ending in "\n"); resolves once they are durable. */
  append(text: string): Promise<void>;
  /** Told once the caller's state was reloaded from disk after a failed append. */
  recovered?(): void;
  close(): Promise<void>;
}

interface Waiter {
  text: string;
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

  private constructor(
    private readonly handle: FileHandle,
    /** Bytes known to be durable. */
    public size: number,
  ) {}

  /**
   * Open a journal and read its lines from byte `from`. A torn last line (no final newline: it was
   * never acknowledged) is cut off; any other unreadable line is damage and is refused.
   */
  static async open(path: string, from = 0): Promise<{ journal: FileJournal; lines: unknown[] }> {
    // Positional writes, not O_APPEND, so a failed write can be truncated away and written over.
    const handle = await open(path, constants.O_RDWR | constants.O_CREAT, FILE_MODE);
    try {
      const { size } = await handle.stat();
      const { lines, complete } = await readLines(handle, path, from, size);
      if (complete < size) {
        // A torn tail: written partly when the process died, never acknowledged.
        await handle.truncate(complete);
        await handle.sync();
      }
      return { journal: new FileJournal(handle, complete), lines };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  append(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ text, resolve, reject });
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
      const data = Buffer.from(batch.map((w) => w.text).join(''), 'utf8');
      try {
        let written = 0;
        while (written < data.length) {
          const { bytesWritten } = await this.handle.write(
            data,
            written,
            data.length - written,
            this.size + written,
          );
          written += bytesWritten;
        }
        await this.handle.datasync();
        this.size += data.length;
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
    await this.handle.close();
  }
}

/** Read the journal's lines from byte `from` to `to`, read-only. */
export async function readJournal(path: string, from: number, to: number): Promise<unknown[]> {
  const handle = await open(path, 'r');
  try {
    return (await readLines(handle, path, from, to)).lines;
  } finally {
    await handle.close();
  }
}

/**
 * Parse the complete lines between two byte offsets. A torn last line (no final newline) is left
 * out and `complete` says where the complete lines end; any other unreadable line is damage.
 */
async function readLines(
  handle: FileHandle,
  path: string,
  from: number,
  to: number,
): Promise<{ lines: unknown[]; complete: number }> {
  const { size } = await handle.stat();
  if (from > size || to > size) {
    throw new StorageCorruptError(
      path,
      `le journal est plus court qu'attendu (${size} octets < ${Math.max(from, to)})`,
    );
  }
  const buffer = Buffer.alloc(to - from);
  let read = 0;
  while (read < buffer.length) {
    const { bytesRead } = await handle.read(buffer, read, buffer.length - read, from + read);
    if (bytesRead === 0) break;
    read += bytesRead;
  }
  const completeBytes = buffer.lastIndexOf(0x0a) + 1;
  const lines: unknown[] = [];
  let lineNo = 0;
  for (const line of buffer.subarray(0, completeBytes).toString('utf8').split('\n')) {
    lineNo++;
    if (line === '') continue;
    try {
      lines.push(JSON.parse(line));
    } catch {
      throw new StorageCorruptError(path, `ligne ${lineNo} illisible après l'octet ${from}`);
    }
  }
  return { lines, complete: from + completeBytes };
}
