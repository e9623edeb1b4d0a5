/**
 * A full garbage collection on demand, for the few moments when the server knows that most of
 * what it just allocated is garbage: once the data folder is opened (before the server listens),
 * between the phases of a large .qdpx import, and after a large export (a .qdpx of a large study,
 * a quote report of thousands of quotes) has been made.
 *
 * Why: on a machine with this much memory, V8 lets the heap grow to about four times what
 * survived its last full collection before it collects again. A large import (500 interviews,
 * 100,000 codings) allocates the archive's XML, its parsed form, the plan and its events one after
 * the other, each mostly garbage once the next is made, and V8 ran no full collection through it:
 * the heap went from 250 MB to 926 MB and the process's resident memory past 1.2 GB, which it
 * keeps. Collecting after each phase keeps the peak near what is alive (measured in
 * BENCHMARKS.md and ARCHITECTURE.md).
 *
 * `gc` is V8's own function, made reachable at start (`--expose-gc` set from here, then taken from
 * a new context), so that the server needs no command-line flag. A collection stops the server
 * for 150–400 ms at that size: it is asked for only where a large import already holds the
 * thread for seconds.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;
let collections = 0;

/** Runs a full collection; returns how long it took, in milliseconds. */
export function collectGarbage(): number {
  if (gc === undefined) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  const started = performance.now();
  gc();
  collections++;
  return performance.now() - started;
}

/** How many collections `collectGarbage` has run in this process. */
export function collectionsRun(): number {
  return collections;
}

/**
 * From this many codings, a project is large enough that sending its .qdpx, or deleting it, is
 * followed by a full collection (`collectSoon`): the .qdpx of the large study (100,000 codings)
 * leaves its 50 MB of XML and what made it as garbage, and deleting that study leaves its whole
 * state (about 250 MB of texts, codings and indexes).
 */
export const COLLECT_FROM_CODINGS = 20_000;

let scheduled = false;

/**
 * A full collection once the current request has been answered (its bytes handed to the socket),
 * after work that left hundreds of megabytes of garbage: a .qdpx of the large study (its XML
 * alone is 50 MB), a report of thousands of quotes (the docx library's document tree), the deletion
 * of a large project (its whole state). Without it
 * that garbage stays until V8's next full collection, and the work that comes next (another
 * report, coders writing) grows the heap on top of it. Calls in the same turn make one collection.
 */
export function collectSoon(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(() => {
    scheduled = false;
    collectGarbage();
  });
}
