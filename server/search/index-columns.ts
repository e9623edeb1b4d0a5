/**
 * The columns of a project's search index: its passages (units) and, for each, its words as term
 * numbers with their positions, all in typed arrays. A document's units, and their words, are one
 * contiguous stretch of these arrays, so adding a document appends and removing one closes a gap.
 * Postings (which units hold a term) are derived from the words (`postings.ts`); only these
 * columns are persisted (`index-file.ts`).
 */

/** A typed array that grows by doubling, like an array list. */
export class Column<T extends Uint32Array | Float64Array | Uint8Array> {
  length = 0;
  constructor(
    public array: T,
    private readonly make: (size: number) => T,
  ) {}

  static u32(values?: Uint32Array): Column<Uint32Array> {
    return Column.of(values ?? new Uint32Array(64), (n) => new Uint32Array(n), values?.length ?? 0);
  }

  static f64(values?: Float64Array): Column<Float64Array> {
    return Column.of(values ?? new Float64Array(64), (n) => new Float64Array(n), values?.length ?? 0);
  }

  static u8(values?: Uint8Array): Column<Uint8Array> {
    return Column.of(values ?? new Uint8Array(64), (n) => new Uint8Array(n), values?.length ?? 0);
  }

  private static of<A extends Uint32Array | Float64Array | Uint8Array>(
    array: A,
    make: (n: number) => A,
    length: number,
  ): Column<A> {
    const column = new Column(array, make);
    column.length = length;
    return column;
  }

  push(value: number): void {
    if (this.length === this.array.length) this.reserve(this.length + 1);
    this.array[this.length++] = value;
  }

  /** Append `values` at once. */
  append(values: T): void {
    this.reserve(this.length + values.length);
    this.array.set(values, this.length);
    this.length += values.length;
  }

  /** Room for `needed` values, doubling at least. */
  private reserve(needed: number): void {
    if (needed <= this.array.length) return;
    const bigger = this.make(Math.max(64, this.array.length * 2, needed));
    bigger.set(this.array.subarray(0, this.length));
    this.array = bigger;
  }

  /** Remove `[from, to)`, moving what follows down. */
  cut(from: number, to: number): void {
    this.array.copyWithin(from, to, this.length);
    this.length -= to - from;
  }

  /** Give back the room kept for growth. */
  trim(): void {
    if (this.array.length > this.length) this.array = this.array.slice(0, this.length) as T;
  }

  /** The filled part (a view: valid until the next push). */
  view(): T {
    return this.array.subarray(0, this.length) as T;
  }
}

/** Unit flags. */
export const OUTSIDE_TURNS = 1;

/**
 * The index's data. Unit `u` has words `[unitTokens[u], unitTokens[u + 1])`; its `length` is the
 * number of distinct words of its text as written (stop words included), the field length BM25
 * weighs a term's frequency by. Word positions are code points of the document's text; `time` is
 * NaN when the unit has none.
 */
export interface IndexColumns {
  /** Document ids, in the order their units are stored, with their numbers of units. */
  readonly documents: string[];
  readonly documentUnits: Column<Uint32Array>;
  readonly terms: string[];
  readonly speakers: string[];
  readonly unitStart: Column<Uint32Array>;
  readonly unitEnd: Column<Uint32Array>;
  readonly unitSpeaker: Column<Uint32Array>;
  readonly unitTime: Column<Float64Array>;
  readonly unitFlags: Column<Uint8Array>;
  readonly unitLength: Column<Uint32Array>;
  /** One more entry than there are units. */
  readonly unitTokens: Column<Uint32Array>;
  readonly tokenTerm: Column<Uint32Array>;
  readonly tokenStart: Column<Uint32Array>;
  readonly tokenEnd: Column<Uint32Array>;
  /** Mean unit length, kept as MiniSearch kept it (a running mean), so that scores stay the same. */
  averageLength: number;
}

/**
 * The columns as plain values, each typed array exactly its filled part: what a thread sends back,
 * its arrays moved rather than copied (`transferables`).
 */
export interface ColumnArrays {
  readonly documents: string[];
  readonly terms: string[];
  readonly speakers: string[];
  readonly averageLength: number;
  readonly documentUnits: Uint32Array;
  readonly unitStart: Uint32Array;
  readonly unitEnd: Uint32Array;
  readonly unitSpeaker: Uint32Array;
  readonly unitTime: Float64Array;
  readonly unitFlags: Uint8Array;
  readonly unitLength: Uint32Array;
  readonly unitTokens: Uint32Array;
  readonly tokenTerm: Uint32Array;
  readonly tokenStart: Uint32Array;
  readonly tokenEnd: Uint32Array;
}

const ARRAY_NAMES = [
  'documentUnits',
  'unitStart',
  'unitEnd',
  'unitSpeaker',
  'unitTime',
  'unitFlags',
  'unitLength',
  'unitTokens',
  'tokenTerm',
  'tokenStart',
  'tokenEnd',
] as const;

/** The columns' values, their typed arrays trimmed to what they hold (see `ColumnArrays`). */
export function columnArrays(c: IndexColumns): ColumnArrays {
  trimColumns(c);
  const arrays = Object.fromEntries(ARRAY_NAMES.map((name) => [name, c[name].view()]));
  const { documents, terms, speakers, averageLength } = c;
  return { documents, terms, speakers, averageLength, ...arrays } as unknown as ColumnArrays;
}

/** The buffers of `a`'s typed arrays, to move them to another thread. */
export function transferables(a: ColumnArrays): ArrayBuffer[] {
  return [...new Set(ARRAY_NAMES.map((name) => a[name].buffer as ArrayBuffer))];
}

/** Columns over values received from another thread. */
export function columnsOf(a: ColumnArrays): IndexColumns {
  return {
    documents: a.documents,
    terms: a.terms,
    speakers: a.speakers,
    averageLength: a.averageLength,
    documentUnits: Column.u32(a.documentUnits),
    unitStart: Column.u32(a.unitStart),
    unitEnd: Column.u32(a.unitEnd),
    unitSpeaker: Column.u32(a.unitSpeaker),
    unitTime: Column.f64(a.unitTime),
    unitFlags: Column.u8(a.unitFlags),
    unitLength: Column.u32(a.unitLength),
    unitTokens: Column.u32(a.unitTokens),
    tokenTerm: Column.u32(a.tokenTerm),
    tokenStart: Column.u32(a.tokenStart),
    tokenEnd: Column.u32(a.tokenEnd),
  };
}

export function emptyColumns(): IndexColumns {
  const unitTokens = Column.u32();
  unitTokens.push(0);
  return {
    documents: [],
    documentUnits: Column.u32(),
    terms: [],
    speakers: [],
    unitStart: Column.u32(),
    unitEnd: Column.u32(),
    unitSpeaker: Column.u32(),
    unitTime: Column.f64(),
    unitFlags: Column.u8(),
    unitLength: Column.u32(),
    unitTokens,
    tokenTerm: Column.u32(),
    tokenStart: Column.u32(),
    tokenEnd: Column.u32(),
    averageLength: 0,
  };
}

export function unitCount(c: IndexColumns): number {
  return c.unitStart.length;
}

/** The first unit of each document, and one past the last unit. */
export function documentOffsets(c: IndexColumns): Uint32Array {
  const offsets = new Uint32Array(c.documents.length + 1);
  for (let d = 0; d < c.documents.length; d++)
    offsets[d + 1] = (offsets[d] as number) + (c.documentUnits.array[d] as number);
  return offsets;
}

/** Give back every column's room for growth (after a build: up to half their size). */
export function trimColumns(c: IndexColumns): void {
  for (const column of [c.documentUnits, c.unitStart, c.unitEnd, c.unitSpeaker, c.unitLength]) column.trim();
  for (const column of [c.unitTokens, c.tokenTerm, c.tokenStart, c.tokenEnd]) column.trim();
  c.unitTime.trim();
  c.unitFlags.trim();
}

/** Remove the document at `slot`, its units and their words; the running mean follows. */
export function cutDocument(c: IndexColumns, slot: number): void {
  const offsets = documentOffsets(c);
  const from = offsets[slot] as number;
  const to = offsets[slot + 1] as number;
  let count = unitCount(c);
  for (let u = from; u < to; u++) {
    // As MiniSearch's removeFieldLength did, unit by unit.
    const length = c.unitLength.array[u] as number;
    c.averageLength = count === 1 ? 0 : (c.averageLength * count - length) / (count - 1);
    count--;
  }
  const tokenFrom = c.unitTokens.array[from] as number;
  const tokenTo = c.unitTokens.array[to] as number;
  for (const column of [c.tokenTerm, c.tokenStart, c.tokenEnd]) column.cut(tokenFrom, tokenTo);
  for (const column of [c.unitStart, c.unitEnd, c.unitSpeaker, c.unitLength]) column.cut(from, to);
  c.unitTime.cut(from, to);
  c.unitFlags.cut(from, to);
  c.unitTokens.cut(from, to);
  const removed = tokenTo - tokenFrom;
  const starts = c.unitTokens.array;
  for (let u = from; u < c.unitTokens.length; u++) starts[u] = (starts[u] as number) - removed;
  c.documents.splice(slot, 1);
  c.documentUnits.cut(slot, slot + 1);
}
