import type { CodeId, CodingId, DocumentId, UserId } from './ids.ts';
import type { Coding, ProjectState } from './model.ts';

/**
 * The codings of each document and of each code, and the number of codings of each code, kept
 * beside a project's `codings` record so that the hot paths (a coder creating a coding, the coding
 * view loading one document) cost what one document holds, not what the whole project holds: a
 * study of 500 interviews has about 200 codings per interview and 100,000 in all.
 *
 * The index is derived data, never stored: it is built on first use from the record and then kept
 * up to date by `putCoding` and `removeCoding`, through which `applyProjectEvent` makes every change
 * to a project's codings. It lives in a WeakMap keyed by the record, so it goes with the state.
 *
 * It also keeps one copy of each id the codings repeat (their document, code and coder): read from
 * a snapshot or a journal, each coding came with its own copies of those strings, 56 bytes each, and
 * a project of 150,000 codings held 25 MB of them. A coding entering an indexed record is stored
 * as a copy pointing at the shared strings (the same fields, in the same order).
 */
interface CodingIndex {
  byDocument: Map<DocumentId, Set<CodingId>>;
  /**
   * By document, then start: what a duplicate must share (its end, code and coder are then
   * compared). A start held by one coding maps to its id, by several to their ids: a number key
   * and no set for each, where a set and a string key per passage took 240 bytes a coding.
   */
  byStart: Map<DocumentId, Map<number, CodingId | CodingId[]>>;
  /** Number of codings per code id, across the project. */
  countByCode: Map<CodeId, number>;
  /** By code (a search inside a code). */
  byCode: Map<CodeId, Set<CodingId>>;
  /** The one copy kept of each document, code and coder id. */
  ids: Map<string, string>;
}

const indexes = new WeakMap<object, CodingIndex>();

function indexOf(codings: Readonly<Record<string, Coding>>): CodingIndex {
  let index = indexes.get(codings);
  if (!index) {
    index = {
      byDocument: new Map(),
      byStart: new Map(),
      byCode: new Map(),
      countByCode: new Map(),
      ids: new Map(),
    };
    // Each coding replaced in the record by its copy sharing the ids (codings are only ever
    // replaced, never changed in place, so no holder of the old object sees it change).
    const record = codings as Record<string, Coding>;
    for (const [id, coding] of Object.entries(codings)) {
      const kept = sharingIds(index, coding);
      record[id] = kept;
      add(index, kept);
    }
    indexes.set(codings, index);
  }
  return index;
}

function shared(index: CodingIndex, id: string): string {
  const kept = index.ids.get(id);
  if (kept !== undefined) return kept;
  index.ids.set(id, id);
  return id;
}

/** A copy of `coding` whose document, code and coder ids are the index's shared strings. */
function sharingIds(index: CodingIndex, coding: Coding): Coding {
  return {
    ...coding,
    documentId: shared(index, coding.documentId) as DocumentId,
    codeId: shared(index, coding.codeId) as CodeId,
    coderId: shared(index, coding.coderId) as UserId,
  };
}

function addTo<K>(map: Map<K, Set<CodingId>>, key: K, id: CodingId): void {
  let ids = map.get(key);
  if (!ids) {
    ids = new Set();
    map.set(key, ids);
  }
  ids.add(id);
}

function removeFrom<K>(map: Map<K, Set<CodingId>>, key: K, id: CodingId): void {
  const ids = map.get(key);
  ids?.delete(id);
  if (ids?.size === 0) map.delete(key);
}

function addStart(index: CodingIndex, coding: Coding): void {
  let starts = index.byStart.get(coding.documentId);
  if (!starts) {
    starts = new Map();
    index.byStart.set(coding.documentId, starts);
  }
  const held = starts.get(coding.start);
  if (held === undefined) starts.set(coding.start, coding.id);
  else if (typeof held === 'string') starts.set(coding.start, [held, coding.id]);
  else held.push(coding.id);
}

/** The ids a `byStart` entry holds. */
function idsAt(held: CodingId | CodingId[] | undefined): readonly CodingId[] {
  return held === undefined ? [] : typeof held === 'string' ? [held] : held;
}

function removeStart(index: CodingIndex, coding: Coding): void {
  const starts = index.byStart.get(coding.documentId);
  if (!starts) return;
  const kept = idsAt(starts.get(coding.start)).filter((id) => id !== coding.id);
  if (kept.length === 0) starts.delete(coding.start);
  else starts.set(coding.start, kept.length === 1 ? (kept[0] as CodingId) : kept);
  if (starts.size === 0) index.byStart.delete(coding.documentId);
}

function add(index: CodingIndex, coding: Coding): void {
  addTo(index.byDocument, coding.documentId, coding.id);
  addStart(index, coding);
  addTo(index.byCode, coding.codeId, coding.id);
  index.countByCode.set(coding.codeId, (index.countByCode.get(coding.codeId) ?? 0) + 1);
}

function remove(index: CodingIndex, coding: Coding): void {
  removeFrom(index.byDocument, coding.documentId, coding.id);
  removeStart(index, coding);
  removeFrom(index.byCode, coding.codeId, coding.id);
  const left = (index.countByCode.get(coding.codeId) ?? 0) - 1;
  if (left > 0) index.countByCode.set(coding.codeId, left);
  else index.countByCode.delete(coding.codeId);
}

/**
 * Build the index of a state's codings now (when a project is opened), rather than on the first
 * write, which would then wait for it.
 */
export function indexCodings(state: Readonly<ProjectState>): void {
  indexOf(state.codings);
}

/** Set a coding in the record (new or replacing one with the same id), keeping the index in step. */
export function putCoding(codings: Record<string, Coding>, coding: Coding): void {
  const index = indexes.get(codings);
  if (!index) {
    codings[coding.id] = coding;
    return;
  }
  const previous = codings[coding.id];
  if (previous) remove(index, previous);
  const kept = sharingIds(index, coding);
  add(index, kept);
  codings[coding.id] = kept;
}

/** Remove a coding from the record, keeping the index in step. */
export function removeCoding(codings: Record<string, Coding>, id: CodingId): void {
  const index = indexes.get(codings);
  const previous = codings[id];
  if (index && previous) remove(index, previous);
  delete codings[id];
}

/** The codings of one document, in no particular order. */
export function codingsOfDocument(state: Readonly<ProjectState>, documentId: DocumentId): Coding[] {
  const ids = indexOf(state.codings).byDocument.get(documentId);
  if (!ids) return [];
  const found: Coding[] = [];
  for (const id of ids) {
    const coding = state.codings[id];
    // Checked rather than trusted: the index can only be wrong by holding too much.
    if (coding?.documentId === documentId) found.push(coding);
  }
  return found;
}

/**
 * The codings of one code (not of its sub-codes), in no particular order: what a search inside a
 * code reads, rather than every coding of every document it looks at.
 */
export function codingsOfCode(state: Readonly<ProjectState>, codeId: CodeId): Coding[] {
  const found: Coding[] = [];
  for (const id of indexOf(state.codings).byCode.get(codeId) ?? []) {
    const coding = state.codings[id];
    if (coding?.codeId === codeId) found.push(coding);
  }
  return found;
}

/**
 * How many codings each code has across the project (codes without any are absent), read from the
 * index: its cost follows the number of codes, not of codings. The map is the index's own: read it,
 * never change it.
 */
export function codingCountsByCode(state: Readonly<ProjectState>): ReadonlyMap<CodeId, number> {
  return indexOf(state.codings).countByCode;
}

/**
 * The coding that `candidate` would duplicate: the same code on the same passage by the same coder
 * (a consensus coding and an ordinary one are different things). `undefined` when there is none.
 * It looks only at the codings that start where the candidate starts, in its document.
 */
export function findDuplicateCoding(
  state: Readonly<ProjectState>,
  candidate: Pick<Coding, 'id' | 'documentId' | 'codeId' | 'coderId' | 'start' | 'end' | 'consensus'>,
): Coding | undefined {
  const starts = indexOf(state.codings).byStart.get(candidate.documentId);
  for (const id of idsAt(starts?.get(candidate.start))) {
    const c = state.codings[id];
    if (
      c &&
      c.id !== candidate.id &&
      c.documentId === candidate.documentId &&
      c.codeId === candidate.codeId &&
      c.coderId === candidate.coderId &&
      c.start === candidate.start &&
      c.end === candidate.end &&
      !c.consensus === !candidate.consensus
    ) {
      return c;
    }
  }
  return undefined;
}
