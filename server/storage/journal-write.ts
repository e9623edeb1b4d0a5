import type { FileHandle } from 'node:fs/promises';
import { serialiseJournalLine } from './journal-line.ts';

/**
 * What an append adds: lines already serialised (each ending in "\n"), or events, which the
 * journal serialises as it writes them. A batch of 100,000 events (a .qdpx import) is then never
 * one string of 50 MB, nor the same again as bytes.
 */
export type JournalEntries = string | readonly object[];

/** One append of a batch: its entries, and the seq of its first line when known. */
export interface BatchEntry {
  entries: JournalEntries;
  firstSeq: number | undefined;
}

/** Characters of lines turned into bytes and written at a time. */
const CHUNK_CHARS = 1 << 20;

function linesIn(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

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
    for (let written = 0; written < data.length;) {
      const { bytesWritten } = await handle.write(data, written, data.length - written, at + written);
      written += bytesWritten;
    }
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
  for (const { entries, firstSeq } of batch) {
    const first = firstSeq ?? NaN;
    if (typeof entries === 'string') {
      // Lines given already serialised go as they are, in one piece.
      pending.push(entries);
      pendingChars += entries.length;
      const count = linesIn(entries);
      for (let i = 0; i < count; i++) seqs.push(first + i);
    } else {
      for (let i = 0; i < entries.length; i++) {
        const line = serialiseJournalLine(entries[i] as object);
        pending.push(line);
        pendingChars += line.length;
        seqs.push(first + i);
        if (pendingChars >= CHUNK_CHARS) await writeOut();
      }
    }
    if (pendingChars >= CHUNK_CHARS) await writeOut();
  }
  if (pending.length > 0) await writeOut();
  return { length, lines };
}
