import type { FileHandle } from 'node:fs/promises';
import { writeAll } from './durable-file.ts';
import { serialiseJournalLine } from './journal-line.ts';

/**
 * One append of a batch: its events, which the journal serialises as it writes them (a batch of
 * 100,000 events, a .qdpx import, is then never one string of 50 MB, nor the same again as
 * bytes), and the seq of the first when known.
 */
export interface BatchEntry {
  events: readonly object[];
  firstSeq: number | undefined;
}

/** Characters of lines turned into bytes and written at a time. */
const CHUNK_CHARS = 1 << 20;

/**
 * Write a batch's lines at byte `end` (the journal's durable end), a megabyte of text turned into
 * bytes at a time. Returns the bytes written and, for the journal's index when `noting`, each
 * line's seq, start and end, in threes; none from the first line whose seq is unknown.
 */
export async function writeBatch(
  handle: FileHandle,
  end: number,
  batch: readonly BatchEntry[],
  noting: boolean,
): Promise<{ length: number; lines: number[] }> {
  const lines: number[] = [];
  // The seq of each line waiting to be written (NaN: unknown), in order.
  let seqs: number[] = [];
  let pending: string[] = [];
  let pendingChars = 0;
  let length = 0;
  const writeOut = async () => {
    const data = Buffer.from(pending.join(''), 'utf8');
    pending = [];
    pendingChars = 0;
    const at = end + length;
    await writeAll(handle, data, at);
    let line = 0;
    for (const seq of seqs) {
      const newline = data.indexOf(0x0a, line);
      if (Number.isNaN(seq) || newline < 0) noting = false;
      if (noting) lines.push(seq, at + line, at + newline + 1);
      line = newline + 1;
    }
    seqs = [];
    length += data.length;
  };
  for (const { events, firstSeq } of batch) {
    const first = firstSeq ?? NaN;
    for (let i = 0; i < events.length; i++) {
      const line = serialiseJournalLine(events[i] as object);
      pending.push(line);
      pendingChars += line.length;
      seqs.push(first + i);
      if (pendingChars >= CHUNK_CHARS) await writeOut();
    }
  }
  if (pending.length > 0) await writeOut();
  return { length, lines };
}
