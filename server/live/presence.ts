import type { PresenceBus } from '../storage/store.ts';
import {
  decodePresence,
  encodePresenceAsk,
  encodePresenceHere,
  type PresenceEntry,
} from './presence-wire.ts';

export type { PresenceEntry } from './presence-wire.ts';

/** How often an instance announces again everything it has open, on a bus (ms). */
export const ANNOUNCE_MS = 2000;
/** What another instance announced is dropped once it has not been announced again for this long (ms). */
export const EXPIRE_MS = 3 * ANNOUNCE_MS + 500;

export interface PresenceOptions {
  /** The instances sharing the store (PostgreSQL); without one, presence is this instance's only. */
  bus?: PresenceBus | undefined;
  announceMs?: number;
  expireMs?: number;
}

type Listener = (entries: PresenceEntry[]) => void;

/** Each user once per document, in the order first seen. */
function oncePerDocument(entries: Iterable<PresenceEntry>): PresenceEntry[] {
  const seen = new Map<string, PresenceEntry>();
  for (const entry of entries) {
    const key = `${entry.userId}|${entry.documentId ?? ''}`;
    if (!seen.has(key)) seen.set(key, entry);
  }
  return [...seen.values()];
}

/** One part of what another instance said it has open in a project, and when it said it. */
interface Heard {
  entries: PresenceEntry[];
  at: number;
}

/**
 * Who is looking at what, right now: each open live feed registers its user and the document it
 * shows. Kept in memory only — presence is not history and is not written to the event log.
 *
 * With a bus (several instances on one PostgreSQL database), each instance announces, per project,
 * the ids of whom it has open where (server/live/presence-wire.ts): at once when that changes, and
 * all of it every `announceMs`. What it hears from the others is kept per instance and merged with
 * its own; an instance not heard again within `expireMs` (killed, cut off) is forgotten. When a new
 * LISTEN connection starts, what came before was not heard: the instance asks everyone to announce
 * again, and forgets within two periods what is not.
 */
export class Presence {
  private readonly connections = new Map<string, Map<number, PresenceEntry>>();
  /** Per project, per other instance, per part: what it announced. */
  private readonly remote = new Map<string, Map<string, Map<number, Heard>>>();
  private readonly listeners = new Map<string, Set<Listener>>();
  /** Per project, the list its listeners were last given (a repeated announcement sends nothing). */
  private readonly given = new Map<string, string>();
  private next = 1;
  private readonly bus: PresenceBus | undefined;
  private readonly announceMs: number;
  private readonly expireMs: number;
  /** This instance, on the bus. */
  private readonly instance = globalThis.crypto.randomUUID().replaceAll('-', '');
  /** Projects whose announcement is due; `asking`: whether an `ask` is. */
  private readonly due = new Set<string>();
  private asking = false;
  private sending: Promise<void> | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private stopHearing: (() => void) | undefined;
  /** Shutting down: every announcement from now on says that nobody is here. */
  private closed = false;

  constructor(options: PresenceOptions = {}) {
    this.bus = options.bus;
    this.announceMs = options.announceMs ?? ANNOUNCE_MS;
    this.expireMs = options.expireMs ?? EXPIRE_MS;
    if (!this.bus) return;
    this.stopHearing = this.bus.subscribe(
      (message) => this.heard(message),
      () => this.listening(),
    );
    // Started after the store began listening: ask now rather than wait for the others' period.
    this.asking = true;
    this.flush();
  }

  /** Register a connection; returns the function that removes it. */
  join(projectId: string, entry: PresenceEntry): () => void {
    const id = this.next++;
    let project = this.connections.get(projectId);
    if (!project) this.connections.set(projectId, (project = new Map()));
    project.set(id, entry);
    this.changedHere(projectId);
    return () => {
      if (!project.delete(id)) return; // Already gone: nothing to announce again.
      if (project.size === 0 && this.connections.get(projectId) === project)
        this.connections.delete(projectId);
      this.changedHere(projectId);
    };
  }

  /** Each user once per document they have open (a user may have several tabs, or instances). */
  list(projectId: string): PresenceEntry[] {
    const heard = [...(this.remote.get(projectId)?.values() ?? [])].flatMap((parts) =>
      [...parts.values()].flatMap((part) => part.entries),
    );
    return oncePerDocument([...(this.connections.get(projectId)?.values() ?? []), ...heard]);
  }

  subscribe(projectId: string, listener: Listener): () => void {
    let set = this.listeners.get(projectId);
    if (!set) this.listeners.set(projectId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(projectId);
    };
  }

  /**
   * Say goodbye, for a server shutting down: tell the other instances that nobody is here any more
   * (after what is being sent, so nothing overtakes it), then stop announcing and hearing. Without
   * it they would show this instance's users until the expiry.
   */
  async close(): Promise<void> {
    if (!this.bus || this.closed) return;
    this.closed = true;
    this.stopHearing?.();
    clearInterval(this.timer);
    this.timer = undefined;
    for (const projectId of this.connections.keys()) this.due.add(projectId);
    this.flush();
    while (this.sending) await this.sending;
  }

  private changedHere(projectId: string): void {
    this.notify(projectId);
    if (!this.bus || this.closed) return;
    this.due.add(projectId);
    this.flush();
    this.keepTime();
  }

  /** Give the project's listeners its list, unless they already have this one. */
  private notify(projectId: string): void {
    const entries = this.list(projectId);
    const key = JSON.stringify(entries);
    if (key === (this.given.get(projectId) ?? '[]')) return;
    if (entries.length === 0) this.given.delete(projectId);
    else this.given.set(projectId, key);
    for (const listener of this.listeners.get(projectId) ?? []) listener(entries);
  }

  /** A message from the bus: another instance's announcement or ask (this one's own are ignored). */
  private heard(payload: string): void {
    const message = decodePresence(payload);
    if (!message || message.instance === this.instance || this.closed) return;
    if (message.kind === 'ask') {
      for (const projectId of this.connections.keys()) this.due.add(projectId);
      this.flush();
      return;
    }
    const { projectId, instance, part, parts, entries } = message;
    let instances = this.remote.get(projectId);
    if (!instances) this.remote.set(projectId, (instances = new Map()));
    let heard = instances.get(instance);
    if (!heard) instances.set(instance, (heard = new Map()));
    for (const k of heard.keys()) if (k >= parts) heard.delete(k);
    heard.set(part, { entries, at: Date.now() });
    if ([...heard.values()].every((h) => h.entries.length === 0)) instances.delete(instance);
    if (instances.size === 0) this.remote.delete(projectId);
    this.notify(projectId);
    this.keepTime();
  }

  /** A new LISTEN connection: whatever was said meanwhile was missed. */
  private listening(): void {
    // What is not announced again within one period (the others answer the ask at once) goes.
    const soon = Date.now() - this.expireMs + this.announceMs;
    for (const instances of this.remote.values()) {
      for (const parts of instances.values())
        for (const part of parts.values()) part.at = Math.min(part.at, soon);
    }
    this.asking = true;
    for (const projectId of this.connections.keys()) this.due.add(projectId);
    this.flush();
  }

  /**
   * Send what is due, one message after the other so that they arrive in order (a leave never
   * overtakes the join before it). Each announcement is built when sent, from the list as it is
   * then. A message that cannot be sent (database unreachable) is dropped: the next period's
   * announcement says it all again, and the others forget what they no longer hear.
   */
  private flush(): void {
    const bus = this.bus;
    if (!bus || this.sending) return;
    this.sending = (async () => {
      while (this.asking || this.due.size > 0) {
        const projectId = this.asking ? undefined : (this.due.values().next().value as string);
        this.asking = false;
        if (projectId !== undefined) this.due.delete(projectId);
        try {
          const messages =
            projectId === undefined
              ? [encodePresenceAsk(this.instance)]
              : encodePresenceHere(this.instance, projectId, this.local(projectId), bus.maxBytes);
          for (const message of messages) await bus.publish(message);
        } catch {
          // Dropped; see above.
        }
      }
    })().finally(() => {
      this.sending = undefined;
      if (this.asking || this.due.size > 0) this.flush();
    });
  }

  /** This instance's own entries of a project, each user once per document. */
  private local(projectId: string): PresenceEntry[] {
    return this.closed ? [] : oncePerDocument(this.connections.get(projectId)?.values() ?? []);
  }

  /** Run the period while there is anything to announce or to forget. */
  private keepTime(): void {
    if (this.timer || this.closed || (this.connections.size === 0 && this.remote.size === 0)) return;
    this.timer = setInterval(() => this.tick(), this.announceMs);
    this.timer.unref();
  }

  /** Every period: announce everything again, and forget what other instances no longer say. */
  private tick(): void {
    for (const projectId of this.connections.keys()) this.due.add(projectId);
    this.flush();
    const oldest = Date.now() - this.expireMs;
    for (const [projectId, instances] of this.remote) {
      for (const [instance, parts] of instances) {
        for (const [k, part] of parts) if (part.at < oldest) parts.delete(k);
        if (parts.size === 0) instances.delete(instance);
      }
      if (instances.size === 0) this.remote.delete(projectId);
      this.notify(projectId);
    }
    if (this.connections.size === 0 && this.remote.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
