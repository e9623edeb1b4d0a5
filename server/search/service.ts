import type { ProjectId } from '../../shared/ids.ts';
import type { ProjectState } from '../../shared/model.ts';
import type { Store } from '../storage/store.ts';
import { buildOffThread } from './off-thread.ts';
import { ProjectIndex } from './project-index.ts';

/** The name of a project's search index among its cached data (Store.readCache). */
export const SEARCH_CACHE_NAME = 'search-index';

/**
 * Let the requests waiting run between two documents indexed: the store may hand texts over from
 * memory without a turn of the event loop, and a study of 500 interviews takes seconds to index.
 */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Keeps one search index per project: loaded from the project's cache at first use, brought up to
 * date with the project's documents (so it also follows changes made by another instance), rebuilt
 * when the cache is missing or unreadable, and written back after it changes: at the server's next quiet
 * moment when it says when those are (`whenQuiet`), otherwise shortly after.
 */
export class SearchService {
  private readonly indexes = new Map<string, ProjectIndex>();
  private readonly locks = new Map<string, Promise<unknown>>();
  /** Indexes changed and not yet written, each with what gives up its scheduled write. */
  private readonly dirty = new Map<string, () => void>();
  private readonly writing = new Set<Promise<void>>();

  private readonly persistAfterMs: number;
  private readonly persistWithinMs: number;
  private readonly whenQuiet: ((work: () => void) => () => void) | undefined;
  private readonly offThread: boolean;

  constructor(
    private readonly store: Store,
    options: {
      /** Without `whenQuiet`: how long after a change the index is written to the project's cache. */
      persistAfterMs?: number;
      /**
       * Runs `work` at the server's next quiet moment and returns what gives up waiting (the
       * server's `Activity.whenQuiet`: no request for two seconds). When given, a changed index is
       * written then rather than `persistAfterMs` after the change: writing the large study's
       * 28 MB index and syncing it slowed the requests answered meanwhile by tens of milliseconds.
       */
      whenQuiet?: (work: () => void) => () => void;
      /** With `whenQuiet`: how long after a change the index is written even if no quiet moment came. */
      persistWithinMs?: number;
      /** Build a missing index on a thread of its own (`off-thread.ts`), as the server does. */
      offThread?: boolean;
    } = {},
  ) {
    this.persistAfterMs = options.persistAfterMs ?? 2000;
    this.persistWithinMs = options.persistWithinMs ?? 60_000;
    this.whenQuiet = options.whenQuiet;
    this.offThread = options.offThread ?? false;
  }

  /** The project's index, up to date with `state`. Calls for one project run one at a time. */
  index(id: ProjectId, state: Readonly<ProjectState>): Promise<ProjectIndex> {
    const run = (this.locks.get(id) ?? Promise.resolve()).then(() => this.refresh(id, state));
    this.locks.set(
      id,
      run.catch(() => undefined),
    );
    return run;
  }

  /**
   * Load or build the project's index in the background, so that a search asked for shortly after
   * finds it ready (the search box got the focus, the search page opened): at the large study a
   * build takes one to two seconds. Does nothing if the index is up to date; a failure is only
   * reported (the next search tries again, and answers the error).
   */
  prepare(id: ProjectId, state: Readonly<ProjectState>): void {
    const held = this.indexes.get(id);
    if (held && held.seq === state.seq) return;
    this.index(id, state).catch((error: unknown) => {
      console.warn(`Index de recherche de ${id} non préparé :`, error);
    });
  }

  private async refresh(id: ProjectId, state: Readonly<ProjectState>): Promise<ProjectIndex> {
    let index = this.indexes.get(id);
    if (!index) {
      const cached = await this.store.readCache(id, SEARCH_CACHE_NAME);
      index = cached === undefined ? undefined : ProjectIndex.load(cached);
      if (index && index.seq > state.seq) index = undefined; // From another history: rebuild.
    }
    // Built before an erasure, it still holds the words of what was erased: rebuilt from scratch.
    if (index && index.seq < (state.lastErasure ?? 0)) index = undefined;
    let changed = false;
    if (!index) {
      index = await this.build(id, state);
      changed = true;
    } else {
      // A document's text and turns never change once imported: the index follows the project by
      // holding the same documents, whatever the events (here or on another instance) in between.
      // The seq it then reflects is the one before indexing: an erasure meanwhile must rebuild it.
      const seq = state.seq;
      const held = index.documentIds();
      for (const documentId of held) {
        if (!state.documents[documentId]) {
          index.removeDocument(documentId);
          changed = true;
        }
      }
      for (const document of Object.values(state.documents)) {
        if (held.has(document.id)) continue;
        index.addDocument(document, await this.store.readText(id, document.id));
        changed = true;
        await nextTurn();
      }
      index.seq = seq;
    }
    this.indexes.set(id, index);
    if (changed) {
      index.compact();
      this.schedulePersist(id);
    }
    await index.prepare();
    return index;
  }

  private async build(id: ProjectId, state: Readonly<ProjectState>): Promise<ProjectIndex> {
    const seq = state.seq;
    if (this.offThread) {
      try {
        return await buildOffThread(
          Object.values(state.documents),
          (document) => this.store.readText(id, document.id),
          seq,
        );
      } catch (error) {
        console.warn(`Index de recherche de ${id} construit sur le fil du serveur :`, error);
      }
    }
    const index = ProjectIndex.empty();
    for (const document of Object.values(state.documents)) {
      index.addDocument(document, await this.store.readText(id, document.id));
      await nextTurn();
    }
    index.seq = seq;
    return index;
  }

  private schedulePersist(id: ProjectId): void {
    this.dirty.get(id)?.();
    const write = () => {
      cancel();
      this.dirty.delete(id);
      const writing = this.persist(id);
      this.writing.add(writing);
      void writing.finally(() => this.writing.delete(writing));
    };
    // At the next quiet moment, within a bound; or, with no quiet moments to go by, shortly.
    const timer = setTimeout(write, this.whenQuiet ? this.persistWithinMs : this.persistAfterMs);
    const giveUpQuiet = this.whenQuiet?.(write);
    const cancel = () => {
      clearTimeout(timer);
      giveUpQuiet?.();
    };
    this.dirty.set(id, cancel);
  }

  private async persist(id: ProjectId): Promise<void> {
    const index = this.indexes.get(id);
    if (!index) return;
    try {
      const state = await this.store.readProject(id);
      if (!state || index.seq < (state.lastErasure ?? 0)) return;
      const serialised = await index.serialise();
      // Changed while being written: the change scheduled another write.
      if (serialised !== undefined) await this.store.writeCache(id, SEARCH_CACHE_NAME, serialised);
    } catch (error) {
      // A cache: the next start rebuilds what it cannot read.
      console.warn(`Index de recherche non enregistré pour ${id} :`, error);
    }
  }

  /** Write every changed index now, and wait for writes under way (at shutdown). */
  async flush(): Promise<void> {
    const pending = [...this.dirty.keys()];
    for (const cancel of this.dirty.values()) cancel();
    this.dirty.clear();
    await Promise.all([...this.writing, ...pending.map((id) => this.persist(id as ProjectId))]);
  }
}
