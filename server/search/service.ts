import type { ProjectEvent } from '../../shared/events.ts';
import type { ProjectId } from '../../shared/ids.ts';
import type { ProjectState } from '../../shared/model.ts';
import type { Store } from '../storage/store.ts';
import { ProjectIndex } from './project-index.ts';

const CACHE_NAME = 'search-index.json';

/**
 * Keeps one search index per project: loaded from the project's cache at first use, brought up to
 * date from the event log (so it also follows changes made by another instance), rebuilt when it
 * does not match the project's documents, and written back shortly after it changes.
 */
export class SearchService {
  private readonly indexes = new Map<string, ProjectIndex>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly dirty = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly writing = new Set<Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly persistAfterMs = 2000,
  ) {}

  /** The project's index, up to date with `state`. Calls for one project run one at a time. */
  index(id: ProjectId, state: Readonly<ProjectState>): Promise<ProjectIndex> {
    const run = (this.locks.get(id) ?? Promise.resolve()).then(() => this.refresh(id, state));
    this.locks.set(
      id,
      run.catch(() => undefined),
    );
    return run;
  }

  private async refresh(id: ProjectId, state: Readonly<ProjectState>): Promise<ProjectIndex> {
    let index = this.indexes.get(id);
    let changed = false;
    if (!index) {
      const cached = await this.store.readCache(id, CACHE_NAME);
      index = cached === undefined ? undefined : ProjectIndex.load(cached);
      if (index && index.seq > state.seq) index = undefined; // From another history: rebuild.
    }
    if (index) changed = await this.catchUp(id, index, state.seq);
    const expected = new Set(Object.keys(state.documents));
    const held = index?.documentIds();
    if (!index || !held || held.size !== expected.size || [...expected].some((d) => !held.has(d))) {
      index = await this.build(id, state);
      changed = true;
    }
    this.indexes.set(id, index);
    if (changed) this.schedulePersist(id);
    return index;
  }

  /** Apply the events since the index's seq that change which texts are indexed. */
  private async catchUp(id: ProjectId, index: ProjectIndex, upTo: number): Promise<boolean> {
    let changed = false;
    while (index.seq < upTo) {
      // Large pages: the file store reads its journal once per call.
      const page = await this.store.readEvents(id, index.seq, 100_000);
      if (page.length === 0) break;
      for (const event of page) {
        if (event.seq > upTo) break;
        if (ProjectIndex.concerns(event)) {
          await this.apply(id, index, event);
          changed = true;
        }
        index.seq = event.seq;
      }
    }
    return changed;
  }

  private async apply(id: ProjectId, index: ProjectIndex, event: ProjectEvent): Promise<void> {
    if (event.type === 'document_deleted') index.removeDocument(event.document.id);
    else if (event.type === 'document_added' || event.type === 'document_restored') {
      index.addDocument(event.document, await this.store.readText(id, event.document.id));
    }
  }

  private async build(id: ProjectId, state: Readonly<ProjectState>): Promise<ProjectIndex> {
    const index = ProjectIndex.empty();
    const seq = state.seq;
    for (const document of Object.values(state.documents)) {
      index.addDocument(document, await this.store.readText(id, document.id));
    }
    index.seq = seq;
    return index;
  }

  private schedulePersist(id: ProjectId): void {
    clearTimeout(this.dirty.get(id));
    this.dirty.set(
      id,
      setTimeout(() => {
        this.dirty.delete(id);
        const write = this.persist(id);
        this.writing.add(write);
        void write.finally(() => this.writing.delete(write));
      }, this.persistAfterMs),
    );
  }

  private async persist(id: ProjectId): Promise<void> {
    const index = this.indexes.get(id);
    if (!index) return;
    try {
      await this.store.writeCache(id, CACHE_NAME, index.toJSON());
    } catch (error) {
      // A cache: the next start rebuilds what it cannot read.
      console.warn(`Index de recherche non enregistré pour ${id} :`, error);
    }
  }

  /** Write every changed index now, and wait for writes under way (at shutdown). */
  async flush(): Promise<void> {
    const pending = [...this.dirty.keys()];
    for (const id of pending) clearTimeout(this.dirty.get(id));
    this.dirty.clear();
    await Promise.all([...this.writing, ...pending.map((id) => this.persist(id as ProjectId))]);
  }
}
