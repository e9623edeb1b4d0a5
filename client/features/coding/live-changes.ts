/**
 * The coding view's copy of what it shows, kept up to date from the server's event log: the codes,
 * the open document's codings, and for the other documents only how many codings each code has
 * there. The view starts from one snapshot at one seq (GET …/documents/:documentId/view); events
 * up to the view's `seq` are skipped, so the live feed and a catch-up request can both deliver them,
 * and each later event is folded in once: the open document's codings are replaced whole, the other
 * documents' counts move by one per coding.
 */
import { isRedacted, type LoggedProjectEvent, type ProjectEvent } from '../../../shared/events.ts';
import type { Code, Coding, DocumentMeta } from '../../../shared/model.ts';

export interface LiveView {
  /** Sequence number of the last event folded in. */
  readonly seq: number;
  readonly codes: ReadonlyMap<string, Code>;
  /** The open document's codings. */
  readonly codings: ReadonlyMap<string, Coding>;
  /** Codings per code id in the project's other documents (the open one's are counted from `codings`). */
  readonly otherCounts: ReadonlyMap<string, number>;
  /** The open document's metadata, as last changed; `deleted` once someone deletes it. */
  readonly document: { readonly meta: DocumentMeta | undefined; readonly deleted: boolean };
  /** Interviewer labels, once known. */
  readonly interviewerLabels: readonly string[] | undefined;
}

/** What a batch of events did besides changing the view. */
export interface LiveOutcome {
  readonly view: LiveView;
  /** Provisional ids of codings and codes the server's events now stand for: [provisional, real]. */
  readonly confirmed: readonly (readonly [string, string])[];
  /** Whether the project's members changed (coder names must be read again). */
  readonly membersChanged: boolean;
  /** Users whose own changes are among the events (their undo history moved). */
  readonly authors: ReadonlySet<string>;
  /**
   * Whether codings of other documents went without the events saying which (an erasure): the
   * counts per code must be read again.
   */
  readonly countsOutdated: boolean;
}

export const PROVISIONAL_PREFIX = 'provisional-';

export function isProvisional(id: string): boolean {
  return id.startsWith(PROVISIONAL_PREFIX);
}

let provisional = 0;
/** An id for something the server has not confirmed yet. */
export function provisionalId<T extends string>(): T {
  provisional += 1;
  return `${PROVISIONAL_PREFIX}${provisional}` as T;
}

export function emptyView(seq = 0): LiveView {
  return {
    seq,
    codes: new Map(),
    codings: new Map(),
    otherCounts: new Map(),
    document: { meta: undefined, deleted: false },
    interviewerLabels: undefined,
  };
}

/** The same coding made optimistically, before the server gave it its id. */
function sameCoding(a: Coding, b: Coding): boolean {
  return (
    a.documentId === b.documentId &&
    a.codeId === b.codeId &&
    a.coderId === b.coderId &&
    a.start === b.start &&
    a.end === b.end
  );
}

/**
 * A view being changed by a batch of events: its maps are copied on first write only, and what the
 * batch did besides (confirmed provisional ids, members changed, authors) is noted on the way.
 */
class ViewDraft {
  private codes: Map<string, Code> | undefined;
  private codings: Map<string, Coding> | undefined;
  private otherCounts: Map<string, number> | undefined;
  countsOutdated = false;
  document: LiveView['document'];
  interviewerLabels: LiveView['interviewerLabels'];
  seq: number;
  membersChanged = false;
  readonly confirmed: [string, string][] = [];
  readonly authors = new Set<string>();

  constructor(
    private readonly view: LiveView,
    readonly documentId: string,
  ) {
    this.document = view.document;
    this.interviewerLabels = view.interviewerLabels;
    this.seq = view.seq;
  }

  writableCodes(): Map<string, Code> {
    return (this.codes ??= new Map(this.view.codes));
  }

  writableCodings(): Map<string, Coding> {
    return (this.codings ??= new Map(this.view.codings));
  }

  /** A coding appears: drawn if it is on the open document, counted otherwise. */
  addCoding(coding: Coding): void {
    if (coding.documentId === this.documentId) this.putCoding(coding);
    else this.count(coding.codeId, 1);
  }

  /** A coding goes: no longer drawn, or no longer counted. */
  dropCoding(coding: Coding): void {
    if (coding.documentId === this.documentId) this.writableCodings().delete(coding.id);
    else this.count(coding.codeId, -1);
  }

  private count(codeId: string, delta: number): void {
    const counts = (this.otherCounts ??= new Map(this.view.otherCounts));
    const n = (counts.get(codeId) ?? 0) + delta;
    if (n > 0) counts.set(codeId, n);
    else counts.delete(codeId);
  }

  /** The document is erased: none of its codings is drawn any more. */
  clearCodings(): void {
    this.codings = new Map();
  }

  /** Put a coding in, in place of the provisional one it confirms, if any. */
  putCoding(coding: Coding): void {
    const map = this.writableCodings();
    if (!map.has(coding.id)) {
      for (const [id, existing] of map) {
        if (isProvisional(id) && sameCoding(existing, coding)) {
          map.delete(id);
          this.confirmed.push([id, coding.id]);
          break;
        }
      }
    }
    map.set(coding.id, coding);
  }

  /** Put a code in, in place of the provisional one it confirms, if any. */
  putCode(code: Code): void {
    const map = this.writableCodes();
    if (!map.has(code.id)) {
      for (const [id, existing] of map) {
        if (isProvisional(id) && existing.name === code.name && existing.parentId === code.parentId) {
          map.delete(id);
          this.confirmed.push([id, code.id]);
          break;
        }
      }
    }
    map.set(code.id, code);
  }

  outcome(): LiveOutcome {
    return {
      view: {
        seq: this.seq,
        codes: this.codes ?? this.view.codes,
        codings: this.codings ?? this.view.codings,
        otherCounts: this.otherCounts ?? this.view.otherCounts,
        document: this.document,
        interviewerLabels: this.interviewerLabels,
      },
      confirmed: this.confirmed,
      membersChanged: this.membersChanged,
      authors: this.authors,
      countsOutdated: this.countsOutdated,
    };
  }
}

/**
 * Fold `events` (in seq order) into `view`, for the document `documentId`. Maps are copied once per
 * batch, not once per event: a merge of a thousand codings costs one copy.
 * @example applyEvents(view, [{ type: 'coding_deleted', coding, seq: view.seq + 1, … }], docId).view.codings.has(coding.id) === false
 */
export function applyEvents(
  view: LiveView,
  events: readonly LoggedProjectEvent[],
  documentId: string,
): LiveOutcome {
  const draft = new ViewDraft(view, documentId);
  for (const event of events) {
    if (event.seq <= draft.seq) continue;
    draft.seq = event.seq;
    draft.authors.add(event.userId);
    // Erased since: nothing of it to draw (what it changed is gone from the state too).
    if (isRedacted(event)) continue;
    applyEvent(draft, event);
  }
  return draft.outcome();
}

/** Fold one event into the draft. */
function applyEvent(draft: ViewDraft, event: ProjectEvent): void {
  const { documentId } = draft;
  switch (event.type) {
    case 'code_created':
      draft.putCode(event.code);
      break;
    case 'code_updated':
      draft.putCode(event.after);
      break;
    case 'codes_deleted':
      for (const c of event.codes) draft.writableCodes().delete(c.id);
      for (const c of event.codings) draft.dropCoding(c);
      break;
    case 'codes_restored':
      for (const c of event.codes) draft.putCode(c);
      for (const c of event.codings) draft.addCoding(c);
      break;
    case 'coding_created':
      draft.addCoding(event.coding);
      break;
    case 'coding_updated':
      if (event.before.documentId === documentId && event.after.documentId === documentId) {
        draft.putCoding(event.after);
      } else {
        draft.dropCoding(event.before);
        draft.addCoding(event.after);
      }
      break;
    case 'coding_deleted':
      draft.dropCoding(event.coding);
      break;
    case 'document_updated':
      if (event.after.id === documentId) draft.document = { meta: event.after, deleted: false };
      break;
    case 'document_deleted':
      for (const c of event.codings) draft.dropCoding(c);
      if (event.document.id === documentId) draft.document = { meta: event.document, deleted: true };
      break;
    case 'document_restored':
      for (const c of event.codings) draft.addCoding(c);
      if (event.document.id === documentId) draft.document = { meta: event.document, deleted: false };
      break;
    case 'settings_updated':
      draft.interviewerLabels = event.after.interviewerLabels;
      break;
    case 'erasure':
      if (event.documentIds.includes(documentId)) {
        draft.document = { ...draft.document, deleted: true };
        draft.clearCodings();
      }
      if (event.documentIds.some((id) => id !== documentId)) draft.countsOutdated = true;
      break;
    case 'member_set':
    case 'member_removed':
      draft.membersChanged = true;
      break;
    default:
      // Participants, attributes, exports…: nothing the coding view draws.
      break;
  }
}

/** Number of codings per code id in the project: the other documents' counts plus the open one's codings. */
export function codingCountsOf(view: LiveView): Map<string, number> {
  const counts = new Map(view.otherCounts);
  for (const c of view.codings.values()) counts.set(c.codeId, (counts.get(c.codeId) ?? 0) + 1);
  return counts;
}

/** Number of codings per code id. */
export function countCodings(codings: Iterable<Coding>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of codings) counts.set(c.codeId, (counts.get(c.codeId) ?? 0) + 1);
  return counts;
}
