import type { CodePointIndex } from '../../shared/offsets.ts';
import { indexCodings } from '../../shared/coding-index.ts';
import { DomainError } from '../../shared/errors.ts';
import {
  applyInstanceEvent,
  applyProjectEvent,
  type InstanceEvent,
  type InstanceEventBody,
  type InstanceState,
  type LoggedProjectEvent,
  type ProjectEvent,
  type ProjectEventBody,
} from '../../shared/events.ts';
import type { DocumentId, ProjectId, UserId } from '../../shared/ids.ts';
import type { Project, ProjectState, Role } from '../../shared/model.ts';
import type { ErasureScope } from '../../shared/erasure.ts';
import type { BackupErasure } from '../privacy/backup-erasure.ts';
import { intentOf, type ErasureIntent } from '../privacy/file-erasure.ts';
import { planErasure } from '../privacy/plan.ts';
import type { JournalSink } from './journal.ts';
import { TextCache } from './text-cache.ts';
import { Ledger, type Change } from './ledger.ts';
import type { CacheData, DamagedProject, ErasureResult, Store } from './store.ts';

/** An opened event log: its state as folded from storage, and where new events go. */
export interface OpenedLog<State> {
  state: State;
  journal: JournalSink;
  /** Read the state again from what storage holds (after a failed write). */
  reload(): Promise<State>;
  /** Called with the ledger, so persistence can take snapshots of its state. */
  attach?(ledger: { readonly state: State }): void;
  /**
   * The last events read while opening (those past the snapshot), oldest first: recent pages (the
   * review's activity, the audit trail's first page) are then served without reading the journal.
   */
  recent?: readonly { seq: number }[];
}

/** A project's log as an erasure rewrote it. */
export interface ErasureRewrite {
  /** Every event, rewritten, the last one the receipt. */
  events: readonly LoggedProjectEvent[];
  /** Those events folded. */
  state: ProjectState;
  intent: ErasureIntent;
}

/** What differs between the embedded file store and the in-memory store. */
export interface Persistence {
  readonly kind: string;
  openInstance(): Promise<OpenedLog<InstanceState>>;
  /**
   * Open every project that can be read. A project whose log holds no event and nothing else was
   * never acknowledged and is set aside; a damaged one is left as it is and reported by
   * `damagedProjects`.
   */
  openProjects(): Promise<Map<ProjectId, OpenedLog<ProjectState>>>;
  /** The projects `openProjects` found damaged. */
  damagedProjects?(): ReadonlyMap<ProjectId, DamagedProject>;
  newProject(id: ProjectId): Promise<OpenedLog<ProjectState>>;
  removeProject(id: ProjectId): Promise<void>;
  /**
   * Put a project's rewritten log in place of the old one (whose journal is closed by then) and
   * remove what it no longer names (texts, originals, caches, copies in backups); crash-safe.
   */
  eraseProject(
    id: ProjectId,
    rewrite: ErasureRewrite,
  ): Promise<{ log: OpenedLog<ProjectState>; backups: BackupErasure }>;
  /** Open a project's log again from what storage holds (after a failed erasure). */
  reopenProject(id: ProjectId): Promise<OpenedLog<ProjectState>>;
  readEvents(id: ProjectId, after: number, limit: number): Promise<LoggedProjectEvent[]>;
  putText(projectId: ProjectId, documentId: DocumentId, text: string): Promise<void>;
  readText(projectId: ProjectId, documentId: DocumentId): Promise<string | undefined>;
  discardText(projectId: ProjectId, documentId: DocumentId): Promise<void>;
  putOriginal(projectId: ProjectId, documentId: DocumentId, format: string, bytes: Uint8Array): Promise<void>;
  readOriginal(projectId: ProjectId, documentId: DocumentId, format: string): Promise<Uint8Array | undefined>;
  readCache(projectId: ProjectId, name: string): Promise<Uint8Array | undefined>;
  writeCache(projectId: ProjectId, name: string, data: CacheData): Promise<void>;
  close(): Promise<void>;
}

type ProjectLedger = Ledger<ProjectState, ProjectEventBody, ProjectEvent>;

/** The Store over any persistence: state in memory, every change an event made durable first. */
export class LedgerStore implements Store {
  readonly kind: string;
  private readonly projects = new Map<ProjectId, ProjectLedger>();
  private readonly journals = new Map<ProjectId | 'instance', JournalSink>();
  private readonly texts = new TextCache();
  /** Per project, how many erasures began: a cache computed before one is not written after it. */
  private readonly erasures = new Map<ProjectId, number>();
  private readonly cacheWrites = new Set<Promise<void>>();

  private constructor(
    private readonly persistence: Persistence,
    private readonly instance: Ledger<InstanceState, InstanceEventBody, InstanceEvent>,
  ) {
    this.kind = persistence.kind;
  }

  static async open(persistence: Persistence): Promise<LedgerStore> {
    const inst = await persistence.openInstance();
    const ledger = new Ledger<InstanceState, InstanceEventBody, InstanceEvent>(
      inst.state,
      applyInstanceEvent,
      inst.journal,
      inst.reload,
    );
    inst.attach?.(ledger);
    const store = new LedgerStore(persistence, ledger);
    store.journals.set('instance', inst.journal);
    let projects: Map<ProjectId, OpenedLog<ProjectState>>;
    try {
      projects = await persistence.openProjects();
    } catch (error) {
      await inst.journal.close();
      throw error;
    }
    for (const [id, log] of projects) store.adopt(id, log);
    return store;
  }

  private adopt(id: ProjectId, log: OpenedLog<ProjectState>): ProjectLedger {
    const ledger: ProjectLedger = new Ledger<ProjectState, ProjectEventBody, ProjectEvent>(
      log.state,
      applyProjectEvent,
      log.journal,
      log.reload,
    );
    log.attach?.(ledger);
    if (log.recent) ledger.seedRecent(log.recent as readonly ProjectEvent[]);
    indexCodings(log.state);
    this.projects.set(id, ledger);
    this.journals.set(id, log.journal);
    return ledger;
  }

  private ledger(id: ProjectId): ProjectLedger {
    const ledger = this.projects.get(id);
    if (!ledger) throw new DomainError('not_found', "Ce projet n'existe pas.", { projectId: id });
    return ledger;
  }

  async readInstance(): Promise<Readonly<InstanceState>> {
    return this.instance.state;
  }

  changeInstance<T>(
    userId: UserId | null,
    decide: (state: Readonly<InstanceState>) => Change<InstanceEventBody, T>,
  ): Promise<T> {
    return this.instance.change(userId, decide);
  }

  async listProjects(): Promise<readonly Readonly<ProjectState>[]> {
    return [...this.projects.values()].map((l) => l.state);
  }

  async readProject(id: ProjectId): Promise<Readonly<ProjectState> | undefined> {
    return this.projects.get(id)?.state;
  }

  damagedProject(id: ProjectId): DamagedProject | undefined {
    return this.persistence.damagedProjects?.().get(id);
  }

  async createProject(
    project: Project,
    members: Record<string, Role>,
    userId: UserId,
  ): Promise<Readonly<ProjectState>> {
    if (this.projects.has(project.id)) throw new DomainError('conflict', 'Ce projet existe déjà.');
    const log = await this.persistence.newProject(project.id);
    const ledger = this.adopt(project.id, log);
    try {
      await ledger.change(userId, () => ({
        events: [{ type: 'project_created', project, members }],
        result: null,
      }));
    } catch (error) {
      this.projects.delete(project.id);
      await this.journals.get(project.id)?.close();
      this.journals.delete(project.id);
      await this.persistence.removeProject(project.id).catch(() => undefined);
      throw error;
    }
    return ledger.state;
  }

  // async, so that a missing project rejects the promise rather than throwing before there is one.
  async changeProject<T>(
    id: ProjectId,
    userId: UserId,
    decide: (state: Readonly<ProjectState>) => Change<ProjectEventBody, T>,
  ): Promise<T> {
    return this.ledger(id).change(userId, decide);
  }

  async deleteProject(id: ProjectId): Promise<void> {
    this.ledger(id);
    this.projects.delete(id);
    await this.journals.get(id)?.close();
    this.journals.delete(id);
    this.texts.forgetProject(id);
    await this.persistence.removeProject(id);
  }

  async erase(
    id: ProjectId,
    userId: UserId,
    scope: ErasureScope,
    check: (state: Readonly<ProjectState>) => void,
  ): Promise<ErasureResult> {
    const ledger = this.ledger(id);
    return ledger.exclusive(async () => {
      check(ledger.state);
      this.erasures.set(id, (this.erasures.get(id) ?? 0) + 1);
      await Promise.all(this.cacheWrites);
      const log = await this.persistence.readEvents(id, 0, Number.MAX_SAFE_INTEGER);
      const planned = await planErasure(ledger.state, log, scope, userId, (documentId) =>
        this.persistence.readText(id, documentId as DocumentId),
      );
      const intent = intentOf(planned.plan, planned.receipt.seq, planned.erasedFroms);
      await this.journals.get(id)?.close();
      let opened: Awaited<ReturnType<Persistence['eraseProject']>>;
      try {
        opened = await this.persistence.eraseProject(id, {
          events: planned.events,
          state: planned.state,
          intent,
        });
      } catch (error) {
        // Whatever is on disk now (the log before, or after) is what the project holds.
        await this.persistence.reopenProject(id).then(
          (log) => this.reopen(id, ledger, log),
          () => this.projects.delete(id), // Out of service until a restart recovers it.
        );
        throw error;
      }
      this.reopen(id, ledger, opened.log);
      for (const documentId of planned.plan.documentIds) this.texts.forget(id, documentId);
      ledger.announce([planned.receipt]);
      return { receipt: planned.receipt, backups: opened.backups };
    });
  }

  private reopen(id: ProjectId, ledger: ProjectLedger, log: OpenedLog<ProjectState>): void {
    ledger.reopen(log.state, log.journal, log.reload);
    log.attach?.(ledger);
    indexCodings(log.state);
    this.journals.set(id, log.journal);
  }

  async putText(projectId: ProjectId, documentId: DocumentId, text: string): Promise<void> {
    this.ledger(projectId);
    await this.persistence.putText(projectId, documentId, text);
  }

  async readText(projectId: ProjectId, documentId: DocumentId): Promise<string> {
    return (await this.readTextIndex(projectId, documentId)).text;
  }

  async readTextIndex(projectId: ProjectId, documentId: DocumentId): Promise<CodePointIndex> {
    const cached = this.texts.get(projectId, documentId);
    if (cached !== undefined) return cached;
    const text = await this.persistence.readText(projectId, documentId);
    if (text === undefined)
      throw new DomainError('not_found', 'Le texte de ce document est introuvable.', { documentId });
    return this.texts.set(projectId, documentId, text);
  }

  async putOriginal(
    projectId: ProjectId,
    documentId: DocumentId,
    format: string,
    bytes: Uint8Array,
  ): Promise<void> {
    this.ledger(projectId);
    await this.persistence.putOriginal(projectId, documentId, format, bytes);
  }

  readOriginal(
    projectId: ProjectId,
    documentId: DocumentId,
    format: string,
  ): Promise<Uint8Array | undefined> {
    this.ledger(projectId);
    return this.persistence.readOriginal(projectId, documentId, format);
  }

  readCache(projectId: ProjectId, name: string): Promise<Uint8Array | undefined> {
    this.ledger(projectId);
    return this.persistence.readCache(projectId, name);
  }

  async writeCache(projectId: ProjectId, name: string, data: CacheData): Promise<void> {
    const ledger = this.ledger(projectId);
    const generation = this.erasures.get(projectId) ?? 0;
    await ledger.unpaused();
    // Computed before an erasure: it may hold what was erased.
    if ((this.erasures.get(projectId) ?? 0) !== generation) return;
    const write = this.persistence.writeCache(projectId, name, data);
    const settled = write.catch(() => undefined);
    this.cacheWrites.add(settled);
    try {
      await write;
    } finally {
      this.cacheWrites.delete(settled);
    }
  }

  async discardText(projectId: ProjectId, documentId: DocumentId): Promise<void> {
    this.texts.forget(projectId, documentId);
    await this.persistence.discardText(projectId, documentId);
  }

  async readEvents(projectId: ProjectId, after: number, limit: number): Promise<LoggedProjectEvent[]> {
    const ledger = this.ledger(projectId);
    const recent = ledger.recent;
    const first = recent[0];
    if (first && first.seq <= after + 1) {
      return recent.filter((e) => e.seq > after).slice(0, limit);
    }
    if (after >= ledger.state.seq) return [];
    return this.persistence.readEvents(projectId, after, limit);
  }

  subscribe(projectId: ProjectId, listener: (events: readonly ProjectEvent[]) => void): () => void {
    return this.ledger(projectId).subscribe(listener);
  }

  async close(): Promise<void> {
    await Promise.all([...this.journals.values()].map((j) => j.close()));
    await this.persistence.close();
  }
}
