/**
 * The review statistics on the small project of fixtures/expected/review-project.json, checked
 * against fixtures/expected/review.json, computed by fixtures/expected/review.py from the naive
 * definitions (one boolean per code point or per unit).
 */
import { describe, expect, it } from 'vitest';
import type { CodeId, UserId } from '../../../shared/ids.ts';
import type { ProjectState } from '../../../shared/model.ts';
import { compareCoders, type AgreementFigures } from '../../../shared/stats/agreement.ts';
import { countCooccurrence } from '../../../shared/stats/cooccurrence.ts';
import { FrequenciesQuery } from '../../../shared/queries.ts';
import { codingsInScope, documentsInScope } from '../../../shared/stats/filters.ts';
import {
  codesInTreeOrder,
  countByCoder,
  countFrequencies,
  type CodeFigures,
} from '../../../shared/stats/frequencies.ts';
import { findPassages } from '../../../shared/stats/retrieve.ts';
import { paragraphSpans, unitsOf } from '../../../shared/stats/units.ts';
import { reviewFilterOf } from '../../../server/http/review-filter.ts';
import { buildState, expected, idOf, keyOf, nonBlankLines, project } from './review-fixture.ts';

const state = buildState();
const codeKeys: string[] = expected.codes;

/** The frequencies a query string asks for, read as the route reads it. */
function frequenciesFor(query: Record<string, string[]>) {
  // As hono's validator hands a query string over: one value as a string, several as a list.
  const received = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, v.length === 1 ? v[0] : v]));
  const parsed = FrequenciesQuery.parse(received);
  const filter = reviewFilterOf(state, parsed);
  const documents = documentsInScope(state, filter);
  const attribute = state.attributes.find((a) => a.name === parsed.attribute);
  return countFrequencies(state, documents, codingsInScope(state, filter, documents), attribute);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function expectFigures(actual: CodeFigures, wanted: any) {
  expect(actual.codings).toBe(wanted.codings);
  expect(actual.documents).toBe(wanted.documents);
  expect(actual.participants).toBe(wanted.participants);
  expect(actual.coveredCodePoints).toBe(wanted.coveredCodePoints);
  expect(actual.coverage).toBeCloseTo(wanted.coverage, 12);
  if (wanted.byValue) {
    expect(Object.keys(actual.byValue ?? {})).toEqual(Object.keys(wanted.byValue));
    for (const [value, cell] of Object.entries(wanted.byValue)) {
      const got = actual.byValue?.[value];
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const want = cell as any;
      expect(got?.codings).toBe(want.codings);
      expect(got?.participants).toBe(want.participants);
      for (const key of ['codingsRowPercent', 'codingsColumnPercent', 'participantsColumnPercent'] as const) {
        if (want[key] === null) expect(got?.[key]).toBeNull();
        else expect(got?.[key]).toBeCloseTo(want[key], 10);
      }
    }
  } else expect(actual.byValue).toBeUndefined();
}

function unitsMap(s: Readonly<ProjectState>) {
  return new Map(
    project.documents.map((d) => [idOf(d.key), unitsOf(s.documents[idOf(d.key)]!, paragraphSpans(d.text))]),
  );
}

describe('the fixture project', () => {
  it('has turns exactly on its non-blank lines, except the notes, which fall back to paragraphs', () => {
    for (const d of project.documents) {
      const turns = state.documents[idOf(d.key)]!.turns.map((t) => ({ start: t.start, end: t.end }));
      if (d.key === 'd3') {
        expect(turns).toEqual([]);
        expect(paragraphSpans(d.text)).toEqual(nonBlankLines(d.text));
      } else expect(turns).toEqual(nonBlankLines(d.text));
    }
  });
  it('stores offsets that point at their quotes, in code points', () => {
    for (const k of project.codings) {
      const text = project.documents.find((d) => d.key === k.doc)!.text;
      expect([...text].slice(k.start, k.end).join('')).toBe(k.quote);
    }
  });
});

describe('countFrequencies', () => {
  const scenarios: [string, Record<string, string[]>][] = [
    ['all', {}],
    ['alice', { coderId: [idOf('alice')] }],
    ['festival', { 'Type de Structure': ['festival'] }],
    ['aliceOrBob_d1OrD2', { coderId: [idOf('alice'), idOf('bob')], documentId: [idOf('d1'), idOf('d2')] }],
    ['crosstabType', { attribute: ['type de structure'] }],
    [
      'crosstabType_bob_festival',
      { attribute: ['type de structure'], coderId: [idOf('bob')], 'type de structure': ['Festival'] },
    ],
  ];
  for (const [name, query] of scenarios) {
    it(`matches review.py for the « ${name} » scenario, own figures and roll-ups`, () => {
      const table = frequenciesFor(query);
      const want = expected.frequencies[name];
      // Words need the texts: the route adds them (tests/api/stats.test.ts checks them).
      const { words: _words, ...counted } = want.totals;
      expect(table.totals).toEqual(counted);
      expect(table.rows.map((r) => keyOf.get(r.codeId))).toEqual(
        // Tree order: roots by name (French collation), children under their parent.
        ['charge', 'outils', 'saisie', 'tableur', 'structure', 'voeux', 'vide'],
      );
      for (const row of table.rows) {
        const wanted = want.rows[keyOf.get(row.codeId)!];
        expectFigures(row, wanted);
        if (wanted.rollup) expectFigures(row.rollup!, wanted.rollup);
        else expect(row.rollup).toBeUndefined();
      }
      if (want.columns) expect(table.crosstab?.columns).toEqual(want.columns);
    });
  }
});

describe('countByCoder', () => {
  it('matches review.py for every coder', () => {
    const documents = documentsInScope(state, { coderIds: null, documentIds: null, attributes: [] });
    const rows = countByCoder(documents, Object.values(state.codings));
    expect(rows.map((r) => keyOf.get(r.coderId))).toEqual(['alice', 'bob', 'chloe']);
    for (const row of rows) {
      const want = expected.coders[keyOf.get(row.coderId)!];
      expect({ ...row, coverage: 0, byCode: {}, coderId: '' }).toEqual({
        ...want,
        coverage: 0,
        byCode: {},
        coderId: '',
      });
      expect(row.coverage).toBeCloseTo(want.coverage, 12);
    }
  });
});

describe('countCooccurrence', () => {
  const codeIds = codeKeys.map((k) => idOf(k) as CodeId);
  it('counts overlapping pairs of codings, the diagonal being each code’s codings (review.py)', () => {
    expect(countCooccurrence(codeIds, Object.values(state.codings), 'overlap').matrix).toEqual(
      expected.cooccurrence.overlap,
    );
  });
  it('counts turns (or paragraphs) holding both codes (review.py)', () => {
    expect(countCooccurrence(codeIds, Object.values(state.codings), 'turn', unitsMap(state)).matrix).toEqual(
      expected.cooccurrence.turn,
    );
  });
  it('takes the coder filter into account (review.py)', () => {
    const codings = Object.values(state.codings).filter((c) => c.coderId === idOf('alice'));
    expect(countCooccurrence(codeIds, codings, 'overlap').matrix).toEqual(
      expected.cooccurrence.overlap_alice,
    );
  });
});

describe('compareCoders', () => {
  const cases: [string, string[], 'character' | 'turn'][] = [
    ['alice_bob_character', ['alice', 'bob'], 'character'],
    ['alice_bob_turn', ['alice', 'bob'], 'turn'],
    ['alice_bob_chloe_character', ['alice', 'bob', 'chloe'], 'character'],
    ['alice_bob_chloe_turn', ['alice', 'bob', 'chloe'], 'turn'],
  ];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const close = (actual: number | null, wanted: any) =>
    wanted === null ? expect(actual).toBeNull() : expect(actual).toBeCloseTo(wanted, 12);
  for (const [name, coders, unit] of cases) {
    it(`matches review.py for ${coders.join(', ')} at ${unit} level`, () => {
      const want = expected.agreement[name];
      const coderIds = coders.map((c) => idOf(c) as UserId);
      const documents = want.documents.map((d: string) => state.documents[idOf(d)]!);
      const codings = Object.values(state.codings).filter((c) => coderIds.includes(c.coderId));
      const order = codesInTreeOrder(state.codes).map((x) => x.code.id);
      const report = compareCoders(coderIds, documents, codings, order, unit, unitsMap(state));
      expect(report.rows.map((r) => keyOf.get(r.codeId)).sort()).toEqual([...want.codes].sort());
      for (const row of report.rows) {
        for (const universe of ['all', 'codedText'] as const) {
          const got: AgreementFigures = row[universe];
          const wanted = want.rows[keyOf.get(row.codeId)!][universe];
          expect(got.units).toBe(wanted.units);
          got.pairs.forEach((pair, i) => {
            const w = wanted.pairs[i];
            expect(pair.coderIds.map((c) => keyOf.get(c))).toEqual(w.coderIds);
            expect([pair.both, pair.onlyA, pair.onlyB, pair.neither]).toEqual([
              w.both,
              w.onlyA,
              w.onlyB,
              w.neither,
            ]);
            close(pair.percentAgreement, w.percentAgreement);
            close(pair.kappa, w.kappa);
          });
          close(got.percentAgreement, wanted.percentAgreement);
          close(got.kappa, wanted.kappa);
          close(got.alpha, wanted.alpha);
        }
      }
      for (const universe of ['all', 'codedText'] as const) {
        const got = report.overall[universe];
        const wanted = want.overall[universe];
        close(got.meanKappa, wanted.meanKappa);
        close(got.meanPercentAgreement, wanted.meanPercentAgreement);
        close(got.meanAlpha, wanted.meanAlpha);
        expect(got.codesInMean).toBe(wanted.codesInMean);
        expect(got.codesWithoutKappa.map((c) => keyOf.get(c))).toEqual(wanted.codesWithoutKappa);
      }
    });
  }
});

describe('findPassages', () => {
  const cases: [string, string[], 'and' | 'or' | 'not', string[] | null][] = [
    ['saisie', ['saisie'], 'or', null],
    ['saisie_and_charge', ['saisie', 'charge'], 'and', null],
    ['saisie_or_charge', ['saisie', 'charge'], 'or', null],
    ['saisie_not_charge', ['saisie', 'charge'], 'not', null],
    ['tableur_or_saisie_alice', ['tableur', 'saisie'], 'or', ['alice']],
  ];
  for (const [name, codes, op, coders] of cases) {
    it(`finds the passages review.py finds for « ${name} »`, () => {
      const documents = documentsInScope(state, { coderIds: null, documentIds: null, attributes: [] });
      const codings = Object.values(state.codings).filter(
        (c) => coders === null || coders.map(idOf).includes(c.coderId),
      );
      const passages = findPassages(
        codes.map((c) => idOf(c) as CodeId),
        op,
        documents,
        codings,
      );
      expect(
        passages.map((p) => ({
          doc: keyOf.get(p.documentId),
          start: p.start,
          end: p.end,
          codings: p.codings.map((c) => keyOf.get(c.id)!).sort(),
        })),
      ).toEqual(expected.retrieve[name]);
    });
  }
});
