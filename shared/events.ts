import { putCoding, removeCoding } from './coding-index.ts';
import { putCode, removeCode } from './codebook.ts';
import type { ProjectId, UserId } from './ids.ts';
import { DEFAULT_INTERVIEWER_LABELS } from './turns.ts';
import type {
  AttributeDef,
  Code,
  Coding,
  DocumentMeta,
  JournalEntry,
  Participant,
  ProjectSettings,
  Project,
  ProjectState,
  Replacement,
  Role,
  SessionRecord,
  Timestamp,
  UserRecord,
} from './model.ts';

/**
 * Every change to a project is an event, appended to the project's log and folded into its state.
 * An event carries what is needed to invert it (the state before), so undo can append the inverse
 * event instead of rewriting history.
 */
export type ProjectEventBody = ProjectChange & {
  /** Set on the events of an undo: the transaction they reverse. */
  readonly undoOf?: number;
  /** Set on the events of a redo: the transaction whose undo they reverse. */
  readonly redoOf?: number;
};

export type ProjectChange =
  | { type: 'project_created'; project: Project; members: Record<string, Role> }
  | { type: 'project_updated'; before: Project; after: Project }
  | { type: 'member_set'; memberId: UserId; role: Role; previousRole: Role | null }
  | { type: 'member_removed'; memberId: UserId; role: Role }
  | { type: 'document_added'; document: DocumentMeta }
  | { type: 'document_updated'; before: DocumentMeta; after: DocumentMeta }
  | { type: 'document_deleted'; document: DocumentMeta; codings: Coding[] }
  | { type: 'code_created'; code: Code }
  | { type: 'code_updated'; before: Code; after: Code }
  | { type: 'codes_deleted'; codes: Code[]; codings: Coding[] }
  | { type: 'coding_created'; coding: Coding }
  | { type: 'coding_updated'; before: Coding; after: Coding }
  | { type: 'coding_deleted'; coding: Coding }
  | { type: 'attributes_set'; before: AttributeDef[]; after: AttributeDef[] }
  | { type: 'participant_created'; participant: Participant }
  | { type: 'participant_updated'; before: Participant; after: Participant }
  | { type: 'participant_deleted'; participant: Participant; documentIds: string[] }
  | { type: 'settings_updated'; before: ProjectSettings; after: ProjectSettings }
  | { type: 'document_restored'; document: DocumentMeta; codings: Coding[] }
  | { type: 'codes_restored'; codes: Code[]; codings: Coding[] }
  | { type: 'participant_restored'; participant: Participant; documentIds: string[] }
  | { type: 'replacements_set'; before: Replacement[]; after: Replacement[] }
  | { type: 'journal_entry_added'; entry: JournalEntry }
  | { type: 'journal_entry_updated'; before: JournalEntry; after: JournalEntry }
  | { type: 'journal_entry_deleted'; entry: JournalEntry }
  /** A lead exported with real names (`pseudonymise=false`): recorded for the audit trail only. */
  | { type: 'export_with_real_names'; format: string; filters: Record<string, string[]> }
  /**
   * The receipt of an erasure (withdrawal of consent): what was erased, counted, with no personal
   * data. The ids name things that no longer exist anywhere. Never undone.
   */
  | {
      type: 'erasure';
      scope: 'participant' | 'document';
      participantIds: string[];
      documentIds: string[];
      counts: ErasureCounts;
    };

/** What one erasure removed, as counts. */
export interface ErasureCounts {
  readonly participants: number;
  readonly documents: number;
  readonly codings: number;
  /** Events of the log rewritten as tombstones or with the erased data taken out. */
  readonly events: number;
  readonly replacements: number;
}

export type ProjectEventType = ProjectEventBody['type'];

/**
 * An event of the log whose content was erased: only its place in the log and in the audit trail
 * remain (seq, time, actor, type, transaction, and the undo/redo marks that keep each user's
 * history the same). Folding it changes nothing but `seq` and that history.
 */
export interface RedactedEvent {
  readonly type: ProjectEventType;
  readonly redacted: true;
  readonly seq: number;
  readonly txn: number;
  readonly at: Timestamp;
  readonly userId: UserId;
  readonly undoOf?: number;
  readonly redoOf?: number;
}

/** An event as the log holds it: whole, or a tombstone after an erasure. */
export type LoggedProjectEvent = ProjectEvent | RedactedEvent;

export function isRedacted(event: LoggedProjectEvent): event is RedactedEvent {
  return 'redacted' in event && event.redacted === true;
}

export type ProjectEvent = ProjectEventBody & {
  readonly seq: number;
  /** Sequence number of the first event of the change this event belongs to. */
  readonly txn: number;
  readonly at: Timestamp;
  readonly userId: UserId;
};

/** Changes a person makes while coding and organising, which undo can reverse. */
const UNDOABLE: ReadonlySet<string> = new Set([
  'project_updated',
  'document_added',
  'document_updated',
  'document_deleted',
  'code_created',
  'code_updated',
  'codes_deleted',
  'coding_created',
  'coding_updated',
  'coding_deleted',
  'attributes_set',
  'participant_created',
  'participant_updated',
  'participant_deleted',
  'settings_updated',
  'document_restored',
  'codes_restored',
  'participant_restored',
  'replacements_set',
  'journal_entry_added',
  'journal_entry_updated',
  'journal_entry_deleted',
]);

export function isUndoable(type: string): boolean {
  return UNDOABLE.has(type);
}

/** How many of a user's changes undo can reach back to. */
export const UNDO_DEPTH = 200;

/**
 * Keep each user's undo and redo stacks (transaction numbers), from the first event of each
 * transaction: a new change pushes onto undo and clears redo; an undo moves its transaction to
 * redo; a redo moves it back (as the redo's own transaction, which is what a later undo reverses).
 */
function trackHistory(state: ProjectState, event: LoggedProjectEvent): void {
  if (event.txn !== event.seq) return;
  // Replace the entry rather than mutate it: a scratch overlay shares nested objects with the state.
  const { undo, redo } = state.history[event.userId] ?? { undo: [], redo: [] };
  if (event.undoOf !== undefined) {
    state.history[event.userId] = {
      undo: undo.filter((t) => t !== event.undoOf),
      redo: [...redo, event.undoOf],
    };
  } else if (event.redoOf !== undefined) {
    state.history[event.userId] = {
      undo: [...undo, event.txn].slice(-UNDO_DEPTH),
      redo: redo.filter((t) => t !== event.redoOf),
    };
  } else if (isUndoable(event.type)) {
    state.history[event.userId] = { undo: [...undo, event.txn].slice(-UNDO_DEPTH), redo: [] };
  }
}

/** The state of a project before its first event. */
export function emptyProjectState(id: ProjectId): ProjectState {
  return {
    seq: 0,
    project: { id, name: '', description: '', createdAt: '', createdBy: '' as UserId },
    members: {},
    documents: {},
    codes: {},
    codings: {},
    participants: {},
    attributes: [],
    settings: { interviewerLabels: [...DEFAULT_INTERVIEWER_LABELS] },
    history: {},
  };
}

/** How each kind of event changes a project's state, in place. */
const FOLD: {
  [Type in ProjectEventType]: (state: ProjectState, event: Extract<ProjectEvent, { type: Type }>) => void;
} = {
  project_created: (state, event) => {
    state.project = event.project;
    state.members = { ...event.members };
  },
  project_updated: (state, event) => {
    state.project = event.after;
  },
  member_set: (state, event) => {
    state.members[event.memberId] = event.role;
  },
  member_removed: (state, event) => {
    delete state.members[event.memberId];
  },
  document_added: (state, event) => {
    state.documents[event.document.id] = event.document;
  },
  document_updated: (state, event) => {
    state.documents[event.after.id] = event.after;
  },
  document_deleted: (state, event) => {
    delete state.documents[event.document.id];
    for (const c of event.codings) removeCoding(state.codings, c.id);
  },
  code_created: (state, event) => {
    putCode(state.codes, event.code);
  },
  code_updated: (state, event) => {
    putCode(state.codes, event.after);
  },
  codes_deleted: (state, event) => {
    for (const c of event.codes) removeCode(state.codes, c.id);
    for (const c of event.codings) removeCoding(state.codings, c.id);
  },
  coding_created: (state, event) => {
    putCoding(state.codings, event.coding);
  },
  coding_updated: (state, event) => {
    putCoding(state.codings, event.after);
  },
  coding_deleted: (state, event) => {
    removeCoding(state.codings, event.coding.id);
  },
  attributes_set: (state, event) => {
    state.attributes = [...event.after];
  },
  participant_created: (state, event) => {
    state.participants[event.participant.id] = event.participant;
  },
  participant_updated: (state, event) => {
    state.participants[event.after.id] = event.after;
  },
  participant_deleted: (state, event) => {
    delete state.participants[event.participant.id];
    for (const id of event.documentIds) {
      const document = state.documents[id];
      if (document) state.documents[id] = { ...document, participantId: null };
    }
  },
  settings_updated: (state, event) => {
    state.settings = event.after;
  },
  document_restored: (state, event) => {
    state.documents[event.document.id] = event.document;
    for (const c of event.codings) putCoding(state.codings, c);
  },
  codes_restored: (state, event) => {
    for (const c of event.codes) putCode(state.codes, c);
    for (const c of event.codings) putCoding(state.codings, c);
  },
  participant_restored: (state, event) => {
    state.participants[event.participant.id] = event.participant;
    for (const id of event.documentIds) {
      const document = state.documents[id];
      if (document) state.documents[id] = { ...document, participantId: event.participant.id };
    }
  },
  replacements_set: (state, event) => {
    state.replacements = [...event.after];
  },
  journal_entry_added: (state, event) => {
    state.journal = { ...state.journal, [event.entry.id]: event.entry };
  },
  journal_entry_updated: (state, event) => {
    state.journal = { ...state.journal, [event.after.id]: event.after };
  },
  journal_entry_deleted: (state, event) => {
    // Replaced, not changed in place: a scratch overlay shares the record with the real state.
    const { [event.entry.id]: _gone, ...rest } = state.journal ?? {};
    state.journal = rest;
  },
  export_with_real_names: () => undefined,
  erasure: (state, event) => {
    state.lastErasure = event.seq;
  },
};

/**
 * Fold one event into a project's state, in place (a project can hold 100,000 codings: copying it
 * per event would make every write cost grow with the project).
 */
export function applyProjectEvent(state: ProjectState, event: LoggedProjectEvent): void {
  if (event.seq !== state.seq + 1) {
    throw new Error(`applyProjectEvent: event ${event.seq} does not follow ${state.seq}`);
  }
  if (isRedacted(event)) {
    trackHistory(state, event);
    state.seq = event.seq;
    return;
  }
  const fold = FOLD[event.type] as ((state: ProjectState, event: ProjectEvent) => void) | undefined;
  if (!fold) throw new Error(`applyProjectEvent: unknown event ${JSON.stringify(event)}`);
  fold(state, event);
  trackHistory(state, event);
  state.seq = event.seq;
}

/** The instance holds accounts and sessions; its changes are events too. */
export interface InstanceState {
  seq: number;
  users: Record<string, UserRecord>;
  sessions: Record<string, SessionRecord>;
}

export type InstanceEventBody =
  | { type: 'user_created'; user: UserRecord }
  | { type: 'user_updated'; before: UserRecord; after: UserRecord }
  | { type: 'session_created'; session: SessionRecord }
  | { type: 'sessions_deleted'; tokenHashes: string[] };

export type InstanceEvent = InstanceEventBody & {
  readonly seq: number;
  readonly at: Timestamp;
  readonly userId: UserId | null;
};

export function emptyInstanceState(): InstanceState {
  return { seq: 0, users: {}, sessions: {} };
}

export function applyInstanceEvent(state: InstanceState, event: InstanceEvent): void {
  if (event.seq !== state.seq + 1) {
    throw new Error(`applyInstanceEvent: event ${event.seq} does not follow ${state.seq}`);
  }
  switch (event.type) {
    case 'user_created':
      state.users[event.user.id] = event.user;
      break;
    case 'user_updated':
      state.users[event.after.id] = event.after;
      break;
    case 'session_created':
      state.sessions[event.session.tokenHash] = event.session;
      break;
    case 'sessions_deleted':
      for (const h of event.tokenHashes) delete state.sessions[h];
      break;
    default: {
      const unknown: never = event;
      throw new Error(`applyInstanceEvent: unknown event ${JSON.stringify(unknown)}`);
    }
  }
  state.seq = event.seq;
}
