import type { DocumentMeta } from '../../shared/model.ts';
import { CodePointIndex } from '../../shared/offsets.ts';
import { forEachWord } from '../../shared/search/french.ts';
import type { Clause, Query } from '../../shared/search/query.ts';
import { searchUnits, type SearchUnit } from '../../shared/search/units.ts';
import {
  columnArrays,
  cutDocument,
  documentOffsets,
  emptyColumns,
  OUTSIDE_TURNS,
  trimColumns,
  unitCount,
  type ColumnArrays,
  type IndexColumns,
} from './index-columns.ts';
import { parseIndex, serialiseIndex } from './index-file.ts';
import { buildPostings, buildPostingsInSlices, dropUnusedTerms, type Postings } from './postings.ts';
import {
  evaluate,
  expandTerm,
  Scratch,
  type Expansion,
  type Matched,
  type ScoringContext,
  type SearchOptions,
} from './scoring.ts';
import { TokenBuffer, WordForms } from './word-forms.ts';

export { INDEX_VERSION } from './index-file.ts';
export type { Matched, SearchOptions } from './scoring.ts';

export interface IndexedUnit extends SearchUnit {
  readonly id: string;
  readonly documentId: string;
}

/** Expansions remembered between queries; emptied when full, or when the vocabulary changes. */
const EXPANSIONS_LIMIT = 2000;

/**
 * One project's full-text index over passages (speaker turns, long ones cut at sentence ends),
 * each knowing its document, offsets, speaker and time, with its words as term numbers and their
 * positions in code points (`index-columns.ts`): phrases are checked, and matched words located,
 * without reading the text again. It records the event `seq` it reflects, so it can be persisted
 * and brought up to date from the event log.
 */
export class ProjectIndex implements ScoringContext {
  private termIds = new Map<string, number>();
  private derived: { postings: Postings; offsets: Uint32Array } | undefined;
  private readonly expansions = new Map<string, Expansion>();
  private scratchArrays: Scratch | undefined;
  private slots = new Map<string, number>();
  private speakerIds = new Map<string, number>();
  /** Word forms met while adding documents, with their term numbers (see `WordForms`). */
  private forms: WordForms | undefined;
  private tokens: TokenBuffer | undefined;

  private constructor(
    private readonly columns: IndexColumns,
    public seq: number,
  ) {
    this.renumber();
  }

  static empty(): ProjectIndex {
    return new ProjectIndex(emptyColumns(), 0);
  }

  /** An index over columns built elsewhere (on another thread: `columnsOf`). */
  static of(columns: IndexColumns, seq: number): ProjectIndex {
    return new ProjectIndex(columns, seq);
  }

  /** The columns as plain values, to send to another thread (see `columnArrays`). */
  arrays(): ColumnArrays {
    this.changes++;
    return columnArrays(this.columns);
  }

  /** Rebuild from a persisted form; undefined when it is of another version or unreadable. */
  static load(bytes: Uint8Array): ProjectIndex | undefined {
    const parsed = parseIndex(bytes);
    return parsed && new ProjectIndex(parsed.columns, parsed.seq);
  }

  /** Changes made to the index so far: a persisted form must be of one instant. */
  private changes = 0;

  /** The persisted form (`index-file.ts`); undefined if the index changed while it was written. */
  serialise(): Promise<Uint8Array[] | undefined> {
    const changes = this.changes;
    return serialiseIndex(this.columns, this.seq, () => this.changes === changes);
  }

  private renumber(): void {
    this.termIds = new Map(this.columns.terms.map((t, i) => [t, i]));
    this.slots = new Map(this.columns.documents.map((d, i) => [d, i]));
    this.speakerIds = new Map(this.columns.speakers.map((s, i) => [s, i]));
    this.forms = undefined;
    this.derived = undefined;
    this.expansions.clear();
  }

  private termId(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.columns.terms.length;
      this.columns.terms.push(term);
      this.termIds.set(term, id);
    }
    return id;
  }

  private speakerId(speaker: string): number {
    let id = this.speakerIds.get(speaker);
    if (id === undefined) {
      id = this.columns.speakers.push(speaker) - 1;
      this.speakerIds.set(speaker, id);
    }
    return id;
  }

  /** Document ids the index holds, to compare with the project's. */
  documentIds(): Set<string> {
    return new Set(this.columns.documents);
  }

  addDocument(document: DocumentMeta, text: string): void {
    this.removeDocument(document.id);
    const c = this.columns;
    const index = new CodePointIndex(text);
    const forms = (this.forms ??= new WordForms((term) => this.termId(term)));
    forms.trim();
    const tokens = (this.tokens ??= new TokenBuffer());
    tokens.length = 0;
    let units = 0;
    for (const unit of searchUnits(index, document.turns)) {
      const stamp = ++forms.stamp;
      let length = 0;
      forEachWord(text, index.toUtf16(unit.start), index.toUtf16(unit.end), (start, end, hash) => {
        const form = forms.in(text, start, end, hash);
        if (forms.seen[form] !== stamp) {
          forms.seen[form] = stamp;
          length++;
        }
        const term = forms.term[form] as number;
        if (term >= 0) tokens.push(term, index.toCodePoint(start), index.toCodePoint(end));
      });
      this.addUnit(unit, length, c.tokenTerm.length + tokens.length);
      units++;
    }
    tokens.appendTo(c);
    this.slots.set(document.id, c.documents.length);
    c.documents.push(document.id);
    c.documentUnits.push(units);
    this.changes++;
    this.derived = undefined;
    this.expansions.clear();
  }

  /**
   * A unit whose words were just read; `length` is its number of distinct word forms, `tokenEnd`
   * where its words end in the token columns.
   */
  private addUnit(unit: SearchUnit, length: number, tokenEnd: number): void {
    const c = this.columns;
    // As MiniSearch's addFieldLength did: a running mean.
    const count = unitCount(c);
    c.averageLength = (c.averageLength * count + length) / (count + 1);
    c.unitStart.push(unit.start);
    c.unitEnd.push(unit.end);
    c.unitSpeaker.push(this.speakerId(unit.speaker));
    c.unitTime.push(unit.time ?? NaN);
    c.unitFlags.push(unit.outsideTurns ? OUTSIDE_TURNS : 0);
    c.unitLength.push(length);
    c.unitTokens.push(tokenEnd);
  }

  /** Give back the room its arrays keep for growth, once documents have been added. */
  compact(): void {
    this.changes++;
    trimColumns(this.columns);
  }

  removeDocument(documentId: string): void {
    const slot = this.slots.get(documentId);
    if (slot === undefined) return;
    this.changes++;
    cutDocument(this.columns, slot);
    dropUnusedTerms(this.columns);
    this.renumber();
  }

  /** Derive the postings now, a slice at a time, rather than at the next query in one block. */
  async prepare(): Promise<void> {
    if (this.derived) return;
    const changes = this.changes;
    const postings = await buildPostingsInSlices(this.columns);
    // Changed meanwhile (it should not: the search service changes an index only here, under its
    // lock), the next query derives them again.
    if (this.changes === changes) this.derived = { postings, offsets: documentOffsets(this.columns) };
  }

  private get ready(): { postings: Postings; offsets: Uint32Array } {
    this.derived ??= { postings: buildPostings(this.columns), offsets: documentOffsets(this.columns) };
    return this.derived;
  }

  get unitCount(): number {
    return unitCount(this.columns);
  }

  scratch(): Scratch {
    const size = this.unitCount;
    if (this.scratchArrays?.size !== size) this.scratchArrays = new Scratch(size);
    return this.scratchArrays;
  }

  get postings(): Postings {
    return this.ready.postings;
  }

  get unitLength(): Uint32Array {
    return this.columns.unitLength.array;
  }

  get averageLength(): number {
    return this.columns.averageLength;
  }

  expand(term: string, prefix: boolean, fuzzy: boolean): Expansion {
    const key = `${prefix ? 1 : 0}${fuzzy ? 1 : 0}${term}`;
    let found = this.expansions.get(key);
    if (!found) {
      found = expandTerm(term, prefix, fuzzy, this.columns.terms, this.termIds.get(term));
      if (this.expansions.size >= EXPANSIONS_LIMIT) this.expansions.clear();
      this.expansions.set(key, found);
    }
    return found;
  }

  phraseTerms(clause: Clause): Uint32Array | undefined {
    const ids = clause.terms.map((t) => this.termIds.get(t));
    return ids.some((id) => id === undefined) ? undefined : Uint32Array.from(ids as number[]);
  }

  /** Whether the unit's words hold `wanted` one after the other (stop words between are skipped). */
  hasPhrase(unit: number, wanted: Uint32Array): boolean {
    const tokens = this.columns.tokenTerm.array;
    const from = this.columns.unitTokens.array[unit] as number;
    const to = (this.columns.unitTokens.array[unit + 1] as number) - wanted.length;
    outer: for (let i = from; i <= to; i++) {
      for (let j = 0; j < wanted.length; j++) if (tokens[i + j] !== wanted[j]) continue outer;
      return true;
    }
    return false;
  }

  /** Units matching a query, ascending, with their scores. */
  search(query: Query, options: SearchOptions): Matched {
    return evaluate(this, query, options);
  }

  /** The document slot of a unit (an index into `documentIdAt`). */
  documentOf(unit: number): number {
    return this.ready.postings.unitDocument[unit] as number;
  }

  documentIdAt(slot: number): string {
    return this.columns.documents[slot] as string;
  }

  get speakers(): readonly string[] {
    return this.columns.speakers;
  }

  speakerOf(unit: number): number {
    return this.columns.unitSpeaker.array[unit] as number;
  }

  outsideTurns(unit: number): boolean {
    return ((this.columns.unitFlags.array[unit] as number) & OUTSIDE_TURNS) !== 0;
  }

  /** Start and end of a unit, in code points of its document's text. */
  spanOf(unit: number): { start: number; end: number } {
    return {
      start: this.columns.unitStart.array[unit] as number,
      end: this.columns.unitEnd.array[unit] as number,
    };
  }

  unit(unit: number): IndexedUnit {
    const c = this.columns;
    const documentId = this.documentIdAt(this.documentOf(unit));
    const { start, end } = this.spanOf(unit);
    const time = c.unitTime.array[unit] as number;
    return {
      id: `${documentId}:${start}`,
      documentId,
      start,
      end,
      speaker: c.speakers[this.speakerOf(unit)] as string,
      ...(Number.isNaN(time) ? {} : { time }),
      ...(this.outsideTurns(unit) ? { outsideTurns: true as const } : {}),
    };
  }

  /** The words of a unit: term numbers, and [start, end) of each in code points of the document. */
  wordsOf(unit: number): { terms: Uint32Array; starts: Uint32Array; ends: Uint32Array } {
    const c = this.columns;
    const from = c.unitTokens.array[unit] as number;
    const to = c.unitTokens.array[unit + 1] as number;
    return {
      terms: c.tokenTerm.array.subarray(from, to),
      starts: c.tokenStart.array.subarray(from, to),
      ends: c.tokenEnd.array.subarray(from, to),
    };
  }
}
