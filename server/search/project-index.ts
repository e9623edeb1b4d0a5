import MiniSearch, { type AsPlainObject, type SearchResult } from 'minisearch';
import type { DocumentMeta } from '../../shared/model.ts';
import { CodePointIndex } from '../../shared/offsets.ts';
import { processTerm, tokenize, words } from '../../shared/search/french.ts';
import type { Clause, Query } from '../../shared/search/query.ts';
import { stringifyInSlices } from '../storage/sliced-json.ts';
import { searchUnits, type SearchUnit } from '../../shared/search/units.ts';

/**
 * Bump when the index's shape, its units or its term processing change: older persisted indexes
 * are rebuilt. 2: text outside speaker turns (a title block) is indexed too.
 */
export const INDEX_VERSION = 2;

export interface IndexedUnit extends SearchUnit {
  readonly id: string;
  readonly documentId: string;
}

interface Indexed extends IndexedUnit {
  readonly text: string;
}

export interface SearchOptions {
  prefix: boolean;
  fuzzy: boolean;
}

/** A unit's words, stop words left out: term numbers and [start, end) in UTF-16 units of the unit's text. */
export interface UnitWords {
  readonly terms: Uint32Array;
  readonly starts: Uint32Array;
  readonly ends: Uint32Array;
}

/** A unit that matched, with its score and the stored terms that matched it. */
export interface UnitMatch {
  unit: IndexedUnit;
  score: number;
  terms: Set<string>;
}

const MINI_OPTIONS = {
  fields: ['text'],
  storeFields: [],
  tokenize: words,
  processTerm: (term: string) => processTerm(term),
};

function miniSearch(): MiniSearch<Indexed> {
  return new MiniSearch<Indexed>(MINI_OPTIONS);
}

/**
 * One project's full-text index: MiniSearch over passages (speaker turns, long ones cut at
 * sentence ends), each knowing its document, offsets, speaker and time. It records the event
 * `seq` it reflects, so it can be persisted and brought up to date from the event log.
 */
export class ProjectIndex {
  private constructor(
    private readonly mini: MiniSearch<Indexed>,
    private readonly units: Map<string, IndexedUnit>,
    private readonly byDocument: Map<string, string[]>,
    public seq: number,
  ) {}

  static empty(): ProjectIndex {
    return new ProjectIndex(miniSearch(), new Map(), new Map(), 0);
  }

  /** Rebuild from a persisted form; undefined when it is of another version or unreadable. */
  static load(json: string): ProjectIndex | undefined {
    try {
      const data = JSON.parse(json) as { version: number; seq: number; units: IndexedUnit[]; index: unknown };
      if (data.version !== INDEX_VERSION) return undefined;
      // loadJS takes the parsed object: no second parse of the index's JSON.
      const mini = MiniSearch.loadJS<Indexed>(data.index as AsPlainObject, MINI_OPTIONS);
      const units = new Map(data.units.map((u) => [u.id, u]));
      const byDocument = new Map<string, string[]>();
      for (const u of data.units) {
        const ids = byDocument.get(u.documentId);
        if (ids) ids.push(u.id);
        else byDocument.set(u.documentId, [u.id]);
      }
      return new ProjectIndex(mini, units, byDocument, data.seq);
    } catch {
      return undefined;
    }
  }

  /**
   * The persisted form, written in slices between requests: the index of a study of 4 million
   * words is tens of megabytes of JSON, which one JSON.stringify would build while every request
   * waits.
   */
  async serialise(): Promise<string> {
    const snapshot = {
      version: INDEX_VERSION,
      seq: this.seq,
      units: [...this.units.values()],
      index: this.mini.toJSON(),
    };
    return stringifyInSlices(snapshot, 4, 3);
  }

  /**
   * The words of each unit read so far, stop words left out: their terms as numbers (`termIds`)
   * and their positions, in UTF-16 units from the unit's start. Phrases are checked, and matched
   * words located, without tokenising and stemming the passage again. Kept in memory only.
   */
  private readonly unitWords = new Map<string, UnitWords>();
  private readonly termIds = new Map<string, number>();

  private termId(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.termIds.size;
      this.termIds.set(term, id);
    }
    return id;
  }

  /** The unit's words; `text` gives the unit's text the first time the unit is read. */
  wordsOf(unit: IndexedUnit, text: () => string): UnitWords {
    let found = this.unitWords.get(unit.id);
    if (!found) {
      const terms: number[] = [];
      const starts: number[] = [];
      const ends: number[] = [];
      for (const token of tokenize(text())) {
        const term = processTerm(token.word);
        if (term === null) continue;
        terms.push(this.termId(term));
        starts.push(token.start);
        ends.push(token.end);
      }
      found = {
        terms: Uint32Array.from(terms),
        starts: Uint32Array.from(starts),
        ends: Uint32Array.from(ends),
      };
      this.unitWords.set(unit.id, found);
    }
    return found;
  }

  /** The numbers of these terms, leaving out terms no unit read so far holds. */
  termNumbers(terms: Iterable<string>): Set<number> {
    const ids = new Set<number>();
    for (const term of terms) {
      const id = this.termIds.get(term);
      if (id !== undefined) ids.add(id);
    }
    return ids;
  }

  /**
   * Whether the clause's terms follow each other in the unit (stop words between them are
   * skipped). `text` gives the unit's text the first time the unit is read.
   */
  hasPhrase(unit: IndexedUnit, clause: Clause, text: () => string): boolean {
    const { terms } = this.wordsOf(unit, text);
    const wanted = clause.terms.map((t) => this.termIds.get(t));
    if (wanted.some((id) => id === undefined)) return false;
    outer: for (let i = 0; i + wanted.length <= terms.length; i++) {
      for (let j = 0; j < wanted.length; j++) if (terms[i + j] !== wanted[j]) continue outer;
      return true;
    }
    return false;
  }

  /** Document ids the index holds, to compare with the project's. */
  documentIds(): Set<string> {
    return new Set(this.byDocument.keys());
  }

  addDocument(document: DocumentMeta, text: string): void {
    this.removeDocument(document.id);
    const index = new CodePointIndex(text);
    const ids: string[] = [];
    for (const unit of searchUnits(index, document.turns)) {
      const indexed: Indexed = {
        ...unit,
        id: `${document.id}:${unit.start}`,
        documentId: document.id,
        text: index.slice(unit.start, unit.end),
      };
      this.mini.add(indexed);
      const { text: _text, ...meta } = indexed;
      this.units.set(indexed.id, meta);
      ids.push(indexed.id);
    }
    this.byDocument.set(document.id, ids);
  }

  removeDocument(documentId: string): void {
    for (const id of this.byDocument.get(documentId) ?? []) {
      this.mini.discard(id);
      this.units.delete(id);
      this.unitWords.delete(id);
    }
    this.byDocument.delete(documentId);
  }

  /** Units matching one clause (all its terms), with the stored terms that matched. */
  private matchClause(
    clause: Clause,
    options: SearchOptions,
  ): Map<string, { score: number; terms: Set<string> }> {
    const results: SearchResult[] = this.mini.search(clause.terms.join(' '), {
      combineWith: 'AND',
      tokenize: (s) => s.split(' '),
      processTerm: (t) => t,
      prefix: (term) => options.prefix && !clause.phrase && term.length >= 3,
      fuzzy: (term) => (options.fuzzy && !clause.phrase && term.length >= 4 ? 0.2 : false),
    });
    return new Map(results.map((r) => [String(r.id), { score: r.score, terms: new Set(r.terms) }]));
  }

  /**
   * Units matching a query: every group (one of its clauses), no excluded clause. Phrases are
   * checked afterwards against the unit's text by `phraseOk`.
   */
  search(
    query: Query,
    options: SearchOptions,
    phraseOk: (unit: IndexedUnit, clause: Clause) => boolean,
  ): UnitMatch[] {
    let acc: Map<string, UnitMatch> | undefined;
    for (const group of query.groups) {
      const groupHits = new Map<string, UnitMatch>();
      for (const clause of group) {
        for (const [id, hit] of this.matchClause(clause, options)) {
          const unit = this.units.get(id);
          if (!unit || (clause.phrase && !phraseOk(unit, clause))) continue;
          const prev = groupHits.get(id);
          if (prev) {
            prev.score += hit.score;
            for (const t of hit.terms) prev.terms.add(t);
          } else groupHits.set(id, { unit, score: hit.score, terms: new Set(hit.terms) });
        }
      }
      if (!acc) acc = groupHits;
      else {
        const next = new Map<string, UnitMatch>();
        for (const [id, hit] of groupHits) {
          const prev = acc.get(id);
          if (!prev) continue;
          for (const t of hit.terms) prev.terms.add(t);
          prev.score += hit.score;
          next.set(id, prev);
        }
        acc = next;
      }
    }
    for (const clause of query.excluded) {
      for (const id of this.matchClause(clause, { prefix: false, fuzzy: false }).keys()) {
        const unit = this.units.get(id);
        if (unit && (!clause.phrase || phraseOk(unit, clause))) acc?.delete(id);
      }
    }
    return [...(acc?.values() ?? [])];
  }
}
