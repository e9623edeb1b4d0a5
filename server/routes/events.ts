import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { canReadEvent } from '../../shared/access.ts';
import { isRedacted, type LoggedProjectEvent } from '../../shared/events.ts';
import type { ProjectId } from '../../shared/ids.ts';
import type { ProjectState, Role } from '../../shared/model.ts';
import { EventPageQuery, LiveFeedQuery } from '../../shared/queries.ts';
import { requireUser } from '../auth/sessions.ts';
import { projectFor } from '../http/access.ts';
import type { Env } from '../http/env.ts';
import { validate } from '../http/validate.ts';
import type { LiveFeeds } from '../live/feeds.ts';
import type { Presence, PresenceEntry } from '../live/presence.ts';
import type { Store } from '../storage/store.ts';

/**
 * Presence with names, for the client: only the project's members, as they are now (an entry
 * heard from another instance is shown only to those who may read the project, and only if the
 * user it names is still a member).
 */
async function presenceView(store: Store, projectId: ProjectId, entries: readonly PresenceEntry[]) {
  const users = (await store.readInstance()).users;
  const members = (await store.readProject(projectId))?.members ?? {};
  return entries
    .filter((e) => Object.hasOwn(members, e.userId))
    .map((e) => ({
      ...e,
      username: users[e.userId]?.username ?? '?',
      displayName: users[e.userId]?.displayName ?? '?',
    }));
}

/**
 * Whether an event changes what `userId` may read (its membership or role), once the feed has
 * checked access at `checkedAt`: the feed then ends, and a browser reconnecting is checked anew.
 */
function changesAccess(event: LoggedProjectEvent, userId: string, checkedAt: number): boolean {
  return (
    event.seq > checkedAt &&
    !isRedacted(event) &&
    (event.type === 'member_set' || event.type === 'member_removed') &&
    event.memberId === userId
  );
}

/**
 * The live feed of a project's changes: first what came after `after` (or the `Last-Event-ID` the
 * browser resends on reconnection), then each new event once durable, with `presence` messages
 * listing who has which document open (`documentId`: the one this page shows). Every event goes
 * through `canReadEvent`; the feed ends within a second of its session ending (`LiveFeeds`) or of
 * its user's membership or role changing.
 */
function liveFeed(
  c: Context<Env>,
  store: Store,
  presence: Presence,
  feeds: LiveFeeds,
  project: { id: ProjectId; role: Role; state: Readonly<ProjectState> },
  after: number,
  documentId: string | undefined,
) {
  const { id, role, state } = project;
  const checkedAt = state.seq;
  const lastId = Number(c.req.header('last-event-id'));
  let cursor = Number.isInteger(lastId) && lastId > 0 ? lastId : after;
  const userId = c.get('user').id;
  const sessionHash = c.get('sessionHash');
  return streamSSE(c, async (stream) => {
    const queue: (LoggedProjectEvent | PresenceEntry[])[] = [];
    let wake: (() => void) | undefined;
    let ended = false;
    const end = () => {
      ended = true;
      queue.length = 0;
      wake?.();
    };
    const forget = feeds.open({ sessionHash, userId, end });
    const push = (item: LoggedProjectEvent | PresenceEntry[]) => {
      queue.push(item);
      wake?.();
    };
    const unsubscribe = store.subscribe(id, (events) => events.forEach(push));
    const unwatch = presence.subscribe(id, push);
    const leave = presence.join(id, { userId, documentId: documentId ?? null });
    const stop = () => {
      forget();
      unsubscribe();
      unwatch();
      leave();
    };
    stream.onAbort(() => {
      stop();
      wake?.();
    });
    const send = async (item: LoggedProjectEvent | PresenceEntry[]) => {
      if (Array.isArray(item)) {
        await stream.writeSSE({
          event: 'presence',
          data: JSON.stringify(await presenceView(store, id, item)),
        });
        return;
      }
      if (ended) return;
      // Before the cursor test: a feed asked to start past the end still hears its access end.
      if (changesAccess(item, userId, checkedAt)) return end();
      if (item.seq <= cursor) return;
      cursor = item.seq;
      if (!canReadEvent(role, item)) return;
      await stream.writeSSE({ id: String(item.seq), event: 'change', data: JSON.stringify(item) });
    };
    for (
      let page = await store.readEvents(id, cursor, 1000);
      page.length > 0;
      page = await store.readEvents(id, cursor, 1000)
    ) {
      for (const event of page) await send(event);
      if (ended) break;
    }
    if (!ended) await send(presence.list(id));
    while (!stream.aborted && !ended) {
      while (queue.length > 0 && !stream.aborted && !ended)
        await send(queue.shift() as LoggedProjectEvent | PresenceEntry[]);
      if (ended) break;
      await Promise.race([
        new Promise<void>((r) => (wake = r)),
        new Promise<void>((r) => setTimeout(r, 25_000)),
      ]);
      wake = undefined;
      if (queue.length === 0 && !stream.aborted && !ended) await stream.writeSSE({ event: 'ping', data: '' });
    }
    stop();
  });
}

/**
 * The project's event log: JSON pages at `GET …/events?after=seq&limit=n`, the live feed at
 * `GET …/events/live?after=seq`. The feed is also served on `GET …/events` to a client asking for
 * `Accept: text/event-stream`, as it was before it had its own route.
 */
export function eventRoutes(store: Store, presence: Presence, feeds: LiveFeeds) {
  return new Hono<Env>()
    .use(requireUser(store))
    .get('/presence', async (c) => {
      const { id } = await projectFor(c, store, 'viewer');
      return c.json({ presence: await presenceView(store, id, presence.list(id)) }, 200);
    })
    .get('/live', validate('query', LiveFeedQuery), async (c) => {
      const project = await projectFor(c, store, 'viewer');
      const { after, documentId } = c.req.valid('query');
      return liveFeed(c, store, presence, feeds, project, after, documentId);
    })
    .get('/', validate('query', EventPageQuery), async (c) => {
      const project = await projectFor(c, store, 'viewer');
      const { after, limit, documentId } = c.req.valid('query');
      if ((c.req.header('accept') ?? '').includes('text/event-stream')) {
        return liveFeed(c, store, presence, feeds, project, after, documentId);
      }
      const events = (await store.readEvents(project.id, after, limit)).filter((e) =>
        canReadEvent(project.role, e),
      );
      return c.json({ events }, 200);
    });
}
