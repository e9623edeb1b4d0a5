import { syncTimeAt } from '../../shared/sync-points.ts';
import { DomainError } from '../../shared/errors.ts';
import { codingsOfDocument } from '../../shared/coding-index.ts';
import type { DocumentId } from '../../shared/ids.ts';
import type { Coding, DocumentMeta, ProjectState } from '../../shared/model.ts';
import type { CodePointIndex } from '../../shared/offsets.ts';
import type { Clause, Query } from '../../shared/search/query.ts';
import { sentenceAround } from '../../shared/search/units.ts';
import { documentsInScope, type ReviewFilter } from '../../shared/stats/filters.ts';
import { foldForComparison } from '../../shared/text.ts';
import { isInterviewer } from '../../shared/turns.ts';
import type { Store } from '../storage/store.ts';
import type { IndexedUnit, ProjectIndex, SearchOptions, UnitMatch } from './project-index.ts';

export interface SearchFilters {
  filter: ReviewFilter;
  /** `interviewees` (every turn but the interviewer's), or a speaker's name. */
  speaker?: string | undefined;
  /** Keep only matches inside a passage coded with this code. */
  codeId?: string | undefined;
  /** Keep only matches that no coding covers. */
  uncoded?: boolean | undefined;
}

export interface Hit {
  /** `documentId:start`, to tick hits for auto-coding. */
  id: string;
  documentId: string;
  documentName: string;
  /** The passage, [start, end) in code points of the document's text. */
  start: number;
  end: number;
  snippet: string;
  speaker: string;
  time?: number;
  participant: { id: string; pseudonym: string } | null;
  /** The matched words, [start, end) in code points of the document's text. */
  matches: { start: number; end: number }[];
  score: number;
}

export interface HitPage {
  /** Passages found, in all. */
  total: number;
  /** Passages found per document, most relevant document first. */
  documents: { documentId: string; name: string; count: number }[];
  /** The passages asked for (all of them without `page`). */
  hits: Hit[];
}

/**
 * Run a query and turn the matching units into hits: filtered by documents, participant
 * attributes and speaker, with each matched word located in code points, then by code. Documents
 * come by relevance, passages in reading order within each.
 *
 * Every candidate passage must be checked to count them all, but cheaply: phrases against the
 * passage's terms, code filters against the codings that overlap it. Only passages that a code
 * only partly covers, and the page asked for, have their words located.
 */
export async function findHits(
  store: Store,
  state: Readonly<ProjectState>,
  projectIndex: ProjectIndex,
  query: Query,
  options: SearchOptions,
  filters: SearchFilters,
  page?: { offset: number; limit: number },
): Promise<HitPage> {
  const finder = new HitFinder(store, state, projectIndex, filters);
  // A word inside a code is never « not yet coded ».
  if (filters.codeId !== undefined && filters.uncoded) return { total: 0, documents: [], hits: [] };
  const kept = await finder.keep(query, options);
  const documents = sortByDocument(kept, state);
  const hits: Hit[] = [];
  for (const k of page ? kept.slice(page.offset, page.offset + page.limit) : kept) {
    const hit =
      k.hit ??
      (await finder.expand(k.match, finder.codeFilter ? finder.overlapping(k.match.unit) : undefined));
    if (hit) hits.push(hit);
  }
  return { total: kept.length, documents, hits };
}

/** A candidate that is a hit; one already read in full carries its hit. */
interface Kept {
  readonly match: UnitMatch;
  readonly documentId: string;
  readonly start: number;
  readonly score: number;
  readonly hit?: Hit;
}

/**
 * Sort the hits kept: documents by the sum of their passages' scores, then passages in reading
 * order. Returns how many each document has, in that order.
 */
function sortByDocument(kept: Kept[], state: Readonly<ProjectState>): HitPage['documents'] {
  const docScore = new Map<string, number>();
  for (const k of kept) docScore.set(k.documentId, (docScore.get(k.documentId) ?? 0) + k.score);
  kept.sort(
    (a, b) =>
      (docScore.get(b.documentId) ?? 0) - (docScore.get(a.documentId) ?? 0) ||
      (a.documentId < b.documentId ? -1 : a.documentId > b.documentId ? 1 : 0) ||
      a.start - b.start,
  );
  const counts = new Map<string, { documentId: string; name: string; count: number }>();
  for (const k of kept) {
    const entry = counts.get(k.documentId);
    if (entry) entry.count++;
    else
      counts.set(k.documentId, {
        documentId: k.documentId,
        name: state.documents[k.documentId]?.name ?? '',
        count: 1,
      });
  }
  return [...counts.values()];
}

/** One query's filters over the candidates of the index, with what it reads cached for the query. */
class HitFinder {
  private readonly inScope: ReadonlySet<string>;
  private readonly texts = new Map<string, CodePointIndex>();
  private readonly wantedSpeaker: string;
  private readonly speakers = new Map<string, boolean>();
  /** The document's codings of the filter's code, gathered once per query. */
  private readonly inDocument = new Map<string, Coding[]>();
  readonly codeFilter: boolean;

  constructor(
    private readonly store: Store,
    private readonly state: Readonly<ProjectState>,
    private readonly projectIndex: ProjectIndex,
    private readonly filters: SearchFilters,
  ) {
    this.inScope = new Set(documentsInScope(state, filters.filter).map((d) => d.id as string));
    this.wantedSpeaker =
      filters.speaker && filters.speaker !== 'interviewees' ? foldForComparison(filters.speaker) : '';
    this.codeFilter = filters.codeId !== undefined || filters.uncoded === true;
  }

  /** The candidates that are hits, in the index's order. */
  async keep(query: Query, options: SearchOptions): Promise<Kept[]> {
    const candidates = this.projectIndex
      .search(query, options, () => true)
      .filter((m) => this.inScope.has(m.unit.documentId) && this.speakerOk(m.unit));
    const phrases = query.groups.flat().some((c) => c.phrase) || query.excluded.some((c) => c.phrase);
    const kept: Kept[] = [];
    for (const match of candidates) {
      const { unit } = match;
      if (phrases && !(await this.hasPhrases(unit, query))) continue;
      const entry = { match, documentId: unit.documentId, start: unit.start, score: match.score };
      if (this.codeFilter) {
        const codings = this.overlapping(unit);
        // No coding there: all its words are uncoded, none is inside the code.
        if (codings.length === 0) {
          if (this.filters.uncoded) kept.push(entry);
          continue;
        }
        const hit = await this.expand(match, codings);
        if (hit) kept.push({ ...entry, hit });
        continue;
      }
      kept.push(entry);
    }
    return kept;
  }

  /** Whether the unit holds every phrase the query asks for, and none it excludes. */
  private async hasPhrases(unit: IndexedUnit, query: Query): Promise<boolean> {
    const index = await this.textOf(unit.documentId);
    const text = () => index.slice(unit.start, unit.end);
    const has = (c: Clause) => this.projectIndex.hasPhrase(unit, c, text);
    if (!query.groups.every((g) => g.some((c) => !c.phrase || has(c)))) return false;
    return !query.excluded.some((c) => c.phrase && has(c));
  }

  private async textOf(documentId: string): Promise<CodePointIndex> {
    let index = this.texts.get(documentId);
    if (!index)
      this.texts.set(
        documentId,
        (index = await this.store.readTextIndex(this.state.project.id, documentId as DocumentId)),
      );
    return index;
  }

  private speakerOk({ speaker, outsideTurns }: IndexedUnit): boolean {
    const filters = this.filters;
    if (!filters.speaker) return true;
    // A title block is said by no one: no speaker filter keeps it.
    if (outsideTurns) return false;
    let ok = this.speakers.get(speaker);
    if (ok === undefined) {
      ok =
        filters.speaker === 'interviewees'
          ? !isInterviewer(speaker, this.state.settings.interviewerLabels)
          : foldForComparison(speaker) === this.wantedSpeaker;
      this.speakers.set(speaker, ok);
    }
    return ok;
  }

  /** Codings of the unit's document overlapping it (of the filter's code, if there is one). */
  overlapping(unit: IndexedUnit): Coding[] {
    let codings = this.inDocument.get(unit.documentId);
    if (!codings) {
      codings = codingsOfDocument(this.state, unit.documentId as DocumentId).filter(
        (c) => this.filters.codeId === undefined || c.codeId === this.filters.codeId,
      );
      this.inDocument.set(unit.documentId, codings);
    }
    return codings.filter((c) => c.start < unit.end && c.end > unit.start);
  }

  /** A candidate read in full: its words located, then kept by the code filters. */
  async expand({ unit, score, terms }: UnitMatch, codings?: readonly Coding[]): Promise<Hit | undefined> {
    const { state, projectIndex } = this;
    const document = state.documents[unit.documentId] as DocumentMeta;
    const index = await this.textOf(unit.documentId);
    const base = index.toUtf16(unit.start);
    const words = projectIndex.wordsOf(unit, () => index.slice(unit.start, unit.end));
    const wanted = projectIndex.termNumbers(terms);
    let matches: { start: number; end: number }[] = [];
    for (let i = 0; i < words.terms.length; i++) {
      if (!wanted.has(words.terms[i] as number)) continue;
      matches.push({
        start: index.toCodePoint(base + (words.starts[i] as number)),
        end: index.toCodePoint(base + (words.ends[i] as number)),
      });
    }
    if (codings) {
      const covered = (m: { start: number; end: number }) =>
        codings.some((c) => c.start <= m.start && c.end >= m.end);
      matches = matches.filter((m) => covered(m) === !this.filters.uncoded);
    }
    if (matches.length === 0) return undefined;
    const participant = document.participantId ? state.participants[document.participantId] : undefined;
    // The time of the first word found: that of the sync point before it (a cue within a merged
    // turn, a timestamp), else the turn's.
    const synced =
      document.syncPoints && document.syncPoints.length > 0
        ? syncTimeAt(document.syncPoints, (matches[0] as { start: number }).start)
        : null;
    const time = synced ?? unit.time;
    return {
      id: unit.id,
      documentId: unit.documentId,
      documentName: document.name,
      start: unit.start,
      end: unit.end,
      snippet: index.slice(unit.start, unit.end),
      speaker: unit.speaker,
      ...(time !== undefined ? { time } : {}),
      participant: participant ? { id: participant.id, pseudonym: participant.pseudonym } : null,
      matches,
      score,
    };
  }
}

export type AutocodeUnit = 'match' | 'sentence' | 'turn';

/**
 * The spans auto-coding would code for these hits: each match (adjacent matched words joined),
 * its sentence, or its speaker turn; duplicates removed.
 */
export async function autocodeSpans(
  store: Store,
  state: Readonly<ProjectState>,
  hits: readonly Hit[],
  unit: AutocodeUnit,
): Promise<{ documentId: string; start: number; end: number; text: string }[]> {
  const seen = new Set<string>();
  const out: { documentId: string; start: number; end: number; text: string }[] = [];
  for (const hit of hits) {
    const document = state.documents[hit.documentId];
    if (!document) throw new DomainError('not_found', 'Document introuvable.');
    const index = await store.readTextIndex(state.project.id, document.id);
    const spans: { start: number; end: number }[] = [];
    if (unit === 'match') {
      // Join matches separated only by spaces or punctuation: « double saisie » is one passage.
      for (const m of hit.matches) {
        const last = spans[spans.length - 1];
        if (last && /^[\s\p{P}]*$/u.test(index.slice(last.end, m.start)) && m.start - last.end <= 3)
          last.end = m.end;
        else spans.push({ ...m });
      }
    } else if (unit === 'sentence') {
      for (const m of hit.matches) spans.push(sentenceAround(index, hit, m.start, m.end));
    } else {
      const turn = document.turns.find((t) => t.start <= hit.start && t.end >= hit.end);
      spans.push(turn ? { start: turn.start, end: turn.end } : { start: hit.start, end: hit.end });
    }
    for (const s of spans) {
      const key = `${document.id}:${s.start}:${s.end}`;
      if (seen.has(key) || s.end <= s.start) continue;
      seen.add(key);
      out.push({ documentId: document.id, start: s.start, end: s.end, text: index.slice(s.start, s.end) });
    }
  }
  return out;
}
