import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../shared/errors.ts';
import {
  documentsInScope,
  enumParam,
  integerParam,
  parseReviewQuery,
} from '../../../shared/stats/filters.ts';
import { buildState, idOf, keyOf } from './review-fixture.ts';

const state = buildState();
const docsFor = (query: Record<string, string[]>) =>
  documentsInScope(state, parseReviewQuery(state, query, []).filter).map((d) => keyOf.get(d.id));

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('parseReviewQuery', () => {
  it('matches attribute names and values without case or accents', () => {
    expect(docsFor({ 'TYPE DE STRUCTURE': ['theatre'] })).toEqual(['d2']);
    expect(docsFor({ 'type de structure': ['Festival'] })).toEqual(['d1', 'd3']);
  });
  it('reads repeated values of one filter as OR and different filters as AND', () => {
    expect(docsFor({ 'type de structure': ['festival', 'théâtre'] })).toEqual(['d1', 'd2', 'd3']);
    expect(docsFor({ 'type de structure': ['festival'], effectif: ['3'] })).toEqual(['d1']);
    expect(docsFor({ 'type de structure': ['festival'], documentId: [idOf('d2'), idOf('d3')] })).toEqual([
      'd3',
    ]);
  });
  it('leaves out, under an attribute filter, documents without a participant or without that value', () => {
    expect(docsFor({ effectif: ['3', '40'] })).toEqual(['d1', 'd2']);
    expect(docsFor({})).toEqual(['d1', 'd2', 'd4', 'd3']);
  });
  it('refuses an unknown parameter with a French message naming it', () => {
    const error = refusal(() => parseReviewQuery(state, { couleur: ['rouge'] }, ['unit']));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(/Paramètre inconnu « couleur »/);
  });
  it('refuses unknown coders and documents, values of the wrong type, and empty values', () => {
    expect(refusal(() => parseReviewQuery(state, { coderId: ['zoe'] }, [])).message).toMatch(
      /Codeur inconnu/,
    );
    expect(refusal(() => parseReviewQuery(state, { documentId: [idOf('zz')] }, [])).message).toMatch(
      /Document inconnu/,
    );
    expect(refusal(() => parseReviewQuery(state, { effectif: ['beaucoup'] }, [])).message).toMatch(/nombre/);
    expect(refusal(() => parseReviewQuery(state, { 'type de structure': ['cirque'] }, [])).code).toBe(
      'invalid_input',
    );
    expect(refusal(() => parseReviewQuery(state, { effectif: [''] }, [])).message).toMatch(
      /attend une valeur/,
    );
  });
  it('refuses coderId where the route compares coders instead', () => {
    expect(() =>
      parseReviewQuery(state, { coderId: [idOf('alice')] }, ['coders'], { coderFilter: false }),
    ).toThrow(/Paramètre inconnu « coderId »/);
  });
});

describe('enumParam and integerParam', () => {
  it('take a default, accept allowed values and refuse others in French', () => {
    expect(enumParam(new Map(), 'unit', ['overlap', 'turn'], 'overlap')).toBe('overlap');
    expect(enumParam(new Map([['unit', ['turn']]]), 'unit', ['overlap', 'turn'], 'overlap')).toBe('turn');
    expect(() => enumParam(new Map([['unit', ['mot']]]), 'unit', ['overlap', 'turn'], 'overlap')).toThrow(
      /« unit »/,
    );
    expect(() => enumParam(new Map([['unit', ['turn', 'turn']]]), 'unit', ['turn'], 'turn')).toThrow(
      /qu'une fois/,
    );
    expect(integerParam(new Map([['limit', ['20']]]), 'limit', 1, 100, 5)).toBe(20);
    expect(() => integerParam(new Map([['limit', ['-1']]]), 'limit', 1, 100, 5)).toThrow(/entier/);
  });
});
