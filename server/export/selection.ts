/**
 * What an export holds: the options read from its query string, and the themes and quotes they
 * select, already pseudonymised. Every export format (DOCX report, CSV, XLSX, preview) is built
 * from this, so the same filters select the same passages everywhere.
 */
import { attributeValueOf } from '../../shared/attributes.ts';
import { buildCodeTree, codePath, type CodeNode } from '../../shared/codebook.ts';
import type { CodeId, DocumentId } from '../../shared/ids.ts';
import type {
  AttributeDef,
  AttributeValue,
  Code,
  Coding,
  DocumentMeta,
  ProjectState,
} from '../../shared/model.ts';
import { CodePointIndex } from '../../shared/offsets.ts';
import { publicationReplacements } from '../../shared/publication.ts';
import { createReplacer, type Replacer } from '../../shared/pseudonymise.ts';
import type { EXPORT_SORTS } from '../../shared/queries.ts';
import { codingsInScope, documentsInScope, type ReviewFilter } from '../../shared/stats/filters.ts';
import { findPassages, type PassageSpan } from '../../shared/stats/retrieve.ts';
import { unitsOverlapping } from '../../shared/stats/sweep.ts';
import { citationOf, quoteSpeakers } from './citation.ts';
import { frenchLexicon } from './lexicon.ts';
import { syncTimeAt } from '../../shared/sync-points.ts';

export type ExportSort = (typeof EXPORT_SORTS)[number];

/** The options every export reads; each format uses those that concern it. */
export interface ExportOptions {
  readonly filter: ReviewFilter;
  /** The themes chosen (`codes=a,b`); null for the whole codebook. */
  readonly codeIds: readonly CodeId[] | null;
  readonly pseudonymise: boolean;
  /** At most this many quotes per theme in the report; null for all. */
  readonly maxPerCode: number | null;
  readonly sort: ExportSort;
  readonly memos: boolean;
  /** The attribute each theme's passages are broken down by, in its summary line and the annex. */
  readonly attribute: AttributeDef | null;
  /** The attributes shown in each quote's citation, after the pseudonym, in this order. */
  readonly cite: readonly AttributeDef[];
  readonly delimiter: ',' | ';';
}

/**
 * The replacer an export applies (the project's list, participants' names and their parts, the
 * values of unpublished attributes: see `publicationReplacements`), or none.
 */
export function replacerFor(state: Readonly<ProjectState>, pseudonymise: boolean): Replacer {
  if (!pseudonymise) return createReplacer([]);
  return createReplacer(publicationReplacements(state, frenchLexicon()));
}

/** One quote of the report: a passage of one theme, with who said it, already pseudonymised. */
export interface ReportQuote {
  readonly documentId: DocumentId;
  readonly documentName: string;
  /** [start, end) in code points of the document's stored text. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** « P03, responsable billetterie, Théâtre, 00:12:34 » (without the dash). */
  readonly citation: string;
  readonly time: number | null;
  readonly memos: readonly string[];
  /** The value of the breakdown attribute, '' when the participant has none. */
  readonly group: string;
  readonly participantKey: string;
}

/** How many passages of a theme are in scope, said by how many participants, and by group. */
export interface ThemeCounts {
  readonly total: number;
  readonly participants: number;
  readonly breakdown: readonly { readonly value: string; readonly count: number }[];
}

/** A theme of the report, in codebook order, with its sub-themes. */
export interface ReportTheme {
  readonly code: Code;
  readonly name: string;
  readonly definition: string;
  /** Path from the root, « Parent > Enfant », pseudonymised. */
  readonly path: string;
  readonly depth: number;
  /** False for a parent shown only because one of its sub-themes was chosen. */
  readonly selected: boolean;
  /** Every passage of the theme in scope (before `maxPerCode`). */
  readonly total: number;
  readonly participants: number;
  /** Passages per value of the breakdown attribute, most frequent first. */
  readonly breakdown: readonly { readonly value: string; readonly count: number }[];
  /**
   * For a theme with sub-themes: the same counts over the theme and all its sub-themes together
   * (the roll-up the codebook panel shows), a passage coded by several of them counted once.
   */
  readonly rollup?: ThemeCounts;
  /** The quotes shown, sorted, at most `maxPerCode` (none written when only counted). */
  readonly quotes: readonly ReportQuote[];
  /** How many quotes the theme shows: `quotes.length` once written. */
  readonly shown: number;
  readonly children: readonly ReportTheme[];
}

export interface ReportSelection {
  readonly themes: readonly ReportTheme[];
  /** Themes chosen (with at least their heading in the report), passages shown and in scope. */
  readonly counts: {
    readonly themes: number;
    readonly quotes: number;
    readonly passages: number;
    readonly participants: number;
  };
}

/** An attribute value as text. */
export function attributeText(value: AttributeValue | undefined): string {
  return value === undefined ? '' : String(value);
}

/**
 * The time of a passage in the recording: that of the last sync point at or before its start, else
 * the time of the turn holding its start, else of the first turn it overlaps.
 */
export function timeOf(document: DocumentMeta, start: number, end: number): number | null {
  const synced = syncTimeAt(document.syncPoints ?? [], start);
  if (synced !== null) return synced;
  const overlapping = unitsOverlapping(document.turns, { start, end });
  const holding = overlapping.find((i) => {
    const t = document.turns[i];
    return t !== undefined && t.start <= start && start < t.end;
  });
  const index = holding ?? overlapping[0];
  return index === undefined ? null : (document.turns[index]?.time ?? null);
}

/** The chosen codes and every ancestor of theirs, so sub-themes keep their place in the tree. */
function visibleCodes(state: Readonly<ProjectState>, chosen: ReadonlySet<string>): Set<string> {
  const visible = new Set<string>();
  for (const id of chosen) {
    let cursor: string | null = id;
    while (cursor !== null && !visible.has(cursor)) {
      visible.add(cursor);
      cursor = state.codes[cursor]?.parentId ?? null;
    }
  }
  return visible;
}

/** A theme's passage before its quote is written: enough to count, sort and pick it. */
interface Candidate extends Speaker {
  readonly span: PassageSpan;
  readonly document: DocumentMeta;
  readonly time: number | null;
  /** Written before sorting only when the sort needs its text (by length). */
  quote?: ReportQuote;
}

function compareCandidates(sort: ExportSort, order: ReadonlyMap<string, number>) {
  const byDocument = (a: Candidate, b: Candidate) =>
    (order.get(a.span.documentId) ?? 0) - (order.get(b.span.documentId) ?? 0) || a.span.start - b.span.start;
  if (sort === 'time') {
    return (a: Candidate, b: Candidate) => (a.time ?? Infinity) - (b.time ?? Infinity) || byDocument(a, b);
  }
  if (sort === 'length')
    return (a: Candidate, b: Candidate) =>
      (b.quote?.text.length ?? 0) - (a.quote?.text.length ?? 0) || byDocument(a, b);
  return byDocument;
}

/** Who said a passage, and the group the breakdown puts it in. */
interface Speaker {
  readonly participantKey: string;
  readonly group: string;
}

/** The codings of each code, in the order given. */
function groupByCode(codings: readonly Coding[], keep: (c: Coding) => boolean): Map<string, Coding[]> {
  const grouped = new Map<string, Coding[]>();
  for (const c of codings) {
    if (!keep(c)) continue;
    const list = grouped.get(c.codeId);
    if (list) list.push(c);
    else grouped.set(c.codeId, [c]);
  }
  return grouped;
}

function subtreeIds(node: CodeNode): CodeId[] {
  return [node.code.id, ...node.children.flatMap(subtreeIds)];
}

/**
 * The report's themes and quotes. Each theme's passages are its codings in scope, those that share
 * text (two coders on the same passage) merged into one quote; texts are read through `readText`
 * once per document. With `write: 'counts'`, every count is the same but no quote is written:
 * nothing is read or pseudonymised (the preview of a report of 100,000 quotes took 4 s for it).
 */
export async function selectReport(
  state: Readonly<ProjectState>,
  options: ExportOptions,
  readText: (id: DocumentId) => Promise<string>,
  write: 'quotes' | 'counts' = 'quotes',
): Promise<ReportSelection> {
  const report = new ReportBuilder(state, options, readText, write === 'quotes');
  const themes: ReportTheme[] = [];
  for (const root of buildCodeTree(state.codes)) {
    const built = await report.build(root, 0);
    if (built) themes.push(built);
  }
  return {
    themes,
    counts: {
      themes: report.chosen.size,
      quotes: report.quotesShown,
      passages: report.passagesInScope,
      participants: report.allParticipants.size,
    },
  };
}

/** One report's themes, built one code at a time, with the counts of what they show. */
class ReportBuilder {
  private readonly replace: Replacer;
  private readonly documents: readonly DocumentMeta[];
  private readonly order: ReadonlyMap<string, number>;
  private readonly byId: ReadonlyMap<string, DocumentMeta>;
  private readonly codings: readonly Coding[];
  readonly chosen: ReadonlySet<string>;
  private readonly visible: ReadonlySet<string>;
  private readonly codingsByCode: ReadonlyMap<string, Coding[]>;
  private readonly indexes = new Map<string, CodePointIndex>();
  private readonly speakers = new Map<string, Speaker>();
  /** Every code's codings in scope, chosen or not (a parent counts all its sub-themes), grouped once. */
  private everyCode: Map<string, Coding[]> | undefined;
  readonly allParticipants = new Set<string>();
  quotesShown = 0;
  passagesInScope = 0;

  constructor(
    private readonly state: Readonly<ProjectState>,
    private readonly options: ExportOptions,
    private readonly readText: (id: DocumentId) => Promise<string>,
    private readonly writeQuotes: boolean,
  ) {
    this.replace = replacerFor(state, options.pseudonymise);
    const documents = documentsInScope(state, options.filter);
    this.documents = documents;
    this.order = new Map(documents.map((d, i) => [d.id as string, i]));
    this.byId = new Map(documents.map((d) => [d.id as string, d]));
    this.codings = codingsInScope(state, options.filter, documents);
    const chosen = new Set<string>(options.codeIds ?? Object.keys(state.codes));
    this.chosen = chosen;
    this.visible = visibleCodes(state, chosen);
    this.codingsByCode = groupByCode(this.codings, (c) => chosen.has(c.codeId));
  }

  /** The theme of `node` and its sub-themes, or undefined when none of them was chosen. */
  async build(node: CodeNode, depth: number): Promise<ReportTheme | undefined> {
    if (!this.visible.has(node.code.id)) return undefined;
    const { replace } = this;
    const selected = this.chosen.has(node.code.id);
    const passages = selected ? await this.candidatesOf(node.code.id) : [];
    for (const p of passages) this.allParticipants.add(p.participantKey);
    const own = this.countsOf(passages);
    const picked = this.options.maxPerCode === null ? passages : passages.slice(0, this.options.maxPerCode);
    // Only the quotes shown are written (their text read and pseudonymised): the others are counted.
    const shown: ReportQuote[] = [];
    if (this.writeQuotes) for (const p of picked) shown.push(p.quote ?? (await this.quoteOf(p)));
    this.quotesShown += picked.length;
    this.passagesInScope += passages.length;
    const children: ReportTheme[] = [];
    for (const child of node.children) {
      const built = await this.build(child, depth + 1);
      if (built) children.push(built);
    }
    return {
      code: node.code,
      name: replace.apply(node.code.name),
      definition: replace.apply(node.code.description.trim()),
      path: replace.apply(codePath(this.state.codes, node.code.id).join(' > ')),
      depth,
      selected,
      ...own,
      ...(node.children.length > 0 ? { rollup: this.rollupOf(node) } : {}),
      quotes: shown,
      shown: picked.length,
      children,
    };
  }

  /** A chosen theme's passages in scope, sorted, each with who said it. */
  private async candidatesOf(codeId: CodeId): Promise<Candidate[]> {
    const spans = findPassages([codeId], 'or', this.documents, this.codingsByCode.get(codeId) ?? []);
    const candidates: Candidate[] = spans.map((span) => {
      const document = this.byId.get(span.documentId) as DocumentMeta;
      return { span, document, time: timeOf(document, span.start, span.end), ...this.speakerOf(document) };
    });
    // Sorted by length, the quotes are written first; the order does not change what is counted.
    if (this.options.sort === 'length' && this.writeQuotes)
      for (const c of candidates) c.quote = await this.quoteOf(c);
    return candidates.sort(compareCandidates(this.options.sort, this.order));
  }

  /** The quote of a passage: its text and citation, pseudonymised. */
  private async quoteOf({ span, document, time, group, participantKey }: Candidate): Promise<ReportQuote> {
    const { state, options, replace } = this;
    const participant =
      document.participantId === null ? undefined : state.participants[document.participantId];
    const index = await this.textOf(span.documentId);
    return {
      documentId: span.documentId,
      documentName: replace.apply(document.name),
      start: span.start,
      end: span.end,
      text: replace.apply(index.slice(span.start, span.end)),
      citation: replace.apply(
        citationOf(
          participant,
          document,
          options.cite,
          time,
          quoteSpeakers(document, span.start, span.end, state.settings.interviewerLabels),
        ),
      ),
      time,
      memos: options.memos
        ? span.codings
            .map((c) => c.memo.trim())
            .filter((m) => m !== '')
            .map((m) => replace.apply(m))
        : [],
      group,
      participantKey,
    };
  }

  private async textOf(id: DocumentId): Promise<CodePointIndex> {
    const known = this.indexes.get(id);
    if (known) return known;
    const index = new CodePointIndex(await this.readText(id));
    this.indexes.set(id, index);
    return index;
  }

  /** Who said a passage of `document`, and the group the breakdown puts it in; one per document. */
  private speakerOf(document: DocumentMeta): Speaker {
    let speaker = this.speakers.get(document.id);
    if (!speaker) this.speakers.set(document.id, (speaker = this.describeSpeaker(document)));
    return speaker;
  }

  private describeSpeaker(document: DocumentMeta): Speaker {
    const { state, options } = this;
    const participant =
      document.participantId === null ? undefined : state.participants[document.participantId];
    return {
      participantKey: participant ? participant.id : `document:${document.id}`,
      group: options.attribute
        ? this.replace.apply(attributeText(attributeValueOf(participant?.attributes, options.attribute.name)))
        : '',
    };
  }

  private countsOf(passages: readonly Speaker[]): ThemeCounts {
    const groups = new Map<string, number>();
    for (const q of passages) groups.set(q.group, (groups.get(q.group) ?? 0) + 1);
    return {
      total: passages.length,
      participants: new Set(passages.map((q) => q.participantKey)).size,
      breakdown: this.options.attribute
        ? [...groups.entries()]
            .map(([value, count]) => ({ value, count }))
            .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value, 'fr'))
        : [],
    };
  }

  /** The passages of a theme and its sub-themes in scope, those that share text merged, counted. */
  private rollupOf(node: CodeNode): ThemeCounts {
    this.everyCode ??= groupByCode(this.codings, () => true);
    const ids = subtreeIds(node);
    const grouped = this.everyCode;
    const spans = findPassages(
      ids,
      'or',
      this.documents,
      ids.flatMap((id) => grouped.get(id) ?? []),
    );
    return this.countsOf(spans.map((span) => this.speakerOf(this.byId.get(span.documentId) as DocumentMeta)));
  }
}

/** The themes of a selection, depth first, in codebook order. */
export function flattenThemes(themes: readonly ReportTheme[]): ReportTheme[] {
  return themes.flatMap((t) => [t, ...flattenThemes(t.children)]);
}
