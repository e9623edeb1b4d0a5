import type { CodeId } from '../ids.ts';
import type { Coding } from '../model.ts';
import type { Span } from '../spans.ts';
import { unitsOverlapping } from './sweep.ts';

/** `overlap`: pairs of overlapping codings; `turn`: speaker turns (or paragraphs) holding both codes. */
export type CooccurrenceUnit = 'overlap' | 'turn';
export const COOCCURRENCE_UNITS: readonly CooccurrenceUnit[] = ['overlap', 'turn'];

export interface CooccurrenceMatrix {
  readonly unit: CooccurrenceUnit;
  /** Row and column order of `matrix`. */
  readonly codeIds: CodeId[];
  /** Symmetric; `matrix[i][j]` counts codes `codeIds[i]` and `codeIds[j]` together (see the unit). */
  readonly matrix: number[][];
}

/** A binary min-heap of [end, code index] pairs, for the sweep. */
class EndHeap {
  private readonly items: [number, number][] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): [number, number] | undefined {
    return this.items[0];
  }
  push(item: [number, number]): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((a[parent] as [number, number])[0] <= item[0]) break;
      a[i] = a[parent] as [number, number];
      i = parent;
    }
    a[i] = item;
  }
  pop(): [number, number] | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= a.length) break;
      const r = l + 1;
      const child = r < a.length && (a[r] as [number, number])[0] < (a[l] as [number, number])[0] ? r : l;
      if ((a[child] as [number, number])[0] >= last[0]) break;
      a[i] = a[child] as [number, number];
      i = child;
    }
    a[i] = last;
    return top;
  }
}

function groupByDocument(
  codings: readonly Coding[],
  index: ReadonlyMap<string, number>,
): Map<string, Coding[]> {
  const out = new Map<string, Coding[]>();
  for (const c of codings) {
    if (!index.has(c.codeId)) continue;
    const list = out.get(c.documentId);
    if (list) list.push(c);
    else out.set(c.documentId, [c]);
  }
  return out;
}

/**
 * Co-occurrence of codes (cooccurrences), as a symmetric code × code matrix.
 * - `overlap`: off the diagonal, the number of pairs (a coding of code i, a coding of code j) in the
 *   same document whose spans share at least one code point; on the diagonal, the number of codings
 *   of the code. One sweep per document over codings sorted by start, keeping how many codings of
 *   each code are open: each overlapping pair is counted once, when its later-starting member
 *   opens. O(n log n + n·k) for k codes open at once.
 * - `turn`: off the diagonal, the number of units (speaker turns; paragraphs for a document without
 *   turns) in which both codes occur, a code occurring in a unit when one of its codings shares at
 *   least one code point with it; on the diagonal, the number of units in which the code occurs.
 *   `unitsByDocument` gives each document's units (sorted, disjoint).
 * Codings of codes outside `codeIds` are ignored; a code never counts as co-occurring with itself.
 * @example countCooccurrence([a, b], [], 'overlap').matrix → [[0, 0], [0, 0]]
 */
export function countCooccurrence(
  codeIds: readonly CodeId[],
  codings: readonly Coding[],
  unit: CooccurrenceUnit,
  unitsByDocument: ReadonlyMap<string, readonly Span[]> = new Map(),
): CooccurrenceMatrix {
  const index = new Map<string, number>(codeIds.map((id, i) => [id, i]));
  const size = codeIds.length;
  const matrix = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  const byDocument = groupByDocument(codings, index);
  const cell = (i: number, j: number, add: number) => {
    (matrix[i] as number[])[j] = ((matrix[i] as number[])[j] as number) + add;
  };
  if (unit === 'overlap') {
    const open = new Array<number>(size).fill(0);
    for (const list of byDocument.values()) {
      const sorted = [...list].sort((a, b) => a.start - b.start);
      const heap = new EndHeap();
      const openCodes = new Set<number>();
      for (const coding of sorted) {
        const x = index.get(coding.codeId) as number;
        // Close the codings that end at or before this start: they share no code point with it.
        while (heap.size > 0 && (heap.peek() as [number, number])[0] <= coding.start) {
          const [, y] = heap.pop() as [number, number];
          open[y] = (open[y] as number) - 1;
          if (open[y] === 0) openCodes.delete(y);
        }
        for (const y of openCodes) {
          if (y === x) continue;
          cell(x, y, open[y] as number);
          cell(y, x, open[y] as number);
        }
        cell(x, x, 1);
        heap.push([coding.end, x]);
        open[x] = (open[x] as number) + 1;
        openCodes.add(x);
      }
      for (const y of openCodes) open[y] = 0;
    }
  } else {
    for (const [documentId, list] of byDocument) {
      const units = unitsByDocument.get(documentId);
      if (!units) throw new Error(`countCooccurrence: no units given for document ${documentId}`);
      const present = new Map<number, Set<number>>();
      for (const coding of list) {
        for (const u of unitsOverlapping(units, coding)) {
          const codes = present.get(u) ?? new Set<number>();
          codes.add(index.get(coding.codeId) as number);
          present.set(u, codes);
        }
      }
      for (const codes of present.values()) {
        const ids = [...codes];
        for (let i = 0; i < ids.length; i++) {
          cell(ids[i] as number, ids[i] as number, 1);
          for (let j = i + 1; j < ids.length; j++) {
            cell(ids[i] as number, ids[j] as number, 1);
            cell(ids[j] as number, ids[i] as number, 1);
          }
        }
      }
    }
  }
  return { unit, codeIds: [...codeIds], matrix };
}
