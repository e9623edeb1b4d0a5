import type { CodeId, CodingId, DocumentId, ParticipantId, ProjectId, UserId } from './ids.ts';
import type { SyncPoint } from './sync-points.ts';
import type { Turn } from './turns.ts';

/** Per-project roles: a lead manages everything, a coder codes passages, a viewer reads and exports. */
export type Role = 'lead' | 'coder' | 'viewer';
export const ROLES: readonly Role[] = ['lead', 'coder', 'viewer'];

/** ISO 8601 timestamp in UTC. */
export type Timestamp = string;

/** A user as stored by the instance. `passwordHash` never leaves the server. */
export interface UserRecord {
  readonly id: UserId;
  readonly username: string;
  readonly displayName: string;
  readonly isAdmin: boolean;
  readonly passwordHash: string;
  readonly createdAt: Timestamp;
  /** Bumped when the password changes: sessions issued before are no longer valid. */
  readonly passwordVersion: number;
  /** Set by an administrator: the account cannot sign in and its sessions have ended. */
  readonly disabled?: boolean;
}

/** A user as the API shows it. */
export type User = Omit<UserRecord, 'passwordHash' | 'passwordVersion' | 'disabled'> & {
  readonly disabled: boolean;
};

export function publicUser(u: UserRecord): User {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    isAdmin: u.isAdmin,
    disabled: u.disabled === true,
    createdAt: u.createdAt,
  };
}

/** A login session. Only a hash of the session token is stored. */
export interface SessionRecord {
  readonly tokenHash: string;
  readonly userId: UserId;
  readonly createdAt: Timestamp;
  readonly expiresAt: Timestamp;
  readonly passwordVersion: number;
}

export interface Project {
  readonly id: ProjectId;
  readonly name: string;
  readonly description: string;
  readonly createdAt: Timestamp;
  readonly createdBy: UserId;
  /** Set on the demo study, so that asking for it again opens it rather than making another. */
  readonly demo?: true;
}

/** A document's metadata. Its text is stored apart, once, and never changes. */
export interface DocumentMeta {
  readonly id: DocumentId;
  readonly name: string;
  /** Length of the stored text in Unicode code points. */
  readonly length: number;
  readonly memo: string;
  readonly createdAt: Timestamp;
  readonly createdBy: UserId;
  /** Format of the original file (`txt`, …) and how its bytes were decoded. */
  readonly format: string;
  readonly encoding: string;
  /** Speaker turns found at import, in code points of the stored text. */
  readonly turns: readonly Turn[];
  /**
   * Where the recording's times fall in the text (subtitle cues, a transcriber's timestamps), set at
   * import like the text and never changed; absent when the file gave none.
   */
  readonly syncPoints?: readonly SyncPoint[];
  /** The participant (case) interviewed in this document. */
  readonly participantId: ParticipantId | null;
  /** The interview's recording, when one is attached (served by `GET …/media`). */
  readonly media?: MediaMeta;
  /** How the original showed parts of the text (Markdown headings and emphasis); absent when plain. */
  readonly marks?: readonly TextMark[];
}

/** A recording attached to a document: its file on disk is named by `id`. */
export interface MediaMeta {
  readonly id: string;
  /** The uploaded file's name. */
  readonly name: string;
  /** The Content-Type it is served with, recognised from its bytes. */
  readonly type: string;
  readonly size: number;
  /** Seconds, when cheaply known (WAV). */
  readonly duration?: number;
}

/**
 * A stretch of the stored text the original file set apart, in code points: a heading (of `level`
 * 1–6, never part of a speaker turn), or words in strong or emphasised type.
 */
export interface TextMark {
  readonly start: number;
  readonly end: number;
  readonly kind: 'heading' | 'strong' | 'emphasis';
  readonly level?: number;
}

/** The type of a participant attribute: its values are checked against it. */
export type AttributeType = 'text' | 'number' | 'date' | 'choice';

/** An attribute that participants of a project can carry, e.g. « type de structure ». */
export interface AttributeDef {
  readonly name: string;
  readonly type: AttributeType;
  /** The allowed values, for `choice`. */
  readonly choices: readonly string[];
  /**
   * Whether pseudonymised exports may cite its values beside the pseudonym. Unset: only when no
   * value is held by a single participant (see `attributePublication`).
   */
  readonly publish?: boolean;
}

/** A value: text or one of the choices as a string, a number, a date as `YYYY-MM-DD`. */
export type AttributeValue = string | number;

/** A participant (a case): the person interviewed, known in exports by a pseudonym. */
export interface Participant {
  readonly id: ParticipantId;
  readonly name: string;
  readonly pseudonym: string;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  readonly createdAt: Timestamp;
  readonly createdBy: UserId;
}

/**
 * One entry of a project's replacement list, applied to every pseudonymised export: `from` (a real
 * name, « Camille Martin », « Théâtre des Lilas ») becomes `to` (« P03 », « [théâtre A] »).
 */
export interface Replacement {
  readonly from: string;
  readonly to: string;
  /**
   * What the name designates, when known. A person's name also replaces each of its parts alone
   * (« Hugo Bertin »: « Hugo », « Bertin »).
   */
  readonly kind?: ReplacementKind;
}

export type ReplacementKind = 'person' | 'place' | 'organisation' | 'other';
export const REPLACEMENT_KINDS: readonly ReplacementKind[] = ['person', 'place', 'organisation', 'other'];

/** Project-wide settings. */
export interface ProjectSettings {
  /** Speaker labels that mark the interviewer's turns (compared without case or accents). */
  readonly interviewerLabels: readonly string[];
}

/** A theme of the codebook. The codebook is a tree through `parentId`. */
export interface Code {
  readonly id: CodeId;
  readonly name: string;
  readonly parentId: CodeId | null;
  /** `#rrggbb` */
  readonly color: string;
  readonly description: string;
  readonly createdAt: Timestamp;
  readonly createdBy: UserId;
  /** Incremented by each change, for optimistic concurrency. */
  readonly version: number;
  /**
   * Where an imported codebook placed the code among its siblings (its row or element order).
   * Codes without one (created in Verbatim) follow, by name.
   */
  readonly position?: number;
}

/** A code applied to a passage of a document by a coder. */
export interface Coding {
  readonly id: CodingId;
  readonly documentId: DocumentId;
  readonly codeId: CodeId;
  /** [start, end) in Unicode code points of the document's stored text. */
  readonly start: number;
  readonly end: number;
  /** Copy of the covered text, so exports and checks can detect any mismatch. */
  readonly text: string;
  readonly coderId: UserId;
  readonly createdAt: Timestamp;
  readonly memo: string;
  /**
   * Set on a consensus coding: the coding a lead accepted, after comparing coders, as the team's
   * decision. Consensus codings are left out of inter-coder agreement.
   */
  readonly consensus?: { readonly acceptedFrom: CodingId };
}

/** The whole state of a project, rebuilt by folding its events in order. */
/**
 * An entry of the project's journal: a free-standing memo dated by the day it is about (a
 * decision on the codebook, an impression after an interview, a step of the analysis). It may name
 * people, as every memo may: it leaves the server pseudonymised, like the texts.
 */
export interface JournalEntry {
  readonly id: string;
  /** The day it is about, `AAAA-MM-JJ` (the day it was written, unless the author says otherwise). */
  readonly date: string;
  readonly title: string;
  readonly text: string;
  readonly authorId: UserId;
  readonly createdAt: Timestamp;
  readonly updatedAt: Timestamp;
}

export interface ProjectState {
  /** Sequence number of the last event folded in; 0 before the first. */
  seq: number;
  project: Project;
  members: Record<string, Role>;
  documents: Record<string, DocumentMeta>;
  codes: Record<string, Code>;
  codings: Record<string, Coding>;
  participants: Record<string, Participant>;
  /** Attribute definitions, in display order. */
  attributes: AttributeDef[];
  settings: ProjectSettings;
  /**
   * The replacement list for pseudonymised exports, managed by the lead. Absent from snapshots
   * written before the list existed: read it as `state.replacements ?? []`.
   */
  replacements?: Replacement[];
  /** The project's journal: dated free-standing memos, by id (absent before the first entry). */
  journal?: Record<string, JournalEntry>;
  /** Each user's undo and redo stacks: transaction numbers of their own changes. */
  history: Record<string, { undo: number[]; redo: number[] }>;
  /**
   * Seq of the last erasure's receipt, if any: derived data built before it (a search index) may
   * hold what was erased and must be rebuilt.
   */
  lastErasure?: number;
}

export const CODE_COLORS: readonly string[] = [
  '#e6194b',
  '#3cb44b',
  '#4363d8',
  '#f58231',
  '#911eb4',
  '#42d4f4',
  '#f032e6',
  '#9a6324',
  '#469990',
  '#808000',
  '#000075',
  '#bfef45',
];
