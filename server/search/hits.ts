import { syncTimeAt } from '../../shared/sync-points.ts';
import { DomainError } from '../../shared/errors.ts';
import { codingsOfCode, codingsOfDocument } from '../../shared/coding-index.ts';
import type { CodeId, DocumentId } from '../../shared/ids.ts';
import type { Coding, ProjectState } from '../../shared/model.ts';
import type { CodePointIndex } from '../../shared/offsets.ts';
import type { Query } from '../../shared/search/query.ts';
import { sentenceAround } from '../../shared/search/units.ts';
import { documentsInScope, type ReviewFilter } from '../../shared/stats/filters.ts';
import { foldForComparison } from '../../shared/text.ts';
import { isInterviewer } from '../../shared/turns.ts';
import type { Store } from '../storage/store.ts';
import type { IndexedUnit, Matched, ProjectIndex, SearchOptions } from './project-index.ts';
import { expansionOf } from './scoring.ts';

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
 * attributes and speaker, then by code. Documents come by relevance, passages in reading order
 * within each.
 *
 * Every candidate passage is checked, so totals are exact, but in typed arrays and without
 * building a hit: code filters read the matched words' positions from the index against the
 * codings that overlap the passage. Only the page asked for becomes hits, with snippets.
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
  // A word inside a code is never « not yet coded ».
  if (filters.codeId !== undefined && filters.uncoded) return { total: 0, documents: [], hits: [] };
  const finder = new HitFinder(
    store,
    state,
    projectIndex,
    filters,
    new QueryWords(projectIndex, query, options),
  );
  const kept = finder.keep(projectIndex.search(query, options));
  const { order, documents } = sortByDocument(kept, projectIndex, state);
  const hits: Hit[] = [];
  const chosen = page ? order.slice(page.offset, page.offset + page.limit) : order;
  // Everything read from the index is read before the first await: a document deleted meanwhile
  // renumbers the units that follow its own.
  const found: Found[] = [];
  for (const i of chosen) {
    const one = finder.locate(kept.units[i] as number, kept.scores[i] as number);
    if (one) found.push(one);
  }
  for (const one of found) {
    const hit = await finder.hit(one);
    if (hit) hits.push(hit);
  }
  return { total: kept.units.length, documents, hits };
}

/** A unit of the page, read from the index. */
interface Found {
  readonly unit: IndexedUnit;
  readonly matches: { start: number; end: number }[];
  readonly score: number;
}

/**
 * Sort the units kept: documents by the sum of their passages' scores, then passages in reading
 * order. Returns positions in `kept`, and how many passages each document has, in that order. A
 * document's units are one run of ascending units, in reading order, so sorting the runs is enough.
 */
function sortByDocument(
  kept: Matched,
  projectIndex: ProjectIndex,
  state: Readonly<ProjectState>,
): { order: Uint32Array; documents: HitPage['documents'] } {
  const runs: { slot: number; id: string; from: number; to: number; score: number }[] = [];
  let run: (typeof runs)[number] | undefined;
  for (let i = 0; i < kept.units.length; i++) {
    const slot = projectIndex.documentOf(kept.units[i] as number);
    if (run?.slot !== slot) {
      run = { slot, id: projectIndex.documentIdAt(slot), from: i, to: i, score: 0 };
      runs.push(run);
    }
    run.to = i + 1;
    run.score += kept.scores[i] as number;
  }
  runs.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const order = new Uint32Array(kept.units.length);
  let at = 0;
  for (const r of runs) for (let i = r.from; i < r.to; i++) order[at++] = i;
  const documents = runs.map((r) => ({
    documentId: r.id,
    name: state.documents[r.id]?.name ?? '',
    count: r.to - r.from,
  }));
  return { order, documents };
}

/**
 * The index's terms each clause of a query reached, to tell which words of a passage matched: those
 * of every clause the passage satisfies (of a group of several, not all may).
 */
class QueryWords {
  private readonly groups: { sets: Set<number>[]; all: Set<number>; phrase?: Uint32Array }[][];

  constructor(
    private readonly projectIndex: ProjectIndex,
    query: Query,
    options: SearchOptions,
  ) {
    this.groups = query.groups.map((group) =>
      group.map((clause) => {
        const sets = clause.terms.map(
          (term) => new Set(projectIndex.expand(term, ...expansionOf(clause, term, options)).terms),
        );
        const phrase = clause.phrase ? projectIndex.phraseTerms(clause) : undefined;
        return { sets, all: new Set(sets.flatMap((s) => [...s])), ...(phrase ? { phrase } : {}) };
      }),
    );
  }

  /** The matched words of a unit that matched the query: [start, end) in code points. */
  located(unit: number): { start: number; end: number }[] {
    const words = this.projectIndex.wordsOf(unit);
    const wanted: Set<number>[] = [];
    for (const group of this.groups) {
      for (const clause of group) {
        if (group.length === 1 || this.satisfies(unit, words.terms, clause)) wanted.push(clause.all);
      }
    }
    const matches: { start: number; end: number }[] = [];
    for (let i = 0; i < words.terms.length; i++) {
      const term = words.terms[i] as number;
      if (!wanted.some((set) => set.has(term))) continue;
      matches.push({ start: words.starts[i] as number, end: words.ends[i] as number });
    }
    return matches;
  }

  private satisfies(
    unit: number,
    terms: Uint32Array,
    clause: { sets: Set<number>[]; phrase?: Uint32Array },
  ): boolean {
    if (!clause.sets.every((set) => terms.some((t) => set.has(t)))) return false;
    return !clause.phrase || this.projectIndex.hasPhrase(unit, clause.phrase);
  }
}

/** One query's filters over the candidates of the index, with what it reads cached for the query. */
class HitFinder {
  private readonly inScope: Uint8Array;
  private readonly texts = new Map<string, CodePointIndex>();
  /** Per speaker number: 1 when the speaker filter keeps them; undefined without a filter. */
  private readonly speakers: Uint8Array | undefined;
  /** The document's codings of the filter's code, gathered once per query. */
  private readonly inDocument = new Map<string, Coding[]>();
  private readonly codeFilter: boolean;

  constructor(
    private readonly store: Store,
    private readonly state: Readonly<ProjectState>,
    private readonly projectIndex: ProjectIndex,
    private readonly filters: SearchFilters,
    private readonly words: QueryWords,
  ) {
    const scope = new Set(documentsInScope(state, filters.filter).map((d) => d.id as string));
    this.inScope = Uint8Array.from(projectIndex.documentIds(), (id) => (scope.has(id) ? 1 : 0));
    this.speakers = filters.speaker
      ? speakersKept(projectIndex, filters.speaker, state.settings.interviewerLabels)
      : undefined;
    this.codeFilter = filters.codeId !== undefined || filters.uncoded === true;
  }

  /** The candidates that are hits, in the index's order. */
  keep(candidates: Matched): Matched {
    const units = new Uint32Array(candidates.units.length);
    const scores = new Float64Array(candidates.units.length);
    const { projectIndex, filters } = this;
    let kept = 0;
    for (let i = 0; i < candidates.units.length; i++) {
      const u = candidates.units[i] as number;
      if (!this.inScope[projectIndex.documentOf(u)] || !this.speakerOk(u)) continue;
      if (this.codeFilter) {
        const codings = this.overlapping(u);
        // No coding there: all its words are uncoded, none is inside the code.
        if (codings.length === 0 ? !filters.uncoded : this.matchesOf(u, codings).length === 0) continue;
      }
      units[kept] = u;
      scores[kept++] = candidates.scores[i] as number;
    }
    return { units: units.subarray(0, kept), scores: scores.subarray(0, kept) };
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

  private speakerOk(unit: number): boolean {
    if (!this.speakers) return true;
    // A title block is said by no one: no speaker filter keeps it.
    if (this.projectIndex.outsideTurns(unit)) return false;
    return this.speakers[this.projectIndex.speakerOf(unit)] === 1;
  }

  /** Codings of the unit's document overlapping it (of the filter's code, if there is one). */
  private overlapping(unit: number): Coding[] {
    const documentId = this.projectIndex.documentIdAt(this.projectIndex.documentOf(unit));
    const { codeId } = this.filters;
    if (codeId !== undefined && this.inDocument.size === 0) {
      // The code's codings, read once and put by document: fewer than one document's codings.
      for (const c of codingsOfCode(this.state, codeId as CodeId)) {
        const list = this.inDocument.get(c.documentId);
        if (list) list.push(c);
        else this.inDocument.set(c.documentId, [c]);
      }
    }
    let codings = this.inDocument.get(documentId);
    if (!codings) {
      codings = codeId === undefined ? codingsOfDocument(this.state, documentId as DocumentId) : [];
      this.inDocument.set(documentId, codings);
    }
    const { start, end } = this.projectIndex.spanOf(unit);
    return codings.filter((c) => c.start < end && c.end > start);
  }

  /** The unit's matched words, kept by the code filters when there are codings to check. */
  private matchesOf(unit: number, codings?: readonly Coding[]): { start: number; end: number }[] {
    const matches = this.words.located(unit);
    if (!codings) return matches;
    const covered = (m: { start: number; end: number }) =>
      codings.some((c) => c.start <= m.start && c.end >= m.end);
    return matches.filter((m) => covered(m) === !this.filters.uncoded);
  }

  /** A kept unit with its matched words, as the index has it now; undefined without any. */
  locate(u: number, score: number): Found | undefined {
    const matches = this.matchesOf(u, this.codeFilter ? this.overlapping(u) : undefined);
    return matches.length === 0 ? undefined : { unit: this.projectIndex.unit(u), matches, score };
  }

  /** A located unit as a hit: its text, its time and participant; undefined if its document is gone. */
  async hit({ unit, matches, score }: Found): Promise<Hit | undefined> {
    const { state } = this;
    const document = state.documents[unit.documentId];
    if (!document) return undefined;
    const index = await this.textOf(unit.documentId);
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

/**
 * Which of the index's speakers a speaker filter keeps (1) or leaves out (2): worked out once per
 * index, filter and interviewer labels, as folding hundreds of names costs more than a query.
 */
const verdicts = new WeakMap<ProjectIndex, Map<string, Uint8Array>>();

function speakersKept(projectIndex: ProjectIndex, speaker: string, labels?: readonly string[]): Uint8Array {
  const key = JSON.stringify([speaker, labels]);
  let known = verdicts.get(projectIndex);
  if (!known) verdicts.set(projectIndex, (known = new Map()));
  const names = projectIndex.speakers;
  let kept = known.get(key);
  if (kept?.length !== names.length) {
    const wanted = foldForComparison(speaker);
    kept = Uint8Array.from(names, (name) =>
      (speaker === 'interviewees' ? !isInterviewer(name, labels) : foldForComparison(name) === wanted)
        ? 1
        : 2,
    );
    if (known.size >= 20) known.clear();
    known.set(key, kept);
  }
  return kept;
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
