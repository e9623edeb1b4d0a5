import { DomainError } from '../../shared/errors.ts';
import type { DocumentMeta, ProjectState } from '../../shared/model.ts';
import type { CodePointIndex } from '../../shared/offsets.ts';
import { processTerm, tokenize } from '../../shared/search/french.ts';
import type { Clause, Query } from '../../shared/search/query.ts';
import { sentenceAround } from '../../shared/search/units.ts';
import { documentsInScope, type ReviewFilter } from '../../shared/stats/filters.ts';
import { foldForComparison } from '../../shared/text.ts';
import { isInterviewer } from '../../shared/turns.ts';
import type { Store } from '../storage/store.ts';
import type { IndexedUnit, ProjectIndex, SearchOptions } from './project-index.ts';

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

/** The processed terms of a unit's words, with their code-point spans. */
function unitTokens(index: CodePointIndex, unit: IndexedUnit) {
  const base = index.toUtf16(unit.start);
  return tokenize(index.slice(unit.start, unit.end)).map((t) => ({
    term: processTerm(t.word),
    start: index.toCodePoint(base + t.start),
    end: index.toCodePoint(base + t.end),
  }));
}

/** Whether the clause's terms follow each other in the unit (stop words between them are skipped). */
function hasPhrase(tokens: ReturnType<typeof unitTokens>, clause: Clause): boolean {
  const terms = tokens.map((t) => t.term).filter((t): t is string => t !== null);
  outer: for (let i = 0; i + clause.terms.length <= terms.length; i++) {
    for (let j = 0; j < clause.terms.length; j++) if (terms[i + j] !== clause.terms[j]) continue outer;
    return true;
  }
  return false;
}

/**
 * Run a query and turn the matching units into hits: filtered by documents, participant
 * attributes and speaker, with each matched word located in code points, then by code.
 */
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
 * come by relevance, passages in reading order within each. With `page`, and when no filter needs
 * every passage's words (phrases, a code, « not yet coded »), only that page is read in full.
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
  const inScope = new Set(documentsInScope(state, filters.filter).map((d) => d.id as string));
  const texts = new Map<string, CodePointIndex>();
  const textOf = async (documentId: string) => {
    let index = texts.get(documentId);
    if (!index)
      texts.set(documentId, (index = await store.readTextIndex(state.project.id, documentId as never)));
    return index;
  };
  const speakerOk = (speaker: string) => {
    if (!filters.speaker) return true;
    if (filters.speaker === 'interviewees') return !isInterviewer(speaker, state.settings.interviewerLabels);
    return foldForComparison(speaker) === foldForComparison(filters.speaker);
  };
  const candidates = projectIndex
    .search(query, options, () => true)
    .filter((m) => inScope.has(m.unit.documentId) && speakerOk(m.unit.speaker));
  const codingsByDocument = new Map<string, { codeId: string; start: number; end: number }[]>();
  if (filters.codeId || filters.uncoded) {
    for (const c of Object.values(state.codings)) {
      if (!inScope.has(c.documentId)) continue;
      const list = codingsByDocument.get(c.documentId) ?? [];
      list.push(c);
      codingsByDocument.set(c.documentId, list);
    }
  }
  const phrases = query.groups.flat().some((c) => c.phrase) || query.excluded.some((c) => c.phrase);

  /** A candidate read in full: its words located, phrases checked, code filters applied. */
  const expand = async ({ unit, score, terms }: (typeof candidates)[number]): Promise<Hit | undefined> => {
    const document = state.documents[unit.documentId] as DocumentMeta;
    const index = await textOf(unit.documentId);
    const tokens = unitTokens(index, unit);
    if (phrases) {
      if (!query.groups.every((g) => g.some((c) => !c.phrase || hasPhrase(tokens, c)))) return undefined;
      if (query.excluded.some((c) => c.phrase && hasPhrase(tokens, c))) return undefined;
    }
    let matches = tokens
      .filter((t) => t.term !== null && terms.has(t.term))
      .map(({ start, end }) => ({ start, end }));
    const covering = (m: { start: number; end: number }, codeId?: string) =>
      (codingsByDocument.get(unit.documentId) ?? []).some(
        (c) => (codeId === undefined || c.codeId === codeId) && c.start <= m.start && c.end >= m.end,
      );
    if (filters.codeId) matches = matches.filter((m) => covering(m, filters.codeId));
    if (filters.uncoded) matches = matches.filter((m) => !covering(m));
    if (matches.length === 0) return undefined;
    const participant = document.participantId ? state.participants[document.participantId] : undefined;
    return {
      id: unit.id,
      documentId: unit.documentId,
      documentName: document.name,
      start: unit.start,
      end: unit.end,
      snippet: index.slice(unit.start, unit.end),
      speaker: unit.speaker,
      ...(unit.time !== undefined ? { time: unit.time } : {}),
      participant: participant ? { id: participant.id, pseudonym: participant.pseudonym } : null,
      matches,
      score,
    };
  };

  const order = <T extends { score: number; documentId: string; start: number }>(items: T[]): T[] => {
    const docScore = new Map<string, number>();
    for (const h of items) docScore.set(h.documentId, (docScore.get(h.documentId) ?? 0) + h.score);
    return items.sort(
      (a, b) =>
        (docScore.get(b.documentId) ?? 0) - (docScore.get(a.documentId) ?? 0) ||
        a.documentId.localeCompare(b.documentId) ||
        a.start - b.start,
    );
  };
  const countByDocument = (items: readonly { documentId: string }[]) => {
    const counts = new Map<string, { documentId: string; name: string; count: number }>();
    for (const h of items) {
      const entry = counts.get(h.documentId) ?? {
        documentId: h.documentId,
        name: state.documents[h.documentId]?.name ?? '',
        count: 0,
      };
      entry.count++;
      counts.set(h.documentId, entry);
    }
    return [...counts.values()];
  };

  if (page && !phrases && !filters.codeId && !filters.uncoded) {
    // Every candidate has at least one matching word: only the page needs reading.
    const ordered = order(
      candidates.map((c) => ({ ...c, documentId: c.unit.documentId, start: c.unit.start })),
    );
    const hits: Hit[] = [];
    for (const candidate of ordered.slice(page.offset, page.offset + page.limit)) {
      const hit = await expand(candidate);
      if (hit) hits.push(hit);
    }
    return { total: ordered.length, documents: countByDocument(ordered), hits };
  }
  const all: Hit[] = [];
  for (const candidate of candidates) {
    const hit = await expand(candidate);
    if (hit) all.push(hit);
  }
  order(all);
  return {
    total: all.length,
    documents: countByDocument(all),
    hits: page ? all.slice(page.offset, page.offset + page.limit) : all,
  };
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
