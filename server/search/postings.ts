import { type IndexColumns, unitCount } from './index-columns.ts';

/**
 * For each term, the units holding it (ascending) and how often: term `t`'s postings are
 * `[start[t], start[t + 1])` of `units` and `frequencies`. Derived from the units' words in two
 * passes (count, then fill), so it is never persisted and costs tens of milliseconds to rebuild.
 */
export interface Postings {
  readonly start: Uint32Array;
  readonly units: Uint32Array;
  readonly frequencies: Uint32Array;
  /** The document slot of each unit. */
  readonly unitDocument: Uint32Array;
}

/** Units read between two turns of the event loop, when building in slices. */
const UNITS_PER_SLICE = 8192;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export function buildPostings(c: IndexColumns): Postings {
  const steps = postingSteps(c);
  let step = steps.next();
  while (!step.done) step = steps.next();
  return step.value;
}

/**
 * The same, with the event loop let run every few thousand units: tens of milliseconds of work
 * at the large study, done while the index is loaded. The columns must not change meanwhile.
 */
export async function buildPostingsInSlices(c: IndexColumns): Promise<Postings> {
  const steps = postingSteps(c);
  let step = steps.next();
  while (!step.done) {
    await nextTurn();
    step = steps.next();
  }
  return step.value;
}

/** The two passes, pausing (yield) every UNITS_PER_SLICE units. */
function* postingSteps(c: IndexColumns): Generator<void, Postings> {
  const termCount = c.terms.length;
  const units = unitCount(c);
  const tokens = c.tokenTerm.array;
  const tokenStarts = c.unitTokens.array;
  const last = new Int32Array(termCount).fill(-1);
  const start = new Uint32Array(termCount + 1);
  for (let u = 0; u < units; u++) {
    if (u % UNITS_PER_SLICE === UNITS_PER_SLICE - 1) yield;
    const to = tokenStarts[u + 1] as number;
    for (let i = tokenStarts[u] as number; i < to; i++) {
      const t = tokens[i] as number;
      if (last[t] !== u) {
        last[t] = u;
        start[t + 1]!++;
      }
    }
  }
  for (let t = 0; t < termCount; t++) start[t + 1] = (start[t + 1] as number) + (start[t] as number);
  const total = start[termCount] as number;
  const postingUnits = new Uint32Array(total);
  const frequencies = new Uint32Array(total);
  const cursor = start.slice(0, termCount);
  // Where the current unit's posting of each term is, while the unit is read.
  const at = new Uint32Array(termCount);
  last.fill(-1);
  for (let u = 0; u < units; u++) {
    if (u % UNITS_PER_SLICE === UNITS_PER_SLICE - 1) yield;
    const to = tokenStarts[u + 1] as number;
    for (let i = tokenStarts[u] as number; i < to; i++) {
      const t = tokens[i] as number;
      if (last[t] !== u) {
        last[t] = u;
        const p = cursor[t]!++;
        at[t] = p;
        postingUnits[p] = u;
        frequencies[p] = 1;
      } else frequencies[at[t] as number]!++;
    }
  }
  return { start, units: postingUnits, frequencies, unitDocument: unitDocuments(c) };
}

function unitDocuments(c: IndexColumns): Uint32Array {
  const out = new Uint32Array(unitCount(c));
  let u = 0;
  for (let d = 0; d < c.documents.length; d++) {
    const n = c.documentUnits.array[d] as number;
    out.fill(d, u, u + n);
    u += n;
  }
  return out;
}

/**
 * Drop the terms no unit holds any more (after a document was removed), renumbering the others:
 * the index then keeps no word of a removed document. Returns whether any was dropped.
 */
export function dropUnusedTerms(c: IndexColumns): boolean {
  const used = new Uint8Array(c.terms.length);
  const tokens = c.tokenTerm.array;
  for (let i = 0; i < c.tokenTerm.length; i++) used[tokens[i] as number] = 1;
  if (used.every((u) => u === 1)) return false;
  const renumber = new Uint32Array(c.terms.length);
  const kept: string[] = [];
  c.terms.forEach((term, t) => {
    if (!used[t]) return;
    renumber[t] = kept.length;
    kept.push(term);
  });
  for (let i = 0; i < c.tokenTerm.length; i++) tokens[i] = renumber[tokens[i] as number] as number;
  // Not splice(…, ...kept): a vocabulary can be more arguments than a call takes.
  c.terms.length = 0;
  for (const term of kept) c.terms.push(term);
  return true;
}
