import type { CodeId, CodingId, DocumentId, ParticipantId, UserId } from '../ids.ts';
import type { AttributeValue, Coding, DocumentMeta, Participant } from '../model.ts';
import { CodePointIndex } from '../offsets.ts';
import { mergeSpans, type Span } from '../spans.ts';
import { intersectSpans, overlapComponents, unionOfSpans, unitsOverlapping } from './sweep.ts';
import { syncTimeAt } from '../sync-points.ts';

/** How the listed codes combine; with one code, every operation gives that code's passages. */
export type RetrieveOp = 'and' | 'or' | 'not';
export const RETRIEVE_OPS: readonly RetrieveOp[] = ['and', 'or', 'not'];

/** What a passage is: the coded stretch itself, or the whole speaker turn (paragraph) holding it. */
export type RetrieveUnit = 'passage' | 'turn';
export const RETRIEVE_UNITS: readonly RetrieveUnit[] = ['passage', 'turn'];

/** Where a passage lies and which codings make it, before its text is read. */
export interface PassageSpan extends Span {
  readonly documentId: DocumentId;
  /** The codings that make the passage (for `and`, those of the listed codes that overlap it). */
  readonly codings: readonly Coding[];
}

/** A passage as the retrieval route returns it. */
export interface Passage {
  readonly documentId: DocumentId;
  readonly documentName: string;
  /** [start, end) in code points of the document's stored text: where to open it. */
  readonly start: number;
  readonly end: number;
  /** The quote: the text of [start, end). */
  readonly text: string;
  /** Up to `context` code points before and after, as they stand in the text. */
  readonly before: string;
  readonly after: string;
  /** The speaker turn holding the passage's start (else the first one it overlaps), or null. */
  readonly turnIndex: number | null;
  readonly speaker: string | null;
  /** Where that turn starts in the recording, in seconds, when known. */
  readonly time: number | null;
  readonly participant: {
    readonly id: ParticipantId;
    readonly pseudonym: string;
    readonly attributes: Readonly<Record<string, AttributeValue>>;
  } | null;
  readonly codingIds: CodingId[];
  readonly codeIds: CodeId[];
  readonly coderIds: UserId[];
}

function groupByDocument(codings: readonly Coding[]): Map<string, Coding[]> {
  const out = new Map<string, Coding[]>();
  for (const c of codings) {
    const list = out.get(c.documentId);
    if (list) list.push(c);
    else out.set(c.documentId, [c]);
  }
  return out;
}

/**
 * Retrieval (récupération des extraits): the passages of one code or of a combination of codes,
 * in the order of `documents` then of position.
 * - one code, or `or`: the codings of the listed codes, those that share at least one code point
 *   being merged, directly or through a chain, into one passage spanning them all (codings that
 *   merely touch stay apart);
 * - `and`: the stretches of text where every listed code is present (the intersection of each
 *   code's coverage), stretches that touch being joined; each lists the codings of the listed
 *   codes that overlap it;
 * - `not`: the codings of the first code that share no code point with any coding of the other
 *   listed codes, merged as for `or`.
 * With `units` (each document's speaker turns, or paragraphs; sorted, disjoint), a passage is a
 * whole unit instead, the unit of turn-level co-occurrence: `and`, the units in which every listed
 * code occurs; `or`, those in which one does; `not`, those in which the first occurs and none of
 * the others — a code occurring in a unit when one of its codings shares a code point with it.
 * `codings` are already filtered (coders, documents); those of other codes are ignored.
 * @example findPassages([a, b], 'and', documents, codings) → [{documentId, start: 12, end: 40, codings: […]}]
 */
export function findPassages(
  codeIds: readonly CodeId[],
  op: RetrieveOp,
  documents: readonly DocumentMeta[],
  codings: readonly Coding[],
  units?: ReadonlyMap<string, readonly Span[]>,
): PassageSpan[] {
  if (codeIds.length === 0) throw new Error('findPassages: at least one code is needed');
  const wanted = new Set<string>(codeIds);
  const byDocument = groupByDocument(codings.filter((c) => wanted.has(c.codeId)));
  const first = codeIds[0] as CodeId;
  const passages: PassageSpan[] = [];
  for (const document of documents) {
    const list = byDocument.get(document.id);
    if (!list) continue;
    const push = (span: Span, members: readonly Coding[]) =>
      passages.push({ documentId: document.id, start: span.start, end: span.end, codings: members });
    if (units !== undefined) {
      const documentUnits = units.get(document.id);
      if (!documentUnits) throw new Error(`findPassages: no units given for document ${document.id}`);
      for (const { unit, members } of unitsHolding(codeIds, op, documentUnits, list)) push(unit, members);
    } else if (codeIds.length === 1 || op === 'or') {
      for (const { span, members } of overlapComponents(list)) push(span, members);
    } else if (op === 'not') {
      const others = unionOfSpans(list.filter((c) => c.codeId !== first));
      const kept = list.filter((c) => c.codeId === first && unitsOverlapping(others, c).length === 0);
      for (const { span, members } of overlapComponents(kept)) push(span, members);
    } else {
      let common: Span[] | undefined;
      for (const codeId of new Set(codeIds)) {
        const union = unionOfSpans(list.filter((c) => c.codeId === codeId));
        common = common === undefined ? union : intersectSpans(common, union);
      }
      const runs = mergeSpans(common ?? []);
      const members = runs.map((): Coding[] => []);
      for (const c of [...list].sort((a, b) => a.start - b.start || a.end - b.end)) {
        for (const r of unitsOverlapping(runs, c)) (members[r] as Coding[]).push(c);
      }
      runs.forEach((run, r) => push(run, members[r] as Coding[]));
    }
  }
  return passages;
}

/** The units in which the listed codes combine as `op` says, each with its codings of those codes. */
function unitsHolding(
  codeIds: readonly CodeId[],
  op: RetrieveOp,
  units: readonly Span[],
  codings: readonly Coding[],
): { unit: Span; members: Coding[] }[] {
  const members = new Map<number, Coding[]>();
  for (const c of [...codings].sort((a, b) => a.start - b.start || a.end - b.end)) {
    for (const u of unitsOverlapping(units, c)) {
      const list = members.get(u);
      if (list) list.push(c);
      else members.set(u, [c]);
    }
  }
  const [first, ...others] = codeIds;
  const holds = (list: readonly Coding[], codeId: CodeId | undefined) =>
    list.some((c) => c.codeId === codeId);
  const kept = (list: readonly Coding[]) => {
    if (codeIds.length === 1 || op === 'or') return true;
    if (op === 'and') return codeIds.every((id) => holds(list, id));
    return holds(list, first) && !others.some((id) => holds(list, id));
  };
  return [...members.entries()]
    .sort(([a], [b]) => a - b)
    .filter(([, list]) => kept(list))
    .map(([u, list]) => ({ unit: units[u] as Span, members: list }));
}

/** The turn holding `position`, else the first turn overlapping `span`; -1 when none. */
function turnOf(document: DocumentMeta, span: Span): number {
  const overlapping = unitsOverlapping(document.turns, span);
  const holding = overlapping.find((i) => {
    const t = document.turns[i] as Span;
    return t.start <= span.start && span.start < t.end;
  });
  return holding ?? overlapping[0] ?? -1;
}

/**
 * Give passages their quote, context, speaker, time and participant. `texts` holds the stored
 * text of every document the passages lie in; `context` is the number of code points shown on
 * each side.
 */
export function describePassages(
  spans: readonly PassageSpan[],
  documents: ReadonlyMap<string, DocumentMeta>,
  participants: Readonly<Record<string, Participant>>,
  texts: ReadonlyMap<string, string>,
  context: number,
): Passage[] {
  const indexes = new Map<string, CodePointIndex>();
  return spans.map((p) => {
    const document = documents.get(p.documentId);
    const text = texts.get(p.documentId);
    if (!document || text === undefined) {
      throw new Error(`describePassages: document ${p.documentId} or its text is missing`);
    }
    const index = indexes.get(p.documentId) ?? new CodePointIndex(text);
    indexes.set(p.documentId, index);
    const turnIndex = turnOf(document, p);
    const turn = turnIndex < 0 ? undefined : document.turns[turnIndex];
    const participant = document.participantId === null ? undefined : participants[document.participantId];
    const sorted = [...p.codings].sort((a, b) => a.start - b.start || a.end - b.end);
    return {
      documentId: p.documentId,
      documentName: document.name,
      start: p.start,
      end: p.end,
      text: index.slice(p.start, p.end),
      before: index.slice(Math.max(0, p.start - context), p.start),
      after: index.slice(p.end, Math.min(index.length, p.end + context)),
      turnIndex: turn ? turnIndex : null,
      speaker: turn ? turn.speaker : null,
      // The nearest time the transcript gives before the passage: a sync point, else its turn's.
      time: syncTimeAt(document.syncPoints ?? [], p.start) ?? turn?.time ?? null,
      participant: participant
        ? { id: participant.id, pseudonym: participant.pseudonym, attributes: participant.attributes }
        : null,
      codingIds: sorted.map((c) => c.id),
      codeIds: [...new Set(sorted.map((c) => c.codeId))],
      coderIds: [...new Set(sorted.map((c) => c.coderId))],
    };
  });
}
