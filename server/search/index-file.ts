/**
 * The persisted form of a project's search index: one line of JSON (version, seq, document ids,
 * vocabulary, speakers), then the index's typed arrays laid end to end, in base64 (a cache is text
 * on every store). Reading it decodes those arrays in place rather than rebuilding anything, and
 * never parses the long part as JSON: a fraction of a second for a study of 4 million words, where
 * MiniSearch's JSON took seconds. Postings are not stored; they are derived at load (`postings.ts`).
 * The arrays are in the machine's byte order: a cache moved to a machine of the other order fails
 * its checks and is rebuilt.
 */
import { Column, type IndexColumns } from './index-columns.ts';

/**
 * Bump when the index's shape, its units or its term processing change: older persisted indexes
 * are rebuilt. 2: text outside speaker turns (a title block) is indexed too. 3: typed arrays.
 */
export const INDEX_VERSION = 3;

interface Header {
  version: number;
  seq: number;
  documents: string[];
  terms: string[];
  speakers: string[];
  averageLength: number;
  units: number;
  tokens: number;
}

type U32Name =
  | 'documentUnits'
  | 'unitStart'
  | 'unitEnd'
  | 'unitSpeaker'
  | 'unitLength'
  | 'unitTokens'
  | 'tokenTerm'
  | 'tokenStart'
  | 'tokenEnd';

/** The Uint32 columns in file order, with their lengths in a file of `d` documents, `n` units, `m` words. */
function u32Layout(d: number, n: number, m: number): [U32Name, number][] {
  return [
    ['documentUnits', d],
    ['unitStart', n],
    ['unitEnd', n],
    ['unitSpeaker', n],
    ['unitLength', n],
    ['unitTokens', n + 1],
    ['tokenTerm', m],
    ['tokenStart', m],
    ['tokenEnd', m],
  ];
}

/** Bytes encoded, or characters decoded, between two turns of the event loop. */
const SLICE = 3 * 4 * 256 * 1024;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The persisted form, encoded in slices between requests straight from the index's arrays (no
 * copy of them all at once: tens of megabytes to allocate, then to collect). `unchanged` tells
 * whether the index is still as it was when this began; undefined when it changed meanwhile.
 */
export async function serialiseIndex(
  c: IndexColumns,
  seq: number,
  unchanged: () => boolean,
): Promise<string | undefined> {
  const n = c.unitStart.length;
  const m = c.tokenTerm.length;
  const layout = u32Layout(c.documents.length, n, m);
  // The 8-byte numbers first, so that they can be read where they lie.
  const parts: Uint8Array[] = [bytesOf(c.unitTime.view())];
  for (const [name] of layout) parts.push(bytesOf(c[name].view()));
  parts.push(c.unitFlags.view());
  const header: Header = {
    version: INDEX_VERSION,
    seq,
    documents: c.documents,
    terms: c.terms,
    speakers: c.speakers,
    averageLength: c.averageLength,
    units: n,
    tokens: m,
  };
  const pieces = [`${JSON.stringify(header)}\n`];
  // A multiple of 3 bytes: each slice's base64 is that of the whole, cut there.
  const slice = Buffer.allocUnsafe(SLICE);
  let filled = 0;
  for (const part of parts) {
    for (let at = 0; at < part.length;) {
      const taken = Math.min(part.length - at, SLICE - filled);
      slice.set(part.subarray(at, at + taken), filled);
      filled += taken;
      at += taken;
      if (filled < SLICE) continue;
      pieces.push(slice.toString('base64'));
      filled = 0;
      await nextTurn();
      if (!unchanged()) return undefined;
    }
  }
  pieces.push(slice.toString('base64', 0, filled));
  return pieces.join('');
}

function bytesOf(array: Uint32Array | Float64Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** The columns and seq of a persisted index; undefined when it is of another version, or damaged. */
export async function parseIndex(text: string): Promise<{ columns: IndexColumns; seq: number } | undefined> {
  const newline = text.indexOf('\n');
  let header: Header;
  try {
    header = JSON.parse(text.slice(0, newline)) as Header;
  } catch {
    return undefined;
  }
  if (newline < 0 || !wellFormed(header)) return undefined;
  const { units: n, tokens: m } = header;
  const layout = u32Layout(header.documents.length, n, m);
  const u32Bytes = layout.reduce((sum, [, length]) => sum + length * 4, 0);
  const bytes = await decode(text, newline + 1, u32Bytes + n * 9);
  if (!bytes) return undefined;
  const unitTime = new Float64Array(bytes.buffer, bytes.byteOffset, n);
  let at = bytes.byteOffset + n * 8;
  const u32 = {} as Record<U32Name, Uint32Array>;
  for (const [name, length] of layout) {
    u32[name] = new Uint32Array(bytes.buffer, at, length);
    at += length * 4;
  }
  const unitFlags = new Uint8Array(bytes.buffer, at, n);
  const columns: IndexColumns = {
    documents: header.documents,
    terms: header.terms,
    speakers: header.speakers,
    averageLength: header.averageLength,
    documentUnits: Column.u32(u32.documentUnits),
    unitStart: Column.u32(u32.unitStart),
    unitEnd: Column.u32(u32.unitEnd),
    unitSpeaker: Column.u32(u32.unitSpeaker),
    unitLength: Column.u32(u32.unitLength),
    unitTokens: Column.u32(u32.unitTokens),
    tokenTerm: Column.u32(u32.tokenTerm),
    tokenStart: Column.u32(u32.tokenStart),
    tokenEnd: Column.u32(u32.tokenEnd),
    unitTime: Column.f64(unitTime),
    unitFlags: Column.u8(unitFlags),
  };
  return consistent(columns) ? { columns, seq: header.seq } : undefined;
}

/**
 * The base64 from `from` to the end of `text`, decoded in slices into a buffer of its own (so the
 * arrays read from it are aligned); undefined unless it is exactly `size` bytes.
 */
async function decode(text: string, from: number, size: number): Promise<Buffer | undefined> {
  if (text.length - from !== Math.ceil(size / 3) * 4) return undefined;
  const bytes = Buffer.allocUnsafeSlow(size);
  let written = 0;
  for (let at = from; at < text.length; at += (SLICE / 3) * 4) {
    written += bytes.write(text.slice(at, at + (SLICE / 3) * 4), written, 'base64');
    await nextTurn();
  }
  return written === size ? bytes : undefined;
}

function wellFormed(h: Header): boolean {
  const strings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');
  const count = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
  return (
    typeof h === 'object' &&
    h !== null &&
    h.version === INDEX_VERSION &&
    count(h.seq) &&
    count(h.units) &&
    count(h.tokens) &&
    Number.isFinite(h.averageLength) &&
    strings(h.documents) &&
    strings(h.terms) &&
    strings(h.speakers)
  );
}

/** Every number points inside what it indexes: a damaged file is refused, never half read. */
function consistent(c: IndexColumns): boolean {
  const n = c.unitStart.length;
  const m = c.tokenTerm.length;
  let units = 0;
  for (const count of c.documentUnits.view()) units += count;
  if (units !== n || new Set(c.documents).size !== c.documents.length) return false;
  const starts = c.unitTokens.array;
  if (starts[0] !== 0 || starts[n] !== m) return false;
  for (let u = 0; u < n; u++) {
    if ((starts[u] as number) > (starts[u + 1] as number)) return false;
    if ((c.unitSpeaker.array[u] as number) >= c.speakers.length) return false;
    if ((c.unitStart.array[u] as number) > (c.unitEnd.array[u] as number)) return false;
  }
  const terms = c.terms.length;
  for (let i = 0; i < m; i++) if ((c.tokenTerm.array[i] as number) >= terms) return false;
  return true;
}
