import type { ErasureScope } from '../../shared/erasure.ts';
import type {
  InstanceEventBody,
  LoggedProjectEvent,
  InstanceState,
  ProjectEvent,
  ProjectEventBody,
} from '../../shared/events.ts';
import type { DocumentId, ProjectId, UserId } from '../../shared/ids.ts';
import type { Project, ProjectState, Role } from '../../shared/model.ts';
import type { CodePointIndex } from '../../shared/offsets.ts';
import type { Change } from './ledger.ts';
import type { BackupErasure } from '../privacy/backup-erasure.ts';
import type { ErasureReceipt } from '../privacy/plan.ts';

/** What an erasure did: its receipt (in the log) and the backups it rewrote or removed. */
export interface ErasureResult {
  receipt: ErasureReceipt;
  backups: BackupErasure;
}

export type { Change } from './ledger.ts';

/**
 * Everything Verbatim keeps. Routes talk only to this interface, never to files. Three stores
 * implement it and pass the same contract tests: the embedded file store (lowdb snapshots +
 * fsync'd journals in a data folder, the default), the in-memory store (tests), and the PostgreSQL
 * store (`pg-store.ts`, several instances over one database).
 *
 * Changes go through `change…(decide)`: `decide` runs synchronously against the current state and
 * returns the events to append; the promise resolves once they are durable. A 2xx is sent only
 * after that.
 */
/** A project that could not be opened: the file concerned and why. */
/**
 * A cache's content: bytes, or pieces of bytes to be stored one after the other as if joined (a
 * large cache need not be joined in memory first).
 */
export type CacheData = Uint8Array | readonly Uint8Array[];

export interface DamagedProject {
  path: string;
  reason: string;
}

/**
 * Short messages between the instances that share a store (presence: who has which document open),
 * for a store that several instances share; the PostgreSQL store's rides on its LISTEN connection.
 */
export interface PresenceBus {
  /** The longest message `publish` takes, in bytes of UTF-8. */
  readonly maxBytes: number;
  /** Send `message` to every instance, this one included; rejects if it could not be sent. */
  publish(message: string): Promise<void>;
  /**
   * Hear every message; `listening` is called each time a new connection starts listening (what was
   * sent before it was not heard). Returns the function that stops.
   */
  subscribe(heard: (message: string) => void, listening: () => void): () => void;
}

/** What a store may do with a change beyond deciding it on the latest state. */
export interface ChangeOptions {
  /**
   * The decision reads no coding but its own coder's (a coding is refused only as a duplicate of
   * the same coder's), creates codings only, and its result carries no seq or txn: it would be the
   * same after codings other coders created meanwhile. Several instances on one PostgreSQL
   * database may then order it after such codings without deciding it again (pg-append.ts).
   */
  readonly commutesWithOthersCodings?: boolean;
}

export interface Store {
  readonly kind: string;
  /** Only on a store several instances share: how they tell each other who is here. */
  readonly presenceBus?: PresenceBus;

  /**
   * The accounts and sessions, holding every change acknowledged (by any instance) before `since`,
   * a `performance.now()` of this process (default: now). A request passes the moment it arrived,
   * so that its reads can share one read of the database made since (PostgreSQL store).
   */
  readInstance(since?: number): Promise<Readonly<InstanceState>>;
  changeInstance<T>(
    userId: UserId | null,
    decide: (state: Readonly<InstanceState>) => Change<InstanceEventBody, T>,
  ): Promise<T>;

  /** Every project the instance holds (deleted ones excluded). */
  listProjects(): Promise<readonly Readonly<ProjectState>[]>;
  /** A project's state, holding every change acknowledged before `since` (as `readInstance`). */
  readProject(id: ProjectId, since?: number): Promise<Readonly<ProjectState> | undefined>;
  /**
   * A project found damaged on disk at start: left exactly as it was and closed until an
   * administrator repairs it (docs/deployment.md). Undefined for any other id.
   */
  damagedProject?(id: ProjectId): DamagedProject | undefined;
  /** Create a project; its first event is `project_created`. */
  createProject(
    project: Project,
    members: Record<string, Role>,
    userId: UserId,
  ): Promise<Readonly<ProjectState>>;
  changeProject<T>(
    id: ProjectId,
    userId: UserId,
    decide: (state: Readonly<ProjectState>) => Change<ProjectEventBody, T>,
    options?: ChangeOptions,
  ): Promise<T>;
  /** Erase a project: its data, everywhere the store keeps it (backups included). */
  deleteProject(id: ProjectId): Promise<void>;
  /**
   * Erase a participant or a document, and everything about them, from every place the store
   * keeps it (server/privacy/personal-data.ts): the log is rewritten with tombstones and ends with
   * the receipt. `check` runs first against the current state (role, confirmation) and throws to
   * refuse. No change to the project runs meanwhile. Crash-safe: the state before, or after.
   */
  erase(
    projectId: ProjectId,
    userId: UserId,
    scope: ErasureScope,
    check: (state: Readonly<ProjectState>) => void,
  ): Promise<ErasureResult>;

  /** Store a document's text once, durably, before the event that adds the document. */
  putText(projectId: ProjectId, documentId: DocumentId, text: string): Promise<void>;
  readText(projectId: ProjectId, documentId: DocumentId): Promise<string>;
  /** The text with its code-point index (cached with it), to slice and convert offsets. */
  readTextIndex(projectId: ProjectId, documentId: DocumentId): Promise<CodePointIndex>;
  /** Forget a text, and its original file, whose document was never added (a failed import). */
  discardText(projectId: ProjectId, documentId: DocumentId): Promise<void>;
  /** Keep the uploaded file beside the text, for provenance and REFI-QDA export. */
  putOriginal(projectId: ProjectId, documentId: DocumentId, format: string, bytes: Uint8Array): Promise<void>;
  readOriginal(projectId: ProjectId, documentId: DocumentId, format: string): Promise<Uint8Array | undefined>;

  /**
   * Derived data kept to save work at start (the search index): not part of the project's state,
   * rebuilt from it whenever missing or stale. `undefined` when absent.
   */
  readCache(projectId: ProjectId, name: string): Promise<Uint8Array | undefined>;
  writeCache(projectId: ProjectId, name: string, data: CacheData): Promise<void>;

  /** Events of a project with `seq > after`, oldest first, at most `limit` (erased ones as tombstones). */
  readEvents(projectId: ProjectId, after: number, limit: number): Promise<LoggedProjectEvent[]>;
  /** Listen to a project's events once durable. Returns the function that stops listening. */
  subscribe(projectId: ProjectId, listener: (events: readonly ProjectEvent[]) => void): () => void;

  close(): Promise<void>;
}
