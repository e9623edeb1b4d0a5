/**
 * The project's live feed (server-sent events): `change` events in seq order, and `presence` lists
 * of who has which document open. The browser resumes a dropped connection by itself (sending the
 * last seq as `Last-Event-ID`); when it gives up, the feed reopens from the last seq it saw.
 */
import type { ProjectEvent } from '../../../shared/events.ts';

export interface PresenceEntry {
  readonly userId: string;
  readonly username: string;
  readonly displayName: string;
  readonly documentId: string | null;
}

export interface LiveFeedHandlers {
  /** A batch of events, in order (bursts such as a merge arrive as one batch). */
  onChanges: (events: ProjectEvent[]) => void;
  onPresence: (entries: PresenceEntry[]) => void;
  onStatus: (status: 'open' | 'connecting') => void;
}

/** Whether a parsed message has the shape of a project event. */
export function isEvent(value: unknown): value is ProjectEvent {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { seq?: unknown }).seq === 'number' &&
    typeof (value as { type?: unknown }).type === 'string'
  );
}

function isPresence(value: unknown): value is PresenceEntry[] {
  return (
    Array.isArray(value) &&
    value.every((e) => typeof e === 'object' && e !== null && typeof e.userId === 'string')
  );
}

/** How long to gather events that arrive together before handing them over, in ms. */
const BATCH_MS = 16;

/**
 * Open the feed at `url(after)`; returns the function that closes it. `lastSeq` tells where to
 * resume when the connection has to be reopened.
 */
export function openLiveFeed(
  url: (after: number) => string,
  after: number,
  handlers: LiveFeedHandlers,
): () => void {
  let source: EventSource | undefined;
  let lastSeq = after;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let flush: ReturnType<typeof setTimeout> | undefined;
  let pending: ProjectEvent[] = [];
  let delay = 1000;
  let closed = false;

  const deliver = () => {
    flush = undefined;
    const batch = pending;
    pending = [];
    if (batch.length > 0) handlers.onChanges(batch);
  };

  const connect = () => {
    handlers.onStatus('connecting');
    const current = new EventSource(url(lastSeq));
    source = current;
    current.addEventListener('open', () => {
      delay = 1000;
      handlers.onStatus('open');
    });
    current.addEventListener('change', (message) => {
      let event: unknown;
      try {
        event = JSON.parse((message as MessageEvent<string>).data);
      } catch {
        return;
      }
      if (!isEvent(event) || event.seq <= lastSeq) return;
      lastSeq = event.seq;
      pending.push(event);
      flush ??= setTimeout(deliver, BATCH_MS);
    });
    current.addEventListener('presence', (message) => {
      try {
        const entries: unknown = JSON.parse((message as MessageEvent<string>).data);
        if (isPresence(entries)) handlers.onPresence(entries);
      } catch {
        // A malformed presence list is skipped; the next one replaces it.
      }
    });
    current.addEventListener('error', () => {
      if (closed) return;
      handlers.onStatus('connecting');
      if (current.readyState === EventSource.CLOSED) {
        // The browser gave up (the server answered with an error): try again, less and less often.
        current.close();
        retry = setTimeout(connect, delay);
        delay = Math.min(delay * 2, 30_000);
      }
    });
  };

  connect();
  return () => {
    closed = true;
    source?.close();
    if (retry) clearTimeout(retry);
    if (flush) clearTimeout(flush);
  };
}
