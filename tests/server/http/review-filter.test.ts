import { describe, expect, it } from 'vitest';
import { reviewFilterOf } from '../../../server/http/review-filter.ts';
import { DomainError } from '../../../shared/errors.ts';
import { CodersQuery } from '../../../shared/queries.ts';
import { documentsInScope } from '../../../shared/stats/filters.ts';
import { buildState, idOf, keyOf } from '../../shared/stats/review-fixture.ts';

const state = buildState();

/** A query string as hono's validator hands it over (one value: a string; several: a list), read. */
const parsed = (query: Record<string, string[]>) =>
  CodersQuery.parse(
    Object.fromEntries(Object.entries(query).map(([k, v]) => [k, v.length === 1 ? v[0] : v])),
  );
const docsFor = (query: Record<string, string[]>) =>
  documentsInScope(state, reviewFilterOf(state, parsed(query))).map((d) => keyOf.get(d.id));

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('reviewFilterOf', () => {
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
  it('keeps each coder and document once, however often named', () => {
    const filter = reviewFilterOf(state, parsed({ coderId: [idOf('alice'), idOf('alice')] }));
    expect(filter.coderIds).toEqual([idOf('alice')]);
    expect(reviewFilterOf(state, parsed({})).coderIds).toBeNull();
  });
  it('refuses a parameter that is neither the route’s nor an attribute, with a French message naming it', () => {
    const error = refusal(() => reviewFilterOf(state, parsed({ couleur: ['rouge'] })));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(/Paramètre inconnu « couleur »/);
  });
  it('refuses unknown coders and documents, and values of the wrong type', () => {
    expect(refusal(() => reviewFilterOf(state, parsed({ coderId: [idOf('zoe')] }))).message).toMatch(
      /Codeur inconnu/,
    );
    expect(refusal(() => reviewFilterOf(state, parsed({ documentId: [idOf('zz')] }))).message).toMatch(
      /Document inconnu/,
    );
    expect(refusal(() => reviewFilterOf(state, parsed({ effectif: ['beaucoup'] }))).message).toMatch(
      /nombre/,
    );
    expect(refusal(() => reviewFilterOf(state, parsed({ 'type de structure': ['cirque'] }))).code).toBe(
      'invalid_input',
    );
  });
});
