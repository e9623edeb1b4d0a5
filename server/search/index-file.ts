/**
 * The persisted form of a project's search index, in bytes: one line of JSON (version, seq,
 * document ids, vocabulary, speakers), padded with spaces to a multiple of 8 bytes, then the
 * index's typed arrays laid end to end as they are in memory. Reading it takes those arrays where
 * they lie in the file's bytes rather than rebuilding anything, and never parses the long part as
 * JSON: a fraction of a second for a study of 4 million words, where MiniSearch's JSON took
 * seconds. Postings are not stored; they are derived at load (`postings.ts`). The arrays are in
 * the machine's byte order: a cache moved to a machine of the other order fails its checks and is
 * rebuilt.
 */
import { columnsOf, type IndexColumns } from './index-columns.ts';

/**
 * Bump when the index's shape, its units or its term processing change: older persisted indexes
 * are rebuilt. 2: text outside speaker turns (a title block) is indexed too. 3: typed arrays.
 * 4: bytes rather than base64 text.
 */
export const INDEX_VERSION = 4;

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

/** Bytes copied between two turns of the event loop. */
const SLICE = 4 << 20;

const NEWLINE = 0x0a;
const SPACE = 0x20;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The persisted form, as pieces to be written one after the other: the header, then copies of
 * the index's arrays a few megabytes at a time, the event loop running between two (the copies
 * are what is written: the index may change while the pieces are on their way to the disk).
 * `unchanged` tells whether the index is still as it was when this began; undefined when it
 * changed while it was being copied.
 */
export async function serialiseIndex(
  c: IndexColumns,
  seq: number,
  unchanged: () => boolean,
): Promise<Uint8Array[] | undefined> {
  const n = c.unitStart.length;
  const m = c.tokenTerm.length;
  const layout = u32Layout(c.documents.length, n, m);
  // The 8-byte numbers first, so that they lie at a multiple of 8 once the header is padded.
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
  const pieces: Uint8Array[] = [paddedHeader(header)];
  for (const part of parts) {
    for (let at = 0; at < part.length; at += SLICE) {
      pieces.push(part.slice(at, at + SLICE));
      await nextTurn();
      if (!unchanged()) return undefined;
    }
  }
  return pieces;
}

/** The header's JSON, spaces, and a newline ending at a multiple of 8 bytes. */
function paddedHeader(header: Header): Uint8Array {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const padded = Buffer.alloc(Math.ceil((json.length + 1) / 8) * 8, SPACE);
  padded.set(json);
  padded[padded.length - 1] = NEWLINE;
  return padded;
}

function bytesOf(array: Uint32Array | Float64Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/**
 * The columns and seq of a persisted index; undefined when it is of another version, or damaged.
 * The arrays are views of `bytes` where they are aligned (a copy otherwise): `bytes` must not be
 * reused.
 */
export function parseIndex(bytes: Uint8Array): { columns: IndexColumns; seq: number } | undefined {
  const newline = bytes.indexOf(NEWLINE);
  if (newline < 0 || (newline + 1) % 8 !== 0) return undefined;
  let header: Header;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, newline)),
    ) as Header;
  } catch {
    return undefined;
  }
  if (!wellFormed(header)) return undefined;
  const { units: n, tokens: m } = header;
  const layout = u32Layout(header.documents.length, n, m);
  const u32Bytes = layout.reduce((sum, [, length]) => sum + length * 4, 0);
  if (bytes.length - newline - 1 !== u32Bytes + n * 9) return undefined;
  let body = bytes.subarray(newline + 1);
  // A copy (not Buffer's slice, which is a view) when the bytes do not begin at a multiple of 8.
  if (body.byteOffset % 8 !== 0) body = new Uint8Array(body);
  const unitTime = new Float64Array(body.buffer, body.byteOffset, n);
  let at = body.byteOffset + n * 8;
  const u32 = {} as Record<U32Name, Uint32Array>;
  for (const [name, length] of layout) {
    u32[name] = new Uint32Array(body.buffer, at, length);
    at += length * 4;
  }
  const unitFlags = new Uint8Array(body.buffer, at, n);
  const columns = columnsOf({
    documents: header.documents,
    terms: header.terms,
    speakers: header.speakers,
    averageLength: header.averageLength,
    ...u32,
    unitTime,
    unitFlags,
  });
  return consistent(columns) ? { columns, seq: header.seq } : undefined;
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
