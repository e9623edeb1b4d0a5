import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import type { ProjectEvent } from '../../shared/events.ts';
import { requireUser } from '../auth/sessions.ts';
import { projectFor } from '../http/access.ts';
import type { Env } from '../http/env.ts';
import { validate } from '../http/validate.ts';
import type { Store } from '../storage/store.ts';

const EventQuery = z.strictObject({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

/**
 * The project's event log: as JSON pages (`?after=seq&limit=n`), or, with
 * `Accept: text/event-stream`, as a live feed that first sends what came after `after` (or the
 * `Last-Event-ID` the browser resends on reconnection) and then each new event once durable.
 */
export function eventRoutes(store: Store) {
  return new Hono<Env>().use(requireUser(store)).get('/', validate('query', EventQuery), async (c) => {
    const { id } = await projectFor(c, store, 'viewer');
    const { after, limit } = c.req.valid('query');
    if (!(c.req.header('accept') ?? '').includes('text/event-stream')) {
      const events = await store.readEvents(id, after, limit);
      return c.json({ events }, 200);
    }
    const lastId = Number(c.req.header('last-event-id'));
    let cursor = Number.isInteger(lastId) && lastId > 0 ? lastId : after;
    return streamSSE(c, async (stream) => {
      const queue: ProjectEvent[] = [];
      let wake: (() => void) | undefined;
      const unsubscribe = store.subscribe(id, (events) => {
        queue.push(...events);
        wake?.();
      });
      stream.onAbort(() => {
        unsubscribe();
        wake?.();
      });
      const send = async (event: ProjectEvent) => {
        if (event.seq <= cursor) return;
        cursor = event.seq;
        await stream.writeSSE({ id: String(event.seq), event: 'change', data: JSON.stringify(event) });
      };
      for (
        let page = await store.readEvents(id, cursor, 1000);
        page.length > 0;
        page = await store.readEvents(id, cursor, 1000)
      ) {
        for (const event of page) await send(event);
      }
      while (!stream.aborted) {
        while (queue.length > 0) await send(queue.shift() as ProjectEvent);
        await Promise.race([
          new Promise<void>((r) => (wake = r)),
          new Promise<void>((r) => setTimeout(r, 25_000)),
        ]);
        wake = undefined;
        if (queue.length === 0 && !stream.aborted) await stream.writeSSE({ event: 'ping', data: '' });
      }
      unsubscribe();
    });
  });
}
