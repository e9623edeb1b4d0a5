import { emptyInstanceState, emptyProjectState, type LoggedProjectEvent } from '../../shared/events.ts';
import type { ProjectId } from '../../shared/ids.ts';
import type { ProjectState } from '../../shared/model.ts';
import type { BackupErasure } from '../privacy/backup-erasure.ts';
import { journalLine, type JournalSink } from './journal.ts';
import { parseJournalLine } from './journal-line.ts';
import type { CacheData } from './store.ts';
import { LedgerStore, type ErasureRewrite, type OpenedLog, type Persistence } from './ledger-store.ts';

/** A journal kept in memory: appends succeed at once. */
class MemoryJournal implements JournalSink {
  readonly lines: string[] = [];
  async append(events: readonly object[]): Promise<void> {
    this.lines.push(events.map(journalLine).join(''));
  }
  async close(): Promise<void> {}
}

/** Nothing on disk: for tests, demos and as the second implementation the contract tests run. */
class MemoryPersistence implements Persistence {
  readonly kind = 'memory';
  private readonly journals = new Map<ProjectId, MemoryJournal>();
  private readonly texts = new Map<string, string>();
  private readonly originals = new Map<string, Uint8Array>();
  private readonly caches = new Map<string, Uint8Array>();

  async openInstance(): Promise<OpenedLog<ReturnType<typeof emptyInstanceState>>> {
    return {
      state: emptyInstanceState(),
      journal: new MemoryJournal(),
      reload: async () => emptyInstanceState(),
    };
  }

  async openProjects(): Promise<Map<ProjectId, OpenedLog<ReturnType<typeof emptyProjectState>>>> {
    return new Map();
  }

  async newProject(id: ProjectId): Promise<OpenedLog<ReturnType<typeof emptyProjectState>>> {
    const journal = new MemoryJournal();
    this.journals.set(id, journal);
    return { state: emptyProjectState(id), journal, reload: async () => emptyProjectState(id) };
  }

  async removeProject(id: ProjectId): Promise<void> {
    this.journals.delete(id);
    for (const key of this.texts.keys()) if (key.startsWith(`${id}/`)) this.texts.delete(key);
    for (const key of this.originals.keys()) if (key.startsWith(`${id}/`)) this.originals.delete(key);
    for (const key of this.caches.keys()) if (key.startsWith(`${id}/`)) this.caches.delete(key);
  }

  async eraseProject(
    id: ProjectId,
    rewrite: ErasureRewrite,
  ): Promise<{ log: OpenedLog<ProjectState>; backups: BackupErasure }> {
    const journal = new MemoryJournal();
    journal.lines.push(...rewrite.events.map(journalLine));
    this.journals.set(id, journal);
    for (const documentId of rewrite.intent.documentIds) {
      this.texts.delete(`${id}/${documentId}`);
      this.originals.delete(`${id}/${documentId}`);
    }
    for (const key of this.caches.keys()) if (key.startsWith(`${id}/`)) this.caches.delete(key);
    const state = rewrite.state;
    return { log: { state, journal, reload: async () => state }, backups: { rewritten: 0, removed: 0 } };
  }

  async reopenProject(id: ProjectId): Promise<OpenedLog<ProjectState>> {
    throw new Error(`La mémoire ne garde pas le projet ${id} hors du magasin.`);
  }

  async readEvents(id: ProjectId, after: number, limit: number): Promise<LoggedProjectEvent[]> {
    const events = (this.journals.get(id)?.lines ?? []).flatMap((chunk) =>
      chunk
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => parseJournalLine(l, false).event as LoggedProjectEvent),
    );
    return events.filter((e) => e.seq > after).slice(0, limit);
  }

  async putText(projectId: ProjectId, documentId: string, text: string): Promise<void> {
    this.texts.set(`${projectId}/${documentId}`, text);
  }

  async readText(projectId: ProjectId, documentId: string): Promise<string | undefined> {
    return this.texts.get(`${projectId}/${documentId}`);
  }

  async discardText(projectId: ProjectId, documentId: string): Promise<void> {
    this.texts.delete(`${projectId}/${documentId}`);
    this.originals.delete(`${projectId}/${documentId}`);
  }

  async readCache(projectId: ProjectId, name: string): Promise<Uint8Array | undefined> {
    return this.caches.get(`${projectId}/${name}`);
  }

  async writeCache(projectId: ProjectId, name: string, data: CacheData): Promise<void> {
    this.caches.set(`${projectId}/${name}`, data instanceof Uint8Array ? data.slice() : Buffer.concat(data));
  }

  async putOriginal(
    projectId: ProjectId,
    documentId: string,
    _format: string,
    bytes: Uint8Array,
  ): Promise<void> {
    this.originals.set(`${projectId}/${documentId}`, bytes);
  }

  async readOriginal(projectId: ProjectId, documentId: string): Promise<Uint8Array | undefined> {
    return this.originals.get(`${projectId}/${documentId}`);
  }

  async close(): Promise<void> {}
}

/** A store that keeps everything in memory and loses it when the process ends. */
export function openMemoryStore(): Promise<LedgerStore> {
  return LedgerStore.open(new MemoryPersistence());
}
