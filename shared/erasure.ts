/**
 * Erasure (withdrawal of consent): which documents, participants and replacement entries go, and
 * how each event of the log is rewritten so that nothing of them remains while the log keeps its
 * order, its length and the shape of its audit trail. Pure: the server reads and writes the files.
 */
import { codingCountOfDocument } from './coding-index.ts';
import { DomainError } from './errors.ts';
import {
  isRedacted,
  type ErasureCounts,
  type LoggedProjectEvent,
  type ProjectEvent,
  type RedactedEvent,
} from './events.ts';
import type { DocumentId } from './ids.ts';
import type { Coding, DocumentMeta, ProjectState, Replacement } from './model.ts';
import { foldName } from './pseudonymise.ts';

/** What a lead asked to erase. */
export type ErasureScope =
  | { readonly kind: 'participant'; readonly participantId: string }
  | { readonly kind: 'document'; readonly documentId: string };

/** What an erasure takes out of every copy. */
export interface ErasurePlan {
  readonly scope: ErasureScope['kind'];
  readonly participantIds: ReadonlySet<string>;
  readonly documentIds: ReadonlySet<string>;
  /** Whether a replacement entry goes, by its `from`. */
  readonly erasesReplacement: (from: string) => boolean;
}

/**
 * Check a request against the current state: the thing exists and `confirm` is its exact name.
 * @throws DomainError `not_found`, or `unprocessable` when the confirmation does not match.
 */
export function checkErasureRequest(
  state: Readonly<ProjectState>,
  scope: ErasureScope,
  confirm: string,
): void {
  const name =
    scope.kind === 'participant'
      ? state.participants[scope.participantId]?.name
      : state.documents[scope.documentId]?.name;
  if (name === undefined) {
    throw new DomainError(
      'not_found',
      scope.kind === 'participant' ? 'Participant introuvable.' : 'Document introuvable.',
    );
  }
  if (confirm !== name) {
    throw new DomainError(
      'unprocessable',
      `Pour confirmer l'effacement définitif, saisissez exactement le nom « ${name} » ; rien n'a été effacé.`,
    );
  }
}

/** The last metadata the log gives each document it ever held (deleted ones included). */
export function documentsOfLog(events: readonly LoggedProjectEvent[]): Map<string, DocumentMeta> {
  const documents = new Map<string, DocumentMeta>();
  for (const e of events) {
    if (isRedacted(e)) continue;
    if (e.type === 'document_added' || e.type === 'document_deleted' || e.type === 'document_restored')
      documents.set(e.document.id, e.document);
    else if (e.type === 'document_updated') documents.set(e.after.id, e.after);
  }
  return documents;
}

/**
 * The documents an erasure removes: the one named, or every document of the participant, including
 * documents deleted since (their texts are kept for undo) whose last link was to them.
 */
export function documentsToErase(
  state: Readonly<ProjectState>,
  events: readonly LoggedProjectEvent[],
  scope: ErasureScope,
): Set<string> {
  if (scope.kind === 'document') return new Set([scope.documentId]);
  const ids = new Set<string>();
  for (const [id, meta] of documentsOfLog(events)) {
    const current = state.documents[id];
    if ((current ?? meta).participantId === scope.participantId) ids.add(id);
  }
  return ids;
}

/** Every replacement entry the log ever held, and the current list. */
export function replacementsOfLog(
  state: Readonly<ProjectState>,
  events: readonly LoggedProjectEvent[],
): Replacement[] {
  const all = [...(state.replacements ?? [])];
  for (const e of events)
    if (!isRedacted(e) && e.type === 'replacements_set') all.push(...e.before, ...e.after);
  return all;
}

const WORD = /[\p{L}\p{N}]/u;

/** Whether `name` (folded) stands in `text` (folded) as whole words. */
function standsIn(text: string, name: string): boolean {
  for (let at = text.indexOf(name); at !== -1; at = text.indexOf(name, at + 1)) {
    const before = at > 0 ? text[at - 1] : '';
    const after = text[at + name.length] ?? '';
    if (!(before && WORD.test(before)) && !(after && WORD.test(after))) return true;
  }
  return false;
}

/**
 * The `from` of the replacement entries that an erasure makes pointless: found (as whole words,
 * without case or accents, as pseudonymisation finds them) in an erased text or equal to an erased
 * participant's name or pseudonym, and in none of the texts that remain.
 */
export function replacementsToErase(
  entries: readonly Replacement[],
  erased: { texts: readonly string[]; names: readonly string[] },
  remainingTexts: readonly string[],
): Set<string> {
  const erasedFolded = [...erased.texts, ...erased.names].map(foldName);
  const remainingFolded = remainingTexts.map(foldName);
  const out = new Set<string>();
  for (const { from } of entries) {
    const name = foldName(from);
    if (name === '' || out.has(from)) continue;
    if (erasedFolded.some((t) => standsIn(t, name)) && !remainingFolded.some((t) => standsIn(t, name)))
      out.add(from);
  }
  return out;
}

function tombstone(event: ProjectEvent): RedactedEvent {
  return {
    seq: event.seq,
    txn: event.txn,
    at: event.at,
    userId: event.userId,
    type: event.type,
    redacted: true,
    ...(event.undoOf !== undefined ? { undoOf: event.undoOf } : {}),
    ...(event.redoOf !== undefined ? { redoOf: event.redoOf } : {}),
  };
}

/**
 * One event of the log after the erasure: the same object when it holds nothing erased, a
 * tombstone when it is about what is erased, or a copy without the erased parts when it mixes
 * them with data that stays (a code deleted with codings of several documents). Folding the
 * rewritten log gives the state with the erased things gone, as if they had never been there.
 */
export function redactEvent(event: LoggedProjectEvent, plan: ErasurePlan): LoggedProjectEvent {
  if (isRedacted(event)) return event;
  const doc = (id: string) => plan.documentIds.has(id);
  const keepCodings = (codings: readonly Coding[]) => codings.filter((c) => !doc(c.documentId));
  const keepEntries = (list: readonly Replacement[]) => list.filter((r) => !plan.erasesReplacement(r.from));
  switch (event.type) {
    case 'document_added':
    case 'document_deleted':
    case 'document_restored':
      return doc(event.document.id) ? tombstone(event) : event;
    case 'document_updated':
      return doc(event.after.id) ? tombstone(event) : event;
    case 'coding_created':
    case 'coding_deleted':
      return doc(event.coding.documentId) ? tombstone(event) : event;
    case 'coding_updated':
      return doc(event.after.documentId) || doc(event.before.documentId) ? tombstone(event) : event;
    case 'codes_deleted':
    case 'codes_restored': {
      const codings = keepCodings(event.codings);
      return codings.length === event.codings.length ? event : { ...event, codings };
    }
    case 'participant_created':
    case 'participant_deleted':
    case 'participant_restored':
      if (plan.participantIds.has(event.participant.id)) return tombstone(event);
      if (event.type === 'participant_created') return event;
      return event.documentIds.some(doc)
        ? { ...event, documentIds: event.documentIds.filter((id) => !doc(id)) }
        : event;
    case 'participant_updated':
      return plan.participantIds.has(event.after.id) ? tombstone(event) : event;
    case 'replacements_set': {
      const before = keepEntries(event.before);
      const after = keepEntries(event.after);
      return before.length === event.before.length && after.length === event.after.length
        ? event
        : { ...event, before, after };
    }
    case 'export_with_real_names': {
      const erased = (v: string) => doc(v) || plan.participantIds.has(v);
      if (!Object.values(event.filters).some((values) => values.some(erased))) return event;
      const filters = Object.fromEntries(
        Object.entries(event.filters).map(([k, values]) => [k, values.filter((v) => !erased(v))]),
      );
      return { ...event, filters };
    }
    default:
      return event;
  }
}

/** Rewrite a whole log; counts the events changed. */
export function redactLog(
  events: readonly LoggedProjectEvent[],
  plan: ErasurePlan,
): { events: LoggedProjectEvent[]; changed: number } {
  let changed = 0;
  const out = events.map((e) => {
    const r = redactEvent(e, plan);
    if (r !== e) changed++;
    return r;
  });
  return { events: out, changed };
}

/** The receipt's counts, from the state before the erasure and the rewritten log. */
export function erasureCounts(
  state: Readonly<ProjectState>,
  plan: ErasurePlan,
  changedEvents: number,
  replacements: number,
): ErasureCounts {
  return {
    participants: plan.participantIds.size,
    documents: plan.documentIds.size,
    codings: [...plan.documentIds].reduce((n, id) => n + codingCountOfDocument(state, id as DocumentId), 0),
    events: changedEvents,
    replacements,
  };
}
