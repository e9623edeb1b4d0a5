import type { MiddlewareHandler } from 'hono';
import { timed, type RequestTiming } from '../request-timing.ts';

const ms = (value: number) => value.toFixed(3);

/**
 * The `Server-Timing` header (VERBATIM_SERVER_TIMING), which browsers' developer tools show and the
 * benchmark reads: `durable`, the time spent waiting for the request's changes to reach the disk
 * (the journal's write and fsync; on PostgreSQL, the project's queue and its batch's commit); `app`, the rest of the time in the
 * server until the answer was made (routing, session, checks, the change itself, the answer's
 * compression); `total`, both. A streamed answer's time ends when its stream starts.
 */
export function serverTiming(): MiddlewareHandler {
  return async (c, next) => {
    const timing: RequestTiming = { durableMs: 0 };
    const started = performance.now();
    await timed(timing, next);
    const total = performance.now() - started;
    c.res.headers.append(
      'Server-Timing',
      `app;dur=${ms(total - timing.durableMs)}, durable;dur=${ms(timing.durableMs)}, total;dur=${ms(total)}`,
    );
  };
}

/** The durations of a `Server-Timing` header, by name (`{ app, durable, total }` for this server's). */
export function parseServerTiming(header: string): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().split(';');
    const dur = params.map((p) => p.trim()).find((p) => p.startsWith('dur='));
    metrics[name.trim()] = Number(dur?.slice(4));
  }
  return metrics;
}
