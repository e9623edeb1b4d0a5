/** How many events lie between two marks of a journal's index. */
export const INDEX_EVERY = 256;

/**
 * Where events lie in a journal, sparsely: the seq and byte offset of the line of one event in
 * every `every`, so that a page of old events is found by reading the few lines around it rather
 * than the whole journal. It covers the journal's first `covered` bytes, whose lines were noted in
 * order as they were read or appended; it is held in memory by the journal it describes (a journal
 * rewritten by an erasure is opened anew, with a new index).
 *
 * Events are in increasing seq order along a journal (appended in seq order; an erasure's rewrite
 * keeps that order), which is what makes a mark a bound: every event after seq `s` lies at or
 * after the last mark whose seq is at most `s + 1`.
 */
export class JournalIndex {
  private readonly seqs: number[] = [];
  private readonly offsets: number[] = [];
  private sinceMark = 0;
  /** The lines of bytes `[0, covered)` have been noted. */
  covered = 0;
  /** Where the first line carrying a checksum starts, once one has been noted. */
  private firstChecked: number | undefined;

  constructor(readonly every = INDEX_EVERY) {}

  /**
   * Note the line starting at byte `offset` (not before `covered`: lines are noted in order, blank
   * ones skipped) and ending before byte `end`, holding the event `seq`.
   */
  note(seq: number, offset: number, end: number, checked: boolean): void {
    if (offset < this.covered) {
      throw new Error(`JournalIndex.note: line at ${offset}, expected at ${this.covered}`);
    }
    if (checked && this.firstChecked === undefined) this.firstChecked = offset;
    if (this.seqs.length === 0 || this.sinceMark >= this.every) {
      this.seqs.push(seq);
      this.offsets.push(offset);
      this.sinceMark = 0;
    }
    this.sinceMark++;
    this.covered = end;
  }

  /** Where to start reading for the events after `after`: the last mark at or before `after + 1`. */
  startFor(after: number): number {
    let low = 0;
    let high = this.seqs.length - 1;
    let found = 0;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if ((this.seqs[middle] as number) <= after + 1) {
        found = this.offsets[middle] as number;
        low = middle + 1;
      } else high = middle - 1;
    }
    return found;
  }

  /** The first mark after byte `offset` (within what is covered), or `covered` when none is. */
  nextMark(offset: number): number {
    for (let low = 0, high = this.offsets.length - 1; low <= high;) {
      const middle = (low + high) >> 1;
      if ((this.offsets[middle] as number) <= offset) low = middle + 1;
      else if (middle === 0 || (this.offsets[middle - 1] as number) <= offset)
        return this.offsets[middle] as number;
      else high = middle - 1;
    }
    return this.covered;
  }

  /**
   * Whether a line without a checksum may stand at byte `offset`: only before the first line
   * carrying one (lines written before checksums existed), as a whole read of the journal checks.
   */
  legacyAt(offset: number): boolean {
    return this.firstChecked === undefined || offset <= this.firstChecked;
  }
}
