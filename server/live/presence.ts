/**
 * Who is looking at what, right now: each open live feed registers its user and the document it
 * shows. Kept in memory only — presence is not history and is not written to the event log.
 */
export interface PresenceEntry {
  userId: string;
  documentId: string | null;
}

type Listener = (entries: PresenceEntry[]) => void;

export class Presence {
  private readonly connections = new Map<string, Map<number, PresenceEntry>>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private next = 1;

  /** Register a connection; returns the function that removes it. */
  join(projectId: string, entry: PresenceEntry): () => void {
    const id = this.next++;
    let project = this.connections.get(projectId);
    if (!project) this.connections.set(projectId, (project = new Map()));
    project.set(id, entry);
    this.notify(projectId);
    return () => {
      project.delete(id);
      if (project.size === 0) this.connections.delete(projectId);
      this.notify(projectId);
    };
  }

  /** Each user once per document they have open (a user may have several tabs). */
  list(projectId: string): PresenceEntry[] {
    const seen = new Map<string, PresenceEntry>();
    for (const entry of this.connections.get(projectId)?.values() ?? []) {
      seen.set(`${entry.userId}|${entry.documentId ?? ''}`, entry);
    }
    return [...seen.values()];
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

  private notify(projectId: string): void {
    const entries = this.list(projectId);
    for (const listener of this.listeners.get(projectId) ?? []) listener(entries);
  }
}
