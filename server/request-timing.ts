/**
 * Where a request's time goes, for the `Server-Timing` header (VERBATIM_SERVER_TIMING): each
 * request gets a record, which the storage layer reaches without it being passed down. The record
 * is held by an AsyncLocalStorage that is only entered when the header is on, so that a server
 * without it pays one lookup per change and nothing per request.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestTiming {
  /** Milliseconds spent waiting for changes to be durable (the journal's write and fsync). */
  durableMs: number;
}

const current = new AsyncLocalStorage<RequestTiming>();

/** Run `work` (a request) with `timing` as its record. */
export function timed<T>(timing: RequestTiming, work: () => T): T {
  return current.run(timing, work);
}

/** Count `ms` of waiting for durability against the request under way, if it is timed. */
export function noteDurableWait(ms: number): void {
  const timing = current.getStore();
  if (timing) timing.durableMs += ms;
}
