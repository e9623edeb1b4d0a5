import type { CodeId, UserId } from '../ids.ts';
import type { Coding, DocumentMeta } from '../model.ts';
import type { Span } from '../spans.ts';
import { binaryAlphaFromCounts, type AlphaNullReason } from './alpha.ts';
import { kappaFromTable, type AgreementTable, type KappaNullReason, type KappaResult } from './kappa.ts';
import { intersectionLength, spansLength, unionOfSpans, unitRange } from './sweep.ts';

/** `character`: every code point is a unit (as NVivo); `turn`: every speaker turn (or paragraph). */
export type AgreementUnit = 'character' | 'turn';
export const AGREEMENT_UNITS: readonly AgreementUnit[] = ['character', 'turn'];

/** Two coders compared on one code: their 2 × 2 table and what follows from it. */
export interface PairAgreement extends AgreementTable, KappaResult {
  readonly coderIds: readonly [UserId, UserId];
}

/** One code's agreement over one universe of units (all the text, or only the coded text). */
export interface AgreementFigures {
  /** Number of units in the universe (code points or turns). */
  readonly units: number;
  /** Every pair of compared coders, in the order the coders were given. */
  readonly pairs: PairAgreement[];
  /** Two coders: the pair's figure. More: the mean over the pairs (for kappa, Light's kappa). */
  readonly percentAgreement: number | null;
  readonly kappa: number | null;
  readonly kappaNullReason?: KappaNullReason;
  /** Krippendorff's nominal alpha over the units × coders table of 0/1 for this code. */
  readonly alpha: number | null;
  readonly alphaNullReason?: AlphaNullReason;
}

export interface AgreementRow {
  readonly codeId: CodeId;
  /** All the compared text (every code point, or every unit, of the compared documents). */
  readonly all: AgreementFigures;
  /** Only the text (or units) that at least one compared coder coded with any code. */
  readonly codedText: AgreementFigures;
}

/** Unweighted means over the codes, a code whose figure is null being left out of that mean. */
export interface OverallAgreement {
  readonly meanKappa: number | null;
  /** Number of codes whose kappa entered the mean. */
  readonly codesInMean: number;
  /** Codes left out of the kappa mean because their kappa is null. */
  readonly codesWithoutKappa: CodeId[];
  readonly meanPercentAgreement: number | null;
  readonly meanAlpha: number | null;
}

export interface AgreementReport {
  readonly unit: AgreementUnit;
  readonly coderIds: UserId[];
  /** Code rows: the codes that at least one compared coder used in the compared documents. */
  readonly rows: AgreementRow[];
  readonly overall: { readonly all: OverallAgreement; readonly codedText: OverallAgreement };
}

interface PairCounts {
  both: number;
  sizeA: number;
  sizeB: number;
}

function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((s, v) => s + v, 0) / values.length;
}

/** Build the figures of one code from the pair intersections, coder sizes and m-counts. */
function figures(
  coderIds: readonly UserId[],
  pairCounts: readonly PairCounts[],
  onesHistogram: readonly number[],
  universe: number,
): AgreementFigures {
  const pairs: PairAgreement[] = [];
  let p = 0;
  for (let i = 0; i < coderIds.length; i++) {
    for (let j = i + 1; j < coderIds.length; j++) {
      const { both, sizeA, sizeB } = pairCounts[p++] as PairCounts;
      const table = {
        both,
        onlyA: sizeA - both,
        onlyB: sizeB - both,
        neither: universe - sizeA - sizeB + both,
      };
      pairs.push({
        coderIds: [coderIds[i] as UserId, coderIds[j] as UserId],
        ...table,
        ...kappaFromTable(table),
      });
    }
  }
  const histogram = [...onesHistogram];
  const covered = histogram.reduce((s, v, m) => (m === 0 ? s : s + v), 0);
  histogram[0] = universe - covered;
  const alpha = binaryAlphaFromCounts(coderIds.length, histogram);
  const kappas = pairs.map((x) => x.kappa).filter((k): k is number => k !== null);
  const percents = pairs.map((x) => x.percentAgreement).filter((k): k is number => k !== null);
  const kappa = kappas.length === pairs.length ? mean(kappas) : null;
  const reason = pairs.find((x) => x.kappaNullReason !== undefined)?.kappaNullReason;
  return {
    units: universe,
    pairs,
    percentAgreement: mean(percents),
    kappa,
    ...(kappa === null && reason ? { kappaNullReason: reason } : {}),
    alpha: alpha.alpha,
    ...(alpha.alphaNullReason ? { alphaNullReason: alpha.alphaNullReason } : {}),
  };
}

function overall(
  rows: readonly AgreementRow[],
  pick: (r: AgreementRow) => AgreementFigures,
): OverallAgreement {
  const kappas: number[] = [];
  const without: CodeId[] = [];
  for (const row of rows) {
    const k = pick(row).kappa;
    if (k === null) without.push(row.codeId);
    else kappas.push(k);
  }
  const numbers = (f: (x: AgreementFigures) => number | null) =>
    rows.map((r) => f(pick(r))).filter((v): v is number => v !== null);
  return {
    meanKappa: mean(kappas),
    codesInMean: kappas.length,
    codesWithoutKappa: without,
    meanPercentAgreement: mean(numbers((x) => x.percentAgreement)),
    meanAlpha: mean(numbers((x) => x.alpha)),
  };
}

/** Lengths covered by exactly m of the given disjoint-span lists, m = 1…lists, by one sweep. */
function coverageHistogram(lists: readonly (readonly Span[])[], into: number[]): void {
  const events: [number, number][] = [];
  for (const list of lists) for (const s of list) events.push([s.start, 1], [s.end, -1]);
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let depth = 0;
  let previous = 0;
  for (const [position, delta] of events) {
    if (depth > 0) into[depth] = (into[depth] ?? 0) + (position - previous);
    depth += delta;
    previous = position;
  }
}

/**
 * Inter-coder agreement (accord inter-codeurs) between coders who coded the same documents
 * independently. For each code that at least one of them used, and each unit of the compared
 * documents, every coder either applied the code or not:
 * - `character`: the units are the code points of the documents (NVivo's coding comparison); a
 *   coder applied the code to a code point when one of their codings of it covers that code point.
 *   Computed by sweeping span boundaries, never one boolean per code point.
 * - `turn`: the units are the speaker turns (paragraphs for a document without turns, given in
 *   `unitsByDocument`); a coder applied the code to a unit when one of their codings of it shares
 *   at least one code point with the unit.
 * For each pair of coders: the 2 × 2 table, percent agreement and Cohen's kappa (see `kappa.ts`);
 * for the code: Krippendorff's nominal alpha over the units × coders table of 0/1 (see `alpha.ts`).
 * Each figure is given over all the units (`all`) and over the units that at least one compared
 * coder coded with any code (`codedText`), since agreement on text nobody coded inflates percent
 * agreement. `codings` must already be restricted to the compared coders and documents.
 * @example compareCoders([alice, bob], documents, codings, codeOrder, 'character').overall.all.meanKappa
 */
export function compareCoders(
  coderIds: readonly UserId[],
  documents: readonly DocumentMeta[],
  codings: readonly Coding[],
  codeOrder: readonly CodeId[],
  unit: AgreementUnit,
  unitsByDocument: ReadonlyMap<string, readonly Span[]> = new Map(),
): AgreementReport {
  if (new Set(coderIds).size !== coderIds.length || coderIds.length < 2) {
    throw new Error('compareCoders: at least two distinct coders are needed');
  }
  const coderIndex = new Map<string, number>(coderIds.map((id, i) => [id, i]));
  const docs = new Set<string>(documents.map((d) => d.id));
  // code → document → coder → spans (for turns: unit indices as one-point spans)
  const grouped = new Map<string, Map<string, Span[][]>>();
  const codedByDocument = new Map<string, Span[]>();
  let unitOffset = 0;
  const offsets = new Map<string, number>();
  let allUnits = 0;
  for (const d of documents) {
    if (unit === 'character') allUnits += d.length;
    else {
      const units = unitsByDocument.get(d.id);
      if (!units) throw new Error(`compareCoders: no units given for document ${d.id}`);
      offsets.set(d.id, unitOffset);
      unitOffset += units.length;
      allUnits += units.length;
    }
  }
  for (const c of codings) {
    const coder = coderIndex.get(c.coderId);
    // A consensus coding is a decision taken after comparing, not an independent judgement.
    if (coder === undefined || !docs.has(c.documentId) || c.consensus) continue;
    let spans: Span[];
    if (unit === 'character') spans = [c];
    else {
      const base = offsets.get(c.documentId) as number;
      // The units a coding overlaps are consecutive: one span of unit indices, offset per document.
      const range = unitRange(unitsByDocument.get(c.documentId) as readonly Span[], c);
      spans = range.end > range.start ? [{ start: base + range.start, end: base + range.end }] : [];
    }
    const byDocument = grouped.get(c.codeId) ?? new Map<string, Span[][]>();
    grouped.set(c.codeId, byDocument);
    const byCoder = byDocument.get(c.documentId) ?? coderIds.map(() => []);
    byDocument.set(c.documentId, byCoder);
    (byCoder[coder] as Span[]).push(...spans);
    const coded = codedByDocument.get(c.documentId) ?? [];
    coded.push(...spans);
    codedByDocument.set(c.documentId, coded);
  }
  let codedUnits = 0;
  for (const spans of codedByDocument.values()) codedUnits += spansLength(unionOfSpans(spans));

  const rows: AgreementRow[] = [];
  for (const codeId of codeOrder) {
    const byDocument = grouped.get(codeId);
    if (byDocument)
      rows.push(agreementRow(codeId, byDocument, coderIds, { all: allUnits, codedText: codedUnits }));
  }
  return {
    unit,
    coderIds: [...coderIds],
    rows,
    overall: { all: overall(rows, (r) => r.all), codedText: overall(rows, (r) => r.codedText) },
  };
}

/**
 * One code's figures, from its spans per document and coder: the pairs' 2 × 2 tables and the
 * histogram of how many coders cover each unit, over all the units and over the coded text.
 */
function agreementRow(
  codeId: CodeId,
  byDocument: ReadonlyMap<string, Span[][]>,
  coderIds: readonly UserId[],
  units: { all: number; codedText: number },
): AgreementRow {
  const pairCounts: PairCounts[] = [];
  for (let i = 0; i < coderIds.length; i++)
    for (let j = i + 1; j < coderIds.length; j++) pairCounts.push({ both: 0, sizeA: 0, sizeB: 0 });
  const histogram = new Array<number>(coderIds.length + 1).fill(0);
  for (const byCoder of byDocument.values()) {
    const unions = byCoder.map((spans) => unionOfSpans(spans));
    const sizes = unions.map(spansLength);
    let p = 0;
    for (let i = 0; i < unions.length; i++) {
      for (let j = i + 1; j < unions.length; j++) {
        const counts = pairCounts[p++] as PairCounts;
        counts.both += intersectionLength(unions[i] as Span[], unions[j] as Span[]);
        counts.sizeA += sizes[i] as number;
        counts.sizeB += sizes[j] as number;
      }
    }
    coverageHistogram(unions, histogram);
  }
  return {
    codeId,
    all: figures(coderIds, pairCounts, histogram, units.all),
    codedText: figures(coderIds, pairCounts, histogram, units.codedText),
  };
}
