import { attributeValueOf, nameRecord } from '../attributes.ts';
import { buildCodeTree, type CodeNode } from '../codebook.ts';
import type { CodeId, DocumentId, UserId } from '../ids.ts';
import type { AttributeDef, Code, Coding, DocumentMeta, Participant, ProjectState } from '../model.ts';
import { spansLength, unionOfSpans } from './sweep.ts';

/** One cell of a crosstab: a code's figures among participants with one attribute value. */
export interface CrosstabCell {
  readonly codings: number;
  readonly participants: number;
  /** 100 · codings of this value / codings of the row across all values (null when the row has none). */
  readonly codingsRowPercent: number | null;
  /** 100 · codings of this value / all codings (any code) in this value's column. */
  readonly codingsColumnPercent: number | null;
  /** 100 · participants of this value with the code / participants of this value in scope. */
  readonly participantsColumnPercent: number | null;
}

/** What is counted for a code (or a subtree of codes). */
export interface CodeFigures {
  /** Number of codings. */
  readonly codings: number;
  /** Number of documents holding at least one of them. */
  readonly documents: number;
  /** Number of participants whose documents hold at least one (documents without participant add none). */
  readonly participants: number;
  /** Code points covered by at least one of them (overlaps counted once). */
  readonly coveredCodePoints: number;
  /** coveredCodePoints / code points of the documents in scope, in [0, 1]; null when there is no text. */
  readonly coverage: number | null;
  /** Crosstab by the values of one attribute, when asked. */
  readonly byValue?: Readonly<Record<string, CrosstabCell>>;
}

export interface FrequencyRow extends CodeFigures {
  readonly codeId: CodeId;
  readonly name: string;
  readonly parentId: CodeId | null;
  /** 0 for a root code. */
  readonly depth: number;
  /** For a code with sub-codes: the figures of the code and all its descendants together. */
  readonly rollup?: CodeFigures;
}

/** A crosstab column: one value of the attribute and what the scope holds for it. */
export interface CrosstabColumn {
  readonly value: string;
  readonly documents: number;
  readonly participants: number;
  /** Codings of any code in documents of participants with this value. */
  readonly codings: number;
}

export interface FrequencyTable {
  /** Every code of the codebook, parents before children, siblings by name. */
  readonly rows: FrequencyRow[];
  readonly totals: {
    readonly documents: number;
    readonly participants: number;
    readonly codePoints: number;
    readonly codings: number;
  };
  readonly crosstab?: { readonly attribute: string; readonly columns: CrosstabColumn[] };
}

/** The codebook in display order with each code's depth. */
export function codesInTreeOrder(
  codes: ProjectState['codes'],
): { code: Code; depth: number; node: CodeNode }[] {
  const out: { code: Code; depth: number; node: CodeNode }[] = [];
  const visit = (nodes: readonly CodeNode[], depth: number) => {
    for (const node of nodes) {
      out.push({ code: node.code, depth, node });
      visit(node.children, depth + 1);
    }
  };
  visit(buildCodeTree(codes), 0);
  return out;
}

/** The display form of an attribute value, used as a crosstab column key. */
function columnKey(value: string | number): string {
  return String(value);
}

interface Context {
  readonly documents: ReadonlyMap<string, DocumentMeta>;
  readonly participants: Readonly<Record<string, Participant>>;
  readonly totalCodePoints: number;
  readonly attribute: AttributeDef | undefined;
  /** Column totals, by key. */
  readonly columns: ReadonlyMap<string, CrosstabColumn>;
}

function participantOf(context: Context, documentId: DocumentId): Participant | undefined {
  const id = context.documents.get(documentId)?.participantId;
  return id === null || id === undefined ? undefined : context.participants[id];
}

/** The figures of a set of codings: O(n log n) for the union of their spans. */
function figuresOf(codings: readonly Coding[], context: Context): CodeFigures {
  const byDocument = new Map<string, Coding[]>();
  const participants = new Set<string>();
  for (const c of codings) {
    const list = byDocument.get(c.documentId);
    if (list) list.push(c);
    else byDocument.set(c.documentId, [c]);
  }
  let covered = 0;
  for (const [documentId, list] of byDocument) {
    covered += spansLength(unionOfSpans(list));
    const participant = participantOf(context, documentId as DocumentId);
    if (participant) participants.add(participant.id);
  }
  const figures = {
    codings: codings.length,
    documents: byDocument.size,
    participants: participants.size,
    coveredCodePoints: covered,
    coverage: context.totalCodePoints === 0 ? null : covered / context.totalCodePoints,
  };
  const attribute = context.attribute;
  if (!attribute) return figures;
  const counts = new Map<string, { codings: number; participants: Set<string> }>();
  for (const c of codings) {
    const participant = participantOf(context, c.documentId);
    const value = attributeValueOf(participant?.attributes, attribute.name);
    if (value === undefined || participant === undefined) continue;
    const key = columnKey(value);
    const cell = counts.get(key) ?? { codings: 0, participants: new Set<string>() };
    cell.codings++;
    cell.participants.add(participant.id);
    counts.set(key, cell);
  }
  let rowTotal = 0;
  for (const cell of counts.values()) rowTotal += cell.codings;
  const percent = (part: number, whole: number) => (whole === 0 ? null : (100 * part) / whole);
  const byValue = nameRecord<CrosstabCell>();
  for (const [key, column] of context.columns) {
    const cell = counts.get(key);
    const cellCodings = cell?.codings ?? 0;
    const cellParticipants = cell?.participants.size ?? 0;
    byValue[key] = {
      codings: cellCodings,
      participants: cellParticipants,
      codingsRowPercent: percent(cellCodings, rowTotal),
      codingsColumnPercent: percent(cellCodings, column.codings),
      participantsColumnPercent: percent(cellParticipants, column.participants),
    };
  }
  return { ...figures, byValue };
}

/** The crosstab columns: the choices in their order (all of them), else the values found, sorted. */
function crosstabColumns(
  attribute: AttributeDef,
  documents: readonly DocumentMeta[],
  codings: readonly Coding[],
  participants: Readonly<Record<string, Participant>>,
): Map<string, CrosstabColumn> {
  const found = new Map<
    string,
    { documents: number; participants: Set<string>; codings: number; raw: string | number }
  >();
  const documentValue = new Map<string, string>();
  for (const d of documents) {
    const participant = d.participantId === null ? undefined : participants[d.participantId];
    const value = attributeValueOf(participant?.attributes, attribute.name);
    if (value === undefined || participant === undefined) continue;
    const key = columnKey(value);
    documentValue.set(d.id, key);
    const column = found.get(key) ?? {
      documents: 0,
      participants: new Set<string>(),
      codings: 0,
      raw: value,
    };
    column.documents++;
    column.participants.add(participant.id);
    found.set(key, column);
  }
  for (const c of codings) {
    const key = documentValue.get(c.documentId);
    const column = key === undefined ? undefined : found.get(key);
    if (column) column.codings++;
  }
  let keys: string[];
  if (attribute.type === 'choice') {
    keys = [...attribute.choices, ...[...found.keys()].filter((k) => !attribute.choices.includes(k))];
  } else if (attribute.type === 'number') {
    keys = [...found.entries()].sort((a, b) => Number(a[1].raw) - Number(b[1].raw)).map(([k]) => k);
  } else {
    keys = [...found.keys()].sort((a, b) => a.localeCompare(b, 'fr', { numeric: true }));
  }
  return new Map(
    keys.map((value) => {
      const column = found.get(value);
      return [
        value,
        {
          value,
          documents: column?.documents ?? 0,
          participants: column?.participants.size ?? 0,
          codings: column?.codings ?? 0,
        },
      ];
    }),
  );
}

/**
 * Theme frequencies (fréquences des thèmes): for every code of the codebook, its number of codings,
 * of documents and of participants, and its coverage (share of the code points of the documents in
 * scope that at least one of its codings covers). A code with sub-codes also gets `rollup`, the same
 * figures over its whole subtree (a coding counted once even if nested codes overlap, coverage as a
 * union). With `attribute`, each row gets `byValue`, a crosstab by that attribute's values.
 * `documents` are the documents in scope (their total length is the coverage denominator) and
 * `codings` the codings to count, both already filtered (see `filters.ts`).
 * @example countFrequencies(state, documents, codings).rows[0] → {codeId, codings: 3, documents: 2, participants: 2, coverage: 0.12, …}
 */
export function countFrequencies(
  state: Pick<Readonly<ProjectState>, 'codes' | 'participants'>,
  documents: readonly DocumentMeta[],
  codings: readonly Coding[],
  attribute?: AttributeDef,
): FrequencyTable {
  const documentMap = new Map<string, DocumentMeta>(documents.map((d) => [d.id, d]));
  const inScope = codings.filter((c) => documentMap.has(c.documentId));
  const participants = new Set<string>();
  let totalCodePoints = 0;
  for (const d of documents) {
    totalCodePoints += d.length;
    if (d.participantId !== null && state.participants[d.participantId]) participants.add(d.participantId);
  }
  const columns = attribute
    ? crosstabColumns(attribute, documents, inScope, state.participants)
    : new Map<string, CrosstabColumn>();
  const context: Context = {
    documents: documentMap,
    participants: state.participants,
    totalCodePoints,
    attribute,
    columns,
  };
  const byCode = new Map<string, Coding[]>();
  for (const c of inScope) {
    const list = byCode.get(c.codeId);
    if (list) list.push(c);
    else byCode.set(c.codeId, [c]);
  }
  const subtreeCodings = (node: CodeNode): Coding[] => [
    ...(byCode.get(node.code.id) ?? []),
    ...node.children.flatMap(subtreeCodings),
  ];
  const rows: FrequencyRow[] = codesInTreeOrder(state.codes).map(({ code, depth, node }) => {
    const own = figuresOf(byCode.get(code.id) ?? [], context);
    const row: FrequencyRow = { codeId: code.id, name: code.name, parentId: code.parentId, depth, ...own };
    return node.children.length > 0 ? { ...row, rollup: figuresOf(subtreeCodings(node), context) } : row;
  });
  return {
    rows,
    totals: {
      documents: documents.length,
      participants: participants.size,
      codePoints: totalCodePoints,
      codings: inScope.length,
    },
    ...(attribute ? { crosstab: { attribute: attribute.name, columns: [...columns.values()] } } : {}),
  };
}

/** How much one coder has coded. */
export interface CoderRow {
  readonly coderId: UserId;
  readonly codings: number;
  readonly documents: number;
  /** Number of distinct codes used. */
  readonly codes: number;
  /** Code points covered by at least one of the coder's codings. */
  readonly coveredCodePoints: number;
  /** coveredCodePoints / code points of the documents in scope; null when there is no text. */
  readonly coverage: number | null;
  /** Number of codings per code id. */
  readonly byCode: Readonly<Record<string, number>>;
}

/**
 * Per coder (par codeur): how many codings each coder made, in how many documents, with how many
 * distinct codes, and how much text they cover, over the documents in scope. Coders with no coding
 * in scope appear only when listed in `coderIds`. Sorted by number of codings, most first.
 * @example countByCoder(documents, codings) → [{coderId, codings: 40, documents: 3, codes: 12, …}]
 */
export function countByCoder(
  documents: readonly DocumentMeta[],
  codings: readonly Coding[],
  coderIds: readonly UserId[] = [],
): CoderRow[] {
  const lengths = new Map<string, number>(documents.map((d) => [d.id, d.length]));
  let totalCodePoints = 0;
  for (const d of documents) totalCodePoints += d.length;
  const byCoder = new Map<string, Coding[]>(coderIds.map((id) => [id, []]));
  for (const c of codings) {
    if (!lengths.has(c.documentId)) continue;
    const list = byCoder.get(c.coderId);
    if (list) list.push(c);
    else byCoder.set(c.coderId, [c]);
  }
  const rows = [...byCoder.entries()].map(([coderId, list]): CoderRow => {
    const byDocument = new Map<string, Coding[]>();
    const byCode: Record<string, number> = {};
    for (const c of list) {
      const spans = byDocument.get(c.documentId);
      if (spans) spans.push(c);
      else byDocument.set(c.documentId, [c]);
      byCode[c.codeId] = (byCode[c.codeId] ?? 0) + 1;
    }
    let covered = 0;
    for (const spans of byDocument.values()) covered += spansLength(unionOfSpans(spans));
    return {
      coderId: coderId as UserId,
      codings: list.length,
      documents: byDocument.size,
      codes: Object.keys(byCode).length,
      coveredCodePoints: covered,
      coverage: totalCodePoints === 0 ? null : covered / totalCodePoints,
      byCode,
    };
  });
  return rows.sort((a, b) => b.codings - a.codings || a.coderId.localeCompare(b.coderId));
}
